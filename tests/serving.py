"""A real `mkdocs serve` process, started and stopped the way a maintainer does it in a
terminal.

A terminal runs the command in its own process group and Ctrl-C sends SIGINT to that
whole group: MkDocs then shuts its server down and removes the temporary folder it
served from (``mkdocs_*`` under ``TMPDIR``), and the archive's hook stops its jobs.
``terminate()`` (SIGTERM to the server alone) skips all of that: every test that
stopped a server so left a folder in the machine's ``/tmp`` (hundreds after a day of
test runs). Each server here also gets its own ``TMPDIR`` under the test's folder, so
even a server that has to be killed leaves nothing outside it.

A terminal's shell starts the command with SIGINT at its default; the suite may run
with SIGINT ignored (started in the background by a non-interactive shell, as ``nohup
… &`` does), which every child inherits, and Python leaves an ignored SIGINT ignored.
The server is started through :data:`_DEFAULT_SIGINT`, which sets SIGINT back to its
default and then becomes the command (``exec``: the same process).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

#: How long a server has to stop after Ctrl-C before it is killed (its group with it).
STOP_SECONDS = 30

#: ``python -S -c _DEFAULT_SIGINT COMMAND…``: SIGINT at its default, then ``exec``
#: COMMAND (a signal ignored stays ignored across ``exec``; one at its default, as here,
#: lets the new interpreter turn it into ``KeyboardInterrupt``).
_DEFAULT_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def serve_process(
    command: list[str],
    *,
    cwd: Path,
    tmpdir: Path,
    env: dict[str, str] | None = None,
    stderr: IO[Any] | int | None = None,
) -> subprocess.Popen[Any]:
    """``command`` (a `mkdocs serve`) in its own process group, with ``TMPDIR`` set to
    ``tmpdir`` (made if missing)."""
    tmpdir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-S", "-c", _DEFAULT_SIGINT, *command],
        cwd=cwd,
        env={**(os.environ if env is None else env), "TMPDIR": str(tmpdir)},
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        start_new_session=True,
    )


def ctrl_c(process: subprocess.Popen[Any]) -> int:
    """Ctrl-C in the server's terminal: SIGINT to its process group; its exit status.
    A server still running after :data:`STOP_SECONDS` is killed with its group (and
    the test's assertion on the status then fails)."""
    group = process.pid  # the leader of its own session (serve_process)
    os.killpg(group, signal.SIGINT)
    try:
        return process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait()
        return -signal.SIGKILL


def group_alive(pid: int) -> bool:
    """Whether any process of the group ``pid`` led is still running."""
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True
