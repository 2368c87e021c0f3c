"""The virtual pages the hooks add to a build: topics, tag pages, date pages, home blocks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from ..remembering import PLAIN, Remembers
from .collect import Archive, Entry
from .exports import BIB, FEED, tag_path
from .grouping import PER_PAGE, TagGroup, Year, by_tag, by_year, months_of, paginate, recently_added
from .render import (
    TITLE_ID,
    list_intro,
    page_source,
    pager,
    paper_list,
    topic_exports,
    topics_overview,
    totals,
    year_page,
    years_overview,
)

#: Where generated pages' Markdown is kept, in the project's cache (settings.cache_dir,
#: gitignored): MkDocs re-renders a page in a dirty build when this file is newer
#: than its output.
PAGES_CACHE = "pages"

#: The theme's template of a list page (a topic's, a year's, the undated papers'): that
#: of a page outside the nav, whose theme blocks are rendered once per build and shared
#: (overrides/alike.html; a paper's page extends it).
LIST_TEMPLATE = "alike.html"

#: Markers in docs/index.md that the home page hook replaces.
HOME_MARKERS = ("<!-- archive:totals -->", "<!-- archive:recent -->", "<!-- archive:topics -->")


@dataclass(frozen=True, slots=True)
class Generated:
    src_uri: str  # e.g. tags/llms/page/2/index.md
    title: str
    body_html: str
    #: A list page (outside the nav), not the Topics or Archive page.
    listed: bool = False

    @property
    def content(self) -> str:
        """The page's Markdown: front matter, heading and the marker the body replaces."""
        return _list_source(self.title) if self.listed else page_source(title=self.title)

    @property
    def url(self) -> str:
        return self.src_uri.removesuffix("index.md")


@dataclass(frozen=True, slots=True)
class Deferred:
    """A generated list page whose body is made when asked (:attr:`make`), as its page
    renders: a plain build holds one list page's HTML at a time, not every topic's and
    year's up front (~3.8 KB of lists a paper: ~380 MB at 100,000 papers). The same
    HTML as :class:`Generated` holds (``make()`` runs the same code)."""

    src_uri: str
    title: str
    make: Callable[[], str]

    @property
    def content(self) -> str:
        """The page's Markdown, as :attr:`Generated.content` of a list page."""
        return _list_source(self.title)


def _list_source(title: str) -> str:
    """A list page's Markdown: rendered with :data:`LIST_TEMPLATE`, its heading's id
    :data:`~.render.TITLE_ID`."""
    return page_source(title=title, template=LIST_TEMPLATE, title_id=TITLE_ID)


def tag_names(archive: Archive) -> dict[str, str]:
    return {tag.slug: tag.name for tag in archive.vocabulary.tags}


def _page_uri(folder: str, number: int) -> str:
    """Page ``number`` of a paginated list under ``folder`` (``tags/llms/``): the folder
    itself for the first, ``page/<n>/`` under it for the others."""
    return f"{folder}index.md" if number == 1 else f"{folder}page/{number}/index.md"


def _paginated(
    folder: str,
    title: str,
    chunks: Sequence[Sequence[Entry]],
    body: Callable[..., str],
    *,
    deferred: bool = False,
) -> list[Generated | Deferred]:
    """One page per chunk under ``folder``, titled ``title (page n of m)`` when there
    are several, each with the pager above and below its list (as topics have it).
    ``body(chunk, page_url=…, nav=…)`` writes one page's HTML (``deferred``: when the
    page asks, :class:`Deferred`)."""
    urls = {n: _page_uri(folder, n).removesuffix("index.md") for n in range(1, len(chunks) + 1)}
    out: list[Generated | Deferred] = []
    for number, chunk in enumerate(chunks, start=1):
        url = urls[number]
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        nav = pager(current=number, total=len(chunks), url_of=urls, page_url=url)
        uri, name = _page_uri(folder, number), f"{title}{suffix}"
        if deferred:
            out.append(Deferred(uri, name, partial(body, chunk, url, nav)))
        else:
            out.append(Generated(uri, name, body(chunk, url, nav), listed=True))
    return out


