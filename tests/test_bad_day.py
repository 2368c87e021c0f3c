"""An operator's bad day (issue 17, section 8): a full disk, a read-only ``docs/``.

Every write our code makes (pages, stored responses, the build's caches and exports)
fails with one ``error: <path>: <reason>`` line (the build: a PluginError naming the
path), exit status 1, no traceback, and every page left whole: old or new, never a part.

How the failures are made, without root: the tests run as root in CI's container, where
``chmod 0o555`` does not stop a write, and mounting a tiny file system needs privileges a
developer's machine may not give. So:

* in-process, ``pathlib.Path.open`` is patched for the files meant: a full disk lets the
  file be created and fails its ``write`` with ENOSPC and no file name (as the kernel
  does); a read-only file system fails the ``open`` itself with EROFS naming the file;
* in a subprocess, the real ``papers`` and the real ``mkdocs build`` run under
  ``RLIMIT_FSIZE`` with SIGXFSZ ignored: every write past the limit really fails
  (EFBIG, "File too large"), the same path through the code as a full disk, unpatched.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort
from paper_archive import cli
from paper_archive.disk.pages import load_paper
from paper_archive.fetch import http
from paper_archive.project import Project

from . import CORPUS
from .fetch.conftest import FakeApi, ok
from .sitebuild import build_site, make_site, paper

PAPERS = str(Path(sys.executable).with_name("papers"))
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
SOURCE_DATE_EPOCH = "1795392000"  # 2026-11-23
NO_SPACE = os.strerror(errno.ENOSPC)
READ_ONLY = os.strerror(errno.EROFS)
TOO_LARGE = os.strerror(errno.EFBIG)
REAL_OPEN = Path.open


class _FullDisk:
    """A file opened for writing on a full disk: created, and every write fails."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, NO_SPACE)  # from write(2): no file name

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def _writing(mode: str) -> bool:
    return any(flag in mode for flag in "wxa+")


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """``full_disk(folder)``: from now on, every file written under ``folder`` fails."""

    def fill(folder: Path) -> None:
        def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = REAL_OPEN(self, mode, *args, **kwargs)
            if _writing(mode) and self.is_relative_to(folder):
                return _FullDisk(handle)
            return handle

        monkeypatch.setattr(Path, "open", open_)

    return fill


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """``read_only(folder)``: from now on, opening a file under ``folder`` to write
    fails with EROFS naming it, as on a read-only mount."""

    def freeze(folder: Path) -> None:
        def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if _writing(mode) and self.is_relative_to(folder):
                raise OSError(errno.EROFS, READ_ONLY, str(self))
            return REAL_OPEN(self, mode, *args, **kwargs)

        monkeypatch.setattr(Path, "open", open_)

    return freeze


