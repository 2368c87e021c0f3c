"""Where a site build's time and memory go: MkDocs' and Material's own work beside each
part of the archive's plugin.

    nice -n 10 python tests/benchmarks/bench_build_phases.py --papers 10000 [--runs 1]
    python tests/benchmarks/bench_build_phases.py --root DIR  # an archive made before

Generates N synthetic papers (tests/benchmarks/sites.py), then builds ours (every hook,
cold cache) and bare mkdocs-material + search + tags on the same pages, alternating,
each in a fresh process that times itself from inside: every plugin event by plugin,
each part of the archive's plugin (``paper_archive.plugin.<part>.<event>``), and
MkDocs' own steps (reading a page and its front matter, Markdown, the theme's template,
writing). Each row is wall and CPU seconds (this process; the search bundle and the
related lists are built in child processes, their CPU shown apart), inclusive (a part
is inside its event). RSS (MB) is read at the end of each phase, peak last.
Figures: docs/scale-benchmarks.md ("Issue 20: build time and memory").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

PARTS = (
    "papers",
    "site_pages",
    "paper_pages",
    "index_pages",
    "exports",
    "search_index",
    "page_size",
    "dirty",
)
EVENTS = (
    "on_pre_build",
    "on_files",
    "on_env",
    "on_page_markdown",
    "on_page_content",
    "on_page_context",
    "on_post_page",
    "on_post_build",
)
ENV = {"SITE_URL": "https://example.org/archive/", "SOURCE_DATE_EPOCH": "1767225600"}


def _rss_mb() -> float:
    resident = Path("/proc/self/statm").read_text(encoding="ascii").split()[1]
    return int(resident) * os.sysconf("SC_PAGE_SIZE") / 1e6


class Spans:
    """Named spans, inclusive: wall and CPU seconds, calls."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        self.rss: list[tuple[str, float]] = []

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                row = self.totals[name]
                row[0] += time.perf_counter() - wall
                row[1] += time.process_time() - cpu
                row[2] += 1

        return timed

    def patch(self, owner: Any, attribute: str, name: str) -> None:
        setattr(owner, attribute, self.wrap(name, getattr(owner, attribute)))

    def mark(self, phase: str) -> None:
        self.rss.append((phase, _rss_mb()))


def child(config: str, site: str, out: str) -> None:
    """One build in this process, timed from inside; the figures written to ``out``."""
    import mkdocs.commands.build as build
    import mkdocs.plugins as plugins
    import mkdocs.utils as utils
    from mkdocs.__main__ import cli
    from mkdocs.structure.pages import Page

    spans = Spans()
    marked: set[str] = set()
    run_event = plugins.PluginCollection.run_event

    def label(method: Any) -> str:
        module = getattr(method, "__module__", "") or ""
        if "paper_archive" in module:
            return "archive"
        return module.removesuffix(".plugin").removeprefix("material.plugins.")

    def wrapped_events(self: Any, name: str, item: Any = None, **kwargs: Any) -> Any:
        if name in ("env", "page_context", "post_build") and name not in marked:
            marked.add(name)
            spans.mark(
                {"env": "read+Markdown", "page_context": "on_env", "post_build": "render"}[name]
            )
        if name == "files":
            spans.mark("config+pre_build+files listed")
        events = self.events[name]
        original = list(events)
        events[:] = [spans.wrap(f"on_{name}:{label(m)}", m) for m in original]
        try:
            result = run_event(self, name, item, **kwargs)
        finally:
            events[:] = original
        if name == "files":
            spans.mark("on_files")
        return result

    plugins.PluginCollection.run_event = wrapped_events  # type: ignore[method-assign]
    spans.patch(Page, "read_source", "mkdocs: read page, front matter")
    spans.patch(Page, "render", "mkdocs: Markdown")
    spans.patch(build, "_populate_page", "mkdocs: populate (read, Markdown, events)")
    spans.patch(build, "_build_page", "mkdocs: build page (context, template, events, write)")
    spans.patch(build, "get_files", "mkdocs: list docs")
    spans.patch(build, "get_navigation", "mkdocs: nav")
    spans.patch(utils, "write_file", "mkdocs: write")
    from mkdocs.structure.files import Files

    spans.patch(Files, "copy_static_files", "mkdocs: copy static files")
    try:
        from paper_archive import plugin as _plugin  # noqa: F401

        for part in PARTS:
            module = __import__(f"paper_archive.plugin.{part}", fromlist=["_"])
            for name in EVENTS:
                if hasattr(module, name):
                    spans.patch(module, name, f"part {part}.{name}")
        import paper_archive.site.collect as collect

        spans.patch(collect, "collect", "site.collect (load papers)")
    except ImportError:
        pass
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        cli(["build", "-q", "-f", config, "-d", site], standalone_mode=False)
    finally:
        spans.mark("post_build")
        usage = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        Path(out).write_text(
            json.dumps(
                {
                    "wall": time.perf_counter() - wall,
                    "cpu": time.process_time() - cpu,
                    "children_cpu": children.ru_utime + children.ru_stime,
                    "peak_rss_mb": usage.ru_maxrss / 1024,
                    "children_peak_rss_mb": children.ru_maxrss / 1024,
                    "spans": spans.totals,
                    "rss": spans.rss,
                }
            ),
            encoding="utf-8",
        )


