"""Build small fixture sites with MkDocs' own API, the way `mkdocs build` does."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from paper_archive.disk.pages import render_page
from paper_archive.record.model import Paper
from paper_archive.record.slugs import base_slug
from paper_archive.serve.process import Process
from paper_archive.text.safe import inert

from . import CORPUS, REPO

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

#: The project's long documentation pages under docs/ (architecture, module notes,
#: benchmark figures: ~150 KB of prose and tables that grows with every change, and the
#: subject of no test that builds a fixture site). A fixture site keeps each as its
#: first line, the level-1 heading the nav and the theme show: converting and rendering
#: them whole was ~0.15 s of CPU in each of the suite's ~150 builds (issue 18). CI's
#: strict build of the repository builds them whole, and ``full_docs=True`` keeps them
#: (tests/test_engines.py compares two engines on every byte).
LONG_DOCS = (
    "architecture.md",
    "benchmarks.md",
    "deploy.md",
    "modules.md",
    "search-benchmarks.md",
    "scale-benchmarks.md",
    "security.md",
    "settings.md",
)


def make_site(
    root: Path,
    papers: list[Paper] | None = None,
    *,
    with_seed: bool = False,
    sample: int | None = None,
    keep: tuple[str, ...] = (),
    full_docs: bool = False,
) -> Path:
    """The real site's code and configuration (mkdocs.yml, hooks, theme overrides, the
    site's own pages and assets under docs/) with the frozen corpus's data (tags, sources)
    and, ``with_seed``, its pages; then the given papers. Never the live archive's pages.

    ``sample=n`` keeps only every n-th seed page by name (see :func:`seed_sample`) plus
    the pages named in ``keep``: for a test whose point is not the archive's size, a
    build of ~40 pages instead of 543 (a strict build of the whole corpus costs ~4 s).
    The long documentation pages are kept short unless ``full_docs`` (:data:`LONG_DOCS`)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(CORPUS / "data", root / "data")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("papers"))
    if not full_docs:
        for name in LONG_DOCS:
            page = root / "docs" / name
            heading = page.read_text(encoding="utf-8").split("\n", 1)[0]
            assert heading.startswith("# "), f"docs/{name} no longer opens with its title"
            page.write_text(f"{heading}\n", encoding="utf-8")
    pages = root / "docs" / "papers"
    if with_seed and sample is None:
        shutil.copytree(CORPUS / "docs" / "papers", pages)
    elif with_seed:
        pages.mkdir()
        for page in seed_sample(sample, keep=keep):
            shutil.copy2(page, pages / page.name)
    else:
        pages.mkdir()
    for paper in papers or []:
        (pages / f"{base_slug(paper.title)}.md").write_text(render_page(paper), encoding="utf-8")
    return root


def seed_sample(stride: int, *, keep: tuple[str, ...] = ()) -> list[Path]:
    """Every ``stride``-th page of the frozen corpus, by name (spread over the alphabet,
    the topics and the years), plus the pages named in ``keep`` (a test's own subjects)."""
    seed = sorted((CORPUS / "docs" / "papers").glob("*.md"))
    names = {page.name for page in seed}
    missing = [name for name in keep if name not in names]
    assert not missing, f"not in the frozen corpus: {missing}"
    return [page for index, page in enumerate(seed) if index % stride == 0 or page.name in keep]


def paper(
    title: str,
    *,
    published: dt.date | None = None,
    tags: tuple[str, ...] = (),
    abstract: str = "An abstract. It has two sentences.",
    added: dt.date = dt.date(2026, 11, 23),
    **extra: object,
) -> Paper:
    return Paper(
        title=title,
        added=added,
        tags=tags,
        published=published,
        abstract=inert(abstract),
        **extra,  # type: ignore[arg-type]
    )


def build_site(root: Path, *, site: Path | None = None, strict: bool = True) -> Path:
    site = site or root / "site"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=strict)
    build(config)
    return site


def config_with(root: Path, site: Path, process: Process, *, strict: bool = True):
    """The config of the site at ``root`` building into ``site``, its hook's one object
    given ``process`` (its serve layer, its mode): builds through MkDocs' API in one
    process, as ``mkdocs serve`` makes them, or with the serve layer off."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=strict)
    (hook,) = config["hooks"].values()
    hook.ARCHIVE.process = process
    return config


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (a built site), by its path relative to it: what two
    builds are compared on, byte for byte."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


#: The site's one hook, as mkdocs.yml lists it, and the line that makes its object.
SITE_HOOK = "hooks/paper_archive_site.py"
_MADE = "ARCHIVE = PaperArchive()"


def chrome_in_every_page(root: Path) -> None:
    """The site at ``root`` with ``shared_chrome: false`` in its mkdocs.yml, as a
    maintainer turns it off (docs/settings.md): each paper and list page keeps its chrome."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "    shared_chrome: true" in text, "mkdocs.yml no longer states shared_chrome"
    config.write_text(text.replace("    shared_chrome: true", "    shared_chrome: false"), "utf-8")


def hook_variant(root: Path, arguments: str, *, config: str = "mkdocs.yml") -> Path:
    """The site at ``root`` built with its hook's object made as
    ``PaperArchive(arguments)`` (a part off, to compare with): the hook copied to
    ``hooks/paper_archive_variant.py`` and ``config`` (mkdocs.yml itself, or a file
    beside it) listing the copy instead. MkDocs loads a hook once per path, so in one
    process the copy gets an object of its own. Returns the config file."""
    source = (root / SITE_HOOK).read_text(encoding="utf-8")
    assert _MADE in source, f"{SITE_HOOK} no longer makes its object as {_MADE}"
    variant = "hooks/paper_archive_variant.py"
    (root / variant).write_text(
        source.replace(_MADE, f"ARCHIVE = PaperArchive({arguments})"), encoding="utf-8"
    )
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"  - {SITE_HOOK}\n" in text, f"mkdocs.yml no longer lists {SITE_HOOK}"
    (root / config).write_text(text.replace(SITE_HOOK, variant), encoding="utf-8")
    return root / config