def snapshot(*folders: Path) -> dict[str, bytes]:
    """Every file under ``folders`` (hidden temporary files too) with its bytes."""
    return {
        str(p): p.read_bytes()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one_error(err: str, path_pattern: str, reason: str) -> str:
    """The one line on stderr: ``error: <path>: <reason>``; returns the path."""
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    match = re.fullmatch(f"error: ({path_pattern}): {re.escape(reason)}", lines[0])
    assert match is not None, lines[0]
    return match[1]


@pytest.fixture(scope="module")
def ingested_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed listings ingested, plus a later listing not yet ingested that updates
    pages and adds new ones: what ``papers ingest`` writes next."""
    root = tmp_path_factory.mktemp("bad-day") / "archive"
    (root / "docs/papers").mkdir(parents=True)
    (root / "data/sources").mkdir(parents=True)
    shutil.copy(CORPUS / "data/tags.yaml", root / "data/tags.yaml")
    (root / "mkdocs.yml").write_text("site_name: Test archive\n", encoding="utf-8")
    seeds = sorted((CORPUS / "data/sources").glob("hf-listing-*.yaml"))
    for manifest in seeds[:-1]:
        for path in (CORPUS / "data/sources").glob(f"{manifest.stem}.*"):
            shutil.copy(path, root / "data/sources" / path.name)
    assert cli.main(["--root", str(root), "-q", "ingest"]) == 0
    for path in (CORPUS / "data/sources").glob(f"{seeds[-1].stem}.*"):
        shutil.copy(path, root / "data/sources" / path.name)
    return root


@pytest.fixture
def archive_to_update(ingested_seed: Path, tmp_path: Path) -> Project:
    root = tmp_path / "archive"
    shutil.copytree(ingested_seed, root)
    return Project(root)


def test_ingest_on_a_full_disk_is_one_error_line_and_every_page_stays_whole(
    archive_to_update: Project,
    full_disk: Callable[[Path], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = archive_to_update
    before = snapshot(project.pages_dir, project.sources_dir)
    full_disk(project.pages_dir)

    assert cli.main(["--root", str(project.root), "-q", "ingest"]) == 1

    err = capsys.readouterr().err
    one_error(err, re.escape(str(project.pages_dir)) + r"/[a-z0-9-]+\.md", NO_SPACE)
    assert snapshot(project.pages_dir, project.sources_dir) == before  # no temp file left


def test_ingest_and_add_on_a_read_only_docs_folder(
    archive_to_update: Project,
    read_only: Callable[[Path], None],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    project = archive_to_update
    before = snapshot(project.pages_dir)
    read_only(project.root / "docs")
    page = re.escape(str(project.pages_dir)) + r"/[a-z0-9-]+\.md"

    assert cli.main(["--root", str(project.root), "-q", "ingest"]) == 1
    one_error(capsys.readouterr().err, page, READ_ONLY)

    abstract = tmp_path / "abstract.txt"
    abstract.write_text("An abstract of a paper that cannot be written today.\n", "utf-8")
    args = ["add", "--title", "A Paper on a Read-Only Day", "--abstract-file", str(abstract)]
    assert cli.main(["--root", str(project.root), "-q", *args]) == 1
    path = one_error(capsys.readouterr().err, page, READ_ONLY)
    assert path.endswith("/a-paper-on-a-read-only-day.md")
    assert snapshot(project.pages_dir) == before


def test_fetch_on_a_full_disk_writes_no_raw_response_without_its_manifest(
    archive_to_update: Project,
    full_disk: Callable[[Path], None],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeApi()
    fake.add("huggingface.co", ok("hf_daily_2024-03-12.json"))
    monkeypatch.setattr(http, "new_client", fake.client)
    project = archive_to_update
    before = snapshot(project.pages_dir, project.sources_dir)
    full_disk(project.sources_dir)
    args = ["--root", str(project.root), "-q", "fetch", "hf-daily", "--date", "2024-03-12"]

    assert cli.main(args) == 1

    sources = re.escape(str(project.sources_dir))
    one_error(
        capsys.readouterr().err, sources + r"/hf-daily-2024-03-12-[0-9a-f]{8}\.json", NO_SPACE
    )
    assert snapshot(project.pages_dir, project.sources_dir) == before


def _file_size_limit(limit: int) -> Callable[[], None]:
    def limit_writes() -> None:  # in the child, before exec: a real failing write(2)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_writes


def _run(args: list[str], cwd: Path, limit: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        preexec_fn=_file_size_limit(limit),
    )


def test_a_real_failing_write_ends_ingest_with_one_line_and_whole_pages(
    archive_to_update: Project, tmp_path: Path
) -> None:
    """The real ``papers ingest``, unpatched, where every file over 2 KB fails to be
    written (a disk that fills up mid-run): one line, exit 1, and every page on disk
    is the one a good run writes or the one from before, whole."""
    project = archive_to_update
    clean = tmp_path / "clean"
    shutil.copytree(project.root, clean)
    assert _run([PAPERS, "--root", str(clean), "-q", "ingest"], tmp_path, 2**40).returncode == 0
    before = snapshot(project.pages_dir)

    done = _run([PAPERS, "--root", str(project.root), "-q", "ingest"], tmp_path, 2048)

    assert done.returncode == 1, done.stderr
    one_error(done.stderr, re.escape(str(project.pages_dir)) + r"/[a-z0-9-]+\.md", TOO_LARGE)
    after = snapshot(project.pages_dir)
    good = snapshot(clean / "docs/papers")
    assert not [p for p in after if Path(p).name.startswith(".")]  # no temp file left
    for path, data in after.items():
        name = Path(path).name
        assert data in (before.get(path), good[str(clean / "docs/papers" / name)]), name
        load_paper(data.decode("utf-8"), path=name)


# --- mkdocs build ------------------------------------------------------------------


@pytest.fixture
def small_site(tmp_path: Path) -> Iterator[Path]:
    papers = [paper(f"A Paper About Topic Number {n}", tags=("llms",)) for n in range(40)]
    yield make_site(tmp_path / "site-src", papers)


def test_build_with_a_full_disk_under_our_cache_is_a_plugin_error_naming_the_file(
    small_site: Path,
    full_disk: Callable[[Path], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = small_site / ".paper-archive-cache"
    full_disk(cache)

    with pytest.raises(Abort):
        build_site(small_site)

    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, [r.getMessage() for r in caplog.records]
    message = errors[0].getMessage()
    assert re.fullmatch(re.escape(str(cache)) + r"/\S+: " + re.escape(NO_SPACE), message)
    assert not list(cache.rglob(".*.tmp"))  # no temporary file left behind


def test_the_real_mkdocs_build_on_a_filling_disk_ends_in_one_error_not_a_traceback(
    small_site: Path,
) -> None:
    """``mkdocs build --strict`` in a subprocess, every file over 4 KB failing to be
    written: our hooks write their caches first, and the build ends naming that file."""
    done = _run([MKDOCS, "build", "--strict"], small_site, 4096)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    cache = re.escape(str(small_site / ".paper-archive-cache"))
    assert re.search(f"ERROR +- +{cache}/\\S+: {re.escape(TOO_LARGE)}\n", done.stderr), done.stderr
