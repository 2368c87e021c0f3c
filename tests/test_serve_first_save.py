"""A save made while ``mkdocs serve --dirty`` still writes its first search bundle keeps
that bundle in the served site.

A serve's first build finds its bundle in the project's cache and leaves writing it to
a thread (serve/writers.py). On a busy process that thread can take seconds (each of
its ~1,600 file writes at 10,000 papers waits for the build's thread to let go of the
interpreter). A save's rebuild in that window deleted, as files no longer made
(plugin/dirty.py), the shards the thread had written and not yet noted: the served
search lost its shards until a later save read, checked and wrote the bundle again
(2.5 s at 10,000 papers, measured by tests/benchmarks/bench_rebuild.py).

Built through MkDocs' API in one process, as ``mkdocs serve --dirty`` rebuilds.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from paper_archive.search.build import CACHE_DIR, SITE_DIR, BundlePlan
from paper_archive.serve.process import Mode, Process

from .polling import until
from .sitebuild import config_with, make_site


def _config(root: Path, site: Path, process: Process):
    # not strict: MkDocs warns that a dirty build is one (as `mkdocs serve --dirty` does)
    return config_with(root, site, process, strict=False)


def _bundle_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("search-")]


def test_a_save_during_the_first_bundle_write_keeps_the_served_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(tmp_path / "project", with_seed=True, sample=12)
    # An earlier serve made the bundle: the project's cache holds it.
    warm = Process(mode=Mode(serving=True, dirty=True))
    build(_config(root, tmp_path / "warm-site", warm), dirty=True)
    until("the earlier serve's bundle written", lambda: not _bundle_threads(), 120)
    assert warm.writers.search_files(tmp_path / "warm-site")

    site = tmp_path / "site"
    written, release = threading.Event(), threading.Event()
    finish = BundlePlan.finish

    def held_after_writing(plan: BundlePlan, site_dir: Path) -> list[str]:
        names = finish(plan, site_dir)  # every file is in the site now
        if site_dir == site:
            written.set()
            assert release.wait(120)  # the thread has not noted them yet
        return names

    monkeypatch.setattr(BundlePlan, "finish", held_after_writing)
    process = Process(mode=Mode(serving=True, dirty=True))
    search = site / SITE_DIR
    try:
        build(_config(root, site, process), dirty=True)  # the serve's first build
        assert written.wait(120)
        shards = sorted(p.name for p in search.iterdir())
        assert len(shards) > 5 and any(name.startswith("frag.serve.") for name in shards)

        page = sorted((root / "docs" / "papers").glob("*.md"))[2]
        page.write_text(page.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
        build(_config(root, site, process), dirty=True)  # the save, the thread still held

        assert sorted(p.name for p in search.iterdir()) == shards  # nothing deleted
    finally:
        release.set()  # a failure above leaves no thread waiting
    for thread in _bundle_threads():
        thread.join(120)
    bundle = process.writers.search_files(site)  # the thread's files, noted
    assert any(name.startswith("frag.serve.") for name in bundle)
    assert set(bundle) <= set(shards)
    manifest = json.loads((search / "manifest.serve.json").read_text(encoding="utf-8"))
    assert manifest["key"] == "serve"
    # What the next save checks: the bundle served is whole, not read and written again.
    (key,) = [p.name for p in (root / ".paper-archive-cache" / CACHE_DIR).iterdir()]
    assert process.writers.served(site, key)
