"""``papers add``: a contributor's one new page, through the same record as ``ingest``.

Data flows one way:

* a :class:`Submission` is a paper as a person (or a fetcher) gives it;
  :meth:`Submission.from_entry` takes any listing-entry-like record;
* :func:`plan_add` (pure) checks it against the tag vocabulary and every existing page
  and returns the :class:`Addition` to write. It uses ingest's parts: the
  :class:`~paper_archive.model.Paper` record, :func:`~paper_archive.slugs.assign_slugs`,
  the tagger, :func:`~paper_archive.text.inert`, :func:`~paper_archive.pages.render_page`;
  and the rendered page must pass ``validate``'s page check before anything is written;
* :func:`write_addition` creates the file, never replacing one; :func:`add_paper` is
  plan then write for an archive on disk (the entry point for other front ends, such as
  a fetcher that adds a paper by its arXiv id);
* :func:`run` and :func:`register` are the command-line glue: flags, or prompts when
  standard input is a terminal. ``--arxiv-id ID`` records an id the contributor knows,
  offline (validated by :mod:`~paper_archive.arxiv_id`; a page with the same id is a
  duplicate); ``--arxiv ID`` (:mod:`.add_arxiv`) fetches the paper instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, TextIO, TypeVar

from .. import arxiv_id
from ..archive import index_pages, read_pages, taken_slugs
from ..console import Console
from ..errors import ArchiveError
from ..model import Paper
from ..pages import render_page
from ..project import PAGES_DIR, VOCABULARY, Project, today
from ..slugs import assign_slugs, base_slug, confusable_characters, confusable_key, title_key
from ..tagging import Vocabulary, load_vocabulary, merge_tags
from ..text import extract_links, inert
from ..textfile import atomic_write
from ..validate import check_page
from .base import EXIT_FAIL, EXIT_OK, EXIT_USAGE, arxiv_ident, iso_date, project_for

_URL_RE = re.compile(r"^https?://\S+$")

T = TypeVar("T")
#: Asks one question and returns the answer (``input`` in a terminal).
Ask = Callable[[str], str]


class EntryLike(Protocol):
    """What a listing entry has; :class:`~paper_archive.sources.entry.SourceEntry` fits."""

    @property
    def title(self) -> str: ...
    @property
    def abstract(self) -> str: ...
    @property
    def published(self) -> dt.date | None: ...
    @property
    def author_count(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Submission:
    """One paper to add, as given: raw title and abstract (not yet made inert)."""

    title: str
    abstract: str
    published: dt.date | None = None
    author_count: int | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    arxiv: str | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def from_entry(
        cls,
        entry: EntryLike,
        *,
        authors: Iterable[str] = (),
        tags: Iterable[str] = (),
        code: Iterable[str] = (),
        arxiv: str | None = None,
        sources: Iterable[str] = (),
    ) -> Submission:
        return cls(
            title=entry.title,
            abstract=entry.abstract,
            published=entry.published,
            author_count=entry.author_count,
            authors=tuple(authors),
            tags=tuple(tags),
            code=tuple(code),
            arxiv=arxiv,
            sources=tuple(sources),
        )


@dataclass(frozen=True, slots=True)
class Addition:
    """The page to create: ``path`` is relative to the archive root."""

    path: str
    paper: Paper
    text: str
    #: Pages that could not be read, so were not compared: (path, reason).
    unreadable: tuple[tuple[str, str], ...] = ()


class AddError(ArchiveError):
    """``papers add`` refused a paper; nothing was written."""


class InvalidSubmissionError(AddError):
    """A field of the submission is empty, malformed or fails the page schema."""


class DuplicatePaperError(AddError):
    """The archive already has a page with the same title key."""

    def __init__(self, *, existing: str, existing_title: str) -> None:
        self.existing = existing
        super().__init__(
            f"the archive already has this paper (title {existing_title!r}; titles are "
            "compared with case and punctuation folded): edit that page instead",
            path=existing,
        )


class DuplicateArxivError(AddError):
    """The archive already has a page with the same arXiv id."""

    def __init__(self, *, existing: str, ident: str) -> None:
        self.existing = existing
        super().__init__(
            f"the archive already has arXiv {ident}: edit that page instead", path=existing
        )


class UnknownTagError(AddError):
    """A tag given by hand is not in the vocabulary; ``suggestions`` maps it to close ones."""

    def __init__(self, *, page: str, suggestions: Mapping[str, list[str]]) -> None:
        self.suggestions = dict(suggestions)
        parts = []
        for tag, close in self.suggestions.items():
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            parts.append(f"unknown tag {tag!r}{hint}")
        super().__init__(
            f"not written: {'; '.join(parts)}; the tags are defined in {VOCABULARY}", path=page
        )


class PageExistsError(AddError):
    """The target file exists: ``papers add`` never replaces a page."""


def _normalised(sub: Submission) -> Submission:
    """Surrounding space stripped; the abstract made one paragraph, as pages store it."""
    return Submission(
        title=sub.title.strip(),
        abstract=" ".join(sub.abstract.split()),
        published=sub.published,
        author_count=sub.author_count,
        authors=tuple(a.strip() for a in sub.authors),
        tags=tuple(t.strip() for t in sub.tags),
        code=tuple(c.strip() for c in sub.code),
        arxiv=sub.arxiv.strip() if sub.arxiv is not None else None,
        sources=tuple(s.strip() for s in sub.sources),
    )


def submission_problems(sub: Submission, *, today: dt.date) -> list[str]:
    """What is wrong with a (normalised) submission before it meets the archive."""
    problems: list[str] = []
    if not sub.title:
        problems.append("the title is empty")
    elif "\n" in sub.title or "\r" in sub.title:
        problems.append("the title must be one line")
    if not sub.abstract:
        problems.append("the abstract is empty")
    if sub.arxiv is not None and arxiv_id.parse(sub.arxiv) != sub.arxiv:
        problems.append(
            f"arxiv {sub.arxiv!r} is not an arXiv identifier in the archive's form "
            "(2403.12345 or hep-th/9901001, no prefix or version)"
        )
    if sub.published is not None and sub.published > today:
        problems.append(f"the published date {sub.published} is after today ({today})")
    if any(not name or "\n" in name or "\r" in name for name in sub.authors):
        problems.append("each author name must be one non-empty line")
    if sub.author_count is not None and sub.author_count < max(1, len(sub.authors)):
        problems.append(f"author count {sub.author_count} is less than the authors given")
    problems.extend(
        f"code link {url!r} is not an http(s) URL" for url in sub.code if not _URL_RE.match(url)
    )
    return problems


def _homoglyph_of(title: str, titles: Mapping[str, str]) -> str | None:
    """The page whose title is ``title`` in look-alike characters (same UTS #39
    skeleton, another title key), as ``papers validate`` would report it."""
    wanted = confusable_key(title)
    return next((p for p in sorted(titles) if confusable_key(titles[p]) == wanted), None)


def plan_add(
    submission: Submission,
    pages: Mapping[str, str],
    vocabulary: Vocabulary,
    *,
    today: dt.date,
    pages_dir: str = PAGES_DIR,
) -> Addition:
    """The page to write for ``submission``, or an :class:`AddError` saying why not.

    ``pages`` maps ``<pages_dir>/<slug>.md`` to the text of every existing page. The new
    page gets the tags the vocabulary's rules find plus those given, the code links in
    the abstract plus those given, and ``added: today``; its abstract is stored inert.
    """
    sub = _normalised(submission)
    problems = submission_problems(sub, today=today)
    if problems:
        raise InvalidSubmissionError("not added: " + "; ".join(problems))

    index = index_pages(pages)
    titles, unreadable = index.titles(), index.untitled()
    by_arxiv = index.arxiv_pages()
    if sub.arxiv is not None and sub.arxiv in by_arxiv:
        raise DuplicateArxivError(existing=by_arxiv[sub.arxiv], ident=sub.arxiv)
    key = title_key(sub.title)
    same = next((p for p in titles if title_key(titles[p]) == key), None)
    if same is not None:
        raise DuplicatePaperError(existing=same, existing_title=titles[same])
    look_alike = _homoglyph_of(sub.title, titles)
    if look_alike is not None:
        raise AddError(
            f"not added: the title looks the same as this page's {titles[look_alike]!r} "
            f"but is spelled with other characters "
            f"({', '.join(confusable_characters(sub.title)) or 'look-alike letters'}): "
            "a copy or a mistake; type the title in plain letters",
            path=look_alike,
        )
    base_path = f"{pages_dir}/{base_slug(sub.title)}.md"
    if base_path in unreadable:
        raise AddError(
            f"this paper's page may exist but cannot be read ({unreadable[base_path]}): "
            "fix it (`papers validate` shows where) and run `papers add` again",
            path=base_path,
        )
    path = f"{pages_dir}/{assign_slugs([sub.title], taken_slugs(titles, unreadable))[key]}.md"

    unknown = sorted(set(sub.tags) - vocabulary.slugs)
    if unknown:
        raise UnknownTagError(page=path, suggestions={t: vocabulary.close_to(t) for t in unknown})

    paper = Paper(
        title=sub.title,
        added=today,
        tags=merge_tags(sub.tags, vocabulary.tag(sub.title, sub.abstract)),
        published=sub.published,
        author_count=sub.author_count if sub.author_count is not None else len(sub.authors) or None,
        authors=sub.authors,
        arxiv=sub.arxiv,
        code=tuple(sorted({*extract_links(sub.abstract), *sub.code})),
        sources=tuple(sorted(set(sub.sources))),
        abstract=inert(sub.abstract),
    )
    text = render_page(paper)
    diagnostics, _ = check_page(text, path=path, vocabulary=vocabulary)
    errors = [d.message for d in diagnostics if d.severity == "error"]
    if errors:
        raise InvalidSubmissionError("not written: " + "; ".join(errors), path=path)
    return Addition(path=path, paper=paper, text=text, unreadable=tuple(unreadable.items()))


def write_addition(addition: Addition, *, root: Path) -> Path:
    """Create the page under ``root`` (atomically), refusing to replace any file."""
    target = root / addition.path
    if target.exists() or target.is_symlink():
        raise PageExistsError("already exists; `papers add` never replaces a page", path=target)
    atomic_write(target, addition.text)
    return target


def add_paper(
    project: Project,
    submission: Submission,
    *,
    today: dt.date,
    vocabulary: Vocabulary | None = None,
) -> Addition:
    """Plan and write one new page in ``project``; raises :class:`AddError` on refusal."""
    if vocabulary is None:
        vocabulary = load_vocabulary(project.vocabulary_path)
    addition = plan_add(
        submission,
        read_pages(project.pages_dir, root=project.root),
        vocabulary,
        today=today,
        pages_dir=project.pages_dir.relative_to(project.root).as_posix(),
    )
    write_addition(addition, root=project.root)
    return addition


# --- prompts -------------------------------------------------------------------------


def _ask_until(ask: Ask, say: Callable[[str], None], prompt: str, parse: Callable[[str], T]) -> T:
    """Ask until ``parse`` accepts the answer; its ``ValueError`` is shown and asked again."""
    while True:
        try:
            return parse(ask(prompt))
        except ValueError as exc:
            say(str(exc))


def _ask_lines(ask: Ask) -> list[str]:
    """Lines until an empty one."""
    lines: list[str] = []
    while line := ask("> ").strip():
        lines.append(line)
    return lines


def _parse_title(answer: str) -> str:
    if not answer.strip():
        raise ValueError("a title is needed")
    return answer.strip()


def _parse_date(answer: str) -> dt.date | None:
    if not answer.strip():
        return None
    try:
        return dt.date.fromisoformat(answer.strip())
    except ValueError:
        raise ValueError(f"{answer.strip()!r} is not a date: write YYYY-MM-DD") from None


def _tag_parser(vocabulary: Vocabulary) -> Callable[[str], tuple[str, ...]]:
    def parse(answer: str) -> tuple[str, ...]:
        tags = tuple(answer.replace(",", " ").split())
        for tag in tags:
            if tag not in vocabulary.slugs:
                close = vocabulary.close_to(tag)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise ValueError(f"unknown tag {tag!r}{hint}")
        return tags

    return parse


def _parse_links(answer: str) -> tuple[str, ...]:
    links = tuple(answer.replace(",", " ").split())
    for link in links:
        if not _URL_RE.match(link):
            raise ValueError(f"{link!r} is not an http(s) URL")
    return links


def prompt_submission(
    ask: Ask, *, vocabulary: Vocabulary, say: Callable[[str], None]
) -> Submission:
    """Ask for each field in turn; bad answers are explained and asked again.

    Raises ``EOFError`` when the person ends input (Ctrl-D): nothing is written.
    """
    title = _ask_until(ask, say, "Title: ", _parse_title)
    say("Abstract: paste it, then an empty line.")
    abstract_lines = _ask_lines(ask)
    while not abstract_lines:
        say("an abstract is needed")
        abstract_lines = _ask_lines(ask)
    published = _ask_until(ask, say, "Published (YYYY-MM-DD, empty if unknown): ", _parse_date)
    say("Authors, one per line, then an empty line (none: just the empty line).")
    authors = tuple(_ask_lines(ask))
    say(f"Tags are added by the rules in {VOCABULARY}; you may add more.")
    tags = _ask_until(
        ask, say, "More tags (slugs, space-separated, may be empty): ", _tag_parser(vocabulary)
    )
    code = _ask_until(
        ask, say, "Code or project links (space-separated, may be empty): ", _parse_links
    )
    return Submission(
        title=title,
        abstract="\n".join(abstract_lines),
        published=published,
        authors=authors,
        tags=tags,
        code=code,
    )


# --- command line --------------------------------------------------------------------


def _read_abstract(path: Path, stdin: TextIO) -> str:
    if str(path) == "-":
        return stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArchiveError(f"cannot read the abstract: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"the abstract is not UTF-8 text (byte {exc.start})", path=path) from exc


def submission_from_args(
    args: argparse.Namespace,
    *,
    console: Console,
    vocabulary: Vocabulary,
    stdin: TextIO,
    ask: Ask,
) -> Submission | None:
    """The submission the flags describe, or asked for in a terminal; ``None``: usage error."""
    flags = (
        args.title,
        args.abstract_file,
        args.published,
        args.tags,
        args.code,
        args.authors,
        args.arxiv_id,
    )
    if not any(flags):
        if not stdin.isatty():
            console.error(
                "give --title and --abstract-file (papers add asks for them only in a terminal)"
            )
            return None
        return prompt_submission(ask, vocabulary=vocabulary, say=console.say)
    if args.title is None or args.abstract_file is None:
        console.error("--title and --abstract-file are both required")
        return None
    return Submission(
        title=args.title,
        abstract=_read_abstract(args.abstract_file, stdin),
        published=args.published,
        authors=tuple(args.authors),
        tags=tuple(args.tags),
        code=tuple(args.code),
        arxiv=args.arxiv_id,
    )


def report(addition: Addition, console: Console) -> None:
    """What was written, and what the contributor does next."""
    for path, reason in addition.unreadable:
        console.warn(f"{path} was not compared with the new paper: {reason}")
    slug = PurePosixPath(addition.path).stem
    console.say(f"wrote {addition.path}")
    console.say(f"  tags: {', '.join(addition.paper.tags) or '(none)'}")
    console.say("next: look at the page (`mkdocs serve`), run `papers validate`, then")
    console.say(f'  git add {addition.path} && git commit -m "Add paper: {slug}"')
    console.say("  and open a pull request")


def run(
    args: argparse.Namespace,
    console: Console,
    *,
    stdin: TextIO | None = None,
    ask: Ask = input,
) -> int:
    """The ``papers add`` handler."""
    stdin = stdin if stdin is not None else sys.stdin
    project = project_for(args)
    vocabulary = load_vocabulary(project.vocabulary_path)
    try:
        submission = submission_from_args(
            args, console=console, vocabulary=vocabulary, stdin=stdin, ask=ask
        )
    except EOFError:
        console.error("cancelled: nothing written")
        return EXIT_FAIL
    if submission is None:
        return EXIT_USAGE
    addition = add_paper(project, submission, today=today(), vocabulary=vocabulary)
    report(addition, console)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``papers add`` to the command line; returns its parser, for more options."""
    parser = sub.add_parser(
        "add",
        help="add one paper: writes docs/papers/<slug>.md",
        description="Write one new paper page through the same record, tagging and "
        "checks as ingest. Refuses a paper the archive already has (same title or arXiv "
        "id) and unknown tags; "
        "never replaces a file. Without flags, in a terminal, asks for each field.",
    )
    parser.add_argument("--title", help="the title, as the paper writes it")
    parser.add_argument(
        "--abstract-file",
        type=Path,
        metavar="PATH",
        help="a text file holding the abstract ('-': standard input)",
    )
    parser.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD", help="publication date")
    parser.add_argument(
        "--arxiv-id",
        type=arxiv_ident,
        metavar="ID",
        help="the paper's arXiv id, recorded as given (2403.12345, arXiv:2403.12345v2, "
        "hep-th/9901001; no request is made: --arxiv fetches instead)",
    )
    parser.add_argument(
        "--tag",
        dest="tags",
        action="append",
        default=[],
        metavar="SLUG",
        help="a tag from data/tags.yaml, besides those its rules find (repeatable)",
    )
    parser.add_argument(
        "--code", action="append", default=[], metavar="URL", help="a code link (repeatable)"
    )
    parser.add_argument(
        "--author",
        dest="authors",
        action="append",
        default=[],
        metavar="NAME",
        help="an author, in order (repeatable)",
    )
    parser.set_defaults(handler=run)
    return parser
