"""Adding one paper: a contributor's new page, through the same record as ``ingest``.

:func:`plan_add` (pure) checks a :class:`Submission` against the tag vocabulary and
every page and returns the :class:`Addition` to write; :func:`write_addition` creates the
file; :func:`add_paper` does both, for every front end.

Design notes: docs/modules.md, `add.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .disk.archive import index_pages, read_pages, taken_slugs
from .disk.pages import render_page
from .disk.validate import check_page
from .errors import ArchiveError
from .files.textfile import atomic_write
from .project import PAGES_DIR, VOCABULARY, Project
from .record import arxiv_id
from .record.model import Paper
from .record.slugs import assign_slugs, base_slug, confusable_characters, confusable_key, title_key
from .record.tagging import Vocabulary, load_vocabulary, merge_tags
from .text.safe import extract_links, inert

#: What a code link must look like (the prompts check answers with it too).
URL_RE = re.compile(r"^https?://\S+$")


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
        f"code link {url!r} is not an http(s) URL" for url in sub.code if not URL_RE.match(url)
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
