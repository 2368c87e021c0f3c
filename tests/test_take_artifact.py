""".github/scripts/take-artifact.sh and quote-lines.sh: what the job holding write
permissions does with the files and the log a read-only job left (fetch.yml, enrich.yml).

The artifact comes from a job that parsed untrusted responses, so these tests play a
hostile one: a symbolic link, a path outside docs/papers/ and data/sources/, a nested
folder, a dot file, a page that is not Markdown, a FIFO. Each is refused, the error names
it, and nothing at all is copied, not even the artifact's good files.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from . import REPO

TAKE = REPO / ".github" / "scripts" / "take-artifact.sh"
QUOTE = REPO / ".github" / "scripts" / "quote-lines.sh"
GOOD = {
    "docs/papers/sparse-attention.md": "---\ntitle: Sparse Attention\n---\n",
    "data/sources/hf-daily-2024-03-12-0123abcd.json": "[]\n",
    "data/sources/hf-daily-2024-03-12-0123abcd.yaml": "id: x\n",
}


def checkout(root: Path) -> Path:
    """A checkout of main: one page and one source already there."""
    for folder in ("docs/papers", "data/sources", ".github/workflows"):
        (root / folder).mkdir(parents=True)
    (root / "docs/papers/pointer-networks.md").write_text("old\n", encoding="utf-8")
    (root / ".github/workflows/ci.yml").write_text("name: CI\n", encoding="utf-8")
    return root


def artifact(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / "files" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (root / "files").mkdir(parents=True, exist_ok=True)
    return root


def take(work: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(TAKE), str(folder)], cwd=work, capture_output=True, text=True, check=False
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_pages_and_sources_are_taken(tmp_path: Path) -> None:
    work = checkout(tmp_path / "work")
    files = {**GOOD, "docs/papers/pointer-networks.md": "new\n"}
    result = take(work, artifact(tmp_path / "artifact", files))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "took 4 file(s) from the artifact\n"
    for path, text in files.items():
        assert (work / path).read_text(encoding="utf-8") == text
        assert (work / path).stat().st_mode & 0o777 == 0o644


def test_an_empty_artifact_changes_nothing(tmp_path: Path) -> None:
    work = checkout(tmp_path / "work")
    before = snapshot(work)
    result = take(work, artifact(tmp_path / "artifact", {}))
    assert (result.returncode, result.stdout) == (0, "took 0 file(s) from the artifact\n")
    assert snapshot(work) == before


OUTSIDE = "the artifact holds a path outside docs/papers/ and data/sources/"
NAME = "the artifact holds a file with an unexpected name"
HOSTILE = {
    "a workflow": (
        ".github/workflows/ci.yml",
        "the artifact holds a folder a fetch does not write: .github",
    ),
    "a root setup.py": ("setup.py", f"{OUTSIDE}: setup.py"),
    "a root conftest.py": ("conftest.py", f"{OUTSIDE}: conftest.py"),
    "a site page": ("docs/index.md", f"{OUTSIDE}: docs/index.md"),
    "not Markdown": ("docs/papers/evil.html", "not a paper page (.md): docs/papers/evil.html"),
    "a nested page": (
        "docs/papers/sub/x.md",
        "the artifact holds a folder a fetch does not write: docs/papers/sub",
    ),
    "a dot file": ("docs/papers/.pages.md", f"{NAME}: docs/papers/.pages.md"),
    "a newline": ("data/sources/a\nb.json", f"{NAME}: data/sources/a\nb.json"),
    "a space": ("docs/papers/a b.md", f"{NAME}: docs/papers/a b.md"),
}


@pytest.mark.parametrize(("path", "error"), HOSTILE.values(), ids=HOSTILE)
def test_a_path_a_fetch_never_writes_refuses_the_whole_artifact(
    tmp_path: Path, path: str, error: str
) -> None:
    work = checkout(tmp_path / "work")
    before = snapshot(work)
    result = take(work, artifact(tmp_path / "artifact", {**GOOD, path: "#!/bin/sh\n"}))
    assert (result.returncode, result.stderr) == (1, f"::error::{error}\n")
    assert snapshot(work) == before


@pytest.mark.parametrize(
    "make",
    [
        lambda files: (files / "docs/papers/env.md").symlink_to("/proc/self/environ"),
        lambda files: (files / "data/sources/x.json").symlink_to("../../../../etc/passwd"),
        lambda files: (files / "docs/papers/link.md").symlink_to("sparse-attention.md"),
        lambda files: os.mkfifo(files / "data/sources/pipe.json"),
    ],
    ids=["link to /proc", "link out of the artifact", "link inside it", "a FIFO"],
)
def test_a_link_or_special_file_refuses_the_whole_artifact(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    work = checkout(tmp_path / "work")
    before = snapshot(work)
    folder = artifact(tmp_path / "artifact", GOOD)
    make(folder / "files")
    result = take(work, folder)
    assert result.returncode == 1
    assert result.stderr.startswith("::error::the artifact holds "), result.stderr
    assert "symbolic link" in result.stderr or "not a file" in result.stderr
    assert snapshot(work) == before
    assert not any(p.is_symlink() for p in work.rglob("*"))


def test_a_linked_folder_in_the_artifact_is_refused(tmp_path: Path) -> None:
    work = checkout(tmp_path / "work")
    outside = tmp_path / "outside"
    (outside / "papers").mkdir(parents=True)
    (outside / "papers" / "x.md").write_text("x\n", encoding="utf-8")
    folder = artifact(tmp_path / "artifact", {})
    (folder / "files" / "docs").symlink_to(outside)
    result = take(work, folder)
    assert result.returncode == 1 and "symbolic link: docs" in result.stderr
    assert not (work / "docs/papers/x.md").exists()


def quote(tmp_path: Path, log: str, pattern: str = "skipped|left out") -> str:
    path = tmp_path / "log.txt"
    path.write_text(log, encoding="utf-8")
    result = subprocess.run(
        ["bash", str(QUOTE), pattern, str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_quoted_lines_are_one_code_block(tmp_path: Path) -> None:
    log = (
        "stored data/sources/x.json (+ manifest)\n"
        "warning: skipped data/sources/y.json: not JSON\n"
        "warning: https://hf.co/api: entry 4 left out: paper '<img src=x onerror=alert(1)>"
        " @octocat [link](javascript:alert(1))' has no abstract\x1b[31m\r\n"
        "x: 3 paper(s): new 2, updated 1, unchanged 0, conflicts 0, skipped 0\n"
    )
    assert quote(tmp_path, log) == (
        "    warning: skipped data/sources/y.json: not JSON\n"
        "    warning: https://hf.co/api: entry 4 left out: paper '<img src=x onerror=alert(1)>"
        " @octocat [link](javascript:alert(1))' has no abstract[31m\n"
        "    x: 3 paper(s): new 2, updated 1, unchanged 0, conflicts 0, skipped 0\n"
    )
    assert quote(tmp_path, "stored x\n") == "(none)\n"


def test_quoted_lines_are_bounded(tmp_path: Path) -> None:
    out = quote(tmp_path, "".join(f"warning: skipped {i}: {'x' * 500}\n" for i in range(250)))
    lines = out.splitlines()
    assert len(lines) == 202 and lines[-1] == "(50 more in the run's log)"
    assert all(len(line) == 304 for line in lines[:200])
