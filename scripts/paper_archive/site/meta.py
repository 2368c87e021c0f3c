"""What a paper page tells machines: search engines, link previews, Google Scholar (pure).

One :class:`PageMeta` per paper page, placed in ``<head>`` by ``paper.html``: the
description and Highwire ``citation_*`` tags, each value once (issue 20: no JSON-LD,
OpenGraph or Twitter tags repeating them), as plain text.

Design notes: docs/modules.md, `site/meta.py`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..record.arxiv_id import pdf_url
from ..text.controls import strip_controls
from ..text.mathtext import plain_text
from .collect import Entry

#: Search engines show about 155-160 characters of a description.
DESCRIPTION_MAX = 160
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](url) -> text
_MARKUP = re.compile(r"\*\*|__|[*`]")


@dataclass(frozen=True, slots=True)
class MetaTag:
    """``<meta name="{name}" content="{content}">``; the template escapes both."""

    name: str
    content: str


@dataclass(frozen=True, slots=True)
class PageMeta:
    description: str  # plain text; Material prints it as <meta name="description">
    tags: tuple[MetaTag, ...]


def plain_abstract(abstract: str) -> str:
    """An abstract's Markdown as one line of plain text: entities decoded, math as
    Unicode, link syntax and emphasis marks dropped."""
    text = html.unescape(abstract) if "&" in abstract else abstract
    if "](" in text:  # the checks skip two whole-abstract passes on most abstracts
        text = _LINK.sub(r"\1", text)
    if "*" in text or "`" in text or "__" in text:
        text = _MARKUP.sub("", text)
    return plain_text(text)


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ``…`` included."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def page_meta(entry: Entry) -> PageMeta:
    """The tags of ``entry``'s page: what Google Scholar and reference managers read.

    Each value once (issue 20): the page's ``<title>``, canonical link (Material's) and
    description name the paper, the site and the URL, which link previews (Slack,
    Mastodon, Facebook, LinkedIn…) read when no ``og:`` tag repeats them, so none does,
    and no JSON-LD repeats the ``citation_*`` values. X shows no card without its own.
    """
    paper = entry.paper
    title = plain_text(paper.title)
    abstract = plain_abstract(paper.abstract)
    description = shorten(abstract or title)
    tags: list[MetaTag] = [MetaTag("citation_title", title)]
    tags += [MetaTag("citation_author", author) for author in paper.authors]
    if paper.published:
        tags.append(MetaTag("citation_publication_date", paper.published.strftime("%Y/%m/%d")))
    if paper.arxiv:
        tags += [
            MetaTag("citation_arxiv_id", paper.arxiv),
            MetaTag("citation_pdf_url", pdf_url(paper.arxiv)),
        ]
    # No control character reaches <head>, even from a page that was never validated.
    return PageMeta(
        description=strip_controls(description),
        tags=tuple(MetaTag(t.name, strip_controls(t.content)) for t in tags),
    )