def measured(root: Path, config: str, site: Path) -> dict[str, Any]:
    if site.exists():
        shutil.rmtree(site)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENV}
    started = time.perf_counter()
    from tests.benchmarks.proctree import TreeSampler

    process = subprocess.Popen(
        [sys.executable, __file__, "--child", str(root / config), str(site), out],
        env=env,
        cwd=root,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    if process.wait() != 0:
        raise SystemExit(f"{config}: the build failed ({process.returncode})")
    figures = json.loads(Path(out).read_text(encoding="utf-8"))
    figures["tree"] = sampler.stop().line()
    figures["outside"] = time.perf_counter() - started
    Path(out).unlink()
    return figures


def report(name: str, figures: dict[str, Any]) -> None:
    out = sys.stdout
    out.write(
        f"\n### {name}: {figures['outside']:.1f} s wall from outside; inside "
        f"{figures['wall']:.1f} s wall, {figures['cpu']:.1f} s CPU (+{figures['children_cpu']:.1f} s "
        f"in child processes), peak RSS {figures['peak_rss_mb']:.0f} MB (largest child "
        f"{figures['children_peak_rss_mb']:.0f} MB), load "
        f"{os.getloadavg()[0]:.1f}\n\n| span | wall (s) | CPU (s) | calls |\n|---|---:|---:|---:|\n"
    )
    for span, (wall, cpu, calls) in sorted(figures["spans"].items(), key=lambda kv: -kv[1][0]):
        if wall >= 0.05:
            out.write(f"| {span} | {wall:.2f} | {cpu:.2f} | {calls} |\n")
    out.write("\nRSS at the end of each phase (MB): ")
    out.write(", ".join(f"{phase} {mb:.0f}" for phase, mb in figures["rss"]) + "\n")
    out.write(f"\nMemory of the build's processes, sampled: {figures['tree']}\n")
    out.flush()


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--root", type=Path, help="an archive made by sites.archive_with_site")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-anchor", action="store_true")
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        root = args.root
        if root is None:
            from tests.benchmarks.sites import archive_with_site

            root = archive_with_site(Path(tmp) / "archive", args.papers)
        for run in range(args.runs):
            for cache in (".cache", ".paper-archive-cache"):
                shutil.rmtree(root / cache, ignore_errors=True)
            report(f"ours, run {run + 1}", measured(root, "mkdocs.yml", Path(tmp) / "ours"))
            if not args.no_anchor:
                report(
                    f"bare Material, run {run + 1}",
                    measured(root, "anchor.yml", Path(tmp) / "anchor"),
                )


if __name__ == "__main__":
    main()
