"""A build that fails leaves nothing running and no input files behind.

The related-papers lists and the search bundle are computed by separate processes
started in ``on_files`` from input files in ``.paper-archive-cache/``; a build that
fails after that (here a hook raising in ``on_nav``) must end them and remove their
inputs (``PaperArchive.on_build_error``). A plain ``mkdocs build`` forks them
(paper_archive/jobs.py): a child left running would have the build's own command line,
which names the build's mkdocs.yml; a ``python -m`` job's names the cache.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from ..sitebuild import make_site, paper

FAILING_HOOK = """\
from mkdocs.exceptions import PluginError


def on_nav(nav, /, *, config, files):
    raise PluginError("failing on purpose, after every on_files")
"""


def _processes_naming(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in argv:
            found.append(argv)
    return found


def test_failed_build_ends_its_processes_and_removes_their_inputs(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "site",
        [
            paper(f"Sparse Expert Routing {n}", published=dt.date(2020, 1, n), tags=("llms",))
            for n in range(1, 30)
        ],
    )
    (root / "hooks" / "zz_fail.py").write_text(FAILING_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    last = "  - hooks/paper_archive_site.py\n"
    assert last in text
    config.write_text(text.replace(last, last + "  - hooks/zz_fail.py\n"), encoding="utf-8")

    # Output to a file, not a pipe: a child left behind would hold a pipe open, and
    # `run` would wait for it to end before the check below could see it.
    log = tmp_path / "build.log"
    with log.open("w", encoding="utf-8") as output:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "-f",
                str(config),
                "-d",
                str(tmp_path / "out"),
            ],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=300,
        )
    assert done.returncode != 0
    assert "failing on purpose" in log.read_text(encoding="utf-8")
    cache = root / ".paper-archive-cache"
    started = [p for p in cache.rglob("*") if p.is_dir()]
    assert {p.name for p in started} >= {"related", "search"}  # both were started
    assert sorted(p.name for p in cache.rglob(".input-*")) == []
    assert _processes_naming(str(cache)) == []
    assert _processes_naming(str(config)) == []  # no forked child outlived the build
