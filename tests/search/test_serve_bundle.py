"""Under ``mkdocs serve --dirty``, a save that leaves the search documents as they were
does not read, check and write the whole sharded bundle again (serve/writers.py,
plugin/search_index.py): the served site keeps the files of the same key."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from paper_archive.files.cachefiles import CacheDir
from paper_archive.search.build import SITE_DIR, BundlePlan, SearchBuildError, plan_bundle
from paper_archive.serve.writers import LateWriters
from paper_archive.site.collect import Archive

from .. import REPO
from ..polling import until


def _plan(archive: Archive, root: Path) -> BundlePlan:
    return plan_bundle(archive, REPO / "docs", CacheDir.open(root), serve=True)


def test_the_same_bundle_is_served_once(
    seed_archive: Archive, corpus: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    writers = LateWriters()
    first = _plan(seed_archive, tmp_path)
    assert not writers.served(site, first.key)  # nothing written yet
    first.start()
    writers.finish_search(first, site)
    until("the bundle written", lambda: writers.search_files(site), 120)
    written = sorted(p.name for p in (site / SITE_DIR).iterdir())
    assert written == sorted(writers.search_files(site)) and len(written) > 10
    manifest = site / SITE_DIR / first.names["manifest"]
    stamp = manifest.stat().st_mtime_ns

    # The next save's plan: the same documents, the same key; served as it is.
    again = _plan(seed_archive, tmp_path)
    assert again.key == first.key and writers.served(site, again.key)
    again.served = True
    writers.finish_search(again, site)
    assert again.files is None and again.job is None  # nothing read, nothing started
    assert manifest.stat().st_mtime_ns == stamp  # nothing rewritten
    assert sorted(p.name for p in (site / SITE_DIR).iterdir()) == written

    # A served file gone (a site cleaned by hand): written again, not trusted.
    manifest.unlink()
    assert not writers.served(site, first.key)
    assert not writers.served(site, "0" * 16)  # another key is never the one served


def test_the_next_save_does_not_wait_for_the_bundle_being_written(
    seed_archive: Archive, corpus: Path, tmp_path: Path
) -> None:
    """A serve's first build leaves its bundle to a thread, which writes it into the
    served site once its process is done: a save made meanwhile that leaves the search
    documents alone takes it as served (the thread writes those very files), without
    waiting for it nor starting the same bundle again."""
    site = tmp_path / "site"
    writers = LateWriters()
    first = _plan(seed_archive, tmp_path)
    first.start()
    gate = threading.Event()
    wait = first.wait

    def held_back() -> dict[str, bytes]:  # the bundle's process still running
        assert gate.wait(120)
        return wait()

    first.wait = held_back  # type: ignore[method-assign]
    writers.finish_search(first, site)
    again = _plan(seed_archive, tmp_path)
    assert again.key == first.key
    assert writers.served(site, again.key)  # answered now: the lock is not held
    assert not writers.served(site, "0" * 16)
    assert not (site / SITE_DIR).exists()  # nothing written yet
    again.served = True
    writers.finish_search(again, site)  # the save's build done: it leaves the write be
    gate.set()
    until("the bundle written", lambda: writers.search_files(site), 120)
    written = sorted(p.name for p in (site / SITE_DIR).iterdir())
    assert written == sorted(writers.search_files(site)) and len(written) > 10
    assert writers.served(site, first.key)


def test_a_bundle_that_failed_is_not_taken_as_served(
    seed_archive: Archive, corpus: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    writers = LateWriters()
    plan = _plan(seed_archive, tmp_path)
    gate = threading.Event()

    def failed() -> dict[str, bytes]:
        assert gate.wait(120)
        raise SearchBuildError("building the search index failed: on purpose")

    plan.wait = failed  # type: ignore[method-assign]
    writers.finish_search(plan, site)
    assert writers.served(site, plan.key)  # on its way, as far as anyone knows
    gate.set()
    until("the failure known", lambda: not writers.served(site, plan.key), 120)
    assert not (site / SITE_DIR).exists()


def test_a_server_shutting_down_gets_no_bundle_written_after_it(
    seed_archive: Archive, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Ctrl-C while a save's bundle is still being made: ``close`` (the hook's
    ``on_shutdown``, just before MkDocs removes the served folder) returns at once, and
    the thread writes nothing there once the bundle's process ends, and reports
    nothing, even when that process was ended by the same Ctrl-C."""
    site = tmp_path / "site"
    writers = LateWriters()
    plans = []
    for fails in (False, True):
        plan = _plan(seed_archive, tmp_path)
        gate, wait = threading.Event(), plan.wait

        def held_back(gate: threading.Event = gate, fails: bool = fails, wait=wait) -> dict:
            assert gate.wait(120)
            if fails:
                raise SearchBuildError("building the search index failed: interrupted")
            return wait()

        plan.wait = held_back  # type: ignore[method-assign]
        if not fails:
            plan.start()
        plans.append((plan, gate))
    first, second = plans
    before = set(threading.enumerate())
    writers.finish_search(first[0], site)
    writers.finish_search(second[0], tmp_path / "other-site")
    threads = set(threading.enumerate()) - before  # the two writers' threads
    writers.close()  # not waiting for either process
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.paper_archive.serve"):
        for _, gate in plans:
            gate.set()
        for thread in threads:
            thread.join(120)
            assert not thread.is_alive()
    assert not (site / SITE_DIR).exists() and not (tmp_path / "other-site").exists()
    assert writers.search_files(site) == []
    assert caplog.records == []
