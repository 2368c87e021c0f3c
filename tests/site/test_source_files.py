"""Generated sources a serve process wrote are not read again while their files are as
it left them (serve/incremental.py ``SourceFiles``), and are read and rewritten when
anything changed one behind its back: its text, even with its size and modification
time put back, or the file replaced by a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from paper_archive.files.cachefiles import CacheDir
from paper_archive.serve.incremental import SourceFiles, generated_source


class Counting(CacheDir):
    reads = 0

    def read(self, path: Path, *, max_bytes: int) -> bytes | None:
        Counting.reads += 1
        return super().read(path, max_bytes=max_bytes)


@pytest.fixture
def cache(tmp_path: Path) -> Counting:
    Counting.reads = 0
    return Counting(tmp_path, ".paper-archive-cache")


def _build(cache: CacheDir, known: SourceFiles, text: str) -> Path:
    """One build's ``generated_source`` of one page, then the build is done."""
    path = generated_source(cache, "pages", "tags/x/index.md", text, known=known)
    known.done()
    return path


def test_an_unchanged_source_is_not_read_again(cache: Counting) -> None:
    known = SourceFiles()
    path = _build(cache, known, "# X\n")
    assert path.read_text(encoding="utf-8") == "# X\n" and cache.reads == 1
    _build(cache, known, "# X\n")
    _build(cache, known, "# X\n")
    assert cache.reads == 1
    _build(cache, known, "# Y\n")  # new text: read, rewritten
    assert path.read_text(encoding="utf-8") == "# Y\n" and cache.reads == 2


def test_a_source_changed_behind_its_back_is_rewritten(cache: Counting, tmp_path: Path) -> None:
    known = SourceFiles()
    path = _build(cache, known, "# X\n")
    before = path.stat()
    path.write_text("# Z\n", encoding="utf-8")  # same size ...
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # ... and time put back
    _build(cache, known, "# X\n")
    assert path.read_text(encoding="utf-8") == "# X\n"

    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("# X\n", encoding="utf-8")
    path.unlink()
    path.symlink_to(elsewhere)  # a link in its place: not trusted, not followed
    _build(cache, known, "# X\n")
    assert not path.is_symlink() and path.read_text(encoding="utf-8") == "# X\n"


def test_without_a_process_every_source_is_read(cache: Counting) -> None:
    for _ in range(3):
        generated_source(cache, "pages", "tags/x/index.md", "# X\n")
    assert cache.reads == 3
