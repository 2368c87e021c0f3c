"""The environment of a command a contributor runs in a clone or copy of the repository:
the test runner's own variables left out, git configured as a stranger's machine would
be (no global or system config, a contributor's name), MkDocs' banner silenced."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def contributor_env(package: Path | None = None, **extra: str) -> dict[str, str]:
    """``os.environ`` without ``PYTEST_*`` (pytest-xdist's worker variables among them),
    ``GITHUB_*``, ``PYTHONDONTWRITEBYTECODE`` (and ``PYTHONPATH`` when ``package`` is
    given: the copy's ``scripts/`` is put there instead, so the copy's code runs, not this
    working tree's), plus ``extra``.

    A stranger's machine writes bytecode: with ``PYTHONDONTWRITEBYTECODE`` set (some
    shells and editors set it) every command in a fresh clone compiled the package and
    the test suite again from source, ~3 s of CPU per ``pytest`` run there (issue 18).
    The bytecode lands in ``__pycache__`` folders beside the code that ran (the clone's,
    under the test's tmp, or this tree's), which git ignores."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "GITHUB_"))
        and key != "PYTHONDONTWRITEBYTECODE"
        and (package is None or key != "PYTHONPATH")
    }
    if package is not None:
        env["PYTHONPATH"] = str(package)
    env.update(
        NO_MKDOCS_2_WARNING="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="A Contributor",
        GIT_AUTHOR_EMAIL="contributor@example.org",
        GIT_COMMITTER_NAME="A Contributor",
        GIT_COMMITTER_EMAIL="contributor@example.org",
    )
    env.update(extra)
    return env


def contributor_git(cwd: Path, *args: str) -> str:
    """``git *args`` in ``cwd`` as on a contributor's machine (:func:`contributor_env`):
    its output without the last newline; a failure fails the test with git's message."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=contributor_env(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.rstrip("\n")
