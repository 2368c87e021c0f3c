"""fetch.yml's two jobs, played: the read-only job fetches (the real ``papers fetch`` on
a recorded response) and collects the changed files; the job that may push takes them
from the artifact with its own ``run:`` steps, read from the workflow, and writes the
pull request's body. The pull request's branch must then hold exactly what the fetch
wrote, and its body the entry the fetch left out, quoted as code.

The upload and download are a copy; the checkouts are clones of a ``main`` holding the
seed archive and this tree's ``.github/scripts``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from paper_archive.project import Project

from .. import REPO
from ..workflow_run import Runner
from .conftest import FakeApi, ok, run

FETCH_YML = REPO / ".github" / "workflows" / "fetch.yml"
DAY = "2024-03-12"


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Archive",
        "GIT_AUTHOR_EMAIL": "archive@example.org",
        "GIT_COMMITTER_NAME": "Archive",
        "GIT_COMMITTER_EMAIL": "archive@example.org",
    }
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def step(job: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if s.get("name") == name)


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "docs").rglob("*")) + sorted((root / "data").rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_the_pull_request_holds_what_the_read_only_job_fetched(
    ingested: Project,
    api: FakeApi,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    jobs = yaml.safe_load(FETCH_YML.read_text(encoding="utf-8"))["jobs"]
    main = tmp_path / "main"
    shutil.copytree(ingested.root, main)
    shutil.copytree(REPO / ".github" / "scripts", main / ".github" / "scripts")  # main's
    git(main, "init", "--quiet", "--initial-branch=main")
    git(main, "add", "-A")
    git(main, "commit", "--quiet", "-m", "main")

    # The read-only job: check out main, fetch (stdout and stderr into the log), collect.
    reader = Runner(tmp_path / "reader", {})
    work = reader.workspace / "archive"
    git(tmp_path, "clone", "--quiet", str(main), str(work))
    reader.workspace = work
    api.add("huggingface.co", ok(f"hf_daily_{DAY}.json"))
    capsys.readouterr()
    assert run(Project(work), "fetch", "hf-daily", "--date", DAY) == 0
    out = capsys.readouterr()
    (reader.temp / "artifact" / "files").mkdir(parents=True)
    (reader.temp / "artifact" / "log.txt").write_text(out.out + out.err, encoding="utf-8")
    collected = reader.run(jobs["fetch"], step(jobs["fetch"], "Collect the changed files"))
    assert collected.returncode == 0, collected.stderr
    fetched = files(work)
    assert fetched != files(main)

    # The job that may push: main again, the artifact downloaded, its own run: steps.
    writer = Runner(tmp_path / "writer", {"needs.fetch.outputs.day": DAY})
    branch = writer.workspace / "archive"
    git(tmp_path, "clone", "--quiet", str(main), str(branch))
    writer.workspace = branch
    shutil.copytree(reader.temp / "artifact", writer.temp / "fetched")
    for name in ("Take only pages and sources from them", "Write the pull request's body"):
        result = writer.run(jobs["pull-request"], step(jobs["pull-request"], name))
        assert result.returncode == 0, result.stdout + result.stderr

    assert files(branch) == fetched
    changed = git(branch, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert len(changed) == 5  # two new pages, one merged page, the response, its manifest
    assert all(line[3:].startswith(("docs/papers/", "data/sources/")) for line in changed)
    assert writer.outputs() == {"day": DAY}
    body = (writer.temp / "body.md").read_text(encoding="utf-8")
    assert body.startswith(f"`papers fetch hf-daily --date {DAY}`: the raw API response")
    left_out = next(line for line in out.err.splitlines() if "left out" in line)
    assert "entry 4 left out: paper 'A Withdrawn Listing Without Its Abstract'" in left_out
    assert f"\n    {left_out}\n" in body  # one line of the code block
    assert "quoted as code):\n\n    " in body
