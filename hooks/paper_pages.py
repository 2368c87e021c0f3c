"""Paper pages: the theme's paper.html template, a sanitised abstract, escaped titles.

``page.meta.title`` is what the theme prints where HTML math cannot render: the
browser tab (``<title>``), the header topic, navigation links. It is set to the
title's plain text (``CO$_2$`` → ``CO₂``, :func:`paper_archive.mathtext.plain_text`),
escaped; the page's own heading renders the math from the record.

The page's ``<head>`` carries its description, OpenGraph/Twitter, Highwire
``citation_*`` and JSON-LD metadata (:mod:`paper_archive.site.meta`); Material prints
``<meta name="description">`` itself from ``page.meta.description``, so that is set
(escaped) and the page has one. Notes a contributor wrote after the abstract are cut
from it (:func:`~paper_archive.site.paper_page.mark_notes`) and shown under "Notes".
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from paper_archive.errors import ArchiveError
from paper_archive.mathtext import plain_text
from paper_archive.project import SOURCES_DIR
from paper_archive.sanitize import BODY_ID_PREFIX, clean_html
from paper_archive.site.exports import absolute, citation_keys, public_base
from paper_archive.site.generate import tag_names
from paper_archive.site.meta import page_meta
from paper_archive.site.paper_page import NOTES_MARKER, mark_notes, paper_view, split_notes
from paper_archive.site.provenance import load_sources
from paper_archive.site.shared_blocks import SharedBlocks
from paper_archive.site.state import archive_of, is_paper, state_of

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_LEADING_H1 = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)
#: The id of the title heading overrides/paper.html prints (never a body id: those
#: all start with BODY_ID_PREFIX). The page's first table-of-contents entry, the
#: Markdown's ``# Title`` the hook cuts, is pointed at it: Material's "Skip to content"
#: link and the table of contents target that entry, and its own id is gone with it.
TITLE_ID = "pa-title"


def _is_paper(page: Page) -> bool:
    return is_paper(page.file.src_uri)


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    sources_dir = Path(config.config_file_path).parent / SOURCES_DIR
    try:
        sources = load_sources(sources_dir)
    except ArchiveError as exc:
        raise PluginError(str(exc)) from exc
    # What every paper page of one build shares, computed once (site/state.py).
    state = state_of(config)
    state.sources, state.cite_keys = sources, citation_keys(archive_of(config))
    state.shared_inputs.append(repr(sorted(sources.items())))
    for entry in archive_of(config).entries:  # a page's output depends on its key
        state.depends(entry.src_uri, state.cite_keys.get(entry.slug, ""))
    return None


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
    # Blocks every paper page renders alike, once per build (site/shared_blocks.py).
    # MkDocs makes a new environment for each build; so is the cache.
    env.globals["pa_shared"] = SharedBlocks()
    return env


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    # Themes print page.meta.title unescaped in <title>: hand them escaped plain text.
    title = page.meta.get("title")
    if isinstance(title, str):
        page.meta["title"] = html.escape(plain_text(title))
    if _is_paper(page):
        page.meta["template"] = "paper.html"
        return mark_notes(markdown)
    return None


def on_page_content(
    content: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
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
    context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Any
) -> dict[str, Any] | None:
    if not _is_paper(page):
        return None
    archive = archive_of(config)
    entry = archive.entry(page.file.src_uri)
    if entry is None:  # left out of the archive: collect_papers warned about it
        return None
    state = state_of(config)
    sources, keys = state.sources, state.cite_keys
    if (names := state.tag_names) is None:  # the same for every paper page of a build
        names = state.tag_names = tag_names(archive)
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
    meta = page_meta(
        entry, site_name=config.site_name, page_url=absolute(base, entry.url), names=names
    )
    page.meta["description"] = html.escape(meta.description)  # Material prints it raw
    context["paper_meta"] = meta
    return context
