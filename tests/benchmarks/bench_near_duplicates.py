"""Near-duplicate detection at 10,000 titles: ``python tests/benchmarks/bench_near_duplicates.py``.

Times :func:`paper_archive.record.slugs.near_duplicates` (skeletons, PassJoin edit-distance
blocking, prefix scan) on the synthetic corpus of ``synthetic.py``, twice over:

- as made: 543 seed titles and their "<title>: Study N" variants, so every title has
  ~18 near twins (a worst case: ~80,000 pairs to report);
- the same titles with their words shuffled (seeded), as a spread-out archive has.

Prints min / median / max of the runs in seconds, and the pairs found.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from paper_archive.record.slugs import near_duplicates  # noqa: E402

from tests.benchmarks.synthetic import variants  # noqa: E402


def shuffled(titles: list[str]) -> list[str]:
    out = []
    for index, title in enumerate(titles):
        words = title.split()
        random.Random(index).shuffle(words)
        out.append(" ".join(words))
    return out


def measure(label: str, titles: list[str], runs: int) -> None:
    mapping = {f"docs/papers/p{i:05d}.md": t for i, t in enumerate(titles)}
    times, found = [], []
    for _ in range(runs):
        start = time.perf_counter()
        found = near_duplicates(mapping)
        times.append(time.perf_counter() - start)
    kinds = Counter(p.kind for p in found)
    print(
        f"{label}: {len(titles)} titles, "
        f"{min(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f} s, "
        f"{len(found)} pairs ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    titles = [entry.title for entry in variants(args.count)]
    measure("synthetic variants", titles, args.runs)
    measure("words shuffled", shuffled(titles), args.runs)
    measure("seed titles only", titles[:543], args.runs)


if __name__ == "__main__":
    main()
