"""A plain build lets go of what MkDocs keeps of a page once it is used.

MkDocs reads and converts every page before it renders the first, and keeps each
page's Markdown source (``page.markdown``) and HTML body (``page.content``) until the
build ends. A plain ``mkdocs build`` (no serve layer, not ``--dirty``) lets go of the
Markdown once converted and of the HTML body once the page's output is made, for a
page whose title is its front matter's: MkDocs reads neither again. Every
:data:`RELEASE_EVERY` such pages it hands the allocator's free pages back to the
system: the freed bodies are otherwise kept by glibc, and the build process's RSS grew
through the render to its peak (at 30,000 papers, 545 → 719 MB; 597 MB so). The site's
bytes are the same (tests/test_build_memory.py).

Design notes: docs/modules.md, `plugin/page_memory.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..serve.memory import release_free_memory

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

    from ..serve.process import Process
    from .state import Build

#: How many pages' bodies a plain build lets go between two hand-backs of free memory
#: (``malloc_trim``, no collection: ~20 of them at 100,000 papers, too quick to show
#: in the build's CPU time at 30,000).
RELEASE_EVERY = 5_000


def releases(process: Process) -> bool:
    """Whether this build lets go of pages' text once used (a plain build)."""
    return not process.mode.serving and not process.mode.dirty and not process.remember


def _done_with(page: Page) -> bool:
    """A page whose title is its front matter's: paper pages, generated list pages
    (their bodies made as they render: plugin/index_pages.py), most site pages."""
    return isinstance(page.meta.get("title"), str)


def on_page_content(page: Page, process: Process) -> None:
    """After conversion: the Markdown source let go (``""``, not ``None``, which MkDocs
    reads as "not read yet")."""
    if releases(process) and _done_with(page):
        page.markdown = ""


def on_post_page(page: Page, process: Process, build: Build) -> None:
    """Once the page's output is made: its HTML body let go; every
    :data:`RELEASE_EVERY` pages, the free memory handed back."""
    if releases(process) and _done_with(page):
        page.content = None
        build.released_pages += 1
        if build.released_pages % RELEASE_EVERY == 0:
            release_free_memory(collect=False)
