"""A contributor's correct pull request passes the whole test suite.

The repository's tracked files are copied into tmp (this working tree's versions, so a
change under review is what runs), the ordinary changes of tests/contributor_changes.py
are committed on top (famous papers added with and without ids, titles with TeX and
beyond ASCII, an id enriched, a tag added and one applied by `papers ingest`, a topic
renamed and one described differently, notes added), and the whole suite runs there,
browser tests included, except this test itself. Every test must pass: the tests run on
the frozen corpus under tests/fixtures/archive, and the tests marked ``archive`` check
the changed archive the way CI does.

It doubles the suite's time, so it has its own marker: ``pytest -m contributor_suite``
runs it alone, ``-m "not contributor_suite"`` leaves it out; CI's plain ``pytest``
runs it. It is marked ``browser`` too (the suite it runs drives Chromium), so the fast
loop ``pytest -m "not browser"`` leaves it out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import REPO
from .contributor_changes import apply
from .contributor_env import contributor_env

pytestmark = [pytest.mark.contributor_suite, pytest.mark.slow, pytest.mark.browser]


def environment(root: Path) -> dict[str, str]:
    return contributor_env(root / "scripts")  # the copy's package, not this working tree's


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, env=environment(root), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def copy_of_the_repository(root: Path) -> Path:
    """The tracked files as they are in this working tree, committed as ``main``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() and not source.is_symlink():  # a deletion not yet staged
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    # Installed tools are the environment, as the virtualenv is: shared, not copied
    # (git ignores the link, as it ignores the folder).
    eslint = REPO / ".ci" / "eslint" / "node_modules"
    if eslint.is_dir():
        (root / ".ci" / "eslint" / "node_modules").symlink_to(eslint)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "The repository")
    return root


def test_ordinary_contributor_changes_keep_the_whole_suite_green(tmp_path: Path) -> None:
    root = copy_of_the_repository(tmp_path / "repository")
    git(root, "switch", "--quiet", "--create", "ordinary-changes")
    changed = apply(root)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "Papers, an id, tags, topics, notes")
    assert git(root, "diff", "--name-only", "main", "HEAD").split() == sorted(changed)

    suite = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x",
            "-m", "not contributor_suite", "--basetemp", str(tmp_path / "inner"),
            # A file per core, as the README's command: the outer run's other worker is
            # done long before this one, and its core would sit idle.
            "-n", "auto", "--dist", "loadfile",
        ],
        cwd=root,
        env=environment(root),
        capture_output=True,
        text=True,
        timeout=1800,
    )  # fmt: skip
    summary = suite.stdout.strip().splitlines()[-1] if suite.stdout.strip() else ""
    assert suite.returncode == 0, suite.stdout[-6000:] + suite.stderr[-2000:]
    assert re.search(r"\b\d{3,} passed\b", summary), summary  # the whole suite ran
    assert not re.search(r"\b(failed|errors?)\b", summary), summary
