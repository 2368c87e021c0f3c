"""A paper page's data (site/paper_page.py) and the template that prints it
(overrides/paper.html), rendered by Jinja2 as MkDocs does and by MiniJinja as
Zensical does, from the same view."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.site.collect import Entry
from paper_archive.site.meta import page_meta
from paper_archive.site.paper_page import (
    PaperView,
    Source,
    TextPart,
    paper_view,
    sources_of,
    title_parts,
)
from paper_archive.site.provenance import SourceInfo, unknown_source

from ..sitebuild import paper
from ..theme import render_jinja2, render_minijinja, tokens

HOSTILE = "</script><script>alert(1)</script> \"Quoted\" & 'single' $x^2$"
ABSTRACT = '<p>An <em>abstract</em> &amp; <a href="https://example.org/">a link</a>.</p>'
NAMES = {"llms": "Large <language> models", "surveys": "Surveys & tutorials"}


def entry_of(p: object, slug: str = "p") -> Entry:
    return Entry(paper=p, src_uri=f"papers/{slug}.md", url=f"papers/{slug}/", summary="")  # type: ignore[arg-type]


def view_of(p: object, **kwargs: object) -> PaperView:
    return paper_view(entry_of(p), names=NAMES, page_url="papers/p/", site_url=None, **kwargs)  # type: ignore[arg-type]


def context(p: object, *, notes: str = "", **kwargs: object) -> dict[str, object]:
    return {
        "paper": view_of(p, **kwargs),
        "paper_meta": page_meta(entry_of(p)),
        "paper_notes": notes,
        "page": {"content": ABSTRACT},
        "pa_related": "",
    }


PAPERS = {
    "arxiv": paper(
        "Old Paper",
        arxiv="hep-th/9711200",
        code=("https://github.com/x/y", "javascript:alert(1)"),
        authors=("A. One", "B. <Two>"),
        published=dt.date(1997, 11, 27),
        tags=("llms", "surveys", "unknown"),
    ),
    "hostile": paper(HOSTILE, tags=("llms",), abstract=f"About {HOSTILE}.", author_count=1),
    "no id": paper("Sorting Networks & Friends: 100% of $O(n)$?", author_count=3),
    "arxiv html": paper("CO$_2$ at $x<y$", arxiv="2403.12345"),
}
SOURCES = {
    "a": SourceInfo("a", "Listing for Mar 11, fetch date not recorded"),
    "b": SourceInfo("b", "Listing for Mar 11, fetch date not recorded"),
    "c": SourceInfo("c", "arXiv API & <co>", url="https://export.arxiv.org/api/query?a=1&b=2"),
}


@pytest.mark.parametrize("name", list(PAPERS))
def test_jinja2_and_minijinja_render_the_same_page(name: str) -> None:
    ctx = context(PAPERS[name], sources=SOURCES, notes="<p>A <b>note</b>.</p>")
    ctx["paper"] = paper_view(
        entry_of(PAPERS[name]),
        names=NAMES,
        page_url="papers/p/",
        site_url=None,
        sources=SOURCES,
    )
    jinja, mini = render_jinja2(**ctx), render_minijinja(**ctx)
    assert tokens(jinja) == tokens(mini)
    assert ABSTRACT in jinja and ABSTRACT in mini  # the sanitised abstract, as HTML
    assert "<b>note</b>" in jinja and "<b>note</b>" in mini


@pytest.mark.parametrize("render", [render_jinja2, render_minijinja])
def test_every_value_is_escaped_by_the_template(render: object) -> None:
    p = paper(HOSTILE, tags=("llms",), authors=("<img src=x onerror=alert(1)>",))
    html = render(**context(p, sources={"s": SOURCES["c"]}, cite_key="k"))  # type: ignore[operator]
    p_sources = paper(HOSTILE, sources=("s",))
    html += render(**context(p_sources, sources={"s": SOURCES["c"]}))  # type: ignore[operator]
    for raw in ("<script>alert", "<img src=x", "<language>", "<co>"):
        assert raw not in html, raw
    found = tokens(html)
    assert "Large <language> models" in found and "arXiv API & <co>" in found
    heading = ("<", "h1", (("id", "pa-title"), ("tabindex", "-1")))
    assert heading in found
    title = found.index(heading)
    assert found[title + 1] == "</script><script>alert(1)</script> \"Quoted\" & 'single'"
    assert found[title + 2 : title + 5] == [
        ("<", "span", (("class", "arithmatex"),)),
        "\\(x^2\\)",
        ("/", "span"),
    ]
    metas = [dict(t[2]) for t in found if isinstance(t, tuple) and t[:2] == ("<", "meta")]
    titles = [m["content"] for m in metas if m.get("name") == "citation_title"]
    assert len(titles) == 2 and all(t.startswith("</script>") for t in titles)  # text


def test_paper_view_links_arxiv_abstract_and_pdf() -> None:
    view = view_of(PAPERS["arxiv"])
    html = render_jinja2(**{**context(PAPERS["arxiv"]), "paper": view})
    assert 'href="https://arxiv.org/abs/hep-th/9711200"' in html
    assert 'href="https://arxiv.org/pdf/hep-th/9711200"' in html
    assert 'href="https://github.com/x/y"' in html and "javascript:" not in html
    assert "eprint = {hep-th/9711200}" in view.bibtex
    assert [t.label for t in view.tags] == ["Large <language> models", "Surveys & tutorials"]
    assert [t.url for t in view.tags] == ["../../tags/llms/", "../../tags/surveys/"]
    assert view.authors == "A. One, B. <Two>" and view.published == "27 November 1997"
    assert view.searches == ()


def test_the_meta_line_and_the_counted_sources() -> None:
    html = render_jinja2(
        **context(paper("X", author_count=1, sources=("a", "b", "c", "d")), sources=SOURCES)
    )
    assert ('<p class="pa-meta">date unknown · 1 author · added 23 November 2026</p>') in html
    assert "<li>Listing for Mar 11, fetch date not recorded (2 sources)</li>" in html
    assert "<li>Listing file d</li>" in html
    assert '<a href="https://export.arxiv.org/api/query?a=1&amp;b=2">' in html


def test_sources_read_the_same_are_one_item_with_their_count() -> None:
    assert sources_of(["a", "b", "d"], SOURCES) == (
        Source("Listing for Mar 11, fetch date not recorded", None, 2),
        Source(unknown_source("d").label, None, 1),
    )


@given(st.text(max_size=60))
def test_title_parts_are_the_title(title: str) -> None:
    parts = title_parts(title)
    assert "".join(f"${p.text}$" if p.math else p.text for p in parts) == title
    assert all(p.text for p in parts if not p.math)


def test_title_parts_mark_math() -> None:
    assert title_parts("CO$_2$ costs $5 and $6") == (
        TextPart("CO"),
        TextPart("_2", math=True),
        TextPart(" costs $5 and $6"),
    )
