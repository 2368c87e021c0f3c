"""Topic, tag, year and undated pages as virtual files, and the home page's blocks.

Their bodies are long HTML lists: rather than pass them through Markdown (whose raw
HTML parser is slow on 10,000 items), each generated page holds a marker that is
replaced by its body after rendering. The pages and home blocks are remembered by the
archive's content key for the next rebuild of the process (paper_archive/site/memo.py).
Each page's Markdown is a small file in the
project's cache, rewritten only when it changes, and each page's inputs are noted, so
a dirty rebuild renders again only the pages whose lists changed
(paper_archive/site/incremental.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from mkdocs.structure.files import File
from paper_archive.site import incremental, memo
from paper_archive.site.generate import (
    PAGES_CACHE,
    Generated,
    generated_pages,
    home_blocks,
    tag_names,
)
from paper_archive.site.render import BODY_MARKER
from paper_archive.site.state import archive_of, plugin_errors, state_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from paper_archive.site.collect import Archive

log = logging.getLogger("mkdocs.plugins.paper_archive.index_pages")
HOME = "index.md"


def _pages(archive: Archive, per_page: int) -> list[tuple[Generated, str]]:
    pages = generated_pages(archive, per_page=per_page)
    return [(page, incremental.fingerprint(page.body_html)) for page in pages]


@plugin_errors  # the generated pages' cache: a full disk is a PluginError naming the file
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    state = state_of(config)
    archive = archive_of(config)
    cache = state.cache_dir()
    key = memo.key_of(archive.key)  # the pages are the archive's: remembered by its key
    per_page = state.settings.per_page  # and by their length
    pages = memo.latest(
        "generated-pages", memo.key_of(archive.key, per_page), lambda: _pages(archive, per_page)
    )
    for page, printed in pages:
        source = incremental.generated_source(cache, PAGES_CACHE, page.src_uri, page.content)
        files.append(File.generated(config, page.src_uri, abs_src_path=str(source)))
        state.bodies[page.src_uri] = page.body_html
        state.inputs[page.src_uri] = printed
    if files.get_file_from_path(HOME) is not None:
        # index.md is the site's root
        state.home = memo.latest("home-blocks", key, lambda: home_blocks(archive, page_url=""))
        state.inputs[HOME] = incremental.fingerprint(*state.home.values())
    state.shared_inputs.append(repr(sorted(tag_names(archive).items())))
    return files


def on_page_content(
    content: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    state = state_of(config)
    src_uri = page.file.src_uri
    body = state.bodies.get(src_uri)
    if body is not None:
        return content.replace(BODY_MARKER, body, 1)
    if src_uri != HOME:
        return None
    for marker, block in state.home.items():
        if marker not in content:
            log.warning("docs/index.md: marker %s is missing; its block is not shown", marker)
        content = content.replace(marker, block)
    return content
