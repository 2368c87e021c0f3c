"""The threads that finish a ``mkdocs serve`` rebuild after MkDocs has served it.

A serve rebuild does not wait for its search bundle nor for its feeds and exports:
each is written into the served site on a thread once ready. :class:`LateWriters`
keeps, per process, which bundle is the newest for each site (an older, slower one
never overwrites it) and the exports thread of the build before (the next one waits
for it, so exports land in order).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ArchiveError
from ..files.cachefiles import remove
from ..files.textfile import atomic_copy
from ..search.build import SITE_DIR
from .memory import release_free_memory

if TYPE_CHECKING:
    from ..search.build import BundlePlan

log = logging.getLogger("mkdocs.plugins.paper_archive.serve")


class LateWriters:
    """What a serve process writes into its site after each build."""

    def __init__(self) -> None:
        #: Site directory -> key of the newest bundle started for it.
        self._newest: dict[str, str] = {}
        #: Site directory -> the key of the bundle last written there, and its files (in
        #: SITE_DIR).
        self._written: dict[str, tuple[str, list[str]]] = {}
        #: Site directory -> the key of the bundle a thread is about to write there.
        self._writing: dict[str, str] = {}
        #: Site directory -> the files (in SITE_DIR) of the bundle a thread is writing
        #: there, when known before it is written (a bundle read from the cache).
        self._coming: dict[str, list[str]] = {}
        self._lock = threading.Lock()  # the four above
        self._write_lock = threading.Lock()  # one bundle written at a time
        self._exports: threading.Thread | None = None
        self._exports_lock = threading.Lock()  # held while an export is copied
        #: The server is shutting down: no thread writes into a site any more.
        self._closed = False

    def close(self) -> None:
        """The server is shutting down, and MkDocs removes the served folder next: no
        thread writes into a site from now on. A bundle or an export being written is
        finished first (a write is file copies), so that none lands in a folder being
        removed: a Ctrl-C just after a save ended in a traceback ("Directory not
        empty") and left the folder in ``/tmp``. A thread still waiting for its bundle's
        process writes nothing and says nothing once that process ends."""
        with self._write_lock, self._exports_lock:
            self._closed = True

    def finish_search(self, plan: BundlePlan, site_dir: Path) -> None:
        """``plan.finish`` on a thread: the newest plan for a site wins."""
        site = str(site_dir)
        with self._lock:
            self._newest[site] = plan.key
            if plan.served:
                return
            self._writing[site] = plan.key
            # Files a save's build must count as made while they are written: see
            # :meth:`search_files`.
            self._coming[site] = [*plan.site_files(), *plan.scripts] if plan.cached else []

        def run() -> None:
            try:
                plan.wait()
                with self._write_lock:
                    if self._closed:
                        return
                    with self._lock:
                        if self._newest.get(site) != plan.key:
                            return  # a newer bundle is on its way
                        _, before = self._written.get(site, ("", []))
                    written = plan.finish(site_dir)
                    for name in sorted(set(before) - set(written)):
                        remove(site_dir / SITE_DIR / name)  # a shard no longer made
                    with self._lock:
                        self._written[site] = (plan.key, written)
                log.info("search bundle %s written", plan.key)
            except (OSError, ArchiveError) as exc:  # WriteError, SearchBuildError
                if not self._closed:  # not the process ended by the Ctrl-C
                    log.error("%s", exc)
            finally:
                with self._lock:
                    if self._writing.get(site) == plan.key:
                        del self._writing[site]
                        self._coming.pop(site, None)

        threading.Thread(target=run, name=f"search-{plan.key}", daemon=True).start()

    def served(self, site_dir: Path, key: str) -> bool:
        """Whether the bundle ``key`` is the one last written into ``site_dir`` and its
        files are all still there, or the newest one, which a thread is writing there
        now (a save that left the search documents alone: its rebuild neither reads and
        checks the cached bundle again nor writes it, nor waits for that thread: the
        first save after a serve's first build, whose bundle lands just then)."""
        site = str(site_dir)
        with self._lock:
            if self._writing.get(site) == key == self._newest.get(site):
                return True
            served, names = self._written.get(site, ("", []))
        if served != key:
            return False
        return bool(names) and all((site_dir / SITE_DIR / name).is_file() for name in names)

    def search_files(self, site_dir: Path) -> list[str]:
        """The search bundle's files (in SITE_DIR) last written into ``site_dir``, and
        those of the bundle a thread is writing there, when known: a save's build counts
        them as made. A bundle read from the cache at a serve's first build is written
        by a thread while the saves' builds run; a save whose build did not count its
        files deleted them as no longer made (plugin/dirty.py), once written and before
        the thread noted them, and the served site lost its search shards."""
        site = str(site_dir)
        with self._lock:
            written = self._written.get(site, ("", []))[1]
            return sorted({*written, *self._coming.get(site, [])})

    def wait_for_exports(self) -> None:
        """The exports of the build before, in place (an export this build no longer
        makes, deleted before its pages render, then stays deleted)."""
        if self._exports is not None:
            self._exports.join()

    def write_exports(self, site_dir: Path, made: Callable[[], Iterable[tuple[str, Path]]]) -> None:
        """On a thread, after the build before's: each export (site path, its file in the
        cache) whose file is newer than the served copy, copied into the site."""
        before = self._exports

        def run() -> None:
            if before is not None:
                before.join()
            try:
                for path, source in made():
                    target = site_dir / path
                    with self._exports_lock:
                        if self._closed:
                            return
                        if (
                            not target.is_file()
                            or source.stat().st_mtime_ns > target.stat().st_mtime_ns
                        ):
                            atomic_copy(source, target)
            except (OSError, ArchiveError) as exc:  # a WriteError names the file
                if not self._closed:
                    log.error("exports not written into the served site: %s", exc)
            # The texts of the exports before, given back: strings, freed as their last
            # reference goes (no cycle to collect; the build's own collection is done).
            release_free_memory(collect=False)

        self._exports = threading.Thread(target=run, name="exports", daemon=True)
        self._exports.start()
