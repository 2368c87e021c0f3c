"""Related-papers benchmark: ``related_docs`` on the synthetic corpus.

    python tests/benchmarks/bench_related.py [--sizes 543 10000] [--runs 3] [--site]

For each size: wall time of computing every paper's related list (min / median / max),
the peak of Python allocations during one run (tracemalloc, a separate run: it slows
the code down), the time of the cache's round trip (dump + load: what a rebuild with no
paper changed pays) and the average list length. With ``--site``, also whole
``mkdocs build`` runs of the synthetic site (fresh processes): without
the exports part (plugin/exports.py), with it from a cold related cache, and again with no paper changed,
and the bytes the exports write (feeds, .bib, JSON, schema, robots.txt).
Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from paper_archive.record.slugs import base_slug  # noqa: E402
from paper_archive.site.related import Doc, content_key, dumps, loads, related_docs  # noqa: E402
from paper_archive.text.safe import inert  # noqa: E402

from tests.benchmarks.sites import archive_with_site, build, config_without  # noqa: E402
from tests.benchmarks.synthetic import variants  # noqa: E402

EXPORTS = ("feed.xml", "*.bib.gz", "papers.json.gz", "papers.schema.json", "robots.txt")


def site_rows(sizes: list[int], runs: int) -> None:
    out = sys.stdout
    out.write("\n| papers | build | time (s) min / median / max | peak RSS (MB) | exports (MB) |\n")
    out.write("|---:|---|---|---:|---:|\n")
    with tempfile.TemporaryDirectory(dir=REPO / ".cache") as tmp:
        for size in sizes:
            root = archive_with_site(Path(tmp) / f"site-{size}", size)
            site = Path(tmp) / "out"
            rows: dict[str, list] = {
                "without exports hook": [],
                "cold related cache": [],
                "no paper changed": [],
            }
            written = 0
            for _ in range(runs):
                rows["without exports hook"].append(
                    build(root, config_without(root, "exports"), site)
                )
                shutil.rmtree(root / ".cache" / "related", ignore_errors=True)
                rows["cold related cache"].append(build(root, "mkdocs.yml", site))
                rows["no paper changed"].append(build(root, "mkdocs.yml", site))
                written = sum(p.stat().st_size for pattern in EXPORTS for p in site.rglob(pattern))
            for name, results in rows.items():
                times = [r.seconds for r in results]
                out.write(
                    f"| {size:,} | {name} | {min(times):.1f} / {statistics.median(times):.1f} / "
                    f"{max(times):.1f} | {max(r.peak_rss_mb for r in results):.0f} | "
                    f"{written / 1e6:.1f} |\n"
                )
                out.flush()
            shutil.rmtree(root)


def corpus(size: int) -> list[Doc]:
    return [
        Doc(f"{base_slug(e.title)}-{i}", e.title, inert(e.abstract), ())
        for i, e in enumerate(variants(size))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[543, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", action="store_true", help="also time whole site builds")
    args = parser.parse_args()
    out = sys.stdout
    out.write(
        "| papers | compute (s) min / median / max | peak allocations (MB) | "
        "cache key + load (s) | cache (MB) | related per paper |\n|---:|---|---:|---:|---:|---:|\n"
    )
    for size in args.sizes:
        docs = corpus(size)
        times = []
        result = {}
        for _ in range(args.runs):
            start = time.perf_counter()
            result = related_docs(docs)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        related_docs(docs)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        text = dumps(result)
        start = time.perf_counter()
        content_key(docs)
        loads(text)
        cached = time.perf_counter() - start
        per_paper = sum(len(v) for v in result.values()) / max(1, len(result))
        out.write(
            f"| {size:,} | {min(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f} | "
            f"{peak / 1e6:.0f} | {cached:.2f} | {len(text) / 1e6:.1f} | {per_paper:.1f} |\n"
        )
        out.flush()
    if args.site:
        site_rows(args.sizes, args.runs)


if __name__ == "__main__":
    main()
