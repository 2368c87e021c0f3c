"""A plain build makes its feeds and exports in a forked child beside MkDocs' render
(paper_archive/plugin/beside.py): the same bytes as made in the build's own process,
and a failure in the child ends the build with one error naming the file, no child left.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort
from paper_archive.plugin import beside, exports

from .sitebuild import build_site, make_site, paper, site_files

NO_SPACE = os.strerror(errno.ENOSPC)
REAL_OPEN = Path.open


def _children() -> set[int]:
    """This process's live children (zombies too: a child never waited for)."""
    own = Path(f"/proc/self/task/{os.getpid()}/children")
    return {int(pid) for pid in own.read_text(encoding="ascii").split()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    papers = [paper(f"A Paper About Topic Number {n}", tags=("llms",)) for n in range(12)]
    return make_site(tmp_path / "src", papers)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the children the build forked."""
    started: list[str] = []
    real = beside.Beside.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[beside.Beside], label: str, work: Callable[[], object]) -> Any:
        started.append(label)
        return real(cls, label, work)

    monkeypatch.setattr(beside.Beside, "start", classmethod(start))
    # An earlier test of the session may have left an idle thread (a served site's);
    # `mkdocs build` has none, so the build forks as it would there.
    for where in (beside, exports):
        monkeypatch.setattr(where, "can_fork", lambda: True)
    return started


def test_exports_made_beside_are_the_bytes_made_in_process(
    site: Path, forks: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = _children()
    forked = site_files(build_site(site, site=tmp_path / "forked"))
    assert forks == ["exports"]
    assert _children() == before  # the child was waited for

    for where in (beside, exports):
        monkeypatch.setattr(where, "can_fork", lambda: False)
    inline = site_files(build_site(site, site=tmp_path / "inline"))
    assert forks == ["exports"]  # the second build made them in its own process

    assert "feed.xml" in forked and "papers.json.gz" in forked
    assert forked == inline


def test_a_full_disk_in_the_child_is_one_error_naming_the_file_and_no_child_is_left(
    site: Path,
    forks: list[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    exports = site / ".paper-archive-cache" / "exports"

    class FullDisk:  # created, and every write fails, as on a full disk
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, NO_SPACE)

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = REAL_OPEN(self, mode, *args, **kwargs)
        if any(flag in mode for flag in "wxa+") and self.is_relative_to(exports):
            return FullDisk(handle)
        return handle

    monkeypatch.setattr(Path, "open", open_)  # inherited by the forked child
    before = _children()

    with pytest.raises(Abort):
        build_site(site)

    assert forks == ["exports"]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, [r.getMessage() for r in caplog.records]
    assert re.fullmatch(re.escape(str(exports)) + r"/\S+: " + re.escape(NO_SPACE), errors[0])
    assert _children() == before  # the exports child, the search and related jobs: gone
