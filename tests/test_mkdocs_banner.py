"""The README says how to silence the theme's banner; the installed theme agrees.

mkdocs-material prints an end-of-life banner on every ``mkdocs`` command unless
``NO_MKDOCS_2_WARNING`` is set. A real ``mkdocs build`` of a one-page site shows that the
variable the README names is the one the installed theme reads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import REPO

BANNER = "Material for MkDocs reaches end of life"


def _build(root: Path, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.endswith("MKDOCS_2_WARNING")}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")],
        cwd=root,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout + done.stderr


def test_the_readme_names_the_variable_that_silences_the_banner(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "NO_MKDOCS_2_WARNING=1" in readme
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hi\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme:\n  name: material\n", encoding="utf-8"
    )
    assert BANNER in _build(tmp_path)  # the banner the README explains
    assert BANNER not in _build(tmp_path, NO_MKDOCS_2_WARNING="1")
