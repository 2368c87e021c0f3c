"""fetch.yml's and enrich.yml's two jobs, played: the read-only job runs the real
``papers fetch`` (or ``papers enrich``) on recorded responses and collects the changed
files; the job that may push takes them from the artifact with its own ``run:`` steps,
read from the workflow, and writes the pull request's body. The pull request's branch
must then hold exactly what the read-only job wrote, and its body the run's lines for a
reviewer (the entry the fetch left out; what enrich filled in and what it left for a
human), quoted as code.

The upload and download are a copy; the checkouts are clones of a ``main`` holding the
seed archive and this tree's ``.github/scripts``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from paper_archive.project import Project

from .. import REPO
from ..workflow_run import Runner
from .conftest import FakeApi, ok, run
from .test_enrich import AMBIGUOUS, CLOSE, MISSING, NODE, PAGES, PHRASES, searching_all

WORKFLOWS = REPO / ".github" / "workflows"
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


def main_branch(ingested: Project, tmp_path: Path) -> Path:
    main = tmp_path / "main"
    shutil.copytree(ingested.root, main)
    shutil.copytree(REPO / ".github" / "scripts", main / ".github" / "scripts")  # main's
    git(main, "init", "--quiet", "--initial-branch=main")
    git(main, "add", "-A")
    git(main, "commit", "--quiet", "-m", "main")
    return main


def checkout(runner: Runner, main: Path) -> Path:
    work = runner.workspace / "archive"
    git(runner.root, "clone", "--quiet", str(main), str(work))
    runner.workspace = work
    return work


def play(
    workflow: str,
    *,
    main: Path,
    tmp_path: Path,
    papers: Callable[[Project], tuple[int, str]],
    values: dict[str, str],
) -> tuple[Path, Path, Runner]:
    """Both jobs; ``papers`` runs the command in the read-only job's checkout and returns
    its status and output (stdout then stderr, as `2>&1 | tee` keeps them)."""
    jobs = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))["jobs"]
    (_, reader_job), (_, writer_job) = jobs.items()

    reader = Runner(tmp_path / "reader", {})
    work = checkout(reader, main)
    status, log = papers(Project(work))
    assert status == 0, log
    (reader.temp / "artifact" / "files").mkdir(parents=True)
    (reader.temp / "artifact" / "log.txt").write_text(log, encoding="utf-8")
    collected = reader.run(reader_job, step(reader_job, "Collect the changed files"))
    assert collected.returncode == 0, collected.stderr

    writer = Runner(tmp_path / "writer", values)
    branch = checkout(writer, main)
    download = next(s for s in writer_job["steps"] if "download-artifact" in s.get("uses", ""))
    folder = Path(download["with"]["path"].replace("${{ runner.temp }}", str(writer.temp)))
    shutil.copytree(reader.temp / "artifact", folder)
    for name in ("Take only pages and sources from them", "Write the pull request's body"):
        result = writer.run(writer_job, step(writer_job, name))
        assert result.returncode == 0, result.stdout + result.stderr
    assert files(branch) == files(work) != files(main)
    return work, branch, writer


def changed(branch: Path) -> list[str]:
    lines = git(branch, "status", "--porcelain", "--untracked-files=all").splitlines()
    return sorted(line[3:] for line in lines)


@pytest.mark.slow
def test_the_fetch_pull_request_holds_what_the_read_only_job_fetched(
    ingested: Project,
    api: FakeApi,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api.add("huggingface.co", ok(f"hf_daily_{DAY}.json"))

    def fetch(project: Project) -> tuple[int, str]:
        capsys.readouterr()
        status = run(project, "fetch", "hf-daily", "--date", DAY)
        out = capsys.readouterr()
        return status, out.out + out.err

    _, branch, writer = play(
        "fetch.yml",
        main=main_branch(ingested, tmp_path),
        tmp_path=tmp_path,
        papers=fetch,
        values={"needs.fetch.outputs.day": DAY},
    )
    paths = changed(branch)
    assert len(paths) == 5  # two new pages, one merged page, the response, its manifest
    assert all(p.startswith(("docs/papers/", "data/sources/")) for p in paths)
    assert writer.outputs() == {"day": DAY}
    body = (writer.temp / "body.md").read_text(encoding="utf-8")
    assert body.startswith(f"`papers fetch hf-daily --date {DAY}`: the raw API response")
    log = (writer.temp / "fetched" / "log.txt").read_text(encoding="utf-8")
    left_out = next(line for line in log.splitlines() if line.startswith("skipped:"))
    assert ": item 4: " in left_out and "abstract" in left_out, left_out
    assert f"\n    {left_out}\n" in body  # one line of the code block
    assert "quoted as code):\n\n    " in body


@pytest.mark.slow
def test_the_enrich_pull_request_holds_what_the_read_only_job_found(
    ingested: Project,
    api: FakeApi,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api.route(searching_all(*PHRASES), ok("arxiv_search_batch.xml"))

    def enrich(project: Project) -> tuple[int, str]:
        capsys.readouterr()
        status = run(project, "enrich", *(str(project.root / p) for p in PAGES))
        out = capsys.readouterr()
        return status, out.out + out.err

    _, branch, writer = play(
        "enrich.yml",
        main=main_branch(ingested, tmp_path),
        tmp_path=tmp_path,
        papers=enrich,
        values={},
    )
    assert changed(branch) == [NODE]
    body = (writer.temp / "body.md").read_text(encoding="utf-8")
    assert body.startswith("`papers enrich`: pages without an arXiv id")
    quoted = [line[4:] for line in body.splitlines() if line.startswith("    ")]
    assert quoted == [
        f"check {AMBIGUOUS}: several arXiv papers have this title: 1608.06993 "
        "'Densely Connected Convolutional Networks'; 2001.02394 "
        "'Densely connected convolutional networks'",
        f"enriched {NODE}: arXiv 1806.07366 (arxiv, authors, author_count, published)",
        f"check {MISSING}: not found on arXiv by title",
        f"check {CLOSE}: no exact title match on arXiv; close: "
        "2205.15480 'Post-hoc Concept Bottleneck Model'",
        "4 page(s) looked up: enriched 1, for a human 2, not found 1, failed 0",
    ]
