"""The one way pages and manifests are read: strict UTF-8, no NUL, bounded, no symlinks.

Before this, ``Path.read_text`` in half a dozen places turned one non-UTF-8 page into a
``UnicodeDecodeError`` traceback naming no file, in every command and in the build. A NUL
byte makes git treat a page as binary and hide it from review, so it is refused too.
"""

from __future__ import annotations

from pathlib import Path

from .errors import TextFileError


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
