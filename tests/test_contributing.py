"""What CONTRIBUTING.md tells people works: its example page, its command, its hooks."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from paper_archive import cli
from paper_archive.disk.validate import check_page
from paper_archive.project import Project
from paper_archive.record.model import paper_schema
from paper_archive.record.tagging import Vocabulary

from . import REPO

VENV = Path(sys.prefix)


def _blocks(language: str) -> list[str]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_the_example_page_is_valid(vocabulary: Vocabulary) -> None:
    (page,) = [b for b in _blocks("markdown") if b.startswith("---\n")]
    diagnostics, parsed = check_page(
        page, path="docs/papers/pointer-networks.md", vocabulary=vocabulary
    )
    assert diagnostics == []
    assert parsed is not None
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", contributing, flags=re.MULTILINE))
    assert documented == set(paper_schema()["properties"])  # every key, and no other


def test_the_example_command_adds_the_paper(
    archive: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (command,) = [b for b in _blocks("bash") if "papers add" in b]
    argv = shlex.split(command.replace("\\\n", " "))
    assert argv[0] == ".venv/bin/papers"
    (archive.root / "abstract.txt").write_text(
        "We introduce a new neural architecture that points at its input.", encoding="utf-8"
    )
    monkeypatch.chdir(archive.root)
    assert cli.main(argv[1:]) == 0
    assert "wrote docs/papers/pointer-networks.md" in capsys.readouterr().out


def _hooks() -> dict[str, dict]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"  # nothing to download
    return {hook["id"]: hook for hook in repo["hooks"]}


def test_pre_commit_config_is_valid_and_offline() -> None:
    result = subprocess.run(
        [str(VENV / "bin" / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = _hooks()
    assert set(hooks) == {"ruff-check", "ruff-format", "mypy", "eslint", "papers-validate"}
    for hook in hooks.values():
        assert hook["language"] == "system"
        assert (REPO / hook["entry"].split()[0]).name in {"ruff", "mypy", "eslint", "papers"}
    assert hooks["mypy"]["pass_filenames"] is False  # the files pyproject.toml names
    scripts = re.compile(hooks["eslint"]["files"])
    vendored = re.compile(hooks["eslint"]["exclude"])
    assert scripts.search("docs/assets/search/engine.js") and scripts.search("docs/assets/math.js")
    assert vendored.search("docs/assets/vendor/lunr/lunr.min.js")
    pages = re.compile(hooks["papers-validate"]["files"])
    assert pages.search("docs/papers/pointer-networks.md")
    assert not pages.search("docs/index.md") and not pages.search("docs/papers/x.txt")


def test_pre_commit_validate_hook_fails_on_a_broken_page(
    tmp_path: Path, repo: Path, corpus: Path
) -> None:
    root = tmp_path / "clone"
    (root / "docs" / "papers").mkdir(parents=True)
    shutil.copytree(corpus / "data", root / "data")
    shutil.copy(repo / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(repo / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    (root / ".venv").symlink_to(VENV)
    broken = root / "docs" / "papers" / "my-paper.md"
    broken.write_text("---\ntitle: My Paper\ntags: [x\nadded: 2026-11-23\n---\n", encoding="utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=root, check=True, env=env)

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(VENV / "bin" / "pre-commit"), "run", "papers-validate", "--files", *files],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    result = hook("docs/papers/my-paper.md")
    assert result.returncode == 1
    assert "docs/papers/my-paper.md:4: error: invalid YAML" in result.stdout, result.stdout
    broken.write_text(
        "---\ntitle: My Paper\ntags: []\nadded: 2026-11-23\n---\n\n# My Paper\n\nText.\n",
        encoding="utf-8",
    )
    result = hook("docs/papers/my-paper.md")
    assert result.returncode == 0, result.stdout
    assert "Passed" in result.stdout
