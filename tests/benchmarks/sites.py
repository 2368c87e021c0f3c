"""Build archives for benchmarks: ours (all hooks) and the anchor (plain mkdocs-material)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from paper_archive import cli

from tests.benchmarks.proctree import TreePeak, TreeSampler
from tests.benchmarks.synthetic import REPO, make_archive

ANCHOR_CONFIG = """\
site_name: Anchor
docs_dir: anchor_docs
theme:
  name: material
plugins:
  - search
  - tags
not_in_nav: |
  /papers/
nav:
  - index.md
  - tags.md
"""


def archive_with_site(root: Path, papers: int) -> Path:
    """``papers`` papers ingested into a copy of the real site, plus the anchor's config."""
    make_archive(root, papers)
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        if cli.main(["--root", str(root), "-q", "ingest"]) != 0:
            raise SystemExit("ingest failed")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "overrides", root / "overrides")
    for item in (REPO / "docs").iterdir():
        if item.name != "papers":
            copy = shutil.copytree if item.is_dir() else shutil.copy
            copy(item, root / "docs" / item.name)
    anchor = root / "anchor_docs"
    anchor.mkdir()
    (anchor / "papers").symlink_to(root / "docs" / "papers")
    (anchor / "index.md").write_text("# Anchor\n", encoding="utf-8")
    (anchor / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    (root / "anchor.yml").write_text(ANCHOR_CONFIG, encoding="utf-8")
    return root


@dataclass(frozen=True)
class BuildRun:
    seconds: float
    peak_rss_mb: float
    output_bytes: int
    paper_html_bytes: float  # mean size of one paper page
    #: user + system CPU seconds of the build and the processes it waited for
    cpu_seconds: float = 0.0
    #: the memory of the build and its child processes, sampled (proctree.py)
    tree: TreePeak | None = None


def build(root: Path, config: str, out: Path, *, env: dict[str, str] | None = None) -> BuildRun:
    if out.exists():
        shutil.rmtree(out)
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "-f",
        str(root / config),
        "-d",
        str(out),
    ]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=environment)
    sampler = TreeSampler(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    tree = sampler.stop()
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{config}: mkdocs build failed ({process.returncode})")
    sizes = [p.stat().st_size for p in out.rglob("*") if p.is_file()]
    papers = [p.stat().st_size for p in (out / "papers").glob("*/index.html")]
    return BuildRun(
        seconds,
        usage.ru_maxrss / 1024,
        sum(sizes),
        sum(papers) / max(1, len(papers)),
        usage.ru_utime + usage.ru_stime,
        tree,
    )


def config_without(root: Path, part: str) -> str:
    """A configuration of the site at ``root`` with one part of the plugin object
    (``paper_archive.plugin.<part>``) left out: a copy of the one hook with that part's
    events made no-ops, in a config file of its own (returned, relative to ``root``)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    hook = root / "hooks" / f"paper_archive_no_{part}.py"
    hook.write_text(
        f"from paper_archive.plugin import {part} as part\n"
        "for event in ('on_files', 'on_env', 'on_page_markdown', 'on_page_context', "
        "'on_post_build'):\n"
        "    if hasattr(part, event):\n"
        "        setattr(part, event, lambda *args, **kwargs: None)  # this part left out\n"
        + (root / "hooks" / "paper_archive_site.py")
        .read_text(encoding="utf-8")
        .replace("from __future__ import annotations\n", ""),
        encoding="utf-8",
    )
    one = "  - hooks/paper_archive_site.py\n"
    assert one in text
    name = f"no_{part}.yml"
    (root / name).write_text(text.replace(one, f"  - hooks/{hook.name}\n"), encoding="utf-8")
    return name
