"""Topic, tag, year and undated pages as virtual files, and the home page's blocks.

Their bodies are long HTML lists: rather than pass them through Markdown (whose raw
HTML parser is slow on 10,000 items), each generated page holds a marker that is
replaced by its body after rendering.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from mkdocs.structure.files import File
from paper_archive.site.generate import generated_pages, home_blocks
from paper_archive.site.render import BODY_MARKER
from paper_archive.site.state import archive_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.paper_archive.index_pages")
_BODIES = "_paper_archive_bodies"


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    bodies: dict[str, str] = {}
    for page in generated_pages(archive_of(config)):
        files.append(File.generated(config, page.src_uri, content=page.content))
        bodies[page.src_uri] = page.body_html
    config[_BODIES] = bodies
    return files


def on_page_content(
    content: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    src_uri = page.file.src_uri
    body = config[_BODIES].get(src_uri)
    if body is not None:
        return content.replace(BODY_MARKER, body, 1)
    if src_uri != "index.md":
        return None
    for marker, block in home_blocks(archive_of(config), page_url=page.url).items():
        if marker not in content:
            log.warning("docs/index.md: marker %s is missing; its block is not shown", marker)
        content = content.replace(marker, block)
    return content
