"""Check pages against the schema, the tag vocabulary and each other (pure functions).

Catches what MkDocs would swallow silently: invalid YAML, duplicate keys, a front
matter that is a list or a scalar, missing or mistyped keys, unknown tags, raw HTML in
a body, a file name that does not match the title, the same paper twice.

Pages are read by :mod:`paper_archive.disk.archive`, whose records load through the one
validator of front matter (:func:`paper_archive.disk.pages.paper_of`: every problem with its
line); this module adds what only ``papers validate`` reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from ..errors import ArchiveError
from ..files import cachefiles
from ..files.textfile import read_text
from ..files.yamlio import shorten
from ..record.accepted import ACCEPTED_FILE, AcceptedPairs
from ..record.slugs import (
    allowed_slugs,
    confusable_characters,
    is_reserved_name,
    near_duplicates,
    title_key,
)
from ..record.tagging import Vocabulary
from ..settings import Settings, SettingsError, settings_in_text
from ..text import mathbounds
from ..text.safe import BIDI_CONTROLS, has_raw_html
from . import layout, sitepages
from .archive import PageRecord, index_pages, read_record
from .pages import ParsedPage, abstract_over_limit, title_over_limit

#: MkDocs' configuration, at the archive's root: where the settings are.
CONFIG_FILE = "mkdocs.yml"

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command (an annotation on the file and line)."""
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{self.severity} file={path},line={self.line}::{message}"


def check_page(
    text: str, *, path: str, vocabulary: Vocabulary
) -> tuple[list[Diagnostic], ParsedPage | None]:
    """Diagnostics for one page, and the parsed page when its front matter parses."""
    record = read_record(text, path=path)
    return record_diagnostics(record, vocabulary=vocabulary), record.parsed


def record_diagnostics(
    record: PageRecord, *, vocabulary: Vocabulary, sources: frozenset[str] | None = None
) -> list[Diagnostic]:
    """Diagnostics for one page as :mod:`paper_archive.disk.archive` read it: every problem
    the record's loader found (:func:`~paper_archive.disk.pages.paper_of`, the one validator
    of front matter), then what only ``validate`` checks. ``sources``: the ids of the
    manifests under ``data/sources/`` (``None``: not checked)."""
    path, text, parsed = record.path, record.text, record.parsed
    out = [
        Diagnostic(path, problem.line or 1, "error", problem.message)
        for problem in (record.error.problems if record.error is not None else ())
    ]
    if parsed is None:
        return out
    meta = parsed.meta
    out.extend(tag_diagnostics(parsed, path=path, vocabulary=vocabulary))
    out.extend(source_diagnostics(parsed, path=path, known=sources))
    title = meta.get("title")
    stem = PurePosixPath(path).stem
    if is_reserved_name(PurePosixPath(path).name):
        out.append(
            Diagnostic(
                path,
                1,
                "error",
                f"file name {PurePosixPath(path).name!r} is reserved (by Windows, or by "
                "MkDocs as a folder's index); expected "
                f"{allowed_slugs(title)[0] if isinstance(title, str) else stem + '-paper'}.md",
            )
        )
    elif isinstance(title, str) and title.strip():
        expected = allowed_slugs(title)
        if stem not in expected:
            out.append(
                Diagnostic(
                    path,
                    parsed.line_of("title"),
                    "error",
                    f"file name {stem!r}.md does not match the title; expected {expected[0]}.md",
                )
            )

    body_start = text.count("\n", 0, len(text) - len(parsed.raw.body)) + 1
    for offset, line in enumerate(parsed.raw.body.split("\n")):
        if has_raw_html(line):
            out.append(
                Diagnostic(
                    path,
                    body_start + offset,
                    "error",
                    "raw HTML in the page body; write < > & as &lt; &gt; &amp;",
                )
            )
    out.extend(limit_diagnostics(text, parsed, path=path))
    out.extend(bidi_diagnostics(text, path=path, body_start=body_start))
    if parsed.body.heading is None:
        out.append(Diagnostic(path, body_start, "warning", "body has no '# title' heading"))
    if not parsed.body.abstract:
        out.append(Diagnostic(path, body_start, "warning", "body has no abstract"))
    return out


def tag_diagnostics(parsed: ParsedPage, *, path: str, vocabulary: Vocabulary) -> list[Diagnostic]:
    """An error for each tag outside the vocabulary, with the tags close to it."""
    tags = parsed.meta.get("tags")
    out: list[Diagnostic] = []
    for index, tag in enumerate(tags if isinstance(tags, list) else ()):
        if isinstance(tag, str) and tag not in vocabulary.slugs:
            close = vocabulary.close_to(tag)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            out.append(
                Diagnostic(
                    path,
                    parsed.line_of("tags", index),
                    "error",
                    f"unknown tag {shorten(repr(tag))}{hint}; tags are defined in data/tags.yaml",
                )
            )
    return out


