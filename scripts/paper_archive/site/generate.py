"""The virtual pages the hooks add to a build: topics, tag pages, date pages, home blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import memo
from .collect import Archive, Entry
from .exports import topic_links_html
from .grouping import TagGroup, Year, by_tag, by_year, paginate, recently_added
from .render import (
    esc,
    page_source,
    pager,
    paper_list,
    topics_overview,
    totals,
    year_page,
    years_overview,
)

#: Where generated pages' Markdown is kept (beside mkdocs.yml, gitignored): MkDocs
#: re-renders a page in a dirty build when this file is newer than its output.
PAGES_CACHE = ".paper-archive-cache/pages"

#: Markers in docs/index.md that the home page hook replaces.
HOME_MARKERS = ("<!-- archive:totals -->", "<!-- archive:recent -->", "<!-- archive:topics -->")


@dataclass(frozen=True, slots=True)
class Generated:
    src_uri: str  # e.g. tags/llms/page/2/index.md
    title: str
    body_html: str

    @property
    def content(self) -> str:
        """The page's Markdown: front matter, heading and the marker the body replaces."""
        return page_source(title=self.title)

    @property
    def url(self) -> str:
        return self.src_uri.removesuffix("index.md")


def tag_names(archive: Archive) -> dict[str, str]:
    return {tag.slug: tag.name for tag in archive.vocabulary.tags}


def _tag_page_uri(slug: str, number: int) -> str:
    return f"tags/{slug}/index.md" if number == 1 else f"tags/{slug}/page/{number}/index.md"


def _tag_pages(group: TagGroup, names: dict[str, str], per_page: int) -> list[Generated]:
    pages = paginate(group.entries, per_page=per_page)
    urls = {
        n: _tag_page_uri(group.slug, n).removesuffix("index.md") for n in range(1, len(pages) + 1)
    }
    out = []
    for number, chunk in enumerate(pages, start=1):
        uri = _tag_page_uri(group.slug, number)
        url = urls[number]
        suffix = f" (page {number} of {len(pages)})" if len(pages) > 1 else ""
        intro = (
            f'<p class="pa-intro">{esc(group.description)} '
            f'<span class="pa-count">{len(group.entries)} papers</span></p>'
        )
        nav = pager(current=number, total=len(pages), url_of=urls, page_url=url)
        links = topic_links_html(group.slug, page_url=url)  # feed and BibTeX
        body = intro + links + nav + paper_list(chunk, page_url=url, names=names) + nav
        out.append(Generated(uri, f"{group.name}{suffix}", body))
    return out


def _year_page(year: Year, names: dict[str, str]) -> Generated:
    url = f"archive/{year.year}/"
    return Generated(f"{url}index.md", str(year.year), year_page(year, page_url=url, names=names))


def _undated_page(undated: Sequence[Entry], names: dict[str, str]) -> Generated:
    return Generated(
        "archive/undated/index.md",
        "Undated",
        '<p class="pa-intro">Papers whose sources give no publication date.</p>'
        + paper_list(undated, page_url="archive/undated/", names=names),
    )


def generated_pages(archive: Archive, *, per_page: int = 100) -> list[Generated]:
    """Every virtual page, in a stable order.

    Each topic's pages, each year's page and the undated page are remembered for the
    next build of the process (site/memo.py) under what they are made from: the
    group's papers (frozen entries, compared by value) and the tag names. An edit
    redoes only the lists it is in."""
    names = tag_names(archive)
    named = tuple(sorted(names.items()))
    groups = by_tag(archive)
    out = [Generated("tags/index.md", "Topics", topics_overview(groups, page_url="tags/"))]
    for group in groups:
        out += memo.latest(
            f"tag-pages/{group.slug}",
            (group, named, per_page),
            lambda group=group: _tag_pages(group, names, per_page),
        )
    years, undated = by_year(archive)
    overview = years_overview(years, len(undated), page_url="archive/")
    out.append(Generated("archive/index.md", "Archive", overview))
    for year in years:
        out.append(
            memo.latest(
                f"year-page/{year.year}", (year, named), lambda year=year: _year_page(year, names)
            )
        )
    out.append(
        memo.latest("undated-page", (tuple(undated), named), lambda: _undated_page(undated, names))
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
