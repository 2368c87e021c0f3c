"""placeholder"""

from __future__ import annotations

import zlib

from paper_archive.search.bundle import SearchDoc, _snippet

from tests.benchmarks.synthetic import variants


def synthetic_docs(count: int) -> tuple[list[SearchDoc], dict[str, str]]:
    """``count`` search documents from the synthetic archive's papers (variants of the
    seeds), newest first, with topics picked by a hash of the title."""
    tag_names = {f"topic-{i}": f"Topic {i}" for i in range(40)}
    slugs = sorted(tag_names)
    entries = sorted(
        variants(count),
        key=lambda e: (e.published.toordinal() if e.published else 0, e.title),
        reverse=True,
    )
    docs = []
    for i, entry in enumerate(entries):
        h = zlib.crc32(entry.title.encode())
        tags = tuple(sorted({slugs[h % 40], slugs[(h >> 8) % 40]}))
        abstract = " ".join(entry.abstract.split())
        docs.append(
            SearchDoc(
                title=entry.title,
                url=f"papers/p{i}/",
                year=entry.published.year if entry.published else None,
                tags=tags,
                tag_text=" ".join(f"{s.replace('-', ' ')} {tag_names[s]}" for s in tags),
                abstract=abstract,
                snippet=_snippet(abstract),
                arxiv=f"{2000 + i % 600:04d}.{i:05d}" if i % 3 else "",
            )
        )
    return docs, tag_names
