from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paper_archive.project import Project
from paper_archive.tagging import Vocabulary, load_vocabulary

from . import REPO

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return load_vocabulary(REPO / "data" / "tags.yaml")


@pytest.fixture
def archive(tmp_path: Path) -> Project:
    """An empty archive: the real vocabulary and mkdocs.yml, no sources, no pages."""
    root = tmp_path / "archive"
    (root / "data" / "sources").mkdir(parents=True)
    (root / "docs" / "papers").mkdir(parents=True)
    shutil.copy(REPO / "data" / "tags.yaml", root / "data" / "tags.yaml")
    (root / "mkdocs.yml").write_text("site_name: Test archive\n", encoding="utf-8")
    return Project(root)


@pytest.fixture
def seeded(archive: Project) -> Project:
    """An archive with the five seed listings and their manifests, not yet ingested
    (later fetches under data/sources are left out, so the counts stay the seed's)."""
    for path in (REPO / "data" / "sources").glob("hf-listing-*"):
        shutil.copy(path, archive.sources_dir / path.name)
    return archive