#: A source id as :func:`paper_archive.sources.store.source_id` makes them
#: (``hf-daily-2026-11-23-1a2b3c4d``, ``arxiv-2403.12345-…``): no ``/``, no ``..``.
SOURCE_ID = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")


def source_diagnostics(
    parsed: ParsedPage, *, path: str, known: frozenset[str] | None
) -> list[Diagnostic]:
    """An error for each ``sources`` item that is not a source id, or (with ``known``)
    that names no manifest under ``data/sources/``."""
    items = parsed.meta.get("sources")
    out: list[Diagnostic] = []
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(item, str):
            continue  # the schema reports it
        if SOURCE_ID.fullmatch(item) is None:
            problem = "is not a source id (letters, digits, and . _ - between them)"
        elif known is not None and item not in known:
            problem = "names no source: there is no manifest with this id under data/sources/"
        else:
            continue
        out.append(
            Diagnostic(
                path,
                parsed.line_of("sources", index),
                "error",
                f"source {shorten(repr(item))} {problem}",
            )
        )
    return out


def limit_diagnostics(text: str, parsed: ParsedPage, *, path: str) -> list[Diagnostic]:
    """Errors for a title or an abstract over the limits in :mod:`paper_archive.disk.pages`
    (the page's own size is refused when it is read and parsed), and for math over the
    bounds in :mod:`paper_archive.text.mathbounds` (in the title and anywhere in the body)."""
    out: list[Diagnostic] = []
    body_start = text.count("\n", 0, len(text) - len(parsed.raw.body)) + 1
    title = parsed.meta.get("title")
    too_long = title_over_limit(title) if isinstance(title, str) else None
    if too_long is not None:
        out.append(Diagnostic(path, parsed.line_of("title"), "error", too_long))
    title = title if isinstance(title, str) else ""
    abstract = parsed.body.abstract
    too_large = abstract_over_limit(abstract)
    if too_large is not None:
        offset = parsed.raw.body.find(abstract[:80]) if abstract else -1
        line = body_start + parsed.raw.body.count("\n", 0, max(offset, 0))
        out.append(Diagnostic(path, line, "error", too_large))
    # Math over the bounds a reader's browser renders safely (mathbounds.py).
    spans = mathbounds.line_problems(title, first_line=parsed.line_of("title"))
    spans += mathbounds.line_problems(parsed.raw.body, first_line=body_start)
    out.extend(Diagnostic(path, line, "error", message) for line, message in spans)
    return out


def bidi_diagnostics(text: str, *, path: str, body_start: int) -> list[Diagnostic]:
    """An error for each line of front matter, a warning for each line of the body,
    holding a bidirectional control character."""
    out: list[Diagnostic] = []
    seen: set[int] = set()
    for match in BIDI_CONTROLS.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line in seen:
            continue
        seen.add(line)
        where = "front matter" if line < body_start else "body"
        out.append(
            Diagnostic(
                path,
                line,
                "error" if line < body_start else "warning",
                f"bidirectional control character U+{ord(match.group()):04X} in the {where}: "
                "it makes text display in another order than it is stored; remove it",
            )
        )
    return out


def tree_diagnostics(problems: Iterable[layout.Problem]) -> list[Diagnostic]:
    """Errors for the files :func:`paper_archive.disk.layout.scan` refused."""
    return [Diagnostic(p.path, p.line, "error", p.message) for p in problems]


