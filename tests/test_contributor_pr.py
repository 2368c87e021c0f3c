"""A contributor's pull request, checked the way CI checks it, on a fresh clone.

`git clone` of the repository's HEAD (committed files only), then, in the clone, what
CONTRIBUTING.md describes: one page written by hand and one added with `papers add`
(the real CLI in a subprocess, the clone as working directory), committed on a branch.
Then every check .github/workflows/ci.yml runs on a pull request: `papers validate`,
`papers ingest --check`, `mkdocs build --strict`, the PR summary, and the tests that
check the committed archive (`pytest -m archive`) run by the clone's own test suite on
the clone's tree. All must pass; a broken page must make them fail naming `path:line`.

The clone's code runs (PYTHONPATH puts its `scripts/` before the editable install), so
the test checks what was committed, never this working tree's uncommitted files. One
site build (about 10 s for the seed archive).
"""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from . import REPO
from .contributor_env import contributor_env

pytestmark = pytest.mark.slow

VENV_BIN = Path(sys.executable).parent
TODAY_EPOCH = "1795435200"  # 2026-11-23 12:00 UTC: `added` of the page papers add writes

HAND_SLUG = "sparse-pointer-networks-for-long-sequences"
HAND_PAGE = """\
---
title: Sparse Pointer Networks for Long Sequences
tags:
- sequence-models
added: 2026-11-23
published: 2024-05-02
author_count: 2
authors:
- Ada Lovelace
- Alan Turing
arxiv: '2405.01234'
---

# Sparse Pointer Networks for Long Sequences

We make pointer networks sparse, so that they point into inputs of a million tokens.
"""
ADDED_TITLE = "Counting Tokens with Recurrent Attention"
ADDED_SLUG = "counting-tokens-with-recurrent-attention"
ADDED_ABSTRACT = "We count the tokens of long documents with a recurrent attention model."
BAD_DATE_LINE = 5  # of BROKEN_PAGE: `published: 2024-02-30`
BROKEN_PAGE = """\
---
title: A Paper With a Bad Date
tags: []
added: 2026-11-23
published: 2024-02-30
---

# A Paper With a Bad Date

Text.
"""


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pull-request") / "clone"
    git(REPO, "clone", "--quiet", "--no-hardlinks", str(REPO), str(root))
    git(root, "switch", "--quiet", "-c", "add-two-papers")
    return root


def environment(clone: Path) -> dict[str, str]:
    # the clone's package, not this working tree's
    return contributor_env(clone / "scripts", SOURCE_DATE_EPOCH=TODAY_EPOCH)


def run(clone: Path, *command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=clone,
        env=environment(clone),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=environment(cwd),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def papers(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(clone, VENV_BIN / "papers", *args)


def archive_tests(clone: Path) -> subprocess.CompletedProcess[str]:
    """The tests marked `archive`, from the clone's own suite, on the clone's tree."""
    return run(clone, sys.executable, "-m", "pytest", "-m", "archive", "-p", "no:cacheprovider")


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def test_ci_runs_the_checks_this_test_runs() -> None:
    """The steps below are CI's: if ci.yml changes them, this test must change too."""
    ci = (REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    for step in (
        ".venv/bin/papers validate",
        ".venv/bin/papers ingest --check",
        ".venv/bin/mkdocs build --strict",
        ".venv/bin/python -m pytest",
        'pr-summary --base "$BASE_SHA"',  # the summary job: the base branch's code
    ):
        assert step in ci, step


def test_a_pull_request_adding_two_papers_passes_every_ci_check(clone: Path) -> None:
    # One page by hand, as CONTRIBUTING.md shows.
    (clone / "docs" / "papers" / f"{HAND_SLUG}.md").write_text(HAND_PAGE, encoding="utf-8")
    # One with `papers add`, an arXiv id the contributor knows recorded offline.
    (clone / "abstract.txt").write_text(ADDED_ABSTRACT + "\n", encoding="utf-8")
    added = papers(
        clone,
        "add",
        "--title",
        ADDED_TITLE,
        "--abstract-file",
        "abstract.txt",
        "--arxiv-id",
        "arXiv:2406.04321v3",
        "--tag",
        "surveys",
    )
    assert added.returncode == 0, output(added)
    assert f"wrote docs/papers/{ADDED_SLUG}.md" in added.stdout
    page = (clone / "docs" / "papers" / f"{ADDED_SLUG}.md").read_text(encoding="utf-8")
    assert "arxiv: '2406.04321'\n" in page and "added: 2026-11-23\n" in page
    # The same id again is the same paper: refused, naming the hand-written page.
    again = papers(
        clone, "add", "--title", "Another Title", "--abstract-file", "abstract.txt",
        "--arxiv-id", "2405.01234",
    )  # fmt: skip
    assert again.returncode == 1
    assert f"docs/papers/{HAND_SLUG}.md: the archive already has arXiv 2405.01234" in again.stderr
    (clone / "abstract.txt").unlink()
    git(clone, "add", "docs/papers")
    git(clone, "commit", "--quiet", "-m", "Add two papers")
    assert git(clone, "status", "--porcelain") == ""

    # CI's checks, in ci.yml's order.
    validate = papers(clone, "validate")
    assert validate.returncode == 0, output(validate)
    assert "0 error(s)" in validate.stdout
    check = papers(clone, "ingest", "--check")
    assert check.returncode == 0, output(check)
    site = clone.parent / "site"
    build = run(clone, VENV_BIN / "mkdocs", "build", "--strict", "--site-dir", site)
    assert build.returncode == 0, output(build)
    tests = archive_tests(clone)
    assert tests.returncode == 0, output(tests)
    assert re.search(r"\b[3-9] passed\b", tests.stdout), tests.stdout  # they ran
    # The base by its commit, as CI passes it (ci.yml: "$BASE_SHA"): a clone of a
    # checkout with a detached HEAD (a bisect, a worktree) has no origin/HEAD.
    base = git(clone, "rev-parse", "HEAD~1").strip()
    summary = papers(clone, "pr-summary", "--base", base)
    assert summary.returncode == 0, output(summary)
    assert "2 added." in summary.stdout
    assert ADDED_TITLE in summary.stdout and "Sparse Pointer Networks" in summary.stdout

    # The site has both papers; titles with math (whichever the archive has) read as
    # text in the browser tab (tests/test_mathtext.py checks how, on the frozen corpus).
    for slug, title in ((HAND_SLUG, "Sparse Pointer Networks"), (ADDED_SLUG, ADDED_TITLE)):
        assert title in (site / "papers" / slug / "index.html").read_text(encoding="utf-8")
    for page in (clone / "docs" / "papers").glob("*.md"):
        if re.search(r"^title:.*\$", page.read_text(encoding="utf-8"), re.MULTILINE):
            built = (site / "papers" / page.stem / "index.html").read_text(encoding="utf-8")
            tab = re.search(r"<title>(.*?)</title>", built, re.S)
            assert tab is not None and "$" not in unescape(tab[1]), page.name


def test_a_broken_page_in_the_pull_request_fails_naming_path_and_line(clone: Path) -> None:
    broken = clone / "docs" / "papers" / "a-paper-with-a-bad-date.md"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    where = f"docs/papers/{broken.name}:{BAD_DATE_LINE}:"
    try:
        validate = papers(clone, "validate")
        assert validate.returncode == 1
        assert f"{where} error: " in validate.stdout, output(validate)
        tests = archive_tests(clone)
        assert tests.returncode == 1, output(tests)
        assert f"{where} error: " in tests.stdout, tests.stdout
    finally:
        broken.unlink()
