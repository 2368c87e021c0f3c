"""`mkdocs serve` hears a save from the kernel (serve/watching.py): which watcher is
chosen, and MkDocs' own server with its watches moved onto it.

The choice is checked on mountinfo texts like the kernel's; the move on MkDocs' real
LiveReloadServer (not serving: its observer started by the test) with a real file
tree; `mkdocs serve --dirty` itself, with each choice, in tests/test_serve.py (the
whole edit sequence under ``auto``) and below (``polling``, a bad value).
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from paper_archive.serve import watching
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from .browser import fetch, free_port
from .polling import until
from .serving import ctrl_c, serve_process
from .sitebuild import make_site

MOUNTINFO = "\n".join(
    [
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
        "40 27 0:35 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw",
        r"41 27 0:50 / /home/me/My\040Share rw - 9p drvfs rw,dirsync",
        "42 27 0:51 / /mnt/nfs rw master:3 - nfs4 server:/export rw,vers=4.2",
        "43 27 0:52 / /Users rw - fuse.grpcfuse grpcfuse rw",
        "44 27 0:53 / /mnt/nfs/local rw - xfs /dev/vdb rw",
    ]
)


def test_mountinfo_gives_each_path_its_filesystem() -> None:
    mounted = watching.mounts(MOUNTINFO)
    assert mounted["/home/me/My Share"] == "9p"  # octal escapes undone
    where = {
        "/work/docs": "ext4",
        "/tmp/site/docs": "tmpfs",
        "/tmpfoo/docs": "ext4",  # not under /tmp: a name that starts alike
        "/home/me/My Share/archive/docs": "9p",
        "/mnt/nfs/archive": "nfs4",
        "/mnt/nfs/local/archive": "xfs",  # the deepest mount point
        "/Users/me/archive/mkdocs.yml": "fuse.grpcfuse",
    }
    assert {path: watching.filesystem_of(path, mounted) for path in where} == where
    assert watching.filesystem_of("/anything", {}) is None


def _findmnt(path: Path) -> str:
    """The filesystem type util-linux's findmnt gives for ``path`` (the mount on top,
    where one is mounted over another)."""
    done = subprocess.run(
        ["findmnt", "-n", "-o", "FSTYPE", "--target", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()[-1]


def test_mountinfo_agrees_with_findmnt_on_this_machine(tmp_path: Path) -> None:
    mounted = watching.mounts(Path("/proc/self/mountinfo").read_text(encoding="utf-8"))
    for path in (tmp_path, Path(__file__).parent, Path("/proc/self"), Path("/dev/shm")):
        real = os.path.realpath(path)
        assert watching.filesystem_of(real, mounted) == _findmnt(path), path


@pytest.mark.parametrize(
    ("paths", "native"),
    [
        (["/work/docs", "/work/mkdocs.yml", "/tmp/x"], True),
        (["/work/docs", "/mnt/nfs/archive/data"], False),  # one on a network share
        (["/home/me/My Share/docs"], False),  # a Windows folder under WSL
        (["/Users/me/archive/docs"], False),  # Docker Desktop's shared folder
    ],
)
def test_auto_takes_the_kernel_only_where_it_hears_every_change(
    paths: list[str], native: bool
) -> None:
    choice = watching.choose("auto", paths, platform="linux", mountinfo=MOUNTINFO)
    assert choice.native is native
    if not native:
        assert "is on" in choice.why


def test_the_variable_decides_and_a_bad_value_is_named() -> None:
    assert watching.setting({}) == "auto"
    assert watching.setting({watching.ENV: " Polling "}) == "polling"
    for value, native in (("native", True), ("polling", False)):
        choice = watching.choose(value, ["/mnt/nfs/x"], platform="linux", mountinfo=MOUNTINFO)
        assert choice.native is native and watching.ENV in choice.why
    # auto elsewhere than Linux, or without mountinfo: MkDocs' polling
    assert not watching.choose("auto", ["/w"], platform="darwin", mountinfo=MOUNTINFO).native
    assert not watching.choose("auto", ["/w"], platform="linux", mountinfo=None).native
    with pytest.raises(watching.WatcherError, match="PAPER_ARCHIVE_WATCHER='inotify': must"):
        watching.setting({watching.ENV: "inotify"})


def _server(root: Path) -> LiveReloadServer:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(root))
    server.watch(str(root / "docs"))
    server.watch(str(root / "mkdocs.yml"))
    server.watch(str(root / "docs"))  # twice, as a plugin may: kept twice
    return server


def _watched(observer) -> list[tuple[str, bool]]:
    return sorted((e.watch.path, e.watch.is_recursive) for e in observer.emitters)


def test_mkdocs_server_moves_to_the_kernel_and_hears_changes_not_reads(tmp_path: Path) -> None:
    (tmp_path / "docs" / "papers").mkdir(parents=True)
    page = tmp_path / "docs" / "papers" / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: A\n", encoding="utf-8")
    server = _server(tmp_path)
    before = _watched(server.observer)
    choice = watching.use_native(server, environ={watching.ENV: "native"})
    assert choice is not None and choice.native
    assert isinstance(server.observer, watching.ChangesOnly)
    assert _watched(server.observer) == before  # the same paths, MkDocs' handlers
    server.unwatch(str(tmp_path / "docs"))  # watched twice: still watched once more
    assert _watched(server.observer) == before

    heard: queue.Queue[FileSystemEvent] = queue.Queue()
    handler = FileSystemEventHandler()
    handler.on_any_event = heard.put  # type: ignore[method-assign]
    server.observer.schedule(handler, str(tmp_path / "docs"), recursive=True)
    server.observer.start()
    try:
        until("the observer runs", lambda: server.observer.is_alive(), 30)
        page.read_text(encoding="utf-8")  # what every build does: no change
        page.stat()
        page.write_text("# A, edited\n", encoding="utf-8")  # a save
        first = heard.get(timeout=30)  # in order: a read before it would come first
        assert (first.event_type, first.src_path) == ("modified", str(page))
        (tmp_path / "docs" / "papers" / "b.md").write_text("# B\n", encoding="utf-8")
        kinds = set()
        while "created" not in kinds:
            kinds.add(heard.get(timeout=30).event_type)
        assert not kinds & {"opened", "closed_no_write"}
    finally:
        server.observer.stop()
        server.observer.join(30)


def test_kernel_events_that_cannot_start_leave_mkdocs_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """inotify's per-user limits reached (an editor, a file indexer): the server keeps
    MkDocs' polling, says why, and starts, where starting the native observer itself
    would have stopped `mkdocs serve` with a traceback."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: A\n", encoding="utf-8")
    server = _server(tmp_path)
    polling = server.observer

    def limit(self: object) -> None:
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(watching.ChangesOnly, "start", limit)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.paper_archive.serve"):
        choice = watching.use_native(server, environ={watching.ENV: "native"})
    assert choice is not None and not choice.native
    assert server.observer is polling and _watched(polling)  # watching as before
    assert "Watching by polling (the kernel's file events failed: " in caplog.text
    assert "inotify instance limit reached" in caplog.text