def settings_diagnostics(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """The settings in ``root``'s mkdocs.yml (``extra.paper_archive``), and an error for
    each one refused, at its line (the defaults then: the build refuses them too)."""
    config = root / CONFIG_FILE
    if not config.is_file():  # not a site (a bare archive): every default
        return Settings(), []
    try:
        return settings_in_text(read_text(config, display=CONFIG_FILE)), []
    except SettingsError as exc:
        return Settings(), [
            Diagnostic(CONFIG_FILE, p.line or 1, "error", p.message) for p in exc.problems
        ]
    except ArchiveError as exc:  # not UTF-8, a link: MkDocs would not read it either
        line = exc.location.line if exc.location is not None else None
        return Settings(), [Diagnostic(CONFIG_FILE, line or 1, "error", exc.message)]


def cache_diagnostics(root: Path, name: str = cachefiles.NAME) -> list[Diagnostic]:
    """An error for each path git tracks under the build's cache ``name`` (the setting
    ``cache_dir``): a cache file comes from a build, never from a commit (builds ignore
    and remove them: cachefiles.py)."""
    found = cachefiles.tracked(root, name)
    if found is None:
        message = "git cannot tell which files it tracks here (run git status to see why)"
        return [Diagnostic(name, 1, "error", message)]
    return [
        Diagnostic(
            path,
            1,
            "error",
            f"a file of the build cache is committed ({name}/ is made by builds "
            f"and gitignored); remove it: git rm -r --cached {name}",
        )
        for path in found
    ]


def check_site_page(text: str, *, path: str) -> list[Diagnostic]:
    """Errors for raw HTML, script links or event handlers in a site page (no site page
    may hold them; markup belongs in a theme template, see :mod:`paper_archive.disk.layout`),
    for front matter outside the site pages' allow-list (:mod:`.sitepages`), and for math
    over the bounds (:mod:`.mathbounds`)."""
    _, problems = sitepages.front_matter(text)
    found = [(p.line or 1, p.message) for p in problems] + mathbounds.line_problems(text)
    return [Diagnostic(path, line, "error", message) for line, message in found] + [
        Diagnostic(
            path,
            line,
            "error",
            "raw HTML, a script link or an event handler in a site page; markup "
            "belongs in a theme template (layout.py)",
        )
        for line in layout.active_content(text)
    ]


def check_archive(
    pages: Mapping[str, str],
    *,
    vocabulary: Vocabulary,
    accepted: AcceptedPairs = frozenset(),
    sources: frozenset[str] | None = None,
) -> list[Diagnostic]:
    """Diagnostics for every page and across pages (duplicates, near-duplicates), sorted.

    ``accepted`` holds pairs of page slugs a maintainer reviewed (see
    :mod:`paper_archive.record.accepted`): no near-duplicate diagnostic for those. ``sources``
    holds the ids of the manifests under ``data/sources/`` (``None``: not checked)."""
    index = index_pages(pages)
    out: list[Diagnostic] = []
    for record in index.records.values():
        out.extend(record_diagnostics(record, vocabulary=vocabulary, sources=sources))
    titles = index.titles()
    title_lines = {}
    for path in titles:
        parsed = index.records[path].parsed
        assert parsed is not None  # a page with a title parsed
        title_lines[path] = parsed.line_of("title")

    by_key: dict[str, list[str]] = {}
    for path in sorted(titles):
        by_key.setdefault(title_key(titles[path]), []).append(path)
    for paths in by_key.values():
        # Every page of a duplicate group is reported, so a check of any one page
        # (pre-commit validates only the changed ones) finds it.
        for path in paths if len(paths) > 1 else ():
            others = ", ".join(p for p in paths if p != path)
            out.append(
                Diagnostic(
                    path,
                    title_lines[path],
                    "error",
                    f"same paper as {others} (titles match once case and "
                    "punctuation are folded); merge the pages",
                )
            )
    out.extend(_near_duplicate_diagnostics(titles, title_lines, accepted))
    return sorted(out)


def _near_duplicate_diagnostics(
    titles: Mapping[str, str], title_lines: Mapping[str, int], accepted: AcceptedPairs
) -> list[Diagnostic]:
    """One diagnostic on each page of every near-duplicate pair not accepted, so a check
    of either page alone (pre-commit, ``papers validate FILE``) reports it. A homoglyph
    (the other's title in look-alike characters) is an error: a copy or a mistake."""
    out: list[Diagnostic] = []
    for pair in near_duplicates(titles):
        if frozenset((PurePosixPath(pair.a).stem, PurePosixPath(pair.b).stem)) in accepted:
            continue
        for path, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if pair.kind == "homoglyph":
                odd = dict.fromkeys(
                    [*confusable_characters(titles[path]), *confusable_characters(titles[other])]
                )
                severity: Severity = "error"
                message = (
                    f"title looks the same as {other}'s but the two are spelled with different "
                    f"characters ({', '.join(odd) or 'look-alike letters'}): a copy or a "
                    f"mistake; fix the title, or record the pair in {ACCEPTED_FILE}"
                )
            else:
                how = f"{pair.distance} edit(s) away" if pair.kind == "edit" else "a prefix"
                severity = "warning"
                message = (
                    f"title is close to {other}'s ({how}): the same paper? If not, record "
                    f"the pair in {ACCEPTED_FILE}"
                )
            out.append(Diagnostic(path, title_lines[path], severity, message))
    return out
