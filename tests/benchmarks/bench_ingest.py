"""Ingest benchmark: the seed corpus and a synthetic 10,000-paper corpus.

    python tests/benchmarks/bench_ingest.py [--sizes 543 10000] [--runs 3]

Prints wall time of a first ingest (every page new), of a no-op re-ingest, and the
number of files the re-ingest wrote (must be 0). Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from paper_archive import cli  # noqa: E402

from tests.benchmarks.synthetic import make_archive  # noqa: E402


def _ingest(root: Path) -> float:
    start = time.perf_counter()
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        code = cli.main(["--root", str(root), "-q", "ingest"])
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"ingest failed with exit code {code}")
    return elapsed


def _mtimes(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (root / "docs" / "papers").iterdir()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[543, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=REPO / ".cache" / "bench",
        help="where archives are built (default: .cache/bench, on the repository's disk)",
    )
    args = parser.parse_args()
    rows = []
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for size in args.sizes:
            firsts, noops, written = [], [], 0
            for _ in range(args.runs):
                root = make_archive(Path(tmp) / f"archive-{size}", size)
                firsts.append(_ingest(root))
                before = _mtimes(root)
                noops.append(_ingest(root))
                after = _mtimes(root)
                written = max(written, sum(1 for k in after if before.get(k) != after[k]))
                pages = len(after)
            rows.append((size, pages, firsts, noops, written))
    out = sys.stdout
    out.write(
        "| papers | pages | first ingest min / median / max (s) | no-op re-ingest (s) | files written by re-ingest |\n"
    )
    out.write("|---:|---:|---|---|---:|\n")
    for size, pages, firsts, noops, written in rows:
        fmt = lambda xs: f"{min(xs):.2f} / {statistics.median(xs):.2f} / {max(xs):.2f}"  # noqa: E731
        out.write(f"| {size} | {pages} | {fmt(firsts)} | {fmt(noops)} | {written} |\n")


if __name__ == "__main__":
    main()
