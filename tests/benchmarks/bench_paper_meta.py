"""Paper-page metadata benchmark: what the paper-page parts cost a build.

    python tests/benchmarks/bench_paper_meta.py [--sizes 543 10000] [--runs 3]

For each size of the synthetic corpus: the once-per-build work (citation keys for the
whole archive, the source manifests) and the per-page work summed over every paper
(:func:`page_meta`, :func:`paper_view` with its links, sources and BibTeX block), wall
time min / median / max, and the bytes the head metadata adds per page on average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from paper_archive.record.model import Paper  # noqa: E402
from paper_archive.record.slugs import base_slug  # noqa: E402
from paper_archive.record.tagging import load_vocabulary  # noqa: E402
from paper_archive.site.collect import Entry  # noqa: E402
from paper_archive.site.exports import citation_keys  # noqa: E402
from paper_archive.site.meta import page_meta  # noqa: E402
from paper_archive.site.paper_page import paper_view  # noqa: E402
from paper_archive.site.provenance import load_sources  # noqa: E402
from paper_archive.site.render import esc  # noqa: E402
from paper_archive.text.safe import inert  # noqa: E402

from tests.benchmarks.synthetic import variants  # noqa: E402

BASE = "https://papers.example.org/"


def entries(size: int) -> list[Entry]:
    out = []
    for i, listing in enumerate(variants(size)):
        slug = f"{base_slug(listing.title)}-{i}"
        paper = Paper(
            title=listing.title,
            added=dt.date(2026, 11, 23),
            published=dt.date(2024, 3, 1 + i % 28),
            authors=("Ada Lovelace", "Alan Turing") if i % 2 else (),
            arxiv=f"2403.{i:05d}" if i % 3 == 0 else None,
            sources=("hf-listing-73f64d40",),
            abstract=inert(listing.abstract),
        )
        out.append(
            Entry(paper=paper, src_uri=f"papers/{slug}.md", url=f"papers/{slug}/", summary="")
        )
    return out


class _Archive:
    def __init__(self, items: list[Entry]) -> None:
        self.entries = tuple(items)
        self.key = ""  # no content key: nothing remembered between calls (serve/memo.py)


def head_bytes(meta_tags: list[tuple[str, str]]) -> int:
    tags = "".join(f'<meta name="{esc(k)}" content="{esc(c)}">' for k, c in meta_tags)
    return len(tags.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[543, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    names = {t.slug: t.name for t in load_vocabulary(REPO / "data/tags.yaml").tags}
    out = sys.stdout
    out.write(
        "| papers | once per build (s) | every page (s) min / median / max | "
        "per page (ms) | head metadata (bytes per page) |\n|---:|---:|---|---:|---:|\n"
    )
    for size in args.sizes:
        items = entries(size)
        start = time.perf_counter()
        keys = citation_keys(_Archive(items))  # type: ignore[arg-type]
        sources = load_sources(REPO / "data/sources")
        once = time.perf_counter() - start
        times = []
        total_bytes = 0
        for _ in range(args.runs):
            total_bytes = 0
            start = time.perf_counter()
            for entry in items:
                paper_view(
                    entry,
                    names=names,
                    page_url=entry.url,
                    site_url=BASE,
                    sources=sources,
                    cite_key=keys[entry.slug],
                )
                meta = page_meta(entry)
                total_bytes += head_bytes([(t.name, t.content) for t in meta.tags])
            times.append(time.perf_counter() - start)
        out.write(
            f"| {size:,} | {once:.3f} | {min(times):.2f} / {statistics.median(times):.2f} / "
            f"{max(times):.2f} | {1000 * statistics.median(times) / size:.3f} | "
            f"{total_bytes // size:,} |\n"
        )


if __name__ == "__main__":
    main()
