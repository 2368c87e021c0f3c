"""The repository itself: lint, raw sources pinned by their manifests, README and CI agree."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from paper_archive.sources import discover, read_source

from .test_fast_loop import _registered


def test_ruff_is_clean(repo: Path) -> None:
    ruff = [sys.executable, "-m", "ruff"]
    check = subprocess.run([*ruff, "check", str(repo)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run([*ruff, "format", "--check", str(repo)], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.archive
def test_raw_sources_match_their_manifests(repo: Path) -> None:
    sources = discover(repo / "data" / "sources")
    seeds = [s for s in sources if s.id.startswith("hf-listing-")]
    assert len(seeds) == 5 and all(s.kind == "hf-daily-papers-listing" for s in seeds)
    for source in sources:
        assert read_source(source)  # raises if the sha256 does not match
    raw_files = sorted(p.name for p in (repo / "data" / "sources").iterdir() if p.suffix != ".yaml")
    assert raw_files == sorted(s.path.name for s in sources), "a raw file without a manifest"


def _readme_commands(readme: str) -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", readme)


def test_ci_runs_the_readme_test_command(repo: Path) -> None:
    commands = _readme_commands((repo / "README.md").read_text(encoding="utf-8"))
    assert len(commands) >= 2
    serve, test = commands[0], commands[1]
    assert "mkdocs serve" in serve
    ci = [
        line
        for line in (repo / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert " && ".join(ci) == test


def test_the_readme_test_command_runs_every_test_once(repo: Path) -> None:
    """The archive tests here, every other one inside the contributor suite (which runs
    ``not contributor_suite`` on its copy): together, each test once; markers registered,
    so neither selection is empty by a typo. GitHub's CI runs the same command."""
    test = _readme_commands((repo / "README.md").read_text(encoding="utf-8"))[1]
    pytest_command = test.split(" && ", 1)[1]
    words = shlex.split(pytest_command)
    assert words[words.index("-m", words.index("pytest")) + 1] == "archive or contributor_suite"
    assert {"archive", "contributor_suite"} <= _registered()
    suite = (repo / "tests" / "test_contributor_suite.py").read_text(encoding="utf-8")
    assert '"-m", "not contributor_suite"' in suite
    ci = (repo / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert f"run: {pytest_command}\n" in ci


@pytest.mark.parametrize("name", ["setup", "run"])
def test_ci_scripts_are_executable_bash(repo: Path, name: str) -> None:
    path = repo / ".ci" / name
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert path.stat().st_mode & 0o111
    assert subprocess.run(["bash", "-n", str(path)]).returncode == 0
