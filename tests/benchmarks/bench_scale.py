"""Site size at scale: one archive of N papers, built, measured against GitHub Pages' limits.

    nice -n 10 python tests/benchmarks/bench_scale.py --papers 10000 [--runs 1] [--no-anchor]

Generates N synthetic papers (tests/benchmarks/synthetic.py, ingested by the real CLI),
builds the site with every hook from a cold cache and bare mkdocs-material + search +
tags on the same pages (tests/benchmarks/sites.py), alternating when ``--runs`` > 1,
and prints:

- the site's size and file count, against GitHub Pages (1 GB) and GitLab Pages
  (1 GB, 200,000 files);
- the largest single file;
- bytes per paper, split into paper pages, search, exports (feeds, BibTeX, JSON,
  sitemap, robots.txt), lists (home, topics, dates) and the rest (theme assets);
- the sitemap's parts against the protocol's limits (50,000 URLs, 50 MB);
- build time and peak RSS beside bare Material's.

``SITE_URL`` is set to a public address, as the deploy workflow does, so the sitemap
is written. Figures: docs/scale-benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.sites import BuildRun, archive_with_site, build  # noqa: E402

GB = 1_000_000_000
#: GitHub Pages: published site <= 1 GB, read as the deploy workflow's size check reads
#: it (.github/workflows/deploy.yml MAX_BYTES: decimal, the stricter reading).
PAGES_LIMIT_BYTES = GB
GITLAB_FILES = 200_000
SITE_URL = "https://example.org/archive/"
EXPORTS = ("feed.xml", "papers.bib", "papers.json", "papers.schema.json", "robots.txt")


def part_of(rel: str) -> str:
    """Which part of the site a file (path relative to the site) belongs to."""
    name = rel.rsplit("/", 1)[-1]
    if rel.startswith("papers/"):
        return "pages"
    if rel.startswith("assets/search/"):
        return "search"
    if name.startswith("sitemap") or name.removesuffix(".gz") in EXPORTS:
        return "exports"
    if rel.startswith(("tags/", "archive/")) or rel == "index.html":
        return "lists"
    return "other"


def measure(site: Path) -> tuple[dict[str, int], int, tuple[int, str]]:
    """Bytes per part, file count, and the largest file (bytes, path)."""
    parts: dict[str, int] = defaultdict(int)
    count = 0
    largest = (0, "")
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        rel = path.relative_to(site).as_posix()
        parts[part_of(rel)] += size
        count += 1
        largest = max(largest, (size, rel))
    return dict(parts), count, largest


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-anchor", action="store_true", help="skip bare Material")
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    out = sys.stdout
    env = {"SITE_URL": SITE_URL, "SOURCE_DATE_EPOCH": "1767225600"}
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        root = archive_with_site(Path(tmp) / "archive", args.papers)
        ours_dir, anchor_dir = Path(tmp) / "ours", Path(tmp) / "anchor"
        ours: list[BuildRun] = []
        anchor: list[BuildRun] = []
        for _ in range(args.runs):
            for cache in (".cache", ".paper-archive-cache"):
                shutil.rmtree(root / cache, ignore_errors=True)
            ours.append(build(root, "mkdocs.yml", ours_dir, env=env))
            if not args.no_anchor:
                anchor.append(build(root, "anchor.yml", anchor_dir, env=env))
        parts, count, (largest, largest_path) = measure(ours_dir)
        total = sum(parts.values())
        n = args.papers
        out.write(f"## {n:,} papers (bench_scale.py, {args.runs} run(s))\n\n")
        out.write(f"- site: {_mb(total)} in {count:,} files ")
        out.write(f"({total / n / 1e3:.1f} KB a paper, all in); ")
        fits = total <= PAGES_LIMIT_BYTES and count <= GITLAB_FILES
        out.write(
            f"GitHub/GitLab Pages (1 GB, 200,000 files): {'fits' if fits else 'DOES NOT FIT'}\n"
        )
        out.write(f"- largest file: {largest_path} {_mb(largest)}\n")
        out.write("- bytes per paper: ")
        out.write(
            ", ".join(
                f"{name} {parts.get(name, 0) / n / 1e3:.2f} KB"
                for name in ("pages", "search", "exports", "lists", "other")
            )
            + "\n"
        )
        pages = sorted((ours_dir / "papers").glob("*/index.html"))
        mean_page = sum(p.stat().st_size for p in pages) / max(1, len(pages))
        out.write(f"- paper page: {mean_page / 1e3:.1f} KB on average ({len(pages):,} pages)\n")
        maps = sorted(ours_dir.glob("sitemap-*.xml.gz"))
        texts = [gzip.decompress(p.read_bytes()) for p in maps]
        out.write(
            f"- sitemap: index + {len(maps)} part(s), URLs per part "
            f"{[t.count(b'<url>') for t in texts]}, largest part "
            f"{_mb(max(map(len, texts), default=0))} of text, "
            f"{_mb(max((p.stat().st_size for p in maps), default=0))} compressed\n"
        )
        for number, run in enumerate(ours):
            pair = f", bare Material {anchor[number].seconds:.1f} s wall / " if anchor else ""
            pair += f"{anchor[number].cpu_seconds:.1f} s CPU" if anchor else ""
            out.write(
                f"- run {number + 1}: ours {run.seconds:.1f} s wall / {run.cpu_seconds:.1f} s "
                f"CPU (with its child processes){pair}\n"
            )
        for name, runs in (("ours", ours), ("bare Material", anchor)):
            for number, run in enumerate(runs):
                if run.tree is not None:
                    out.write(f"- memory, {name}, run {number + 1}: {run.tree.line()}\n")
        times = [r.seconds for r in ours]
        out.write(
            f"- build, ours: {min(times):.1f} / {statistics.median(times):.1f} / "
            f"{max(times):.1f} s (min/median/max), peak RSS "
            f"{max(r.peak_rss_mb for r in ours):.0f} MB\n"
        )
        if anchor:
            a_times = [r.seconds for r in anchor]
            a_rss = max(r.peak_rss_mb for r in anchor)
            ratios = [o.seconds / a.seconds for o, a in zip(ours, anchor, strict=True)]
            out.write(
                f"- build, bare Material + search + tags: {min(a_times):.1f} / "
                f"{statistics.median(a_times):.1f} / {max(a_times):.1f} s, peak RSS "
                f"{a_rss:.0f} MB; its site {_mb(anchor[-1].output_bytes)}, paper page "
                f"{anchor[-1].paper_html_bytes / 1e3:.1f} KB\n"
            )
            out.write(
                f"- ours / Material: time {', '.join(f'{r:.2f}x' for r in ratios)} "
                f"(pairs); peak RSS {max(r.peak_rss_mb for r in ours) / a_rss:.2f}x; "
                f"site {total / anchor[-1].output_bytes:.2f}x\n"
            )
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        out.write(f"- cores: {os.cpu_count()}; load average at the end: {load}\n")
        out.flush()


if __name__ == "__main__":
    main()
