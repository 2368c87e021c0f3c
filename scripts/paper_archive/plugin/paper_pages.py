"""Paper pages: the theme's paper.html template, a sanitised abstract, escaped titles.

``page.meta.title`` is what the theme prints where HTML math cannot render: the
browser tab (``<title>``), the header topic, navigation links. It is set to the
title's plain text (``CO$_2$`` → ``CO₂``, :func:`paper_archive.text.mathtext.plain_text`),
escaped; the page's own heading renders the math from the record.

The page's ``<head>`` carries its description and Highwire ``citation_*`` metadata
(:mod:`paper_archive.site.meta`); Material prints
``<meta name="description">`` itself from ``page.meta.description``, so that is set
(escaped) and the page has one. Notes a contributor wrote after the abstract are cut
from it (:func:`~paper_archive.site.paper_page.mark_notes`) and shown under "Notes".
"""

from __future__ import annotations

import html
import logging
import re
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

from ..errors import ArchiveError
from ..project import SOURCES_DIR
from ..remembering import Remembers
from ..site import plain_pages
from ..site.chrome import BLOCKS as CHROME_BLOCKS
from ..site.exports import citation_keys, public_base
from ..site.meta import page_meta
from ..site.paper_page import NOTES_MARKER, mark_notes, paper_view, split_notes
from ..site.provenance import load_sources
from ..site.render import TITLE_ID
from ..site.shared_blocks import SharedBlocks
from ..text import plain_paragraphs
from ..text.mathtext import plain_text
from ..text.sanitize import BODY_ID_PREFIX, clean_html
from .page_memory import instead_of_next_render
from .state import is_paper

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.paper_pages")

_LEADING_H1 = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)
# TITLE_ID is the id of the title heading overrides/paper.html prints (never a body id:
# those all start with BODY_ID_PREFIX). The page's first table-of-contents entry, the
# Markdown's ``# Title`` the hook cuts, is pointed at it: Material's "Skip to content"
# link and the table of contents target that entry, and its own id is gone with it.


def _is_paper(page: Page) -> bool:
    return is_paper(page.file.src_uri)


def on_files(build: Build, memo: Remembers) -> None:
    sources_dir = build.root / SOURCES_DIR
    try:
        sources = load_sources(sources_dir)
    except ArchiveError as exc:
        raise PluginError(str(exc)) from exc
    # What every paper page of one build shares, computed once (plugin/state.py).
    build.sources, build.cite_keys = sources, citation_keys(build.archive, memo=memo)
    build.shared_inputs.append(repr(sorted(sources.items())))
    for entry in build.archive.entries:  # a page's output depends on its key
        build.depends(entry.src_uri, build.cite_keys.get(entry.slug, ""))


def on_env(env: Environment, *, chrome: bool) -> None:
    # Blocks the pages outside the nav (papers, lists: overrides/alike.html) render
    # alike, once per build (site/shared_blocks.py), the chrome among them marked for
    # plugin/page_size.py (site/chrome.py). MkDocs makes a new environment for each
    # build; so is the cache.
    env.globals["pa_shared"] = SharedBlocks(chrome=CHROME_BLOCKS if chrome else frozenset())


def on_page_markdown(markdown: str, *, page: Page) -> str | None:
    # Themes print page.meta.title unescaped in <title>: hand them escaped plain text.
    title = page.meta.get("title")
    if isinstance(title, str):
        page.meta["title"] = html.escape(plain_text(title))
    if _is_paper(page):
        page.meta["template"] = "paper.html"
    return body_markdown(markdown, page=page)


def body_markdown(markdown: str, *, page: Page) -> str | None:
    """A paper page's Markdown as it is converted (its front matter's events apart:
    :func:`on_page_markdown`): notes after the abstract marked."""
    return mark_notes(markdown) if _is_paper(page) else None


def stash_plain(markdown: str, *, page: Page, build: Build) -> str:
    """Last of a paper page's Markdown events, just before its conversion: its plain
    paragraphs swapped for tokens (text/plain_paragraphs.py), kept until
    :func:`restore_plain`. A page a plain build converts later is handed ``""``: nothing
    to keep now, its turn comes as it renders."""
    if not build.plain_paragraphs or not markdown or not _is_paper(page):
        return markdown
    markdown, kept = plain_paragraphs.stash(markdown)
    if kept is not None:
        build.stashed[page.file.src_uri] = kept
    return markdown


def convert_plain(markdown: str, *, page: Page, build: Build) -> None:
    """A paper page that is its title and plain paragraphs (site/plain_pages.py): MkDocs'
    next ``page.render``, which follows the Markdown events, sets what that render
    sets, from :func:`plain_pages.convert` instead of a Markdown instance of its own."""
    how = build.plain_pages
    if how is None or not markdown or not _is_paper(page):
        return
    converted = plain_pages.convert(markdown, how)
    if converted is None:
        return

    def fill() -> None:  # what Page.render sets
        heading = converted.heading_id
        page.content = converted.html
        page.toc = get_toc([{"level": 1, "id": heading, "name": converted.title, "children": []}])
        page._title_from_render = converted.title
        page.present_anchor_ids = {heading}
        page.links_to_anchors = {page.file: {heading: f"#{heading}"}} if how.permalink else {}

    instead_of_next_render(page, fill)


def restore_plain(content: str, *, page: Page, config: MkDocsConfig, build: Build) -> str:
    """First of a paper page's content events: its plain paragraphs put back. Should
    a token not come out of Markdown as a paragraph of its own, the page is converted
    again from its Markdown as written, as MkDocs converts it."""
    kept = build.stashed.pop(page.file.src_uri, None)
    if kept is None:
        return content
    restored = plain_paragraphs.restore(content, kept)
    if restored is None:
        log.debug("%s: converted again without its plain paragraphs set apart", page.file.src_uri)
        page.markdown = kept.markdown
        page.render(config, build.files)
        restored = page.content or ""
    return restored


def on_page_content(content: str, *, page: Page) -> str | None:
    if not _is_paper(page):
        return None
    # The template prints the title itself (with the meta line under it). Ids in the
    # body are prefixed, so the table of contents' links are too.
    _prefix_toc(page.toc, BODY_ID_PREFIX)
    body, cut = _LEADING_H1.subn("", content, count=1)
    first = next(iter(page.toc), None)
    if cut and first is not None and first.level == 1:
        first.id = TITLE_ID
    abstract, notes = split_notes(body)
    parts = [clean_html(abstract, id_prefix=BODY_ID_PREFIX)]
    if notes:  # cut again in on_page_context; the marker is ours, added after cleaning
        parts += [NOTES_MARKER, clean_html(notes, id_prefix=BODY_ID_PREFIX)]
    return "".join(parts)


def _prefix_toc(items: Any, prefix: str) -> None:
    for item in items:
        item.id = f"{prefix}{item.id}"
        _prefix_toc(item.children, prefix)


def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, build: Build
) -> None:
    if not _is_paper(page):
        return
    archive = build.archive
    entry = archive.entry(page.file.src_uri)
    if entry is None:  # left out of the archive: papers.py warned about it
        return
    sources, keys, names = build.sources, build.cite_keys, build.tag_names
    base = public_base(config.site_url)  # None for the local default: no 127.0.0.1 URLs
    context["paper"] = paper_view(
        entry,
        names=names,
        page_url=page.url,
        site_url=base,
        sources=sources,
        cite_key=keys.get(entry.slug),
    )
    page.content, context["paper_notes"] = split_notes(page.content or "")
    meta = page_meta(entry)
    page.meta["description"] = html.escape(meta.description)  # Material prints it raw
    context["paper_meta"] = meta
