"""The README's first command, as a maintainer runs it: a fresh clone, `mkdocs serve`.

The command's set-up half (a venv and `pip install -e .`) needs the package registry,
which no test may touch; the test runs the rest of it exactly as written, from a fresh
clone, with this environment's interpreter and the clone's own package and hooks. The
server must serve the seed archive, show an edit to a paper after its rebuild, and leave
nothing in the clone that git would see but the edited page.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import REPO
from tests.browser import fetch, free_port
from tests.serving import ctrl_c, serve_process

pytestmark = pytest.mark.slow


def _serve_command() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```bash\n(.+?)\n```", readme)[0]
    steps = [shlex.split(step) for step in first.split(" && ")]
    assert steps[0][:3] == ["python3", "-m", "venv"] and steps[1][:3] == [
        ".venv/bin/pip",
        "install",
        "-e",
    ], first
    serve = steps[-1]
    assert serve[:2] == [".venv/bin/mkdocs", "serve"], first
    return [sys.executable, "-m", "mkdocs", *serve[1:]]


def _wait_for(url: str, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        last = fetch(url, timeout=2) or last
        if text in last:
            return
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; last page: {last[:200]!r}")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_the_readmes_serve_command_serves_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "paper-archive"
    _git(REPO, "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PYTHONPATH=str(clone / "scripts"), NO_MKDOCS_2_WARNING="1")
    log = tmp_path / "serve.log"  # a file, not a pipe: nothing blocks the server's writes
    with log.open("w") as stderr:
        server = serve_process(
            [*_serve_command(), "-a", f"127.0.0.1:{port}"],
            cwd=clone,
            tmpdir=tmp_path / "tmpdir",
            env=env,
            stderr=stderr,
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base, "Recently added", 120)
        # Any page of the clone's archive (whatever it holds), edited while served.
        page = min((clone / "docs/papers").glob("*.md"))
        _wait_for(f"{base}papers/{page.stem}/", "pa-paper", 10)
        text = page.read_text(encoding="utf-8")
        page.write_text(text.rstrip("\n") + "\n\nEdited by a maintainer.\n", encoding="utf-8")
        _wait_for(f"{base}papers/{page.stem}/", "Edited by a maintainer.", 60)
    finally:
        ctrl_c(server)  # the maintainer's Ctrl-C
    errors = log.read_text(encoding="utf-8")
    assert "Traceback" not in errors, errors
    changed = _git(clone, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert changed == [f" M docs/papers/{page.name}"], changed
