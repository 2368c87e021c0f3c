from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from paper_archive import cli
from paper_archive.disk.pages import render_page
from paper_archive.project import Project
from paper_archive.record.tagging import Vocabulary, load_vocabulary
from playwright.sync_api import Browser, sync_playwright

from . import CORPUS, REPO
from .browser import CHROMIUM, CHROMIUM_ARGS, HOSTILE_TITLE, Page, serve
from .sitebuild import build_site, make_site, paper

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Property tests check what the code does, never how fast: no per-example deadline and no
# "too slow" health check, which a loaded machine trips (issue 18: no time thresholds in
# functional tests). Each test's own example count stays as it sets it.
settings.register_profile(
    "paper-archive", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("paper-archive")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The frozen archive the tests run on (see tests/__init__.py), never to be written."""
    return CORPUS


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return load_vocabulary(CORPUS / "data" / "tags.yaml")


def _empty_archive(root: Path) -> Project:
    (root / "data" / "sources").mkdir(parents=True)
    (root / "docs" / "papers").mkdir(parents=True)
    shutil.copy(CORPUS / "data" / "tags.yaml", root / "data" / "tags.yaml")
    (root / "mkdocs.yml").write_text("site_name: Test archive\n", encoding="utf-8")
    return Project(root)


def _seed_sources(archive: Project) -> Project:
    for path in (CORPUS / "data" / "sources").glob("hf-listing-*"):
        shutil.copy(path, archive.sources_dir / path.name)
    return archive


@pytest.fixture
def archive(tmp_path: Path) -> Project:
    """An empty archive: the corpus's vocabulary, a minimal mkdocs.yml, no sources, no pages."""
    return _empty_archive(tmp_path / "archive")


@pytest.fixture
def seeded(archive: Project) -> Project:
    """An archive with the corpus's seed listings and their manifests, not yet ingested."""
    return _seed_sources(archive)


@pytest.fixture(scope="session")
def _ingested_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``seeded`` after one ``papers ingest``, made once per session (the first ingest is
    tests/test_ingest.py::test_seed_ingest_writes_every_paper_once's subject)."""
    project = _seed_sources(_empty_archive(tmp_path_factory.mktemp("ingested") / "archive"))
    assert cli.main(["--root", str(project.root), "-q", "ingest"]) == 0
    return project.root


@pytest.fixture
def ingested(tmp_path: Path, _ingested_seed: Path) -> Project:
    """A copy of the seeded archive after its first ingest (files and their mtimes), for
    the tests whose subject is what a later ingest does: a copy costs ~0.2 s of CPU, an
    ingest of the 615 listed papers ~0.5 s."""
    root = tmp_path / "archive"
    shutil.copytree(_ingested_seed, root, symlinks=True)
    return Project(root)


# -- browser tests: one Chromium and one built seed site for the whole session ----------


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed archive plus one hostile paper, built once for every browser module."""
    root = make_site(tmp_path_factory.mktemp("seed-site"), with_seed=True)
    hostile = paper(
        HOSTILE_TITLE, tags=("llms",), abstract='Zebra <img src=x onerror=alert(2)> "quoted" text.'
    )
    (root / "docs/papers/title-script-alert-1-script-hostile-zebra-paper.md").write_text(
        render_page(hostile), encoding="utf-8"
    )
    return build_site(root)


@pytest.fixture(scope="session")
def base_url(seed_site: Path) -> Iterator[str]:
    with serve(seed_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium (one per session: Playwright runs one instance per process)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}: run `bash .ci/setup` (installs Debian's chromium)"
        )
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = Page(browser)
    yield opened
    opened.close()
