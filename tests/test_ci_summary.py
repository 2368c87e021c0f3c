"""The order of CI's steps: a hostile pull request cannot forge the summary a reviewer reads.

The attack (issue #17): a root ``conftest.py`` rewrites ``.venv/bin/papers`` while CI's
``pytest`` runs, so the ``papers pr-summary`` step that followed printed a summary hiding
every file outside ``docs/papers/``; a root ``setup.py`` runs during ``pip install -e .``.

Here a PR-like repository: the base commit is a small archive with this working tree's
code; the pull request adds a paper page and everything a hostile contributor would add
to run code in CI (``conftest.py`` and ``setup.py`` that rewrite ``.venv/bin/papers``, a
forged ``pr_summary.py``, a ``.venv/bin/papers`` added by force, ``pip/__main__.py``, a
``mkdocs.yml`` whose site_url points elsewhere). CI's test job is played first in the
pull request's checkout (the hostile conftest rewrites the checkout's papers, and that
papers does print the forged summary); then the steps of ci.yml's ``summary`` job, read
from the workflow and run by bash, must still list every hostile file for review, with
the base branch's site_url, and no hostile file may have run.

The job's ``uses:`` steps are simulated (the checkout: a full clone of the pull request's
merge commit in ``pr/``; setup-python: nothing) and so is the install, which needs PyPI:
it must be exactly the two commands asserted below, and is replaced by a ``papers``
that runs the package found under ``$RUNNER_TEMP/base`` with this environment's
dependencies.
"""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from paper_archive.commands.pr_summary import md_text
from paper_archive.disk.pages import render_page

from . import CORPUS, REPO
from .contributor_env import contributor_git as git
from .sitebuild import paper
from .workflow_run import Runner

CI = REPO / ".github" / "workflows" / "ci.yml"
BASE_SITE = "https://archive.example.org/"
EVIL_SITE = "https://evil.example/"
FORGED = "FORGED: only papers in this pull request"
INSTALL = [
    'python -I -m venv "$RUNNER_TEMP/venv"',
    '"$RUNNER_TEMP/venv/bin/python" -I -m pip install --quiet "$RUNNER_TEMP/base"',
]

FORGED_PAPERS = f"#!/bin/sh\necho '## Papers in this pull request'\necho '{FORGED}'\n"
HOSTILE_CONFTEST = f'''\
"""Loaded by pytest: rewrites the checkout's .venv/bin/papers."""
from pathlib import Path

_PAPERS = Path(__file__).resolve().parent / ".venv" / "bin" / "papers"
_PAPERS.parent.mkdir(parents=True, exist_ok=True)
_PAPERS.write_text({FORGED_PAPERS!r}, encoding="utf-8")
_PAPERS.chmod(0o755)
'''
HOSTILE_RUN = """\
from pathlib import Path
Path(__file__).resolve().parent.joinpath("HOSTILE-CODE-RAN").write_text("{name}")
"""
FORGED_HANDLER = f'''

def run(args, console):  # the forged summary: the papers only
    console.say("## Papers in this pull request")
    console.say("{FORGED}")
    return 0
'''
HOSTILE_FILES = {
    "conftest.py": HOSTILE_CONFTEST,
    "setup.py": HOSTILE_RUN.format(name="setup.py"),
    "pip/__main__.py": HOSTILE_RUN.format(name="pip"),
    "sitecustomize.py": HOSTILE_RUN.format(name="sitecustomize"),
}


