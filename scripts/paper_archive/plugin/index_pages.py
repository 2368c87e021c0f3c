"""Topic, tag, year and undated pages as virtual files, and the home page's blocks.

Their bodies are long HTML lists: rather than pass them through Markdown (whose raw
HTML parser is slow on 10,000 items), each generated page holds a marker that is
replaced by its body after rendering. The pages and home blocks are remembered by the
archive's content key for the next rebuild of the process (paper_archive/serve/memo.py).
Each page's Markdown is a small file in the
project's cache, rewritten only when it changes, and each page's inputs are noted, so
a dirty rebuild renders again only the pages whose lists changed
(paper_archive/serve/incremental.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from ..remembering import Remembers, key_of
from ..serve import incremental
from ..site.generate import PAGES_CACHE, Generated, generated_pages, home_blocks
from ..site.render import BODY_MARKER

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from paper_archive.site.collect import Archive

    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.index_pages")
HOME = "index.md"


def _pages(archive: Archive, per_page: int, memo: Remembers) -> list[tuple[Generated, str]]:
    return [
        (page, incremental.fingerprint(page.body_html))
        for page in generated_pages(archive, per_page=per_page, memo=memo)
    ]


def on_files(
    files: Files,
    *,
    config: MkDocsConfig,
    build: Build,
    memo: Remembers,
    known: incremental.SourceFiles | None = None,
) -> None:
    archive = build.archive
    cache = build.cache_dir()
    key = key_of(archive.key)  # the pages are the archive's: remembered by its key
    per_page = build.settings.per_page  # and by their length
    pages = memo.latest(
        "generated-pages", key_of(archive.key, per_page), lambda: _pages(archive, per_page, memo)
    )
    for page, printed in pages:
        source = incremental.generated_source(
            cache, PAGES_CACHE, page.src_uri, page.content, known=known
        )
        files.append(File.generated(config, page.src_uri, abs_src_path=str(source)))
        build.bodies[page.src_uri] = page.body_html
        build.inputs[page.src_uri] = printed
    if files.get_file_from_path(HOME) is not None:
        # index.md is the site's root
        build.home = memo.latest("home-blocks", key, lambda: home_blocks(archive, page_url=""))
        build.inputs[HOME] = incremental.fingerprint(*build.home.values())
    build.shared_inputs.append(repr(sorted(build.tag_names.items())))


def on_page_content(content: str, *, page: Page, build: Build) -> str | None:
    src_uri = page.file.src_uri
    body = build.bodies.pop(src_uri, None)  # held once: the page's content from now on
    if body is not None:
        return content.replace(BODY_MARKER, body, 1)
    if src_uri != HOME:
        return None
    for marker, block in build.home.items():
        if marker not in content:
            log.warning("docs/index.md: marker %s is missing; its block is not shown", marker)
        content = content.replace(marker, block)
    return content
