"""Paper pages: the theme's paper.html template, a sanitised abstract, escaped titles.

``page.meta.title`` is what the theme prints where HTML math cannot render: the
browser tab (``<title>``), the header topic, navigation links. It is set to the
title's plain text (``CO$_2$`` → ``CO₂``, :func:`paper_archive.mathtext.plain_text`),
escaped; the page's own heading renders the math from the record.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from paper_archive.mathtext import plain_text
from paper_archive.sanitize import BODY_ID_PREFIX, clean_html
from paper_archive.site.generate import tag_names
from paper_archive.site.render import paper_view
from paper_archive.site.state import archive_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

PAPERS_PREFIX = "papers/"
_LEADING_H1 = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)


def _is_paper(page: Page) -> bool:
    return page.file.src_uri.startswith(PAPERS_PREFIX)


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    # Themes print page.meta.title unescaped in <title>: hand them escaped plain text.
    title = page.meta.get("title")
    if isinstance(title, str):
        page.meta["title"] = html.escape(plain_text(title))
    if _is_paper(page):
        page.meta["template"] = "paper.html"
    return None


def on_page_content(
    content: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    if not _is_paper(page):
        return None
    # The template prints the title itself (with the meta line under it). Ids in the
    # body are prefixed, so the table of contents' links are too.
    _prefix_toc(page.toc, BODY_ID_PREFIX)
    return clean_html(_LEADING_H1.sub("", content, count=1), id_prefix=BODY_ID_PREFIX)


def _prefix_toc(items: Any, prefix: str) -> None:
    for item in items:
        item.id = f"{prefix}{item.id}"
        _prefix_toc(item.children, prefix)


def on_page_context(
    context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Any
) -> dict[str, Any] | None:
    if not _is_paper(page):
        return None
    archive = archive_of(config)
    entry = archive.entry(page.file.src_uri)
    if entry is None:  # left out of the archive: collect_papers warned about it
        return None
    context["paper"] = paper_view(
        entry, names=tag_names(archive), page_url=page.url, site_url=config.site_url
    )
    return context
