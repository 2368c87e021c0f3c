from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

import pytest
from paper_archive.errors import ListingError
from paper_archive.record.slugs import title_key
from paper_archive.sources.listing import is_boilerplate, parse_listing, parse_listing_date

LISTINGS = Path(__file__).parent / "fixtures" / "listings"


def _as_json(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("listing", sorted(LISTINGS.glob("*.txt")), ids=lambda p: p.stem)
def test_golden_listing(listing: Path) -> None:
    expected_path = listing.with_suffix(".expected.json")
    assert expected_path.exists(), f"{listing.name} has no expectation file"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    fetched = dt.date.fromisoformat(expected["fetched"]) if expected["fetched"] else None
    parsed = parse_listing(listing.read_text(encoding="utf-8"), fetched=fetched)
    assert parsed.layout == expected["layout"]
    assert parsed.page_date == expected["page_date"]
    got = [{k: _as_json(v) for k, v in asdict(e).items()} for e in parsed.entries]
    assert got == expected["entries"]


def test_every_expectation_has_its_listing() -> None:
    for expected in LISTINGS.glob("*.expected.json"):
        assert expected.with_name(expected.name.replace(".expected.json", ".txt")).exists()


def test_compact_layout_splits_the_title_glued_to_subscribe() -> None:
    parsed = parse_listing((LISTINGS / "compact.txt").read_text(encoding="utf-8"))
    assert parsed.layout == "compact"
    assert parsed.entries[0].title.startswith("Joint inversion of Time-Lapse")
    assert all(not e.title.startswith("Subscribe") for e in parsed.entries)


@pytest.mark.parametrize(
    "line",
    [
        "new",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
    ],
)
def test_boilerplate_lines_are_never_papers(line: str) -> None:
    assert is_boilerplate(line)
    text = (
        f"{line}\n\nA Real Title\n\n" + "An abstract with more than eight words in it, surely. " * 2
    )
    titles = [e.title for e in parse_listing(text).entries]
    assert titles == ["A Real Title"]


def test_page_date_is_not_a_paper() -> None:
    text = "Subscribe\n\nMar 11\n\nA Title\n\n" + "word " * 20
    parsed = parse_listing(text)
    assert parsed.page_date == "Mar 11"
    assert [e.title for e in parsed.entries] == ["A Title"]


def test_dates_with_and_without_year() -> None:
    assert parse_listing_date("Oct 13, 2017", fetched=None) == dt.date(2017, 10, 13)
    assert parse_listing_date("Dec 11, 2024 1", fetched=None) == dt.date(2024, 12, 11)
    # Year-less: never guessed without a fetch date.
    assert parse_listing_date("Aug 20", fetched=None) is None
    assert parse_listing_date("Aug 20", fetched=dt.date(2025, 9, 1)) == dt.date(2025, 8, 20)
    # A page cannot list a paper from its own future: the year before.
    assert parse_listing_date("Dec 20", fetched=dt.date(2025, 3, 1)) == dt.date(2024, 12, 20)
    assert parse_listing_date("Feb 30, 2024", fetched=None) is None
    assert parse_listing_date("Pointer Networks", fetched=None) is False


def test_year_less_date_left_out_and_reported_without_fetch_date() -> None:
    parsed = parse_listing((LISTINGS / "blocks.txt").read_text(encoding="utf-8"))
    nesy = next(e for e in parsed.entries if e.title.startswith("Π-NeSy"))
    assert nesy.published is None
    assert nesy.author_count == 1
    assert parsed.unresolved_dates == ((27, "Aug 20"),)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "empty"),
        ("\n \n\t\n", 1, "empty"),
        ("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n", 1, "HTML page"),
        ("\n\n<html>\n<head><title>Error</title></head></html>", 3, "HTML page"),
        ("Subscribe\n\nA Title\n\n" + "word " * 20 + "\n\nA Truncated Title\n", 7, "truncated"),
        ("Subscribe\n\nA Title\n\n  • 4 authors\n", 5, "no abstract"),
        ("new\n\nSubscribe\n\nbyAK and the research community\n", 1, "no papers"),
        ("Subscribe\n\nTitle One\n\nTitle Two\n\n" + "word " * 20, 5, "too short"),
    ],
)
def test_malformed_listing_names_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ListingError) as info:
        parse_listing(text, path="data/sources/bad.txt")
    assert info.value.location is not None
    assert info.value.location.path == "data/sources/bad.txt"
    assert info.value.location.line == line
    assert fragment in str(info.value)
    assert str(info.value).startswith(f"data/sources/bad.txt:{line}: ")


def test_seed_listings(corpus: Path) -> None:
    sources = sorted((corpus / "data" / "sources").glob("*.txt"))
    assert len(sources) == 5
    layouts: dict[str, str] = {}
    keys: set[str] = set()
    listed = 0
    for source in sources:
        parsed = parse_listing(source.read_text(encoding="utf-8"), path=str(source))
        layouts[source.stem] = parsed.layout
        listed += len(parsed.entries)
        keys.update(title_key(e.title) for e in parsed.entries)
        for entry in parsed.entries:
            assert entry.title == entry.title.strip() and entry.title
            assert len(entry.abstract.split()) >= 8
    assert sorted(layouts.values()) == ["blocks", "blocks", "blocks", "compact", "compact"]
    assert listed == 615
    assert len(keys) == 543


def test_titles_are_kept_exactly(corpus: Path) -> None:
    titles = set()
    for source in (corpus / "data" / "sources").glob("*.txt"):
        titles.update(e.title for e in parse_listing(source.read_text(encoding="utf-8")).entries)
    for expected in (
        "Joint inversion of Time-Lapse Surface Gravity and Seismic Data for Monitoring of 3D "
        "CO$_2$ Plumes via Deep Learning",
        "Π-NeSy: A Possibilistic Neuro-Symbolic Approach",
    ):
        assert expected in titles
    assert any("[MASK]" in t for t in titles)
    assert any("&" in t for t in titles)
