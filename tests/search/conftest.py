"""Fixtures of the search tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from paper_archive.record.tagging import Vocabulary
from paper_archive.site.collect import Archive, collect


@pytest.fixture(scope="module")
def seed_archive(corpus: Path, vocabulary: Vocabulary) -> Archive:
    """The frozen corpus's papers, read as a build reads them."""
    pages = sorted((corpus / "docs" / "papers").glob("*.md"))
    return collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        vocabulary,
    )
