"""Which pages a dirty rebuild (``mkdocs serve --dirty``) must render again.

Each page gets a fingerprint of everything its output is made from; a page whose
fingerprint differs from the one its output in this site directory was written with has
that output deleted, which MkDocs' own rule (source newer than output) then re-renders.
The :class:`Ledger` of fingerprints is kept per process, per site directory, written
only when a build completes, and distrusted whole when one fails. Generated pages are
backed by small files in the project's cache (:func:`generated_source`).

Design notes: docs/modules.md, `serve/incremental.py`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..files.cachefiles import CacheDir


@dataclass(frozen=True, slots=True)
class Output:
    src_uri: str
    dest: str  # the output file's absolute path
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Written:
    """What builds of this process wrote into one site directory."""

    pages: dict[str, Output]  # src_uri -> its output; fingerprint "": not trusted
    others: frozenset[str] = frozenset()  # every other file's absolute path


_NOTHING = Written({})


def fingerprint(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def files_fingerprint(folders: Iterable[Path]) -> str:
    """Names, sizes and modification times of every file under ``folders``."""
    rows: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                stat = path.stat()
                rows.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return fingerprint(*rows)


#: A Markdown link or reference target naming a page (a superset is harmless: it only
#: keeps a page that could have been left out).
_MD_TARGET = re.compile(r"""[^\s()<>"'\[\]]+?\.md\b""")


def linked(src_uri: str, text: str) -> set[str]:
    """The pages (src_uri) that the Markdown ``text`` of page ``src_uri`` may link to."""
    folder = posixpath.dirname(src_uri)
    out = set()
    for target in _MD_TARGET.findall(text):
        if "://" in target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out.add(posixpath.normpath(path))
    return out