def _tag_pages(
    group: TagGroup, names: dict[str, str], per_page: int, *, deferred: bool = False
) -> list[Generated | Deferred]:
    intro = list_intro(group.description, len(group.entries))
    feed, bib = tag_path(group.slug, FEED), tag_path(group.slug, BIB)

    def body(chunk: Sequence[Entry], url: str, nav: str) -> str:
        links = topic_exports(feed, bib, page_url=url)
        items = paper_list(chunk, page_url=url, names=names, topic=group.slug)
        return intro + links + nav + items + nav

    chunks = paginate(group.entries, per_page=per_page)
    return _paginated(f"tags/{group.slug}/", group.name, chunks, body, deferred=deferred)


def _year_pages(
    year: Year, names: dict[str, str], per_page: int, *, deferred: bool = False
) -> list[Generated | Deferred]:
    """A year's papers by month, ``per_page`` to a page (a month that spans two pages
    has its heading on both)."""
    entries = [entry for month in year.months for entry in month.entries]

    def body(chunk: Sequence[Entry], url: str, nav: str) -> str:
        part = Year(year.year, months_of(chunk))
        return nav + year_page(part, page_url=url, names=names) + nav

    chunks = paginate(entries, per_page=per_page)
    return _paginated(f"archive/{year.year}/", str(year.year), chunks, body, deferred=deferred)


def _undated_pages(
    undated: Sequence[Entry], names: dict[str, str], per_page: int, *, deferred: bool = False
) -> list[Generated | Deferred]:
    intro = list_intro("Papers whose sources give no publication date.", len(undated))

    def body(chunk: Sequence[Entry], url: str, nav: str) -> str:
        return intro + nav + paper_list(chunk, page_url=url, names=names) + nav

    chunks = paginate(undated, per_page=per_page)
    return _paginated("archive/undated/", "Undated", chunks, body, deferred=deferred)


def generated_pages(
    archive: Archive, *, per_page: int = PER_PAGE, memo: Remembers = PLAIN, deferred: bool = False
) -> list[Generated | Deferred]:
    """Every virtual page, in a stable order; ``deferred``: the topics', years' and
    undated papers' list pages as :class:`Deferred` (their bodies made when asked).

    Topics, years and the undated papers are lists of ``per_page`` papers to a page,
    with the same pager (``…/page/2/``). Each topic's pages, each year's pages and the
    undated pages are remembered for the next build of the process (``memo``:
    paper_archive/remembering.py) under what they are made from: the group's papers
    (frozen entries, compared by value) and the tag names. An edit
    redoes only the lists it is in."""
    names = tag_names(archive)
    named = tuple(sorted(names.items()))
    groups = by_tag(archive)
    out: list[Generated | Deferred] = [
        Generated("tags/index.md", "Topics", topics_overview(groups, page_url="tags/"))
    ]
    for group in groups:
        out += memo.latest(
            f"tag-pages/{group.slug}",
            (group, named, per_page, deferred),
            partial(_tag_pages, group, names, per_page, deferred=deferred),
        )
    years, undated = by_year(archive)
    overview = years_overview(years, len(undated), page_url="archive/")
    out.append(Generated("archive/index.md", "Archive", overview))
    for year in years:
        out += memo.latest(
            f"year-pages/{year.year}",
            (year, named, per_page, deferred),
            partial(_year_pages, year, names, per_page, deferred=deferred),
        )
    out += memo.latest(
        "undated-pages",
        (tuple(undated), named, per_page, deferred),
        lambda: _undated_pages(undated, names, per_page, deferred=deferred),
    )
    return out


def home_blocks(archive: Archive, *, page_url: str = "", recent: int = 10) -> dict[str, str]:
    """HTML for each marker of the home page."""
    names = tag_names(archive)
    years, _ = by_year(archive)
    groups = by_tag(archive)
    return {
        HOME_MARKERS[0]: totals(papers=len(archive.entries), tags=len(groups), years=len(years)),
        HOME_MARKERS[1]: paper_list(
            recently_added(archive, limit=recent), page_url=page_url, names=names, summaries=False
        ),
        HOME_MARKERS[2]: topics_overview(groups, page_url=page_url),
    }
