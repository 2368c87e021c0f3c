"""A plain build lets go of what MkDocs keeps of a page once it is used.

MkDocs reads and converts every page before it renders the first, and keeps each
page's Markdown source (``page.markdown``) and HTML body (``page.content``) until the
build ends. A plain ``mkdocs build`` (no serve layer, not ``--dirty``) converts a paper
page only as it renders (:func:`convert_deferred`), lets go of any page's Markdown once
converted and of its HTML body once its output is made, and hands the allocator's free
pages back to the system every :data:`RELEASE_EVERY` pages. The site's bytes are the
same (tests/test_build_memory.py).

Design notes: docs/modules.md, `plugin/page_memory.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mkdocs.utils.meta import YAML_RE

from ..serve.memory import release_free_memory

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
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


def on_page_markdown(markdown: str, *, page: Page, process: Process, build: Build) -> str:
    """Last of the Markdown events: in a plain build, a paper page of the archive is
    left unconverted (``""``) until it renders (:func:`convert_deferred`). Its front
    matter, read by MkDocs, is kept: the nav, the titles and every event read it.
    Every :data:`RELEASE_EVERY` pages read, the free memory handed back."""
    if not releases(process):
        return markdown
    build.read_pages += 1
    if build.read_pages % RELEASE_EVERY == 0:
        release_free_memory(collect=False)
    if build.archive.entry(page.file.src_uri) is not None:
        build.unconverted.add(page.file.src_uri)
        _skip_next_render(page)
        return ""
    return markdown


def instead_of_next_render(page: Page, fill: Callable[[], None]) -> None:
    """MkDocs' next ``page.render`` (it calls it right after the Markdown events, as
    :func:`convert_deferred` does) runs ``fill`` instead, once: the class's own from
    then on."""

    def render(config: MkDocsConfig, files: Files) -> None:
        del vars(page)["render"]
        fill()

    vars(page)["render"] = render


def _skip_next_render(page: Page) -> None:
    """MkDocs converts the ``""`` it is handed right after the Markdown events
    (:meth:`Page.render`: a Markdown instance built with every extension, for nothing:
    ~0.5 ms a page in ``timeit``, ~5 s at 10,000 papers). That one call sets
    the empty body alone; every other field it would set, :func:`convert_deferred` sets
    before anything reads it (the page's title is its front matter's)."""

    def empty_body() -> None:
        page.content = ""

    instead_of_next_render(page, empty_body)


def hand_back(process: Process) -> None:
    """After ``on_files`` and between the reading of every page and the first render:
    what the step before let go of handed back. glibc kept it: at 30,000 papers ~170 MB
    at the end of the reading, until the first :data:`RELEASE_EVERY` pages had
    rendered, on top of what the render then reads."""
    if releases(process):
        release_free_memory(collect=False)


def unconverted(page: Page, build: Build) -> bool:
    """Whether ``page``'s Markdown is still to be converted (:func:`convert_deferred`)."""
    return page.file.src_uri in build.unconverted


def convert_deferred(
    page: Page,
    *,
    config: MkDocsConfig,
    files: Files,
    build: Build,
    markdown_events: Callable[[str], str],
    content_events: Callable[[str], str],
) -> None:
    """First of ``on_page_context``: a page left unconverted is converted now, as MkDocs
    converts a page when it reads it (:meth:`Page.render`), between the same events:
    its Markdown read again from its file after the front matter (MkDocs'
    ``YAML_RE``; the front matter is not parsed again, MkDocs' ``page.meta`` is kept),
    then the hook's Markdown events, the conversion, the hook's content events."""
    if page.file.src_uri not in build.unconverted:
        return
    build.unconverted.discard(page.file.src_uri)
    vars(page).pop("render", None)  # MkDocs always calls it first; if not, its own render
    source = page.file.content_string
    found = YAML_RE.match(source)
    page.markdown = markdown_events(source[found.end() :].lstrip("\n") if found else source)
    page.render(config, files)
    page.content = content_events(page.content or "")


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
