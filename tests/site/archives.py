"""The frozen corpus read as a build reads it, and the edits tests make to it."""

from __future__ import annotations

from dataclasses import replace

from paper_archive.disk.pages import render_page
from paper_archive.record.tagging import load_vocabulary
from paper_archive.site.collect import Archive, collect

from .. import CORPUS


def corpus_archive() -> Archive:
    """The frozen corpus's papers (tests/fixtures/archive), read as a build reads them."""
    pages = (
        (f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8"))
        for p in sorted((CORPUS / "docs" / "papers").glob("*.md"))
    )
    return collect(pages, load_vocabulary(CORPUS / "data" / "tags.yaml"))


def with_word_added(archive: Archive, number: int, word: str = "zyxwvut") -> Archive:
    """``archive`` with ``word`` added to the abstract of its paper ``number``, read
    again from the rendered pages (as a save under ``mkdocs serve`` is)."""
    entry = archive.entries[number]
    pages = [
        (
            e.src_uri,
            e.url,
            render_page(
                e.paper
                if e is not entry
                else replace(e.paper, abstract=f"{e.paper.abstract} {word}")
            ),
        )
        for e in archive.entries
    ]
    return collect(pages, archive.vocabulary)
