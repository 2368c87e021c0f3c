"""HTML for generated pages and for the parts of a paper page (pure, always escaped).

Every value that reaches HTML goes through :func:`esc` or :func:`math_html`; nothing is
concatenated unescaped. Inline math (``$…$``) becomes the markup pymdownx.arithmatex
produces, so KaTeX renders titles in lists the same way as on paper pages.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from .. import yamlio
from ..arxiv_id import abs_url, html_url, pdf_url
from ..mathtext import INLINE_MATH, math_to_text, plain_text
from ..model import Paper
from ..pages import split_body
from . import bibtex as bib
from .collect import Entry
from .grouping import TagGroup, Year
from .provenance import SourceInfo, unknown_source

_MATH = INLINE_MATH  # the spans KaTeX renders, and mathtext writes as plain text


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


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


def relative_url(target: str, page_url: str) -> str:
    """A link from the page at ``page_url`` to ``target`` (both site-relative URLs,
    directory style like ``tags/llms/``; ``""`` is the home page)."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    here = base.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return rel or "./"


def human_date(date: dt.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "date unknown"


#: Where a generated page's body goes: Markdown keeps the comment, and the hook puts
#: the HTML in its place after rendering (large lists never go through Markdown).
BODY_MARKER = "<!-- archive:generated-body -->"


def page_source(*, title: str) -> str:
    """A generated Markdown page: dumped front matter, a heading, the body marker."""
    front = yamlio.dump({"title": title})
    return f"---\n{front}---\n\n# {html.escape(title, quote=False)}\n\n{BODY_MARKER}\n"


# -- lists of papers ---------------------------------------------------------------


def tag_links(tags: Iterable[str], names: dict[str, str], page_url: str) -> str:
    links = [
        f'<a class="pa-tag" href="{esc(relative_url(f"tags/{t}/", page_url))}">{esc(names[t])}</a>'
        for t in tags
        if t in names
    ]
    return f'<span class="pa-tags">{"".join(links)}</span>' if links else ""


def paper_list(
    entries: Sequence[Entry], *, page_url: str, names: dict[str, str], summaries: bool = True
) -> str:
    """An ``<ol>`` of papers: title (linked), date, tags, first sentence."""
    items: list[str] = []
    for entry in entries:
        href = esc(relative_url(entry.url, page_url))
        parts = [
            f'<a class="pa-item__title" href="{href}">{math_html(entry.paper.title)}</a>',
            f'<span class="pa-item__date">{esc(human_date(entry.paper.published))}</span>',
            tag_links(entry.paper.tags, names, page_url),
        ]
        if summaries and entry.summary:
            parts.append(f'<span class="pa-item__summary">{math_html(entry.summary)}</span>')
        items.append(f'<li class="pa-item">{"".join(parts)}</li>')
    return (
        f'<ol class="pa-list">{"".join(items)}</ol>'
        if items
        else '<p class="pa-empty">No papers yet.</p>'
    )


def pager(*, current: int, total: int, url_of: dict[int, str], page_url: str) -> str:
    """Previous/next and numbered links between the pages of one paginated list."""
    if total <= 1:
        return ""
    links: list[str] = []
    for number in range(1, total + 1):
        href = esc(relative_url(url_of[number], page_url))
        if number == current:
            links.append(f'<span class="pa-pager__current" aria-current="page">{number}</span>')
        else:
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


# -- a paper's own page ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaperView:
    """Pre-escaped HTML parts of a paper page, placed by the theme's ``paper.html``."""

    title_html: str
    meta_html: str
    tags_html: str
    links_html: str
    sources_html: str
    bibtex: str  # plain text; the template escapes it

    @property
    def bibtex_html(self) -> str:
        return esc(self.bibtex)


def bibtex_escape(text: str) -> str:
    """A title or name as BibTeX (which is LaTeX) text.

    BibTeX output is read by LaTeX, where ``$…$`` is math: a math span is kept as
    written (``CO$_2$`` typesets as CO₂) when it is safe LaTeX, that is its braces
    balance and it has no unescaped ``%``, ``#`` or ``&``. A span that is not is written
    as :func:`~paper_archive.mathtext.math_to_text`'s plain text. Everything outside
    math is escaped: ``& % # _ { } $ ^ ~ \\`` (braces as ``\\textbraceleft{}``, since
    BibTeX counts a backslashed brace too).
    """
    out: list[str] = []
    last = 0
    for match in _MATH.finditer(text):
        out.append(_latex_text(text[last : match.start()]))
        math = match[1]
        out.append(match[0] if _safe_math(math) else _latex_text(math_to_text(math)))
        last = match.end()
    out.append(_latex_text(text[last:]))
    return "".join(out)


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "{": r"\textbraceleft{}",  # BibTeX counts \{ as a brace too: it would unbalance
    "}": r"\textbraceright{}",
    "$": r"\$",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_LATEX_SPECIAL = re.compile(r"[\\&%#_{}$^~]")
_MATH_UNSAFE = re.compile(r"(?<!\\)[%#&]")


def _latex_text(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_SPECIALS[m[0]], text)


def _safe_math(math: str) -> bool:
    """Braces balance, for LaTeX (escaped ones aside) and for BibTeX (which counts
    every brace), and no unescaped ``%``, ``#`` or ``&``."""
    return (
        _balanced(re.sub(r"\\.", "", math))
        and _balanced(math)
        and _MATH_UNSAFE.search(math) is None
    )


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def bibtex(paper: Paper, *, key: str, url: str | None) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_escape(a) for a in paper.authors)))
    if paper.published:
        fields.append(("year", str(paper.published.year)))
        fields.append(("month", paper.published.strftime("%b").lower()))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv")]
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


