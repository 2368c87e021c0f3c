"""Pure functions behind the hooks: URLs, math, BibTeX, grouping, pagination."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.site.collect import Archive, Entry, collect, first_sentence
from paper_archive.site.grouping import by_tag, by_year, paginate, recently_added
from paper_archive.site.render import bibtex, bibtex_escape, esc, math_html, relative_url
from paper_archive.tagging import Vocabulary

from .sitebuild import paper


@pytest.mark.parametrize(
    ("target", "page", "expected"),
    [
        ("papers/x/", "tags/llms/", "../../papers/x/"),
        ("papers/x/", "", "papers/x/"),
        ("tags/llms/page/2/", "tags/llms/", "page/2/"),
        ("tags/llms/", "tags/llms/page/2/", "../../"),
        ("", "archive/2024/", "../../"),
        ("archive/2024/", "archive/", "2024/"),
    ],
)
def test_relative_url(target: str, page: str, expected: str) -> None:
    assert relative_url(target, page) == expected


def test_math_html_escapes_text_and_marks_math() -> None:
    assert math_html("CO$_2$ & <b>") == 'CO<span class="arithmatex">\\(_2\\)</span> &amp; &lt;b&gt;'
    assert math_html("costs $5 and $6") == "costs $5 and $6"  # money, not math
    assert math_html("$<script>$") == '<span class="arithmatex">\\(&lt;script&gt;\\)</span>'
    assert math_html("no math") == "no math"


@given(st.text(max_size=80))
def test_math_html_never_leaks_markup(text: str) -> None:
    out = math_html(text)
    stripped = out.replace('<span class="arithmatex">', "").replace("</span>", "")
    assert "<" not in stripped and '"' not in stripped


def test_bibtex_escapes_outside_math() -> None:
    assert bibtex_escape("R&D on CO$_2$ at 100% #1") == r"R\&D on CO$_2$ at 100\% \#1"
    entry = bibtex(
        paper(
            "Pointer Networks",
            published=dt.date(2015, 6, 9),
            authors=("A. One", "B. Two"),
            arxiv="1506.03134",
        ),
        key="pointer-networks",
        url="https://example.org/papers/pointer-networks/",
    )
    assert entry.splitlines()[0] == "@misc{pointer-networks,"
    assert "  author = {A. One and B. Two}," in entry
    assert "  eprint = {1506.03134}," in entry and "  year = {2015}," in entry


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
    from paper_archive.pages import render_page

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


def test_esc_quotes() -> None:
    assert esc('"><x') == "&quot;&gt;&lt;x"


def test_entry_slug(vocabulary: Vocabulary) -> None:
    entry = Entry(paper=paper("T"), src_uri="papers/t-1.md", url="papers/t-1/", summary="")
    assert entry.slug == "t-1"


def test_paper_view_links_arxiv_abstract_and_pdf(vocabulary: Vocabulary) -> None:
    from paper_archive.site.render import paper_view

    entry = Entry(
        paper=paper("Old Paper", arxiv="hep-th/9711200", code=("https://github.com/x/y",)),
        src_uri="papers/old-paper.md",
        url="papers/old-paper/",
        summary="",
    )
    view = paper_view(entry, names={}, page_url="papers/old-paper/", site_url=None)
    assert 'href="https://arxiv.org/abs/hep-th/9711200"' in view.links_html
    assert 'href="https://arxiv.org/pdf/hep-th/9711200"' in view.links_html
    assert 'href="https://github.com/x/y"' in view.links_html
    assert "eprint = {hep-th/9711200}" in view.bibtex
