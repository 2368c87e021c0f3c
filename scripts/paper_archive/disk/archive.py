"""The archive on disk: every page read once, indexed, and written back atomically.

The one reader of ``docs/papers/`` for the commands: :func:`read_pages` reads every page
strictly (:mod:`paper_archive.files.textfile`), :func:`index_pages` parses each once into a
:class:`PageRecord` and answers the questions every command asks (the page of a title
key, of a slug, of an arXiv id, and the pages that cannot be read), and
:func:`write_pages` writes a batch of pages atomically. The site reads the same pages
through MkDocs' file list and :func:`paper_archive.site.collect.collect`, on the same
:func:`~paper_archive.disk.pages.paper_of`, the one validator of a page's front matter.

Design notes: docs/modules.md, `disk/archive.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, TypeVar

from ..errors import FrontMatterError
from ..files.textfile import atomic_write, sync_dir
from ..record import arxiv_id
from ..record.model import Paper
from ..record.slugs import title_key
from .pages import Body, ParsedPage, paper_of, parse_page, read_page


def read_pages(pages_dir: Path, *, root: Path) -> dict[str, str]:
    """Every ``*.md`` page under ``pages_dir`` keyed by its path relative to ``root``."""
    if not pages_dir.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): read_page(path, display=path.relative_to(root))
        for path in sorted(pages_dir.glob("*.md"))
    }


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One page as read: its text, its parsed front matter and body (``None``: the front
    matter does not parse), its record (``None``: it does not load), and why not."""

    path: str
    text: str
    parsed: ParsedPage | None
    paper: Paper | None
    error: FrontMatterError | None = None

    @property
    def problem(self) -> str:
        """Why the record does not load (``""`` when it does)."""
        return str(self.error) if self.error is not None else ""

    @property
    def body(self) -> Body:
        """The parsed body (of a page whose front matter parses)."""
        assert self.parsed is not None, self.path
        return self.parsed.body

    @property
    def slug(self) -> str:
        return PurePosixPath(self.path).stem

    @property
    def title(self) -> str | None:
        """The front matter's title when it is a non-empty string, loaded or not."""
        title = self.parsed.meta.get("title") if self.parsed is not None else None
        return title if isinstance(title, str) and title.strip() else None


def read_record(text: str, *, path: str) -> PageRecord:
    """Parse one page; never raises for a bad page (the record says what is wrong)."""
    try:
        parsed = parse_page(text, path=path)
    except FrontMatterError as exc:
        return PageRecord(path, text, None, None, exc)
    try:
        paper = paper_of(parsed, path=path)
    except FrontMatterError as exc:
        return PageRecord(path, text, parsed, None, exc)
    return PageRecord(path, text, parsed, paper)


#: The title key given to the slug of a page that cannot be read, so no new page takes
#: its file name (:func:`~paper_archive.record.slugs.assign_slugs` never matches it).
def unreadable_key(path: str) -> str:
    return f"\0unreadable:{path}"


@dataclass(frozen=True, slots=True)
class ArchiveIndex:
    """Every page of the archive, parsed once, by path (sorted)."""

    records: Mapping[str, PageRecord]

    def loaded(self) -> list[PageRecord]:
        """Pages whose record loads, by path."""
        return [r for r in self.records.values() if r.paper is not None]

    @property
    def broken(self) -> dict[str, str]:
        """Pages whose record does not load: path -> the reason."""
        return {p: r.problem for p, r in self.records.items() if r.paper is None}

    def by_title_key(self) -> dict[str, PageRecord]:
        """The first loaded page (by path) of each title key."""
        out: dict[str, PageRecord] = {}
        for record in self.loaded():
            assert record.paper is not None
            out.setdefault(title_key(record.paper.title), record)
        return out

    def by_slug(self) -> dict[str, PageRecord]:
        return {record.slug: record for record in self.loaded()}

    def by_arxiv(self) -> dict[str, PageRecord]:
        """The first loaded page (by path) of each arXiv id."""
        out: dict[str, PageRecord] = {}
        for record in self.loaded():
            if record.paper is not None and record.paper.arxiv:
                out.setdefault(record.paper.arxiv, record)
        return out

    def titles(self) -> dict[str, str]:
        """path -> title of every page whose front matter gives one, loaded or not."""
        return {p: r.title for p, r in self.records.items() if r.title is not None}

    def untitled(self) -> dict[str, str]:
        """Pages without a readable title: path -> the reason (no location)."""
        out: dict[str, str] = {}
        for path, record in self.records.items():
            if record.parsed is None and isinstance(record.error, FrontMatterError):
                out[path] = record.error.message
            elif record.title is None:
                out[path] = "it has no title"
        return out

    def arxiv_pages(self) -> dict[str, str]:
        """arXiv id (normalised) -> the first page, by path, whose front matter has it,
        loaded or not."""
        out: dict[str, str] = {}
        for path, record in self.records.items():
            value = record.parsed.meta.get("arxiv") if record.parsed is not None else None
            ident = arxiv_id.parse(value) if isinstance(value, str) else None
            if ident is not None:
                out.setdefault(ident, path)
        return out


def index_pages(pages: Mapping[str, str]) -> ArchiveIndex:
    """Parse every page once (``pages``: path -> text, as :func:`read_pages` gives)."""
    return ArchiveIndex({path: read_record(pages[path], path=path) for path in sorted(pages)})


def taken_slugs(titles: Mapping[str, str], unreadable: Iterable[str]) -> dict[str, str]:
    """The slugs in use, for :func:`~paper_archive.record.slugs.assign_slugs`: each page's file
    name with its title key, and the file name of each page that cannot be read with a
    key no title has."""
    taken = {PurePosixPath(p).stem: title_key(t) for p, t in titles.items()}
    taken.update({PurePosixPath(p).stem: unreadable_key(p) for p in unreadable})
    return taken


def page_title(text: str, *, path: str) -> str | None:
    """The title in a page's front matter, or ``None`` when it has none or does not parse."""
    try:
        title = parse_page(text, path=path).meta.get("title")
    except FrontMatterError:
        return None
    return title if isinstance(title, str) and title.strip() else None


class Write(Protocol):
    """A page to write: ``path`` relative to the root, and its full ``text``."""

    @property
    def path(self) -> str: ...
    @property
    def text(self) -> str | None: ...


#: Page writes are I/O-bound: threads overlap them (2-3x faster for 10,000 pages).
WRITE_THREADS = 8


W = TypeVar("W", bound=Write)


def write_pages(
    writes: Sequence[W], *, root: Path, on_write: Callable[[W], None] | None = None
) -> int:
    """Write every page under ``root``; returns the number written.

    Each page is written atomically; if one write fails the error is raised after the
    writes already under way finish, and every page is either old or new, never partial.
    The directories are synced once at the end (see :func:`~.textfile.atomic_write`).
    """
    targets = [root / write.path for write in writes]

    def write(index: int) -> W:
        text = writes[index].text
        assert text is not None
        atomic_write(targets[index], text)
        return writes[index]

    with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
        for done in pool.map(write, range(len(writes))):
            if on_write is not None:
                on_write(done)
    for directory in sorted({target.parent for target in targets}):
        sync_dir(directory)
    return len(writes)
