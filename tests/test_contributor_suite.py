"""A contributor's correct pull request passes the whole test suite.

The repository's files are copied into tmp (this working tree's versions of the
tracked ones, and the files git would add, so a change under review is what runs), the
ordinary changes of tests/contributor_changes.py are committed on top (famous papers
added with and without ids, titles with TeX and beyond ASCII, an id enriched, a tag
added and one applied by `papers ingest`, a topic renamed and one described
differently, notes added), and the whole suite runs there, browser tests included,
except this test itself. Every test must pass: the tests run on the frozen corpus under
tests/fixtures/archive, and the tests marked ``archive`` check the changed archive.

It is how the README's test command runs every test but the ``archive`` ones, once:
``-m "archive or contributor_suite"`` runs the archive checks on this tree, and this
test (CONTRIBUTING.md, "Each test once"). Plain ``pytest`` runs the suite here as well.
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


def copy_of_the_repository(root: Path, source: Path = REPO) -> Path:
    """The tracked files as they are in this working tree, and the untracked ones git
    does not ignore (a new test not yet added runs too), committed as ``main``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in sorted(set(filter(None, listed.split("\0")))):  # a conflict lists twice
        path = source / name
        if path.is_file() and not path.is_symlink():  # a deletion not yet staged
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, root / name)
    # Installed tools are the environment, as the virtualenv is: shared, not copied
    # (git ignores the link, as it ignores the folder).
    eslint = source / ".ci" / "eslint" / "node_modules"
    if eslint.is_dir():
        (root / ".ci" / "eslint" / "node_modules").symlink_to(eslint)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "The repository")
    return root


def test_the_copy_is_the_working_tree_git_would_commit(tmp_path: Path) -> None:
    """Edits, deletions and new files not yet added are in the copy; ignored ones not."""
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "--quiet")
    (work / ".gitignore").write_text("site/\n", encoding="utf-8")
    for name in ("kept.py", "edited.py", "deleted.py"):
        (work / name).write_text(f"# {name}\n", encoding="utf-8")
    git(work, "add", "--all")
    git(work, "commit", "--quiet", "--message", "base")
    (work / "edited.py").write_text("# edited, not staged\n", encoding="utf-8")
    (work / "deleted.py").unlink()
    (work / "tests").mkdir()
    (work / "tests" / "test_new.py").write_text("# not added yet\n", encoding="utf-8")
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text("built\n", encoding="utf-8")

    copy = copy_of_the_repository(tmp_path / "copy", source=work)
    files = git(copy, "ls-files").split()
    assert files == [".gitignore", "edited.py", "kept.py", "tests/test_new.py"]
    assert (copy / "edited.py").read_text(encoding="utf-8") == "# edited, not staged\n"
    assert git(copy, "status", "--porcelain") == ""


def failures(output: str) -> str:
    """What a reader of a red run needs: the failures' tracebacks, as much as fits, and
    pytest's short summary, which names every failed test."""
    summary = output.rfind("short test summary info")
    if summary < 0:
        return output[-20000:]
    start = output.rfind("\n", 0, summary) + 1
    return output[max(0, start - 16000) : start] + output[start:]


def test_a_red_run_shows_the_last_tracebacks_and_names_every_failed_test() -> None:
    names = "".join(f"FAILED tests/test_{n}.py::test_it - AssertionError\n" for n in range(300))
    output = "Traceback " * 5000 + "\n= short test summary info =\n" + names + "= 300 failed ="
    shown = failures(output)
    assert shown.endswith(names + "= 300 failed =")  # every name, however many
    assert 16000 < len(shown) - len(names) < 16100 and "Traceback" in shown
    assert failures("no summary " * 5000) == ("no summary " * 5000)[-20000:]


def test_ordinary_contributor_changes_keep_the_whole_suite_green(tmp_path: Path) -> None:
    root = copy_of_the_repository(tmp_path / "repository")
    git(root, "switch", "--quiet", "--create", "ordinary-changes")
    changed = apply(root)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "Papers, an id, tags, topics, notes")
    assert git(root, "diff", "--name-only", "main", "HEAD").split() == sorted(changed)

    suite = subprocess.run(
        [
            # Every failure reported (no -x): this run is the suite's, in CI.
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
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
    assert suite.returncode == 0, failures(suite.stdout) + suite.stderr[-2000:]
    assert re.search(r"\b\d{3,} passed\b", summary), summary  # the whole suite ran
    assert not re.search(r"\b(failed|errors?)\b", summary), summary
