"""Synthetic archives for benchmarks: the seed papers, varied until there are N.

Each variant keeps a seed's words (so tags, search terms and sizes stay realistic) but
gets its own title and a reshuffled abstract, so no two pages are identical.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from paper_archive.sources import manifest_text
from paper_archive.sources.entry import SourceEntry
from paper_archive.sources.listing import parse_listing

REPO = Path(__file__).resolve().parents[2]
PER_SOURCE = 1000


def seed_entries() -> list[SourceEntry]:
    seen: dict[str, SourceEntry] = {}
    for path in sorted((REPO / "data" / "sources").glob("*.txt")):
        for entry in parse_listing(path.read_text(encoding="utf-8")).entries:
            seen.setdefault(entry.title, entry)
    return list(seen.values())


def variants(count: int) -> list[SourceEntry]:
    """``count`` distinct papers: the seeds first, then numbered, reshuffled variants."""
    seeds = seed_entries()
    out: list[SourceEntry] = []
    for index in range(count):
        base = seeds[index % len(seeds)]
        round_ = index // len(seeds)
        if round_ == 0:
            out.append(base)
            continue
        rng = random.Random(index)
        sentences = base.abstract.split(". ")
        rng.shuffle(sentences)
        year = 2010 + (index % 16)
        out.append(
            SourceEntry(
                title=f"{base.title}: Study {round_}",
                abstract=". ".join(sentences),
                line=0,
                author_count=1 + index % 9,
                published=dt.date(year, 1 + index % 12, 1 + index % 28),
            )
        )
    return out


def _render_listing(entries: list[SourceEntry]) -> str:
    lines = ["Subscribe", "", "byAK and the research community", ""]
    for entry in entries:
        lines += [entry.title, "", entry.abstract, ""]
        if entry.author_count:
            lines.append(f"  • {entry.author_count} authors")
        if entry.published:
            lines += ["·", entry.published.strftime("%b %-d, %Y")]
        lines.append("")
    return "\n".join(lines)


def make_archive(root: Path, count: int) -> Path:
    """A fresh archive at ``root`` with ``count`` papers in listing sources (not ingested)."""
    if root.exists():
        shutil.rmtree(root)
    sources = root / "data" / "sources"
    sources.mkdir(parents=True)
    (root / "docs" / "papers").mkdir(parents=True)
    shutil.copy(REPO / "data" / "tags.yaml", root / "data" / "tags.yaml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    entries = variants(count)
    for number, start in enumerate(range(0, count, PER_SOURCE)):
        name = f"synthetic-{number:03d}"
        data = _render_listing(entries[start : start + PER_SOURCE]).encode("utf-8")
        (sources / f"{name}.txt").write_bytes(data)
        (sources / f"{name}.yaml").write_text(
            manifest_text(
                source_id=name,
                file_name=f"{name}.txt",
                data=data,
                kind="synthetic-listing",
                origin="tests/benchmarks/synthetic.py",
                added=dt.date(2026, 1, 1) + dt.timedelta(days=number),
            ),
            encoding="utf-8",
        )
    return root
