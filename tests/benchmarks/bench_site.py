"""Site build benchmark: our full build (all hooks) against plain mkdocs-material.

    python tests/benchmarks/bench_site.py [--sizes 543 10000] [--runs 3]

For each size: the archive's own build from a cold search cache, the same build again
with no paper changed (search bundle from cache), the same build without the search
hook (what the search index adds), and the anchor: mkdocs-material with its search and
tags plugins on the same pages, papers out of the nav. Prints wall time, peak RSS of
the build process, output size and HTML bytes per paper page. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.sites import BuildRun, archive_with_site, build, config_without  # noqa: E402


def _fmt(runs: list[BuildRun]) -> str:
    times = [r.seconds for r in runs]
    return f"{min(times):.1f} / {statistics.median(times):.1f} / {max(times):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[543, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    out = sys.stdout
    out.write(
        "| papers | build | time min / median / max (s) | peak RSS (MB) | output (MB) | HTML per paper page (KB) |\n"
    )
    out.write("|---:|---|---|---:|---:|---:|\n")
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for size in args.sizes:
            root = archive_with_site(Path(tmp) / f"site-{size}", size)
            site = Path(tmp) / "out"
            rows: dict[str, list[BuildRun]] = {
                "ours, cold search cache": [],
                "ours, no paper changed": [],
                "ours without the search hook": [],
                "anchor: Material + search + tags": [],
            }
            for _ in range(args.runs):
                for cache in (".cache", ".paper-archive-cache"):  # related, search, pages
                    shutil.rmtree(root / cache, ignore_errors=True)
                rows["ours, cold search cache"].append(build(root, "mkdocs.yml", site))
                rows["ours, no paper changed"].append(build(root, "mkdocs.yml", site))
                rows["ours without the search hook"].append(
                    build(root, config_without(root, "search_index"), site)
                )
                rows["anchor: Material + search + tags"].append(build(root, "anchor.yml", site))
            for name, runs in rows.items():
                last = runs[-1]
                out.write(
                    f"| {size} | {name} | {_fmt(runs)} | {max(r.peak_rss_mb for r in runs):.0f} | "
                    f"{last.output_bytes / 1e6:.1f} | {last.paper_html_bytes / 1e3:.1f} |\n"
                )
            out.flush()
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
