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
from ..site.generate import PAGES_CACHE, Deferred, Generated, generated_pages, home_blocks
from ..site.render import BODY_MARKER

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from paper_archive.files.cachefiles import CacheDir
    from paper_archive.site.collect import Archive

    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.index_pages")
HOME = "index.md"


def _pages(archive: Archive, per_page: int, memo: Remembers) -> list[tuple[Generated, str]]:
    pages = generated_pages(archive, per_page=per_page, memo=memo)
    return [
        (page, incremental.fingerprint(page.body_html))
        for page in pages
        if isinstance(page, Generated)  # every one: none deferred
    ]


def on_files(
    files: Files,
    *,
    config: MkDocsConfig,
    build: Build,
    memo: Remembers,
    defer: bool = False,
    known: incremental.SourceFiles | None = None,
) -> None:
    """The generated pages among the build's files, their bodies kept for their
    pages; ``defer`` (a plain build, which needs no fingerprints: nothing is compared
    with a build before): the list pages' bodies made as each renders
    (:func:`on_page_context`), not held from here to there. ``known``: the sources
    written before (a serve rebuild), not read again while their files are as left."""
    archive = build.archive
    cache = build.cache_dir()
    key = key_of(archive.key)  # the pages are the archive's: remembered by its key
    per_page = build.settings.per_page  # and by their length
    if defer:
        for page in generated_pages(archive, per_page=per_page, memo=memo, deferred=True):
            _add(files, config, cache, page.src_uri, page.content, known)
            if isinstance(page, Deferred):
                build.deferred[page.src_uri] = page.make
            else:
                build.bodies[page.src_uri] = page.body_html
    else:
        pages = memo.latest(
            "generated-pages",
            key_of(archive.key, per_page),
            lambda: _pages(archive, per_page, memo),
        )
        for page, printed in pages:
            _add(files, config, cache, page.src_uri, page.content, known)
            build.bodies[page.src_uri] = page.body_html
            build.inputs[page.src_uri] = printed
    if files.get_file_from_path(HOME) is not None:
        # index.md is the site's root
        build.home = memo.latest("home-blocks", key, lambda: home_blocks(archive, page_url=""))
        build.inputs[HOME] = incremental.fingerprint(*build.home.values())
    build.shared_inputs.append(repr(sorted(build.tag_names.items())))


def _add(
    files: Files,
    config: MkDocsConfig,
    cache: CacheDir,
    src_uri: str,
    text: str,
    known: incremental.SourceFiles | None,
) -> None:
    source = incremental.generated_source(cache, PAGES_CACHE, src_uri, text, known=known)
    files.append(File.generated(config, src_uri, abs_src_path=str(source)))


def on_page_context(page: Page, *, build: Build) -> None:
    """A deferred list page's body, made now and put in place of its marker (where
    :func:`on_page_content` puts the others': the same HTML in the same place)."""
    make = build.deferred.pop(page.file.src_uri, None)
    if make is not None:
        page.content = (page.content or "").replace(BODY_MARKER, make(), 1)


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
