"""The one place the site writes HTML in Python (pure, always escaped): the generated
lists (tag, year and topic pages, home), their intro and export lines, a paper
page's related papers, and the references to a script or a stylesheet moved out of
the page (slim.py, stylesheet.py); every other page is a Jinja template under
``overrides/``.

Every value that reaches HTML goes through :func:`esc` (or :func:`math_html`, which
escapes through it); nothing is concatenated unescaped. Inline math (``$…$``) becomes
the markup pymdownx.arithmatex produces, so KaTeX renders titles in lists the same way
as on paper pages.

Design notes: docs/modules.md, `site/render.py`.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..files import yamlio
from ..text.mathtext import INLINE_MATH
from .collect import Entry
from .grouping import TagGroup, Year

if TYPE_CHECKING:
    from .related.score import Related

_MATH = INLINE_MATH  # the spans KaTeX renders, and mathtext writes as plain text


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def script_src(src: str) -> str:
    """A classic script element loading ``src`` (neither ``async`` nor ``defer``)."""
    return f'<script src="{esc(src)}"></script>'


def stylesheet_link(href: str) -> str:
    """A stylesheet's ``<link>``, as Material's templates write one."""
    return f'<link rel="stylesheet" href="{esc(href)}">'


_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script_json(data: object) -> str:
    """``data`` as JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` in it,
    so neither ``</script>`` nor ``<!--`` can appear. Keys sorted: deterministic."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub(r"[<>&]", lambda m: _SCRIPT_UNSAFE[m[0]], text)


def chrome_call(function: str, index: int, value: str | None) -> str:
    """An inline script calling ``function(index)``, or ``function(index, value)``
    with ``value`` as :func:`script_json` writes it (no ``<``, ``>`` or ``&``:
    no value can close the element or open a comment)."""
    if value is None:
        return f"<script>{function}({index})</script>"
    return f"<script>{function}({index},{script_json(value)})</script>"


@functools.lru_cache(maxsize=1 << 15)  # a paper's title and summary, in each of its lists
def math_html(text: str) -> str:
    """Escape ``text``; wrap each ``$…$`` in the span KaTeX's auto-render looks for."""
    out: list[str] = []
    last = 0
    for match in _MATH.finditer(text):
        out.append(esc(text[last : match.start()]))
        out.append(f'<span class="arithmatex">\\({esc(match[1])}\\)</span>')
        last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)  # a list page links each topic many times
def relative_url(target: str, page_url: str) -> str:
    """A link from the page at ``page_url`` to ``target`` (both site-relative URLs,
    directory style like ``tags/llms/``; ``""`` is the home page).

    The one implementation of :func:`mkdocs.utils.get_relative_url`'s rule (the site
    layer imports nothing from MkDocs; ``tests/site/test_render.py`` compares the two
    on many pairs): the last part of ``page_url`` is a file when it holds a dot,
    ``..`` and ``.`` are resolved, a trailing slash is kept. One difference, on purpose:
    the empty target is the home *directory* (``../../``), where MkDocs' function
    answers ``../..``.
    """
    return _relative_url(target or "./", page_url)


def _relative_url(url: str, other: str) -> str:
    directory, _, name = other.rpartition("/")
    if "." in name:  # a file: link from its folder
        other = directory
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(here) - common) + list(there[common:])) or "."
    return rel + "/" if url.endswith("/") else rel


def _parts(path: str) -> tuple[str, ...] | list[str]:
    """``path``'s parts, normalised as from the root (``..`` never climbs above it)."""
    if "." not in path and "//" not in path and not path.startswith("/"):
        return path.removesuffix("/").split("/") if path else ()  # what normpath gives
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return path.split("/") if path else ()


def human_date(date: dt.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "date unknown"


#: Where a generated page's body goes: Markdown keeps the comment, and the hook puts
#: the HTML in its place after rendering (large lists never go through Markdown).
BODY_MARKER = "<!-- archive:generated-body -->"


#: The id of the title of a page outside the nav (a paper's, a list's): Material's
#: "Skip to content" links the page's first heading, by this id the same link on every
#: such page (part of the chrome they share: site/chrome.py). Body ids never take it.
TITLE_ID = "pa-title"


def page_source(*, title: str, template: str | None = None, title_id: str | None = None) -> str:
    """A generated Markdown page: dumped front matter (``template``: the theme's template
    for it), a heading, the body marker. With ``title_id`` the heading has that id and
    ``tabindex="-1"`` (following the skip link focuses it), written with ``attr_list``;
    braces in the title are escaped, so that only the last pair is read as attributes."""
    front = yamlio.dump({"title": title} | ({"template": template} if template else {}))
    heading = html.escape(title, quote=False)
    if title_id is not None:
        heading = heading.replace("{", "\\{").replace("}", "\\}")
        heading += f' {{#{title_id} tabindex="-1"}}'
    return f"---\n{front}---\n\n# {heading}\n\n{BODY_MARKER}\n"


def heading_and_paragraphs(
    *, title: str, heading_id: str, permalink: bool, paragraphs: Sequence[str]
) -> str:
    """A level-1 heading and paragraphs of plain text as Python-Markdown prints them
    (its ``toc`` extension's id and, with ``permalink``, its link; site/plain_pages.py)."""
    link = (
        f'<a class="headerlink" href="#{esc(heading_id)}" title="Permanent link">&para;</a>'
        if permalink
        else ""
    )
    heading = f'<h1 id="{esc(heading_id)}">{html.escape(title, quote=False)}{link}</h1>'
    return "\n".join([heading, *(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)])


# -- lists of papers ---------------------------------------------------------------


def tag_links(
    tags: Iterable[str], names: dict[str, str], page_url: str, *, leave_out: str = ""
) -> str:
    links = [
        f'<a href="{esc(relative_url(f"tags/{t}/", page_url))}">{esc(names[t])}</a>'
        for t in tags
        if t in names and t != leave_out
    ]
    return f'<span class="pa-tags">{"".join(links)}</span>' if links else ""


def paper_list(
    entries: Sequence[Entry],
    *,
    page_url: str,
    names: dict[str, str],
    summaries: bool = True,
    topic: str = "",
) -> str:
    """An ``<ol>`` of papers: title (linked), date, tags, first sentence. The parts
    carry no class: archive.css knows them by place (each class was ~5% of a list's
    bytes at 10,000 papers, issue 20). On ``topic``'s own page its chip, the same on
    every item and a link to the page itself, is left out."""
    items: list[str] = []
    for entry in entries:
        href = esc(relative_url(entry.url, page_url))
        parts = [
            f'<a href="{href}">{math_html(entry.paper.title)}</a>',
            f"<span>{esc(human_date(entry.paper.published))}</span>",
            tag_links(entry.paper.tags, names, page_url, leave_out=topic),
        ]
        if summaries and entry.summary:
            parts.append(f"<span>{math_html(entry.summary)}</span>")
        items.append(f"<li>{''.join(parts)}</li>")
    return (
        f'<ol class="pa-list">{"".join(items)}</ol>'
        if items
        else '<p class="pa-empty">No papers yet.</p>'
    )


#: Page numbers a pager links on each side of the current page (besides the first and
#: the last).
PAGER_NEAR = 2


def pager_numbers(current: int, total: int, *, near: int = PAGER_NEAR) -> list[int | None]:
    """The page numbers a pager shows, ``None`` where it skips some: the first, the
    last, and ``near`` on each side of ``current``; a gap of one page is shown as the
    page. A list of 150 pages shows 7 numbers, not 150 (on each of its pages: ~3 KB a
    page, quadratic in a topic's size; issue 20)."""
    shown = {1, total, *range(max(1, current - near), min(total, current + near) + 1)}
    out: list[int | None] = []
    for number in sorted(shown):
        if out and number - (out[-1] or 0) == 2:
            out.append(number - 1)
        elif out and number - (out[-1] or 0) > 2:
            out.append(None)
        out.append(number)
    return out


def pager(*, current: int, total: int, url_of: dict[int, str], page_url: str) -> str:
    """Previous/next and numbered links between the pages of one paginated list."""
    if total <= 1:
        return ""
    links: list[str] = []
    for number in pager_numbers(current, total):
        if number is None:
            links.append('<span class="pa-pager__gap">…</span>')
        elif number == current:
            links.append(f'<span class="pa-pager__current" aria-current="page">{number}</span>')
        else:
            href = esc(relative_url(url_of[number], page_url))
            links.append(f'<a href="{href}">{number}</a>')
    nav = []
    if current > 1:
        prev = esc(relative_url(url_of[current - 1], page_url))
        nav.append(f'<a class="pa-pager__prev" rel="prev" href="{prev}">← Newer</a>')
    nav.extend(links)
    if current < total:
        nxt = esc(relative_url(url_of[current + 1], page_url))
        nav.append(f'<a class="pa-pager__next" rel="next" href="{nxt}">Older →</a>')
    return f'<nav class="pa-pager" aria-label="Pages">{"".join(nav)}</nav>'


# -- list pages --------------------------------------------------------------------


def list_intro(text: str, count: int) -> str:
    """The line above a list page's papers: what they are, and how many."""
    return f'<p class="pa-intro">{esc(text)} <span class="pa-count">{count} papers</span></p>'


def topic_exports(feed: str, bib: str, *, page_url: str) -> str:
    """The line on a topic page that links its feed and its BibTeX (site paths)."""
    return (
        '<p class="pa-exports">'
        f'<a href="{esc(relative_url(feed, page_url))}" type="application/atom+xml">'
        "Atom feed of this topic</a> · "
        f'<a href="{esc(relative_url(bib, page_url))}" type="application/gzip">'
        "BibTeX of this topic</a> (gzip)</p>"
    )


# -- topics ------------------------------------------------------------------------


def topics_overview(groups: Sequence[TagGroup], *, page_url: str) -> str:
    """Every tag with its description and count, as a size-weighted list with bars."""
    largest = max((len(g.entries) for g in groups), default=0) or 1
    items = []
    for group in groups:
        weight = len(group.entries) / largest
        href = esc(relative_url(f"tags/{group.slug}/", page_url))
        items.append(
            f'<li class="pa-topic" style="--pa-weight: {weight:.3f}">'
            f'<a class="pa-topic__name" href="{href}">{esc(group.name)}</a>'
            f'<span class="pa-topic__count">{len(group.entries)}</span>'
            f'<span class="pa-topic__bar" aria-hidden="true"></span>'
            f'<span class="pa-topic__description">{esc(group.description)}</span></li>'
        )
    return f'<ul class="pa-topics">{"".join(items)}</ul>'


# -- dates -------------------------------------------------------------------------


def years_overview(years: Sequence[Year], undated: int, *, page_url: str) -> str:
    items = [
        f'<li><a href="{esc(relative_url(f"archive/{y.year}/", page_url))}">{y.year}</a> '
        f'<span class="pa-count">{y.count}</span></li>'
        for y in years
    ]
    if undated:
        href = esc(relative_url("archive/undated/", page_url))
        items.append(
            f'<li><a href="{href}">Undated</a> <span class="pa-count">{undated}</span></li>'
        )
    return f'<ul class="pa-years">{"".join(items)}</ul>'


def year_page(year: Year, *, page_url: str, names: dict[str, str]) -> str:
    sections = []
    for month in year.months:
        anchor = f"{month.name.lower()}-{year.year}"
        sections.append(
            f'<h2 id="{esc(anchor)}">{esc(month.name)} {year.year} '
            f'<span class="pa-count">{len(month.entries)}</span></h2>'
            + paper_list(month.entries, page_url=page_url, names=names)
        )
    return f'<div class="pa-year">{"".join(sections)}</div>'


# -- home --------------------------------------------------------------------------


def totals(*, papers: int, tags: int, years: int) -> str:
    cells = [("papers", papers), ("topics", tags), ("years", years)]
    inner = "".join(
        f'<div class="pa-total"><span class="pa-total__n">{n:,}</span> '
        f'<span class="pa-total__label">{esc(label)}</span></div>'
        for label, n in cells
    )
    return f'<div class="pa-totals">{inner}</div>'


# -- related papers ----------------------------------------------------------------


def related_reason(item: Related, names: Mapping[str, str]) -> str:
    """One line, plain text: ``Also in Large language models; abstracts share
    “pointer”, “attention”.``"""
    parts = []
    topics = [names[t] for t in item.shared_tags if t in names]
    if topics:
        parts.append("Also in " + ", ".join(topics))
    if item.shared_terms:
        words = ", ".join(f"“{t}”" for t in item.shared_terms)
        parts.append(f"similar abstract ({words})" if topics else f"Similar abstract ({words})")
    return "; ".join(parts) + "."


def related_html(
    items: Sequence[Related],
    *,
    entries: Mapping[str, Entry],
    names: Mapping[str, str],
    page_url: str,
) -> str:
    """The list on a paper page: linked titles, each with its one-line reason."""
    rows = []
    for item in items:
        entry = entries.get(item.slug)
        if entry is None:
            continue
        href = esc(relative_url(entry.url, page_url))
        rows.append(
            f'<li><a href="{href}">{math_html(entry.paper.title)}</a>'
            f"<span>{esc(related_reason(item, names))}</span></li>"
        )
    return f'<ul class="pa-related">{"".join(rows)}</ul>' if rows else ""
