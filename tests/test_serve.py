"""`mkdocs serve` on a fixture archive: it starts, and a paper edit shows up after the
rebuild (hooks keep no state between builds; generated pages never touch docs/)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .sitebuild import make_site, paper


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; last page: {(page or '')[:200]!r}")


def test_serve_rebuilds_after_editing_a_paper(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "site", [paper("Pointer Networks", tags=("llms",), abstract="First words.")]
    )
    before = sorted(p.name for p in (root / "docs").rglob("*"))
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(root / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
        ],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/papers/pointer-networks/"
        _wait_for(url, "First words.", 60)
        page = root / "docs/papers/pointer-networks.md"
        page.write_text(
            page.read_text(encoding="utf-8").replace("First words.", "Edited words."),
            encoding="utf-8",
        )
        _wait_for(url, "Edited words.", 60)
        _wait_for(f"http://127.0.0.1:{port}/tags/llms/", "Pointer Networks", 10)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (
        sorted(p.name for p in (root / "docs").rglob("*")) == before
    )  # nothing generated into docs/
