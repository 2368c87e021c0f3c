"""Read every paper page once, at the start of a build, into an :class:`Archive`.

A caller that builds again (``mkdocs serve`` rebuilds: 10,000 pages parse in ~2 s, a
look-up is free) hands :func:`collect` the entries the archive before parsed
(:attr:`Archive.parsed`): keyed by the page's path, URL and a hash of its whole text,
each holds the frozen :class:`Entry` that text gives, so it can never answer for
another text. Only clean pages are kept (a page with a warning is parsed again, its
warnings with it), the vocabulary is checked outside it, and each archive keeps only the
entries it used, so their number follows the archive's. Nothing is kept here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..disk.pages import paper_of, parse_page
from ..disk.validate import Diagnostic, limit_diagnostics, tag_diagnostics
from ..errors import FrontMatterError
from ..record.model import Paper
from ..record.tagging import Vocabulary

#: (src_uri, url, sha256 of the text): what a parsed entry is known by.
ParsedKey = tuple[str, str, bytes]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
SUMMARY_MAX = 280


@dataclass(frozen=True, slots=True)
class Entry:
    """A paper as the site sees it: the record plus where its page lives."""

    paper: Paper
    src_uri: str  # papers/pointer-networks.md
    url: str  # papers/pointer-networks/
    summary: str  # the abstract's first sentence, plain text
    #: The sha256 of the page text this value was first made from: the archive's key
    #: names the entry by it (:func:`collect` keeps an entry that an edit left equal,
    #: with its origin). Not part of the value.
    origin: bytes = field(default=b"", compare=False, repr=False)

    @property
    def slug(self) -> str:
        return self.src_uri.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def date(self) -> dt.date | None:
        return self.paper.published


@dataclass(frozen=True)
class Archive:
    """Every paper, newest first (by published date; undated last, then by title)."""

    entries: tuple[Entry, ...]
    vocabulary: Vocabulary
    warnings: tuple[str, ...] = field(default=())
    #: Pages left out of the site because they fail validation (src_uri).
    excluded: tuple[str, ...] = field(default=())
    #: A hash of everything the entries and vocabulary were made from (each entry's
    #: path, URL and :attr:`Entry.origin`, each left-out page's path, URL and text, the
    #: tags' slugs, names and descriptions): what results derived from the archive are
    #: remembered by across rebuilds (serve/memo.py). An edit that leaves every entry
    #: equal (a note after the abstract, the page's layout) leaves it as it was.
    key: str = ""
    #: The clean pages' entries by :data:`ParsedKey`: what the next :func:`collect` of
    #: the same process may reuse instead of parsing (its ``parsed``).
    parsed: Mapping[ParsedKey, Entry] = field(default_factory=dict, repr=False, compare=False)
    _by_src_uri: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_src_uri", {e.src_uri: e for e in self.entries})

    def entry(self, src_uri: str) -> Entry | None:
        """The paper whose page is ``src_uri`` (a dictionary look-up, built once)."""
        return self._by_src_uri.get(src_uri)


def text_digest(text: str) -> bytes:
    """The sha256 of a page's text: what its parsed entry is remembered by."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _named(src_uri: str, url: str, digest: bytes) -> bytes:
    """A page as the archive's key names it: its path, URL and a text's digest."""
    return repr((src_uri, url, digest)).encode("utf-8", "surrogatepass")


def first_sentence(abstract_markdown: str, *, limit: int = SUMMARY_MAX) -> str:
    """The first sentence of an abstract as plain text, at most ``limit`` characters."""
    text = " ".join(html.unescape(abstract_markdown).split())
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) > limit:
        cut = sentence[: limit - 1].rsplit(" ", 1)[0]
        sentence = f"{cut}…"
    return sentence


def newest_first(entry: Entry) -> tuple[bool, int, str, str]:
    date = entry.paper.published
    return (
        date is None,
        -(date.toordinal() if date else 0),
        entry.paper.title.casefold(),
        entry.slug,
    )


def collect(
    pages: Iterable[tuple[str, str, str]],
    vocabulary: Vocabulary,
    *,
    digests: Mapping[str, bytes] | None = None,
    parsed: Mapping[ParsedKey, Entry] | None = None,
) -> Archive:
    """Build the archive from ``(src_uri, url, text)`` of every paper page (``digests``:
    each text's :func:`text_digest` by src_uri, when the reader has them already;
    ``parsed``: the :attr:`Archive.parsed` of the archive before, reused by key).

    Raises :class:`FrontMatterError` (naming the file and line) for front matter that
    does not parse. A page whose record cannot be built (a list as title, an unknown key
    such as ``description:``) or that is over a size limit is left out of the archive
    *and* of the site (``Archive.excluded``): the theme would print its raw meta, so a
    preview with ``mkdocs serve`` would run what CI refuses. Each problem is a warning
    naming the file and line; unknown tags are warnings and the page stays.
    """
    entries: list[Entry] = []
    warnings: list[str] = []
    excluded: list[str] = []
    known = vocabulary.slugs
    memo = parsed or {}
    used: dict[ParsedKey, Entry] = {}
    before: dict[str, Entry] | None = None  # the entries before by page: on a first parse
    archive_key = hashlib.sha256(
        repr([(t.slug, t.name, t.description) for t in vocabulary.tags]).encode()
    )
    for src_uri, url, text in pages:
        digest = digests.get(src_uri) if digests is not None else None
        key = (src_uri, url, digest if digest is not None else text_digest(text))
        known_entry = memo.get(key)
        if known_entry is not None and all(tag in known for tag in known_entry.paper.tags):
            archive_key.update(_named(src_uri, url, known_entry.origin))
            entries.append(known_entry)
            used[key] = known_entry
            continue
        path = f"docs/{src_uri}"
        page = parse_page(text, path=path)
        try:  # the one validator: every problem, each with its line, in one pass
            paper = paper_of(page, path=path)
        except FrontMatterError as exc:
            problems = [
                str(Diagnostic(path, p.line or 1, "error", p.message)) for p in exc.problems
            ]
        else:
            problems = [str(d) for d in limit_diagnostics(text, page, path=path)]
        if problems:
            archive_key.update(_named(*key))
            warnings.extend(problems)
            warnings.append(f"{path}: left out of the site until `papers validate` passes")
            excluded.append(src_uri)
            continue
        unknown = [tag for tag in paper.tags if tag not in known]
        if unknown:
            warnings.extend(str(d) for d in tag_diagnostics(page, path=path, vocabulary=vocabulary))
        entry = Entry(paper, src_uri, url, first_sentence(paper.abstract), origin=key[2])
        if before is None:
            before = {e.src_uri: e for e in memo.values()}
        if (same := before.get(src_uri)) is not None and same == entry:
            entry = same  # the text changed, the entry did not: the same object, origin
        archive_key.update(_named(src_uri, url, entry.origin))
        entries.append(entry)
        if not unknown:
            used[key] = entry
    entries.sort(key=newest_first)
    return Archive(
        entries=tuple(entries),
        vocabulary=vocabulary,
        warnings=tuple(warnings),
        excluded=tuple(excluded),
        key=archive_key.hexdigest(),
        parsed=used,
    )
