"""Related-papers benchmark: ``related_docs`` on the synthetic corpus.

    python tests/benchmarks/bench_related.py [--sizes 543 10000] [--runs 3]

For each size: wall time of computing every paper's related list (min / median / max),
the peak of Python allocations during one run (tracemalloc, a separate run: it slows
the code down), the time of the cache's round trip (dump + load: what a rebuild with no
paper changed pays) and the average list length. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from paper_archive.site.related import (  # noqa: E402
    Doc,
    content_key,
    dumps,
    loads,
    related_docs,
)
from paper_archive.slugs import base_slug  # noqa: E402
from paper_archive.text import inert  # noqa: E402

from tests.benchmarks.synthetic import variants  # noqa: E402


def corpus(size: int) -> list[Doc]:
    return [
        Doc(f"{base_slug(e.title)}-{i}", e.title, inert(e.abstract), ())
        for i, e in enumerate(variants(size))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[543, 10_000])
    parser.add_argument("--runs", type=int, default=3)
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


if __name__ == "__main__":
    main()
