"""A paper page that is its title and plain paragraphs, converted without Markdown.

MkDocs converts every page with a new Python-Markdown instance holding each extension
(``Page.render``): ~1 ms a paper page even once its plain paragraphs are tokens
(text/plain_paragraphs.py), ~10 s of a 10,000-paper build. Most paper pages are a
``# Title`` line and paragraphs Markdown prints as themselves. For exactly such a page,
:func:`convert` gives what that render gives: the HTML (site/render.py), and the
heading's id and text, made by the toc extension's own ``slugify`` and ``unique``. Any
other page, or a configuration :func:`settings` does not know, gives ``None``: MkDocs
converts it. tests/site/test_plain_pages.py compares with MkDocs' render itself.

Design notes: docs/modules.md, `site/plain_pages.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markdown.extensions.toc import slugify, unique

from ..text.plain_paragraphs import applies, is_plain
from .render import heading_and_paragraphs


@dataclass(frozen=True, slots=True)
class Settings:
    """What of the Markdown configuration the page's HTML depends on."""

    permalink: bool


@dataclass(frozen=True, slots=True)
class Converted:
    html: str
    heading_id: str
    title: str  # the heading's text: its table-of-contents entry, MkDocs' title


def settings(extensions: Iterable[object], configs: Mapping[str, object]) -> Settings | None:
    """The settings :func:`convert` works with, from MkDocs' ``markdown_extensions`` and
    ``mdx_configs``; ``None`` without the toc extension (no heading id), or when any
    extension or any toc setting is not one it knows (``permalink: true`` or ``false``
    alone)."""
    extensions = list(extensions)
    if "toc" not in extensions or not applies(extensions):
        return None
    toc = configs.get("toc") or {}
    if not isinstance(toc, Mapping) or set(toc) - {"permalink"}:
        return None
    permalink = toc.get("permalink", False)
    return Settings(permalink) if isinstance(permalink, bool) else None


def _plain_title(text: str) -> bool:
    """A heading's text that Markdown prints and names as written: plain, no ``#``
    (closing hashes are cut), no run of spaces (the toc entry's name collapses it)."""
    return is_plain(text) and "#" not in text and " ".join(text.split()) == text


def convert(markdown: str, how: Settings) -> Converted | None:
    """What Markdown makes of ``markdown`` when it is a ``# Title`` line and plain
    paragraphs, each between blank lines; ``None`` for anything else."""
    head, *paragraphs = markdown.strip("\n").split("\n\n")
    title = head.removeprefix("# ")
    if title == head or not _plain_title(title) or not all(map(is_plain, paragraphs)):
        return None
    heading_id = unique(slugify(title, "-"), set())
    page = heading_and_paragraphs(
        title=title, heading_id=heading_id, permalink=how.permalink, paragraphs=paragraphs
    )
    return Converted(page, heading_id, title)
