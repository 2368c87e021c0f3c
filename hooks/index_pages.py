"""Topic, tag, year and undated pages as virtual files, and the home page's blocks."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from mkdocs.structure.files import File
from paper_archive.site.generate import generated_pages, home_blocks
from paper_archive.site.state import archive_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.paper_archive.index_pages")


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    for page in generated_pages(archive_of(config)):
        files.append(File.generated(config, page.src_uri, content=page.content))
    return files


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    if page.file.src_uri != "index.md":
        return None
    for marker, block in home_blocks(archive_of(config), page_url=page.url).items():
        if marker not in markdown:
            log.warning("docs/index.md: marker %s is missing; its block is not shown", marker)
        markdown = markdown.replace(marker, block)
    return markdown
