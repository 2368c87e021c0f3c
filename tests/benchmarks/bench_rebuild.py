"""A serve rebuild in one process, without the server: where a dirty rebuild's time goes.

    python tests/benchmarks/bench_rebuild.py SITE [--saves 3] [--profile OUT.prof]
        [--memory] [--cold] [--edit note|abstract]

SITE is a site folder (``tests/benchmarks/sites.py``'s ``archive_with_site``; its
``hooks/``, ``overrides/`` and ``mkdocs.yml`` are refreshed from this repository first). The script does what
``mkdocs serve --dirty`` does between saves (mkdocs.commands.serve): it loads the
config anew, calls ``mkdocs.commands.build.build(config, dirty=True)`` into one site
directory, and between builds edits one paper: ``--edit note`` (the default, what
bench_serve.py does) adds a paragraph with a new word after the abstract (a note: the
paper's record stays as it was), ``--edit abstract`` adds the word to the abstract's
paragraph itself (the record, its lists' neighbours, the exports and the search
documents change). It prints each
build's seconds, its CPU seconds (this process's, its threads' included, and its
children's waited for: the related and search processes) and the load average, and,
per hook event, the seconds our hooks spent (timed around MkDocs' public plugin
events). ``--cold``: the project's cache removed first, as a fresh clone has it. ``--profile`` writes a cProfile of the saves' builds;
``--memory`` prints the process's RSS and the biggest tracemalloc growths between the
second and the last build.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its children waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _edited(text: str, number: int, edit: str) -> str:
    """The page with a new word: a paragraph after the abstract, as bench_serve.py does
    (``note``; a word put before the "# Title" heading would replace the whole
    abstract), or at the end of the abstract's paragraph, the first after the heading."""
    if edit == "note":
        return f"{text.rstrip()}\n\nsave{number}\n"
    head, heading, rest = text.partition("\n# ")
    title, _, body = rest.partition("\n\n")
    abstract, gap, after = body.partition("\n\n")
    return f"{head}{heading}{title}\n\n{abstract.rstrip()} save{number}{gap}{after}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--edit", choices=("note", "abstract"), default="note")
    args = parser.parse_args()

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root: Path = args.site.resolve()
    for folder in ("hooks", "overrides"):
        shutil.rmtree(root / folder, ignore_errors=True)
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if args.cold:
        shutil.rmtree(root / ".paper-archive-cache", ignore_errors=True)
    logging.basicConfig(level=logging.ERROR, format="    %(message)s")
    logging.getLogger("mkdocs.plugins.paper_archive.collect").setLevel(logging.DEBUG)
    site_dir = tempfile.mkdtemp(prefix="bench_rebuild_")
    hook_time: dict[str, float] = defaultdict(float)

    def load() -> object:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir)
        # Time every hook event (MkDocs' public event API: the plugin collection's
        # event lists hold the hook callables).
        for event, methods in config.plugins.events.items():
            for number, method in enumerate(methods):
                name = f"{getattr(method, '__module__', '?')}.{event}"

                def timed(*a: object, _m=method, _n=name, **k: object) -> object:
                    t = time.perf_counter()
                    try:
                        return _m(*a, **k)
                    finally:
                        hook_time[_n] += time.perf_counter() - t

                methods[number] = timed
        return config

    page = sorted((root / "docs" / "papers").glob("*.md"))[7]
    original = page.read_text(encoding="utf-8")
    first = load()
    first.plugins.on_startup(command="serve", dirty=True)
    profiler = cProfile.Profile() if args.profile else None
    try:
        for number in range(args.saves + 1):
            config = first if number == 0 else load()
            if number:
                page.write_text(
                    _edited(page.read_text(encoding="utf-8"), number, args.edit), "utf-8"
                )
            if args.memory and number == 2:
                gc.collect()
                tracemalloc.start(8)
                snapshot = tracemalloc.take_snapshot()
            hook_time.clear()
            if profiler and number >= 2:
                profiler.enable()
            start, cpu = time.perf_counter(), _cpu()
            build(config, dirty=True)  # type: ignore[arg-type]
            seconds = time.perf_counter() - start
            own, children = (after - before for after, before in zip(_cpu(), cpu, strict=True))
            if profiler and number >= 2:
                profiler.disable()
            ours = sorted(hook_time.items(), key=lambda kv: -kv[1])
            traced = ""
            if tracemalloc.is_tracing():
                gc.collect()
                traced = f", Python heap {tracemalloc.get_traced_memory()[0] / 1e6:.1f} MB"
            print(
                f"build {number}: {seconds:.2f} s, CPU {own:.2f} s (children {children:.2f} s), "
                f"load {os.getloadavg()[0]:.1f}, RSS {_rss_mb():.0f} MB{traced}"
            )
            for name, spent in ours[:8]:
                if spent >= 0.01:
                    print(f"    {spent:6.2f} s  {name}")
        if args.memory and args.saves >= 3:
            gc.collect()
            after = tracemalloc.take_snapshot()
            for stat in after.compare_to(snapshot, "traceback")[:8]:
                print(f"+{stat.size_diff / 1e6:.2f} MB ({stat.count_diff:+d})")
                for line in stat.traceback.format()[-6:]:
                    print("    " + line)
    finally:
        page.write_text(original, encoding="utf-8")
        shutil.rmtree(site_dir, ignore_errors=True)
    if profiler and args.profile:
        profiler.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
