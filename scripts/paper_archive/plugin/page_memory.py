"""A plain build lets go of what MkDocs keeps of a page once it is used.

MkDocs reads and converts every page before it renders the first (each page's context
may name any other), and keeps each page's Markdown source (``page.markdown``) and its
HTML body (``page.content``) until the build ends: at 30,000 papers ~40 MB and, with
the topic and year lists, ~140 MB of text; at 100,000 about three times as much, each
paper's abstract twice more beside the archive's own record of it. Neither is read
again once used, for a page whose title is its front matter's (paper pages, the
generated lists, most site pages):

- the Markdown once converted (``on_page_content``): MkDocs reads it again only for the
  title of a page whose front matter names none (``Page.title``);
- the HTML body once the page's output is made (``on_post_page``, before MkDocs writes
  it): it was printed into that output; MkDocs' anchor check after the render reads
  the anchors it noted while converting, not the body.

The generated list pages' bodies are made as each page renders in such a build
(plugin/index_pages.py), so no list is held from ``on_files`` to its page either.

Only a plain ``mkdocs build`` (no serve layer, not ``--dirty``): a serve's rebuilds
make their pages anew anyway, and its dirty machinery is left as it is. The bytes of
the site are the same (tests/test_build_memory.py builds both ways and compares).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

    from ..serve.process import Process


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


def on_post_page(page: Page, process: Process) -> None:
    """Once the page's output is made: its HTML body let go."""
    if releases(process) and _done_with(page):
        page.content = None
