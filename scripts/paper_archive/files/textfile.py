"""The one way pages and manifests are read (strict UTF-8, no NUL, bounded, no symlinks)
and written (atomically: a temporary file beside the target, then ``os.replace``).

Before this, ``Path.read_text`` in half a dozen places turned one non-UTF-8 page into a
``UnicodeDecodeError`` traceback naming no file, in every command and in the build. A NUL
byte makes git treat a page as binary and hide it from review, so it is refused too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from ..errors import TextFileError, WriteError


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, *, path: str | Path) -> str:
    """``data`` as UTF-8 text. Raises :class:`TextFileError` naming the line of the first
    bad byte (or NUL)."""
    nul = data.find(b"\0")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if nul == -1 or nul > exc.start:
            raise TextFileError(
                f"not UTF-8 text (byte {exc.start}: 0x{data[exc.start]:02x}); "
                "save the file as UTF-8",
                path=path,
                line=_line_at(data, exc.start),
            ) from None
    if nul != -1:
        raise TextFileError(
            f"NUL byte at byte {nul}: git would treat the file as binary and hide it from review",
            path=path,
            line=_line_at(data, nul),
        )
    return text


def read_text(
    path: Path, *, display: str | Path | None = None, max_bytes: int | None = None
) -> str:
    """The text of ``path``, decoded strictly. ``display`` is how errors name the file
    (default: ``path``); a file over ``max_bytes`` is refused before it is read.

    Raises :class:`TextFileError` (a symlink, too large, bad bytes, a NUL) or
    :class:`~paper_archive.errors.ArchiveError` subclasses only: never a bare OSError or
    UnicodeDecodeError.
    """
    name = display if display is not None else path
    if path.is_symlink():
        raise TextFileError("is a symbolic link; commit the file itself", path=name)
    try:
        with path.open("rb") as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as exc:
        raise TextFileError(f"cannot read: {exc.strerror}", path=name) from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise TextFileError(
            f"file is larger than the limit of {max_bytes // 1024} KB", path=name, line=1
        )
    return decode(data, path=name)


#: The name of a file being written (:func:`temp_path`): ``.<name>.<pid>.tmp``.
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]{1,10})\.tmp$")


def temp_path(path: Path) -> Path:
    """Where ``path`` is written before it is renamed into place: hidden, beside it,
    and named after this process, so a run killed mid-write can be told apart."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's live process, or not a pid: leave it alone
    return True


def stale_temp_files(*directories: Path) -> list[Path]:
    """Temp files left by writes cut short (``kill -9`` mid-ingest): named like
    :func:`temp_path`'s, by a process no longer running. The page each was meant to
    replace is complete (old or new): the temp file is only clutter, safe to remove."""
    found: list[Path] = []
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob(".*.tmp")):
            match = TEMP_NAME.match(path.name)
            if match and not path.is_symlink() and not _running(int(match["pid"])):
                found.append(path)
    return found


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an :class:`OSError` raised while ``path`` is written (a full disk, a
    read-only file system, a refused permission) into a :class:`WriteError` naming
    ``path`` and the reason: the commands print it as one ``error:`` line, the build as
    a PluginError. A write to a temporary file fails with no file name at all (ENOSPC
    comes from ``write`` or ``close``), so the file meant is named here."""
    try:
        yield
    except OSError as exc:
        raise WriteError(exc.strerror or str(exc), path=path) from exc


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never
    a part: a temporary file in the same directory, then ``os.replace``. Raises
    :class:`WriteError` (:func:`writing`); the temporary file is removed.

    No per-file fsync (it tripled the time of a 10,000-page ingest); :func:`sync_dir`
    makes a batch of renames durable once at the end.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_parts(path: Path, parts: Iterable[str]) -> None:
    """:func:`atomic_write` of the text ``parts`` make one after the other, never
    held whole: a large file (a build's job input, tens of MB at 100,000 papers) costs
    the memory of one part at a time."""
    with _replacing(path, "x", encoding="utf-8", newline="") as handle:
        for part in parts:
            handle.write(part)


def atomic_write_json_list(
    path: Path, head: Mapping[str, object], name: str, items: Iterable[object]
) -> None:
    """:func:`atomic_write` of ``json.dumps({**head, name: list(items)},
    ensure_ascii=False)`` (``name`` the last member), written a batch of items at a
    time: neither the list nor its text is held whole (a build's job input holds every
    paper's abstract: ~0.2 GB of objects and text at 100,000 papers)."""
    opening = json.dumps({**head, name: []}, ensure_ascii=False)
    if name in head or not opening.endswith("[]}"):
        raise ValueError(f"{name!r}: not a new last member of {sorted(head)}")

    def parts() -> Iterator[str]:
        yield opening[:-2]
        batch: list[str] = []
        separator = ""  # before each batch but the first
        for item in items:
            batch.append(json.dumps(item, ensure_ascii=False))
            if len(batch) == 1024:
                yield separator + ", ".join(batch)
                batch, separator = [], ", "
        if batch:
            yield separator + ", ".join(batch)
        yield "]}"

    atomic_write_parts(path, parts())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """:func:`atomic_write` for bytes. Whatever is at the temporary name (a link left
    there) is removed first and the file created anew (``x``): never written through.
    Raises :class:`WriteError` naming ``path``."""
    with _replacing(path, "xb") as handle:
        handle.write(data)


@contextlib.contextmanager
def _replacing(
    path: Path, mode: str, *, encoding: str | None = None, newline: str | None = None
) -> Iterator[IO[Any]]:
    """A file opened anew (``mode`` "x" or "xb") at ``path``'s temporary name, put in
    ``path``'s place once the block is done, removed if it fails. Whatever is at the
    temporary name (a link left there) is removed first: never written through. Raises
    :class:`WriteError` naming ``path`` (:func:`writing`)."""
    tmp = temp_path(path)
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()  # a link left there is removed, never written through
            with tmp.open(mode, encoding=encoding, newline=newline) as handle:
                yield handle
            os.replace(tmp, path)  # noqa: PTH105 - the atomic step, named as such
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise


def atomic_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` as :func:`atomic_write` writes: a reader (a served
    site) sees the old file or the new one, never a part. Raises :class:`WriteError`."""
    tmp = temp_path(target)
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()  # a link left there is removed, never written through
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)  # noqa: PTH105 - the atomic step, named as such
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise


def sync_dir(directory: Path) -> None:
    """fsync a directory, so the renames made in it survive a power cut."""
    with writing(directory):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