def test_a_server_this_does_not_know_is_left_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: A\n", encoding="utf-8")
    server = _server(tmp_path)
    polling = server.observer
    choice = watching.use_native(server, environ={watching.ENV: "polling"})
    assert choice is not None and not choice.native and server.observer is polling
    assert watching.use_native(object(), environ={}) is None  # no observer at all
    bare = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert watching.use_native(bare, environ={}) is None  # --no-livereload: nothing watched
    assert isinstance(bare.observer, PollingObserver)


@pytest.mark.slow  # a real `mkdocs serve --dirty` on a sample of the corpus, each way
@pytest.mark.parametrize(
    ("engine", "value", "said"),
    [
        ("mkdocs", "polling", "Watching by polling"),
        ("mkdocs", "", "Watching with the kernel's file events"),  # auto, if local
        ("properdocs", "native", "Watching with the kernel's file events"),  # the fork
    ],
)
def test_mkdocs_serve_says_how_it_watches_and_serves_a_save(
    tmp_path: Path, engine: str, value: str, said: str
) -> None:
    root = make_site(tmp_path / "site", with_seed=True, sample=40)
    if not value and _findmnt(root) not in watching.LOCAL_FILESYSTEMS:
        said = "Watching by polling (PAPER_ARCHIVE_WATCHER=auto, "  # a network home
    page = sorted((root / "docs" / "papers").glob("*.md"))[0]
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    with log.open("w") as stderr:
        server = serve_process(
            [sys.executable, "-m", engine, "serve", "--dirty", "-a", address],
            cwd=root,
            tmpdir=tmp_path / "tmpdir",
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", watching.ENV: value},
            stderr=stderr,
        )
    url = f"http://{address}/papers/{page.stem}/"
    try:
        until("the site is served", lambda: fetch(url), 120)
        page.write_text(page.read_text(encoding="utf-8") + "\nA zyxwvut note.\n", "utf-8")
        until("the save is served", lambda: "zyxwvut" in (fetch(url) or ""), 60)
    finally:
        assert ctrl_c(server) == 0
    assert said in log.read_text(encoding="utf-8")


def test_mkdocs_serve_names_a_bad_value_before_building(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", with_seed=True, sample=40)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{free_port()}"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", watching.ENV: "inotify"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Error: PAPER_ARCHIVE_WATCHER='inotify': must be one of auto, native, polling" in (
        done.stderr
    )
    assert "Building documentation" not in done.stderr