def _write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def pull_request(origin: Path) -> tuple[str, str, str]:
    """The base commit, the pull request's head and the merge commit GitHub checks out."""
    origin.mkdir(parents=True)
    git(origin, "init", "--quiet", "--initial-branch=main")
    shutil.copytree(
        REPO / "scripts", origin / "scripts", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", origin / "pyproject.toml")
    shutil.copy(CORPUS / "data" / "tags.yaml", _mkdir(origin / "data") / "tags.yaml")
    _write(origin, "mkdocs.yml", f"site_name: Test archive\nsite_url: {BASE_SITE}\n")
    _write(origin, "docs/papers/pointer-networks.md", render_page(paper("Pointer Networks")))
    git(origin, "add", "-A")
    git(origin, "commit", "--quiet", "-m", "base")
    base = git(origin, "rev-parse", "HEAD")

    git(origin, "switch", "--quiet", "-c", "hostile")
    _write(origin, "docs/papers/sparse-attention.md", render_page(paper("Sparse Attention")))
    for path, text in HOSTILE_FILES.items():
        _write(origin, path, text)
    _write(origin, "mkdocs.yml", f"site_name: Test archive\nsite_url: {EVIL_SITE}\n")
    handler = origin / "scripts/paper_archive/commands/pr_summary.py"
    handler.write_text(handler.read_text(encoding="utf-8") + FORGED_HANDLER, encoding="utf-8")
    _write(origin, ".venv/bin/papers", FORGED_PAPERS)
    (origin / ".venv/bin/papers").chmod(0o755)
    git(origin, "add", "-A")
    git(origin, "add", "--force", ".venv/bin/papers")
    git(origin, "commit", "--quiet", "-m", "Add a paper")
    head = git(origin, "rev-parse", "HEAD")

    git(origin, "switch", "--quiet", "--detach", base)
    git(origin, "merge", "--quiet", "--no-ff", "-m", "Merge pull request #1", head)
    merge = git(origin, "rev-parse", "HEAD")
    git(origin, "branch", "--quiet", "pull-1-merge", merge)
    git(origin, "switch", "--quiet", "main")
    return base, head, merge


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def summary_job() -> dict[str, Any]:
    return yaml.safe_load(CI.read_text(encoding="utf-8"))["jobs"]["summary"]


def simulate_checkout(runner: Runner, step: dict[str, Any], origin: Path, ref: str) -> None:
    options = step.get("with") or {}
    assert options.get("persist-credentials") is False
    assert "ref" not in options, "the summary job checks out the pull request, as data"
    target = runner.workspace / options.get("path", "")
    git(runner.root, "clone", "--quiet", "--no-hardlinks", str(origin), str(target))
    git(target, "switch", "--quiet", "--detach", ref)


def fake_install(runner: Runner, step: dict[str, Any]) -> None:
    """The install step, exactly as asserted, played offline: a ``papers`` that runs the
    package of ``$RUNNER_TEMP/base/scripts`` (the base commit's) with this interpreter."""
    assert step["run"].strip().splitlines() == INSTALL
    assert step["working-directory"] == "${{ runner.temp }}"
    papers = runner.temp / "venv" / "bin" / "papers"
    papers.parent.mkdir(parents=True)
    code = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); "
        "from paper_archive.cli import main; raise SystemExit(main(sys.argv[1:]))"
    )
    papers.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -I -c "{code}" "$RUNNER_TEMP/base/scripts" "$@"\n',
        encoding="utf-8",
    )
    papers.chmod(0o755)


@pytest.mark.slow
def test_a_hostile_pull_request_cannot_forge_the_summary(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    base, head, merge = pull_request(origin)
    runner = Runner(
        tmp_path / "runner",
        {
            "github.event.pull_request.base.sha": base,
            "github.event.pull_request.head.sha": head,
            "github.server_url": "https://github.com",
            "github.repository": "paper-archive/paper-archive",
        },
    )
    job = summary_job()
    pr = runner.workspace / "pr"

    for step in job["steps"]:
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            simulate_checkout(runner, step, origin, merge)
            # CI's test job, played in the pull request's checkout: pytest loads the
            # hostile conftest.py, which rewrites .venv/bin/papers ...
            runpy.run_path(str(pr / "conftest.py"))
            forged = subprocess.run(
                [pr / ".venv/bin/papers", "pr-summary", "--base", base],
                cwd=pr,
                capture_output=True,
                text=True,
                check=True,
            )
            assert FORGED in forged.stdout  # ... and that papers forges the summary.
        elif uses.startswith("actions/setup-python@"):
            continue
        elif step.get("id") == "install":
            fake_install(runner, step)
        else:
            assert not uses, f"a step the test does not simulate: {uses}"
            result = runner.run(job, step)
            assert result.returncode == 0, result.stdout + result.stderr

    summary = runner.summary.read_text(encoding="utf-8")
    assert FORGED not in summary
    assert "1 added." in summary
    assert f"[Sparse Attention](https://github.com/paper-archive/paper-archive/blob/{head}/" in (
        summary
    )
    assert f"({BASE_SITE}papers/sparse-attention/)" in summary and EVIL_SITE not in summary
    others = summary.split("## Other files in this pull request (review each)", 1)[1]
    for path in (
        "conftest.py",
        "setup.py",
        "sitecustomize.py",
        "pip/__main__.py",
        ".venv/bin/papers",
        "mkdocs.yml",
        "scripts/paper_archive/commands/pr_summary.py",
    ):
        assert f"{md_text(path)}: outside docs/papers/: review it" in others, path
    # No hostile file ran in the summary job (conftest.py ran in the test job, above).
    assert sorted(p.name for p in tmp_path.rglob("HOSTILE-CODE-RAN")) == []
