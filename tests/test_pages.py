"""Pages round-trip: whatever a title is, YAML and Markdown give it back exactly."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paper_archive.disk.pages import parse_page, render_page
from paper_archive.files import yamlio
from paper_archive.record.model import FIELD_ORDER, Paper, model_field_names, paper_schema
from paper_archive.text.safe import extract_links, inert
from paper_archive.text.sanitize import clean_html

from .htmlcheck import live_html

TRICKY_TITLES = [
    "no",
    "yes",
    "null",
    "~",
    "2024-01-01",
    "1e3",
    "0x1F",
    "Attention: All # x",
    "[MASK] is All You Need",
    "*star",
    "&anchor",
    "{curly}",
    "%percent",
    "@at",
    "- dash",
    "-dash",
    "? question",
    "| pipe",
    "> folded",
    "'quoted'",
    '"double"',
    "CO$_2$ & friends",
    "Π-NeSy: A Possibilistic Neuro-Symbolic Approach",
    "trailing space ",
    "</title><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "tab\tinside",
]


def _paper(title: str, **extra: object) -> Paper:
    return Paper(
        title=title, added=dt.date(2026, 11, 23), abstract=inert("Some abstract."), **extra
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_tricky_titles_round_trip(title: str) -> None:
    text = render_page(_paper(title))
    parsed = parse_page(text, path="x.md")
    assert parsed.meta["title"] == title
    assert type(parsed.meta["title"]) is str


title_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=120
).filter(lambda s: s.strip() and s == s.strip("\ufeff"))


@settings(max_examples=300)
@given(title=title_text, tags=st.lists(st.sampled_from(["llms", "transformers", "surveys"])))
def test_any_title_round_trips(title: str, tags: list[str]) -> None:
    paper = _paper(title, tags=tuple(tags), published=dt.date(2024, 1, 1), author_count=3)
    text = render_page(paper)
    parsed = parse_page(text, path="x.md")
    again = Paper.from_front_matter(parsed.meta, abstract=parsed.body.abstract)
    assert again.title == title
    assert again.tags == tuple(sorted(set(tags)))
    assert again.published == dt.date(2024, 1, 1)
    assert render_page(again) == text  # deterministic and stable


def test_front_matter_key_order_and_sorted_lists() -> None:
    paper = _paper(
        "T",
        tags=("zeta", "alpha", "zeta"),
        sources=("b", "a"),
        code=("https://z", "https://a"),
        authors=("Second Author", "First Author"),
    )
    meta = yamlio.load(render_page(paper).split("---\n")[1])
    assert list(meta) == [k for k in FIELD_ORDER if k in meta]
    assert meta["tags"] == ["alpha", "zeta"]
    assert meta["sources"] == ["a", "b"]
    assert meta["code"] == ["https://a", "https://z"]
    assert meta["authors"] == ["Second Author", "First Author"]  # author order is meaningful


def test_schema_and_model_agree() -> None:
    schema = paper_schema()
    assert set(schema["properties"]) == set(model_field_names()) == set(FIELD_ORDER)
    assert set(schema["required"]) == {"title", "tags", "added"}


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<a href='javascript:alert(1)'>x</a>",
    "[click](javascript:alert(1))",
    "<iframe src=//evil></iframe>",
    "&lt;script&gt; already escaped",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_abstract_never_becomes_live_html(payload: str) -> None:
    body = inert(f"Before {payload} after.")
    rendered = markdown.markdown(body)
    assert live_html(rendered) == [] or payload.startswith("[click]")
    assert live_html(clean_html(rendered)) == []
    assert "Before" in clean_html(rendered)


def test_sanitiser_catches_what_markdown_lets_through() -> None:
    rendered = markdown.markdown("[click](javascript:alert(1)) <b onclick=x>b</b>")
    assert live_html(rendered)  # the renderer alone is not enough
    assert live_html(clean_html(rendered)) == []


def test_inert_text_reads_back() -> None:
    import html

    source = "Tc>5 K & R<sub>2</sub>"
    assert html.unescape(inert(source)) == source


def test_extract_links_strips_trailing_punctuation() -> None:
    abstract = (
        "Code is available at https://github.com/NVlabs/MaskLLM. Project page: "
        "(https://diffusion-classifier.github.io/), and https://en.wikipedia.org/wiki/Foo_(bar); "
        "see also https://github.com/NVlabs/MaskLLM"
    )
    assert extract_links(abstract) == (
        "https://diffusion-classifier.github.io/",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "https://github.com/NVlabs/MaskLLM",
    )
