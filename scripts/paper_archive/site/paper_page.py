"""What a paper's own page shows, as plain data for the theme's ``paper.html`` (pure).

The rule for HTML (docs/architecture.md): a page is a Jinja template that receives
plain data and escapes every value with ``|e``; only the lists that hold up to every
paper (topic, year and overview pages, the home blocks) are built in Python, for
speed, by :mod:`paper_archive.site.render`. :func:`paper_view` builds a
:class:`PaperView` of strings and small records, none of them HTML;
``overrides/paper.html`` places and escapes them. The one value the template prints
as HTML (``|safe``) is the sanitised abstract and notes (``nh3`` output,
:func:`paper_archive.text.sanitize.clean_html`, applied by ``plugin/paper_pages.py``).

The template renders the same under Jinja2 and MiniJinja
(``tests/site/test_paper_page.py`` compares them), so it uses neither ``forceescape``
nor any Jinja-only filter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote_plus

from ..disk.pages import split_body
from ..record.arxiv_id import abs_url, html_url, pdf_url
from ..record.model import Paper
from ..text.mathtext import INLINE_MATH, plain_text
from . import bibtex as bib
from .collect import Entry
from .provenance import SourceInfo, unknown_source
from .render import human_date, relative_url


@dataclass(frozen=True, slots=True)
class TextPart:
    """A piece of a title: plain text, or the TeX of one ``$…$`` span (``math``), which
    the template wraps in the span KaTeX's auto-render looks for."""

    text: str
    math: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """``<a href="{url}" rel="{rel}">{label}</a>`` (no ``rel`` when empty); every field
    plain text. No ``noopener``: a link that opens in the same tab gives the page it
    opens no handle on this one (``rel`` bytes on every page, issue 20)."""

    label: str
    url: str
    rel: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """One line of "Sources": a readable label, linked when the manifest has an http(s)
    URL, and how many of the paper's sources read the same (``count`` > 1 is said)."""

    label: str
    url: str | None
    count: int = 1


@dataclass(frozen=True, slots=True)
class PaperView:
    """A paper page's content as plain text; ``overrides/paper.html`` escapes it."""

    title: tuple[TextPart, ...]
    published: str  # "9 June 2015" or "date unknown"
    authors: str  # "A. One, B. Two", "3 authors", or "" when nothing is known
    added: str
    tags: tuple[Link, ...]  # label: the tag's name; url: relative to the page
    arxiv: tuple[Link, ...]  # abstract, PDF, HTML; empty without an arXiv id
    searches: tuple[Link, ...]  # title searches, only when there is no arXiv id
    code: tuple[Link, ...]
    sources: tuple[Source, ...]
    bibtex: str


def title_parts(title: str) -> tuple[TextPart, ...]:
    """``title`` cut into text and the ``$…$`` spans KaTeX renders (the rule of
    :data:`paper_archive.text.mathtext.INLINE_MATH`, as in the lists)."""
    parts: list[TextPart] = []
    last = 0
    for match in INLINE_MATH.finditer(title):
        if match.start() > last:
            parts.append(TextPart(title[last : match.start()]))
        parts.append(TextPart(match[1], math=True))
        last = match.end()
    if last < len(title):
        parts.append(TextPart(title[last:]))
    return tuple(parts)


#: Where to look for a paper whose arXiv id is not known: ``(label, URL up to the
#: query, what follows it)``. Labels say these are searches, not the paper itself.
TITLE_SEARCHES = (
    ("Search arXiv for this title", "https://arxiv.org/search/?query=", "&searchtype=title"),
    ("Search Semantic Scholar for this title", "https://www.semanticscholar.org/search?q=", ""),
    ("Search Google Scholar for this title", "https://scholar.google.com/scholar?q=", ""),
)


def search_links(title: str) -> list[tuple[str, str]]:
    """``(label, URL)`` of a search for ``title`` (as plain text) on each service. The
    query is encoded once, as ``urlencode`` writes it (``quote_plus``): once per paper
    page without an arXiv id, three ``urlencode`` calls were a third of its view."""
    query = quote_plus(plain_text(title))
    return [(label, f"{before}{query}{after}") for label, before, after in TITLE_SEARCHES]


def title_searches(title: str) -> tuple[Link, ...]:
    """:func:`search_links` as links that ask search engines not to follow them."""
    return tuple(Link(label, url, "nofollow") for label, url in search_links(title))


def arxiv_links(arxiv: str) -> tuple[Link, ...]:
    """arXiv's abstract, PDF and (for papers arXiv renders) HTML pages of one id."""
    links = [Link(f"arXiv:{arxiv} (abstract)", abs_url(arxiv)), Link("PDF", pdf_url(arxiv))]
    html_version = html_url(arxiv)
    if html_version:
        links.append(Link("HTML", html_version))
    return tuple(links)


def sources_of(source_ids: Sequence[str], known: Mapping[str, SourceInfo]) -> tuple[Source, ...]:
    """The sources of a paper as readable labels. Sources that read the same (two
    undated saved listings) are one item with their count."""
    counts: dict[tuple[str, str | None], int] = {}
    for source_id in source_ids:
        info = known.get(source_id) or unknown_source(source_id)
        counts[info.label, info.url] = counts.get((info.label, info.url), 0) + 1
    return tuple(Source(label, url, count) for (label, url), count in counts.items())


def authors_line(paper: Paper) -> str:
    if paper.authors:
        return ", ".join(paper.authors)
    if paper.author_count:
        return f"{paper.author_count} {'author' if paper.author_count == 1 else 'authors'}"
    return ""


def paper_view(
    entry: Entry,
    *,
    names: Mapping[str, str],
    page_url: str,
    site_url: str | None,
    sources: Mapping[str, SourceInfo] | None = None,
    cite_key: str | None = None,
) -> PaperView:
    """``site_url`` is the public site (``None`` without one: no 127.0.0.1 URL is
    written); ``cite_key`` the archive-wide unique BibTeX key (default: the slug)."""
    paper = entry.paper
    absolute = f"{site_url.rstrip('/')}/{entry.url}" if site_url else None
    (item,) = bib.bib_papers(
        [(entry.slug, paper, absolute)],
        keys={entry.slug: cite_key or entry.slug},
        names=names,
    )
    return PaperView(
        title=title_parts(paper.title),
        published=human_date(paper.published),
        authors=authors_line(paper),
        added=human_date(paper.added),
        tags=tuple(
            Link(names[t], relative_url(f"tags/{t}/", page_url), rel="")
            for t in paper.tags
            if t in names
        ),
        arxiv=arxiv_links(paper.arxiv) if paper.arxiv else (),
        searches=() if paper.arxiv else title_searches(paper.title),
        code=tuple(Link(url, url) for url in paper.code if url.startswith(("https://", "http://"))),
        sources=sources_of(paper.sources, sources or {}),
        bibtex=bib.entry(item).rstrip("\n"),
    )


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
