"""The fallback engine is proven, not hoped for: ProperDocs builds the site MkDocs builds.

MkDocs 1.6.1 is its last release. ProperDocs, a maintained drop-in fork of MkDocs 1.x,
must build this site unchanged: same config, same hooks, same theme overrides. Both
engines build the seed archive from their command lines (as a maintainer would), each
in its own copy (so neither reuses the other's search cache), and every file of the two
sites must be byte-identical, except the generator `<meta>` tag that names the engine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import CORPUS
from tests.sitebuild import make_site

pytestmark = pytest.mark.slow

_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(cli: str, root: Path) -> Path:
    site = root / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764460800", "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [str(Path(sys.executable).parent / cli), "build", "--strict", "-f", "mkdocs.yml"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"{cli} build failed:\n{run.stdout}\n{run.stderr}"
    return site


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path: Path) -> None:
    if shutil.which("properdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("properdocs is not installed: it is in the test extras of pyproject.toml")
    mkdocs_site = _files(
        _build("mkdocs", make_site(tmp_path / "mkdocs", with_seed=True, full_docs=True))
    )
    properdocs_site = _files(
        _build("properdocs", make_site(tmp_path / "properdocs", with_seed=True, full_docs=True))
    )

    assert sorted(mkdocs_site) == sorted(properdocs_site)
    pages = {path.stem for path in (CORPUS / "docs" / "papers").glob("*.md")}
    built = {name.split("/")[1] for name in mkdocs_site if name.startswith("papers/")}
    assert pages <= built  # every page of the corpus was built, by both engines
    generators = set()
    differing = []
    for name, data in mkdocs_site.items():
        other = properdocs_site[name]
        generators.update(_GENERATOR.findall(other))
        if _GENERATOR.sub(b"", data) != _GENERATOR.sub(b"", other):
            differing.append(name)
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
    # The comparison really ran on ProperDocs' output, not twice on MkDocs'.
    assert any(b"ProperDocs" in tag for tag in generators)
