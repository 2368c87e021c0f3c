"""What a reader sees of phrase search on /search/ (Chromium, the seed site): the status
line counts the papers that hold the phrase, then those that only match its words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from paper_archive.record.tagging import load_vocabulary
from paper_archive.search import pairs
from paper_archive.search.bundle import documents
from paper_archive.site.collect import collect

from .. import CORPUS
from ..browser import Page

pytestmark = pytest.mark.browser


def _holders(wanted: list[str]) -> tuple[int, int]:
    """(papers holding the words side by side, papers holding them all) in the corpus."""
    pages = sorted((CORPUS / "docs" / "papers").glob("*.md"))
    archive = collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        load_vocabulary(CORPUS / "data" / "tags.yaml"),
    )
    side, every = 0, 0
    for doc in documents(archive):
        streams = [pairs.stream(doc.title), pairs.stream(doc.abstract)]
        if set(wanted) <= {w for words in streams for w in words}:
            every += 1
            if any(
                words[i : i + len(wanted)] == wanted for words in streams for i in range(len(words))
            ):
                side += 1
    return side, every


@pytest.mark.parametrize("query", ["text-to-image", '"text to image"'])
def test_the_status_line_counts_the_papers_holding_the_phrase(
    page: Page, base_url: str, seed_site: Path, query: str
) -> None:
    side, every = _holders(["text", "imag"])
    assert 2 <= side < every
    page.page.goto(f"{base_url}search/")
    page.page.fill("#search-query", query)
    page.wait_full_results(query)
    status = page.page.text_content("#search-status") or ""
    shown = query.strip('"')
    expected = (
        f"{side} papers contain \u201c{shown}\u201d as a phrase; "
        f"{every - side} more papers match the words."
    )
    assert status == expected
    # The phrase's papers come first: each holds "text" and "image" side by side.
    titles = page.titles()
    assert len(titles) >= side
    snippets = page.page.eval_on_selector_all(
        "#search-results .pa-result", "els => els.map(e => e.textContent)"
    )
    joined = re.compile(r"text(?:\W+(?:to|and|of|the|a))*\W+imag", re.IGNORECASE)
    assert sum(1 for text in snippets[:side] if joined.search(text)) >= 1
