"""`mkdocs serve` told of a save by the kernel rather than by polling every file.

MkDocs' server watches docs/ with watchdog's PollingObserver: every half second it
lists and stats every file it watches, on a thread of the serve process. At 10,000
papers those polls took half of a save's CPU and stretched a save from ~1.2 s of
rebuild to ~2.9 s served (docs/benchmarks.md). :func:`choose` picks the observer from
``PAPER_ARCHIVE_WATCHER`` (``auto``, ``native``, ``polling``) and where the watched
paths live: ``auto`` takes the native one only on Linux, for paths on a local
filesystem (/proc/self/mountinfo), since inotify hears nothing of a change made on the
other side of a network share or a VM's shared folder (why MkDocs polls).
:func:`use_native` moves the server's watches onto it, through the server's own
``watch``/``unwatch``, before the server starts it. That observer reports changes only:
inotify also reports a file opened or read, and each build's reads would start the
next.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ..errors import ArchiveError

log = logging.getLogger("mkdocs.plugins.paper_archive.serve")

#: The environment variable that chooses the watcher, and what it may say.
ENV = "PAPER_ARCHIVE_WATCHER"
CHOICES = ("auto", "native", "polling")

#: Filesystems whose every change the kernel itself makes, so inotify hears each one.
#: Network and shared-folder filesystems (nfs, cifs, 9p, virtiofs, fuse.*, vboxsf) are
#: not here: a change made by another machine, or by a VM's host, goes unheard.
LOCAL_FILESYSTEMS = frozenset(
    {"bcachefs", "btrfs", "ext2", "ext3", "ext4", "f2fs", "jfs", "overlay", "ramfs"}
    | {"reiserfs", "tmpfs", "xfs", "zfs"}
)

#: The events that are a change: a file opened, read and closed is none.
CHANGES: tuple[type[FileSystemEvent], ...] = (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileClosedEvent,  # closed after a write
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
)


class WatcherError(ArchiveError):
    """``PAPER_ARCHIVE_WATCHER`` says something else than one of :data:`CHOICES`."""


@dataclass(frozen=True)
class Choice:
    native: bool
    why: str  # for the log: what decided it


def _unescaped(field: str) -> str:
    """A mountinfo path field: space, tab, newline and backslash are octal escapes."""
    for code in ("040", "011", "012", "134"):
        field = field.replace(f"\\{code}", chr(int(code, 8)))
    return field


def mounts(mountinfo: str) -> dict[str, str]:
    """Mount point -> filesystem type, from /proc/self/mountinfo's text (a later mount
    at the same point hides the earlier one)."""
    found: dict[str, str] = {}
    for line in mountinfo.splitlines():
        before, sep, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if sep and len(fields) >= 5 and tail:
            found[_unescaped(fields[4])] = tail[0]
    return found


def filesystem_of(path: str, mounted: Mapping[str, str]) -> str | None:
    """The type of the filesystem holding ``path`` (absolute, resolved): its deepest
    mount point."""
    best = None
    for point in mounted:
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > len(best)):
            best = point
    return None if best is None else mounted[best]


def setting(environ: Mapping[str, str]) -> str:
    """What ``PAPER_ARCHIVE_WATCHER`` asks for (``auto`` when unset or empty);
    :class:`WatcherError` naming it when it is none of :data:`CHOICES`."""
    given = environ.get(ENV, "")
    value = given.strip().lower() or "auto"
    if value not in CHOICES:
        raise WatcherError(f"{ENV}={given!r}: must be one of {', '.join(CHOICES)}")
    return value


def choose(value: str, paths: Iterable[str], *, platform: str, mountinfo: str | None) -> Choice:
    """The watcher for ``paths``; ``value`` is :func:`setting`'s."""
    if value != "auto":
        return Choice(value == "native", f"{ENV}={value}")
    if not platform.startswith("linux") or mountinfo is None:
        return Choice(False, f"{ENV}=auto, not on Linux: MkDocs' polling kept")
    mounted = mounts(mountinfo)
    for path in paths:
        kind = filesystem_of(path, mounted)
        if kind not in LOCAL_FILESYSTEMS:
            return Choice(False, f"{ENV}=auto, {path} is on {kind or 'an unknown filesystem'}")
    return Choice(True, f"{ENV}=auto, every watched path on a local filesystem")


class ChangesOnly(Observer):  # type: ignore[misc,valid-type]  # the platform's class
    """The platform's native observer, reporting only :data:`CHANGES` to what is
    scheduled on it (MkDocs' watch schedules a handler that rebuilds on any event)."""

    def schedule(self, event_handler: Any, path: str, **options: Any) -> Any:
        options.setdefault("event_filter", list(CHANGES))
        return super().schedule(event_handler, path, **options)


def _read_mountinfo() -> str | None:
    try:
        return Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _as_given(watch: Any) -> tuple[str, bool]:
    """A watch as MkDocs asked for it: watchdog (6+) keeps a file's watch as its
    folder's, the path given as ``raw_path``."""
    if getattr(watch, "is_file", False):
        return str(watch.raw_path), True  # MkDocs' default; a file has no inside
    return str(getattr(watch, "raw_path", watch.path)), bool(watch.is_recursive)


def _fails(watches: Iterable[tuple[str, bool]], timeout: float) -> str | None:
    """Why a native observer of ``watches`` cannot start (inotify's limits on instances
    and watches are per user: an editor and a file indexer share them), else None:
    tried here, since the server starting it would stop `mkdocs serve` with a
    traceback."""
    probe = ChangesOnly(timeout=timeout)
    try:
        for path, recursive in watches:
            probe.schedule(FileSystemEventHandler(), path, recursive=recursive)
        probe.start()
    except OSError as exc:
        return str(exc)
    finally:
        if probe.is_alive():
            probe.stop()
            probe.join(timeout + 5)
    return None


def use_native(
    server: Any, *, later: Iterable[str] = (), environ: Mapping[str, str] = os.environ
) -> Choice | None:
    """Move ``server``'s watches (MkDocs' LiveReloadServer, not started yet) onto
    :class:`ChangesOnly` when :func:`choose` says so; the choice, or None when the
    server is not one this knows (another observer already, or started). ``later``:
    the paths MkDocs watches after ``on_serve`` (mkdocs.yml's ``watch:``), which the
    new observer watches too."""
    polling = getattr(server, "observer", None)
    if not isinstance(polling, PollingObserver) or polling.is_alive():
        return None
    watches = sorted({_as_given(e.watch) for e in polling.emitters})
    if not watches:  # --no-livereload
        return None
    choice = choose(
        setting(environ),
        [os.path.realpath(path) for path in (*(path for path, _ in watches), *later)],
        platform=sys.platform,
        mountinfo=_read_mountinfo(),
    )
    if choice.native and (failed := _fails(watches, polling.timeout)) is not None:
        choice = Choice(False, f"the kernel's file events failed: {failed}")
    if not choice.native:
        log.info("Watching by polling (%s)", choice.why)
        return choice
    held: list[tuple[str, bool, int]] = []
    for path, recursive in watches:
        count = 0
        while True:  # as often as it was watched: unwatch raises past the last
            try:
                server.unwatch(path)
            except KeyError:
                break
            count += 1
        held.append((path, recursive, count))
    server.observer = ChangesOnly(timeout=polling.timeout)
    for path, recursive, count in held:
        for _ in range(count):
            server.watch(path, recursive=recursive)
    log.info("Watching with the kernel's file events (%s)", choice.why)
    return choice