#: Where to look for a paper whose arXiv id is not known: ``(label, URL before the
#: query, query parameter)``. Labels say these are searches, not the paper itself.
TITLE_SEARCHES = (
    ("Search arXiv for this title", "https://arxiv.org/search/?", "query"),
    ("Search Semantic Scholar for this title", "https://www.semanticscholar.org/search?", "q"),
    ("Search Google Scholar for this title", "https://scholar.google.com/scholar?", "q"),
)


def search_links(title: str) -> list[tuple[str, str]]:
    """``(label, URL)`` of a search for ``title`` (as plain text) on each service."""
    query = plain_text(title)
    links = []
    for label, base, parameter in TITLE_SEARCHES:
        params = {parameter: query}
        if parameter == "query":  # arXiv: search titles only
            params["searchtype"] = "title"
        links.append((label, base + urlencode(params)))
    return links


def reading_links(paper: Paper) -> str:
    """Where to read the paper: arXiv's abstract, PDF and HTML when the id is known,
    else title searches (marked as such); then code links from the abstract."""
    code = [
        f'<li><a href="{esc(url)}" rel="noopener">{esc(url)}</a></li>'
        for url in paper.code
        if url.startswith(("https://", "http://"))
    ]
    if paper.arxiv:
        arxiv = [
            (f"arXiv:{paper.arxiv} (abstract)", abs_url(paper.arxiv)),
            ("PDF", pdf_url(paper.arxiv)),
        ]
        html_version = html_url(paper.arxiv)
        if html_version:
            arxiv.append(("HTML", html_version))
        items = [f'<li><a href="{esc(u)}" rel="noopener">{esc(t)}</a></li>' for t, u in arxiv]
        return f'<ul class="pa-links">{"".join(items + code)}</ul>'
    searches = "".join(
        f'<li><a href="{esc(url)}" rel="nofollow noopener">{esc(label)}</a></li>'
        for label, url in search_links(paper.title)
    )
    find = (
        '<div class="pa-find"><p class="pa-find__note">No arXiv id is recorded for this '
        "paper yet. Find it by its title:</p>"
        f'<ul class="pa-links pa-links--search">{searches}</ul></div>'
    )
    return find + (f'<ul class="pa-links">{"".join(code)}</ul>' if code else "")


def sources_list(source_ids: Sequence[str], known: Mapping[str, SourceInfo]) -> str:
    """The sources of a paper as readable labels, linked when a URL is known. Sources
    that read the same (two undated saved listings) are one item with their count."""
    counts: dict[tuple[str, str | None], int] = {}
    for source_id in source_ids:
        info = known.get(source_id) or unknown_source(source_id)
        counts[info.label, info.url] = counts.get((info.label, info.url), 0) + 1
    items = []
    for (text, url), count in counts.items():
        label = esc(text)
        if url:
            label = f'<a href="{esc(url)}" rel="noopener">{label}</a>'
        if count > 1:
            label += f" ({count} sources)"
        items.append(f"<li>{label}</li>")
    return f'<ul class="pa-sources">{"".join(items)}</ul>' if items else ""


#: Put between a paper page's abstract and what a contributor added after it, in the
#: Markdown, so the rendered HTML can be cut there (Markdown keeps the comment).
NOTES_MARKER = "<!-- archive:notes -->"
_NOTES_HEADING = re.compile(r"^#{1,6}\s+notes\s*#*\s*$", re.IGNORECASE)


def mark_notes(markdown: str) -> str:
    """A paper page's Markdown body with :data:`NOTES_MARKER` after the abstract when
    anything follows it. A contributor's own leading "Notes" heading is dropped: the
    page prints one."""
    body = split_body(markdown)
    if not body.rest:
        return markdown
    rest = body.rest
    first, _, after = rest.partition("\n")
    if _NOTES_HEADING.match(first.strip()):
        rest = after.strip("\n")
    parts = [f"# {body.heading}"] if body.heading is not None else []
    parts += [body.abstract, NOTES_MARKER, rest]
    return "\n\n".join(parts) + "\n"


def split_notes(content: str) -> tuple[str, str]:
    """Rendered HTML cut at :data:`NOTES_MARKER`: ``(abstract, notes)``; notes are
    ``""`` for a page without any."""
    abstract, found, notes = content.partition(NOTES_MARKER)
    return (abstract, notes.strip()) if found else (content, "")


def paper_view(
    entry: Entry,
    *,
    names: dict[str, str],
    page_url: str,
    site_url: str | None,
    sources: Mapping[str, SourceInfo] | None = None,
    cite_key: str | None = None,
) -> PaperView:
    """``site_url`` is the public site (``None`` without one: no 127.0.0.1 URL is
    written); ``cite_key`` the archive-wide unique BibTeX key (default: the slug)."""
    paper = entry.paper
    meta = [f'<span class="pa-meta__published">{esc(human_date(paper.published))}</span>']
    if paper.authors:
        meta.append(f'<span class="pa-meta__authors">{esc(", ".join(paper.authors))}</span>')
    elif paper.author_count:
        noun = "author" if paper.author_count == 1 else "authors"
        meta.append(f'<span class="pa-meta__authors">{paper.author_count} {noun}</span>')
    meta.append(f'<span class="pa-meta__added">added {esc(human_date(paper.added))}</span>')

    absolute = f"{site_url.rstrip('/')}/{entry.url}" if site_url else None
    (item,) = bib.bib_papers(
        [(entry.slug, paper, absolute)], keys={entry.slug: cite_key or entry.slug}, names=names
    )
    return PaperView(
        title_html=math_html(paper.title),
        meta_html=" · ".join(meta),
        tags_html=tag_links(paper.tags, names, page_url),
        links_html=reading_links(paper),
        sources_html=sources_list(paper.sources, sources or {}),
        bibtex=bib.entry(item).rstrip("\n"),
    )
