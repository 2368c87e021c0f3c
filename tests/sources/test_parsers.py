"""The pure parsers: recorded responses in, entries out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from paper_archive.errors import FeedError, ListingError
from paper_archive.fetch import arxiv as arxiv_api
from paper_archive.sources import arxiv, hf

from ..fetch.conftest import FIXTURES, fixture_bytes


def test_hf_daily_listing() -> None:
    feed = hf.parse_daily_papers(fixture_bytes("hf_daily_2024-03-12.json"))
    assert [e.title for e in feed.entries] == [
        "ORPO: Monolithic Preference Optimization without Reference Model",
        "Chronos: Learning the Language of Time Series",
        "Pointer Networks",
    ]
    orpo, chronos, pointer = feed.entries
    assert orpo.arxiv == "2403.07691"
    assert orpo.authors == ("Jiwoo Hong", "Noah Lee", "James Thorne")
    assert orpo.author_count == 3
    assert orpo.published == dt.date(2024, 3, 12)
    assert orpo.abstract.startswith("While recent preference alignment algorithms for language")
    assert "\n" not in orpo.abstract and "  " not in orpo.abstract  # API line breaks folded
    assert chronos.author_count == 17 and chronos.authors[-1] == "Yuyang Wang"
    assert pointer.published == dt.date(2015, 6, 9)
    assert [e.line for e in feed.entries] == [1, 2, 3]
    assert feed.total == 4
    assert feed.skipped == (
        (4, "paper 'A Withdrawn Listing Without Its Abstract' has no abstract"),
    )


def test_hf_empty_day_is_an_empty_feed() -> None:
    feed = hf.parse_daily_papers(fixture_bytes("hf_daily_empty.json"))
    assert feed.entries == () and feed.total == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("hf_daily_truncated.json", "not JSON"),
        ("hf_daily_error.json", "expected a JSON list of papers, found an object"),
    ],
)
def test_hf_malformed_body(name: str, message: str) -> None:
    with pytest.raises(FeedError, match=message) as info:
        hf.parse_daily_papers(fixture_bytes(name), path=f"data/sources/{name}")
    assert str(info.value).startswith(f"data/sources/{name}:1: ")
    assert isinstance(info.value, ListingError)  # ingest skips it like a bad listing


def test_hf_html_error_page() -> None:
    page = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
    with pytest.raises(FeedError, match="not JSON"):
        hf.parse_daily_papers(page)


def test_arxiv_feed() -> None:
    feed = arxiv.parse_feed(fixture_bytes("arxiv_query.xml"))
    assert feed.total == 5
    assert feed.skipped == ()
    by_id = {e.arxiv: e for e in feed.entries}
    assert list(by_id) == [
        "1706.03762",  # from 1706.03762v7
        "1506.03134",
        "1806.07366",
        "math/0211159",  # old style, from .../abs/math/0211159v1
        "2403.07691",
    ]
    attention = by_id["1706.03762"]
    assert attention.title == "Attention Is All You Need"
    assert attention.authors[0] == "Ashish Vaswani" and attention.authors[-1] == "Illia Polosukhin"
    assert attention.author_count == 8
    assert attention.published == dt.date(2017, 6, 12)
    assert attention.categories == ("cs.CL", "cs.LG")
    assert by_id["1506.03134"].categories == ("stat.ML", "cs.CG", "cs.LG", "cs.NE")  # primary first
    assert by_id["1806.07366"].title == "Neural Ordinary Differential Equations"  # wrapped title
    assert by_id["1806.07366"].abstract.startswith("We introduce a new family")  # leading space
    assert by_id["math/0211159"].authors == ("Grisha Perelman",)


def test_arxiv_error_feed() -> None:
    message = re.escape("arXiv API error: incorrect id format for 2403.1234567")
    with pytest.raises(FeedError, match=message):
        arxiv.parse_feed(fixture_bytes("arxiv_error.xml"), path="response.xml")


def test_arxiv_empty_result() -> None:
    feed = arxiv.parse_feed(fixture_bytes("arxiv_empty.xml"))
    assert feed.entries == () and feed.total == 0


def test_arxiv_truncated_body_names_the_line() -> None:
    with pytest.raises(FeedError, match="not XML") as info:
        arxiv.parse_feed(fixture_bytes("arxiv_truncated.xml"), path="x.xml")
    assert info.value.location is not None and info.value.location.line == 21


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<!DOCTYPE html><html><body>Rate exceeded.</body></html>", "DOCTYPE"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><feed>&lol;</feed>',
            "DOCTYPE",
        ),
        (b"<rss><channel/></rss>", "not an Atom feed"),
        (b"", "not XML"),
    ],
)
def test_arxiv_not_a_feed(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        arxiv.parse_feed(body)


def test_arxiv_entry_without_an_id_is_skipped_not_fatal() -> None:
    body = fixture_bytes("arxiv_query.xml").replace(
        b"<id>http://arxiv.org/abs/1706.03762v7</id>", b"<id>http://example.org/x</id>"
    )
    feed = arxiv.parse_feed(body)
    assert len(feed.entries) == 4
    assert feed.skipped == ((1, "'http://example.org/x' is not an arXiv identifier"),)


def test_query_parameters() -> None:
    assert arxiv_api.query_params(ids=["hep-th/9711200", "2403.07691"], max_results=2) == {
        "start": "0",
        "max_results": "2",
        "id_list": "hep-th/9711200,2403.07691",
    }
    params = arxiv_api.query_params(
        search=arxiv_api.title_query("Π-NeSy: A (Neuro-)Symbolic Approach")
    )
    assert params["search_query"] == 'ti:"π nesy a neuro symbolic approach"'
    assert params["sortBy"] == "submittedDate"


#: The hostile recorded responses are replayed by the tests of that file.
TESTS = Path(__file__).resolve().parents[1]
HOSTILE_TESTS = TESTS / "test_hostile_sources.py"


def test_every_recorded_response_is_used_by_a_test() -> None:
    tests = [*TESTS.glob("fetch/test_*.py"), *TESTS.glob("sources/test_*.py"), HOSTILE_TESTS]
    sources = "\n".join(p.read_text("utf-8") for p in tests)
    unused = [p.name for p in sorted(FIXTURES.iterdir()) if p.name not in sources]
    assert unused == []
