"""Under ``mkdocs serve --dirty``, a save that leaves the search documents as they were
does not read, check and write the whole sharded bundle again (serve/writers.py,
plugin/search_index.py): the served site keeps the files of the same key."""

from __future__ import annotations

from pathlib import Path

from paper_archive.files.cachefiles import CacheDir
from paper_archive.search.build import SITE_DIR, BundlePlan, plan_bundle
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
    until("the bundle written", lambda: writers.served(site, first.key), 120)
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