def nav_pages(nav: object) -> set[str]:
    """Every page (src_uri) named in a ``nav:`` configuration (lists, mappings, paths)."""
    if isinstance(nav, str):
        return {nav} if nav.endswith(".md") else set()
    if isinstance(nav, Mapping):
        return set().union(*(nav_pages(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_pages(v) for v in nav))
    return set()


def delete(paths: Iterable[str]) -> int:
    count = 0
    for path in paths:
        try:
            Path(path).unlink()
            count += 1
        except FileNotFoundError:
            pass
    return count


#: A generated page's or export's source in the cache is at most this large.
MAX_SOURCE_BYTES = 64 * 1024 * 1024


_Seen = tuple[int, int, int, int]  # inode, size, modification and change times (ns)


def _seen(path: Path) -> _Seen | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class SourceFiles:
    """The generated sources this process wrote or found holding their text last, by
    path: that text and the file's state then (inode, size, modification and change
    times; no tool can set a change time back). A file still in that state holds that
    text, so a serve rebuild does not read its ~1,200 list pages' sources again. Each
    build keeps only the files it asked about (:meth:`done`)."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[_Seen, bytes]] = {}
        self._asked: dict[Path, tuple[_Seen, bytes]] = {}
        self._lock = threading.Lock()

    def holds(self, path: Path, data: bytes) -> bool:
        with self._lock:
            known = self._known.get(path)
        if known is None or known[1] != data or _seen(path) != known[0]:
            return False
        with self._lock:
            self._asked[path] = known
        return True

    def note(self, path: Path, data: bytes) -> None:
        """``path`` holds ``data`` now (written or read)."""
        seen = _seen(path)
        if seen is not None:
            with self._lock:
                self._asked[path] = (seen, data)

    def done(self, *, keep: bool = True) -> None:
        with self._lock:
            self._known, self._asked = (self._asked if keep else {}), {}


def generated_source(
    cache: CacheDir,
    folder: str,
    src_uri: str,
    text: str | bytes,
    *,
    known: SourceFiles | None = None,
) -> Path:
    """A file in the cache's ``folder`` holding a generated page's Markdown (or an
    export's text, or bytes for a compressed one), written only when it changed. What is
    there is read without following links (:class:`~paper_archive.files.cachefiles.CacheDir`)
    and kept only when it is exactly ``text``: a cache can spare a write, never change
    what MkDocs reads. ``known``: what this process wrote or read there before, in a
    file that has not changed since, is not read again."""
    path = cache.folder(folder) / src_uri
    data = text.encode("utf-8") if isinstance(text, str) else text
    if known is not None and known.holds(path, data):
        return path
    if cache.read(path, max_bytes=MAX_SOURCE_BYTES) != data:
        cache.write_bytes(path, data)
    if known is not None:
        known.note(path, data)
    return path


def outputs_of(pages: Mapping[str, str], *, dests: Mapping[str, str], shared: str) -> list[Output]:
    """One :class:`Output` per page: ``pages`` maps src_uri to its own inputs' digest."""
    return [Output(uri, dests[uri], fingerprint(shared, own)) for uri, own in sorted(pages.items())]


class Ledger:
    """What the builds of this process wrote into each site directory: the last
    completed build's outputs, and what the build under way may write (until
    :meth:`commit`)."""

    def __init__(self) -> None:
        #: Site directory -> what the last completed build wrote there.
        self._ledger: dict[str, Written] = {}
        #: Site directory -> what the build under way may write there (until commit).
        self._in_flight: dict[str, Written] = {}

    def stale_outputs(self, site_dir: str, outputs: Iterable[Output]) -> list[str]:
        """Output files of ``site_dir`` to delete before a dirty build renders ``outputs``:
        those written with another fingerprint (or by no completed build of this process),
        and those of pages that are gone."""
        previous = self._ledger.get(site_dir, _NOTHING).pages
        current = {o.src_uri: o for o in outputs}
        stale = [
            o.dest
            for o in current.values()
            if (old := previous.get(o.src_uri)) is None or old.fingerprint != o.fingerprint
        ]
        stale += [o.dest for uri, o in previous.items() if uri not in current]
        return stale

    def has_ledger(self, site_dir: str) -> bool:
        """Whether a build of this process completed into ``site_dir``."""
        return site_dir in self._ledger

    def current(self, site_dir: str, outputs: Iterable[Output]) -> set[str]:
        """The pages (src_uri) whose output in ``site_dir`` a completed build of this
        process wrote with the same fingerprint, and which is still there."""
        previous = self._ledger.get(site_dir, _NOTHING).pages
        return {
            o.src_uri
            for o in outputs
            if (old := previous.get(o.src_uri)) is not None
            and old.fingerprint == o.fingerprint
            and os.path.isfile(o.dest)  # noqa: PTH113 (10,000 string paths: no Path objects)
        }

    def gone_files(
        self, site_dir: str, others: Iterable[str], pages: Iterable[Output]
    ) -> list[str]:
        """The files other than pages' outputs that a build of this process wrote into
        ``site_dir`` and that the build under way does not make (``others``, ``pages``):
        a static file deleted from docs/, a deleted topic's feed and BibTeX."""
        made = {*others, *(o.dest for o in pages)}
        return sorted(self._ledger.get(site_dir, _NOTHING).others - made)

    def begin(self, site_dir: str, pages: Mapping[str, str], others: Iterable[str]) -> None:
        """Note what the build under way may write into ``site_dir``: ``pages`` maps each
        page (src_uri) to its output's path, ``others`` every other file's path."""
        untrusted = {uri: Output(uri, dest, "") for uri, dest in pages.items()}
        self._in_flight[site_dir] = Written(untrusted, frozenset(others))

    def commit(self, site_dir: str, outputs: Iterable[Output], others: Iterable[str] = ()) -> None:
        self._ledger[site_dir] = Written({o.src_uri: o for o in outputs}, frozenset(others))
        self._in_flight.pop(site_dir, None)

    def distrust_all(self) -> None:
        """After a failed build (of any site directory: MkDocs names none): every output
        that a build of this process wrote or was writing stays known, none is current."""
        for site_dir in {*self._ledger, *self._in_flight}:
            last, failed = (
                self._ledger.get(site_dir, _NOTHING),
                self._in_flight.get(site_dir, _NOTHING),
            )
            pages = {
                uri: Output(uri, o.dest, "") for uri, o in {**last.pages, **failed.pages}.items()
            }
            self._ledger[site_dir] = Written(pages, last.others | failed.others)
        self._in_flight.clear()

    def forget_all(self) -> None:
        """No site directory known (a new process)."""
        self._ledger.clear()
        self._in_flight.clear()
