"""Collecting the archive from MkDocs' pages and grouping it (site/collect.py,
site/grouping.py): summaries, tags, years, recently added, pagination."""

from __future__ import annotations

import datetime as dt

from paper_archive.record.tagging import Vocabulary
from paper_archive.site.collect import Archive, Entry, collect, first_sentence
from paper_archive.site.grouping import by_tag, by_year, paginate, recently_added

from ..sitebuild import paper


def test_first_sentence() -> None:
    assert first_sentence("We study X. Then Y.") == "We study X."
    assert (
        first_sentence("Scores of 94% vs. 92% e.g. here. Next.")
        == "Scores of 94% vs. 92% e.g. here."
    )
    assert first_sentence("R&amp;D &lt;3 matters. More.") == "R&D <3 matters."
    long = "word " * 100
    assert len(first_sentence(long)) <= 280 and first_sentence(long).endswith("…")


def _archive(vocabulary: Vocabulary) -> Archive:
    papers = [
        paper("B", published=dt.date(2020, 5, 1), tags=("llms",), added=dt.date(2026, 1, 1)),
        paper(
            "A", published=dt.date(2020, 5, 1), tags=("llms", "surveys"), added=dt.date(2026, 3, 1)
        ),
        paper("C", published=dt.date(2019, 12, 31), tags=("surveys",), added=dt.date(2026, 2, 1)),
        paper("D", tags=(), added=dt.date(2026, 3, 1)),
    ]
    from paper_archive.disk.pages import render_page

    pages = [
        (f"papers/{p.title.lower()}.md", f"papers/{p.title.lower()}/", render_page(p))
        for p in papers
    ]
    return collect(pages, vocabulary)


def test_grouping(vocabulary: Vocabulary) -> None:
    archive = _archive(vocabulary)
    assert [e.paper.title for e in archive.entries] == ["A", "B", "C", "D"]  # newest, then title
    groups = {g.slug: [e.paper.title for e in g.entries] for g in by_tag(archive)}
    assert (
        groups["llms"] == ["A", "B"]
        and groups["surveys"] == ["A", "C"]
        and groups["transformers"] == []
    )
    years, undated = by_year(archive)
    assert [(y.year, [m.number for m in y.months], y.count) for y in years] == [
        (2020, [5], 2),
        (2019, [12], 1),
    ]
    assert [e.paper.title for e in undated] == ["D"]
    assert [e.paper.title for e in recently_added(archive, limit=3)] == ["A", "D", "C"]
    assert archive.entry("papers/a.md") is not None and archive.entry("papers/zz.md") is None


def test_paginate() -> None:
    assert paginate([], per_page=2) == [[]]
    assert paginate(list(range(5)), per_page=2) == [[0, 1], [2, 3], [4]]


def test_entry_slug(vocabulary: Vocabulary) -> None:
    entry = Entry(paper=paper("T"), src_uri="papers/t-1.md", url="papers/t-1/", summary="")
    assert entry.slug == "t-1"
