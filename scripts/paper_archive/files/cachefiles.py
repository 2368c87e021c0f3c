"""The build's cache, ``.paper-archive-cache/`` beside mkdocs.yml (the setting
``cache_dir``, paper_archive/settings.py): an input the build does not trust.

A cache may make a build faster, never different: tracked files under it are removed,
nothing is read or written through a symbolic link (:class:`CacheDir`), and what is
read back is checked by its reader; a file that fails is ignored at INFO and recomputed.

Design notes: docs/modules.md, `files/cachefiles.py`.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .textfile import atomic_write, atomic_write_bytes

#: The cache folder, beside mkdocs.yml, unless the settings name another.
NAME = ".paper-archive-cache"

log = logging.getLogger("mkdocs.plugins.paper_archive.cache")


def tracked(root: Path, name: str = NAME) -> list[str] | None:
    """The paths under the cache folder ``name`` that git tracks in ``root``'s work
    tree (relative to ``root``, POSIX), sorted; none when ``root`` is in no git work
    tree or git is missing; None when git could not tell (a repository it refuses, e.g.
    one owned by another user and not marked safe): then no cache file can be trusted."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", name],
            capture_output=True,
            check=False,
            env={**os.environ, "LC_ALL": "C"},  # git's messages in English, to read them
        )
    except OSError:
        return []
    if result.returncode != 0:
        return [] if b"not a git repository" in result.stderr else None
    return sorted(p.decode("utf-8", "surrogateescape") for p in result.stdout.split(b"\0") if p)


def remove(path: Path) -> None:
    """Remove ``path`` whatever it is (a link is removed, never followed)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)  # does not follow links inside
    else:
        path.unlink()


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISREG(mode):
        return "a file"
    return "not a directory"


@dataclass(frozen=True)
class CacheDir:
    """The project's cache folder for one build."""

    root: Path  # the project: the folder holding mkdocs.yml
    name: str = NAME  # the cache folder, relative to root (POSIX): settings.cache_dir

    @classmethod
    def open(cls, root: Path, name: str = NAME) -> CacheDir:
        """The cache ``name`` of ``root``, its tracked paths removed and its folder a
        real one."""
        cache = cls(root, name)
        found = tracked(root, name)
        if found is None:
            log.info("cache %s not used: git cannot tell which of its files it tracks", name)
            remove(cache.path)
            found = []
        for relative in found:
            path = root / relative
            cache.ignored(path, "tracked by git (a cache file comes from a build, never a commit)")
            if path == cache.path or cache._outside(path) is None:
                remove(path)  # else a folder on the way is replaced (folder) or refused (read)
        cache.folder()
        return cache

    @property
    def path(self) -> Path:
        return self.root / self.name

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def ignored(self, path: Path, reason: str) -> None:
        log.info("ignored cache file %s: %s", self.display(path), reason)

    def folder(self, relative: str = "") -> Path:
        """``relative`` (from the cache, e.g. ``search``; the cache itself by default),
        each folder on the way from the project down a real directory: made now if
        missing; a link or a file in the way is removed first, said at INFO."""
        inside = PurePosixPath(relative).parts
        if PurePosixPath(relative).is_absolute() or ".." in inside:
            raise ValueError(f"{relative}: not under {self.name}")
        path = self.root
        for part in (*PurePosixPath(self.name).parts, *inside):
            path = path / part
            self._real_dir(path)
        return path

    def write_text(self, path: Path, text: str) -> None:
        """Write cache file ``path`` (folders made real first; the file replaced, never
        written through: ``atomic_write``)."""
        self.folder(path.parent.relative_to(self.path).as_posix())
        atomic_write(path, text)

    def write_bytes(self, path: Path, data: bytes) -> None:
        """:meth:`write_text` for bytes."""
        self.folder(path.parent.relative_to(self.path).as_posix())
        atomic_write_bytes(path, data)

    def _real_dir(self, path: Path) -> None:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISDIR(mode):
            self.ignored(path, f"{_kind(mode)}, where the cache needs a folder; replaced")
            remove(path)
            mode = None
        if mode is None:
            path.mkdir(exist_ok=True)

    def _outside(self, path: Path) -> str | None:
        """Why opening ``path`` could leave the cache (a folder on the way is a link or
        not a folder), ``"missing"`` when a folder on the way is not there, else None."""
        try:
            parts = path.relative_to(self.path).parts
        except ValueError:
            return "not in the cache"
        for depth in range(len(parts)):
            folder = self.path.joinpath(*parts[:depth])
            try:
                mode = folder.lstat().st_mode
            except FileNotFoundError:
                return "missing"
            except OSError as exc:
                return f"cannot read its folder: {exc.strerror}"
            if not stat.S_ISDIR(mode):
                return f"{self.display(folder)} is {_kind(mode)}, not a folder"
        return None

    def read(self, path: Path, *, max_bytes: int) -> bytes | None:
        """The bytes of cache file ``path``, or ``None``: missing (silently), or a link,
        not a regular file, over ``max_bytes``, outside the cache or unreadable (each
        said at INFO, :meth:`ignored`)."""
        outside = self._outside(path)
        if outside is not None:
            if outside != "missing":
                self.ignored(path, outside)
            return None
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            return None
        except OSError as exc:
            link = exc.errno == errno.ELOOP
            self.ignored(path, "a symbolic link" if link else f"cannot read: {exc.strerror}")
            return None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                self.ignored(path, "not a regular file")
                return None
            if info.st_size > max_bytes:
                self.ignored(path, f"larger than {max_bytes} bytes")
                return None
            try:
                # At most the file's size and one byte more, to see it grow: never
                # ``max_bytes`` (a buffered read allocates what it is asked for, and the
                # related lists' cap is 64 KB a paper: ~6.5 GB asked at 100,000 papers).
                data = handle.read(min(max_bytes, info.st_size) + 1)
            except OSError as exc:
                self.ignored(path, f"cannot read: {exc.strerror}")
                return None
        if len(data) > max_bytes:
            self.ignored(path, f"larger than {max_bytes} bytes")
            return None
        if len(data) > info.st_size:
            self.ignored(path, "changed while read")
            return None
        return data

    def read_text(self, path: Path, *, max_bytes: int) -> str | None:
        """:meth:`read` as strict UTF-8 text (bad bytes: ignored, at INFO)."""
        data = self.read(path, max_bytes=max_bytes)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.ignored(path, f"not UTF-8 (byte {exc.start})")
            return None
