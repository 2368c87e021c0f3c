"""Atom feeds: the pure builder, and the feeds of a real build read by feedparser."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from paper_archive.record.model import Paper
from paper_archive.record.tagging import load_vocabulary
from paper_archive.site.collect import Archive, Entry
from paper_archive.site.feeds import ATOM, atom, feeds, newest_added, plain

from .. import CORPUS
from ..sitebuild import build_site, make_site, paper

D = dt.date
NS = {"a": ATOM}
HOSTILE = [
    "</title><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "Ampersands & <b>bold</b> ]]> CDATA end",
]


def _entry(title: str, **fields: object) -> Entry:
    record = Paper(title=title, added=fields.pop("added", D(2026, 1, 1)), **fields)  # type: ignore[arg-type]
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "x"
    return Entry(record, f"papers/{slug}.md", f"papers/{slug}/", "")


def _archive(*entries: Entry) -> Archive:
    return Archive(entries=entries, vocabulary=load_vocabulary(CORPUS / "data" / "tags.yaml"))


NAMES = {"llms": "Large language models", "surveys": "Surveys"}


def test_newest_additions_first_fifty_at_most() -> None:
    entries = [
        _entry(f"Paper {i:02d}", added=D(2026, 1, 1) + dt.timedelta(days=i % 7)) for i in range(60)
    ]
    chosen = newest_added(entries)
    assert len(chosen) == 50
    added = [e.paper.added for e in chosen]
    assert added == sorted(added, reverse=True)
    # Ties keep the archive's order.
    assert [e.paper.title for e in chosen[:3]] == ["Paper 06", "Paper 13", "Paper 20"]


def test_entry_fields_dates_authors_categories_summary() -> None:
    entry = _entry(
        "CO$_2$ Plumes & Pointers",
        added=D(2026, 11, 23),
        published=D(2015, 6, 9),
        authors=("Oriol Vinyals", "Meire Fortunato"),
        tags=("llms", "not-in-vocabulary"),
        abstract="First &lt;paragraph&gt; here.\n\nSecond paragraph.",
    )
    (feed,) = feeds(_archive(entry), site_name="Paper Archive")[:1]
    text = atom(feed, base="https://example.org/archive/", names=NAMES)
    root = ET.fromstring(text)
    (node,) = root.findall("a:entry", NS)
    assert (
        node.findtext("a:id", namespaces=NS)
        == "https://example.org/archive/papers/co-2-plumes-pointers/"
    )
    assert node.findtext("a:title", namespaces=NS) == "CO₂ Plumes & Pointers"
    assert node.findtext("a:published", namespaces=NS) == "2015-06-09T00:00:00Z"
    assert node.findtext("a:updated", namespaces=NS) == "2026-11-23T00:00:00Z"
    assert [a.findtext("a:name", namespaces=NS) for a in node.findall("a:author", NS)] == [
        "Oriol Vinyals",
        "Meire Fortunato",
    ]
    assert [c.get("term") for c in node.findall("a:category", NS)] == ["llms"]
    assert node.findtext("a:summary", namespaces=NS) == "First <paragraph> here."
    assert root.findtext("a:updated", namespaces=NS) == "2026-11-23T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in root.findall("a:link", NS)}
    assert links == {
        "self": "https://example.org/archive/feed.xml",
        "alternate": "https://example.org/archive/",
    }


def test_an_undated_paper_has_no_published_date() -> None:
    """Its date added is when the archive got it, not when it was published: the entry
    says only ``updated`` (RFC 4287 requires that one), and feedparser finds no
    publication date; a dated paper beside it keeps its own."""
    undated = _entry("Undated Survey", added=D(2026, 11, 23))
    dated = _entry("Dated Paper", added=D(2026, 11, 22), published=D(2017, 6, 12))
    (feed,) = feeds(_archive(undated, dated), site_name="Paper Archive")[:1]
    parsed = feedparser.parse(atom(feed, base=None, names=NAMES))
    assert not parsed.bozo
    by_title = {e.title: e for e in parsed.entries}
    assert "published" not in by_title["Undated Survey"]
    assert "published_parsed" not in by_title["Undated Survey"]
    assert by_title["Undated Survey"].updated == "2026-11-23T00:00:00Z"
    assert by_title["Dated Paper"].published == "2017-06-12T00:00:00Z"
    assert by_title["Dated Paper"].updated == "2026-11-22T00:00:00Z"


def test_without_a_public_url_ids_are_tag_uris_and_links_relative() -> None:
    entry = _entry("Pointer Networks", tags=("llms",))
    topic = next(
        f
        for f in feeds(_archive(entry), site_name="Paper Archive")
        if f.path == "tags/llms/feed.xml"
    )
    parsed = feedparser.parse(atom(topic, base=None, names=NAMES))
    assert not parsed.bozo
    assert parsed.feed.id == "tag:paper-archive,2026:tags/llms/feed.xml"
    assert parsed.entries[0].id == "tag:paper-archive,2026:papers/pointer-networks/"
    assert parsed.entries[0].link == "../../papers/pointer-networks/"
    assert "127.0.0.1" not in atom(topic, base=None, names=NAMES)


def test_an_empty_topic_has_a_valid_feed_dated_without_the_clock() -> None:
    archive = _archive(_entry("Pointer Networks", tags=("llms",)))
    empty = next(
        f for f in feeds(archive, site_name="Paper Archive") if f.path == "tags/surveys/feed.xml"
    )
    text = atom(empty, base=None, names=NAMES, fallback_updated=D(2026, 1, 1))
    parsed = feedparser.parse(text)
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated == "2026-01-01T00:00:00Z"


def test_characters_xml_cannot_carry_are_dropped() -> None:
    assert plain("a\x00b\x1bc &amp; d", math=str) == "abc & d"
    entry = _entry("Null\x00 byte", abstract="Bell\x07 ring.")
    (feed,) = feeds(_archive(entry), site_name="Paper Archive")[:1]
    assert ET.fromstring(atom(feed, base=None, names=NAMES)) is not None


# -- a real build ------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    papers = [
        paper(title, published=D(2024, 1, 1 + i), tags=("llms",), abstract=f"About {title}. More.")
        for i, title in enumerate(HOSTILE)
    ]
    papers += [
        paper(
            "Pointer Networks",
            published=D(2015, 6, 9),
            tags=("sequence-models",),
            authors=("Oriol Vinyals",),
        ),
        paper("Math in CO$_2$ Titles", published=D(2024, 3, 20), tags=("llms",)),
        paper("Undated and Untagged"),
    ]
    return build_site(make_site(tmp_path_factory.mktemp("feeds"), papers))


def _feed_paths(site: Path) -> list[Path]:
    return [site / "feed.xml", *sorted((site / "tags").glob("*/feed.xml"))]


def test_every_feed_parses_and_conforms(site: Path) -> None:
    paths = _feed_paths(site)
    topics = load_vocabulary(CORPUS / "data" / "tags.yaml").tags
    assert len(paths) == 1 + len(topics)  # the archive's and one per topic, empty too
    for path in paths:
        text = path.read_text(encoding="utf-8")
        parsed = feedparser.parse(text)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        root = ET.fromstring(text)
        for required in ("id", "title", "updated"):
            assert len(root.findall(f"a:{required}", NS)) == 1, (path, required)
        assert root.find("a:link[@rel='self']", NS) is not None
        ids = []
        for node in root.findall("a:entry", NS):
            for required in ("id", "title", "updated"):
                assert len(node.findall(f"a:{required}", NS)) == 1, (path, required)
            ids.append(node.findtext("a:id", namespaces=NS))
            assert len(node.findall("a:published", NS)) <= 1, path
            for stamp in ("a:updated", "a:published"):
                if (value := node.findtext(stamp, namespaces=NS)) is not None:
                    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        assert len(ids) == len(set(ids)), path
        assert "127.0.0.1" not in text
    whole = feedparser.parse((site / "feed.xml").read_text(encoding="utf-8"))
    assert len(whole.entries) == 6
    undated = next(e for e in whole.entries if e.title == "Undated and Untagged")
    assert "published" not in undated and undated.updated == "2026-11-23T00:00:00Z"


def test_hostile_titles_stay_inert_text(site: Path) -> None:
    text = (site / "tags/llms/feed.xml").read_text(encoding="utf-8")
    for payload in ["<script>", "<svg", "<b>"]:
        assert payload not in text
    parsed = feedparser.parse(text)
    titles = {e.title for e in parsed.entries}
    assert set(HOSTILE) <= titles
    assert "Math in CO₂ Titles" in titles  # math made readable
    assert all(e.title_detail.type == "text/plain" for e in parsed.entries)


def test_autodiscovery_and_visible_links(site: Path) -> None:
    def alternates(url: str) -> list[str]:
        html = (site / url / "index.html").read_text(encoding="utf-8")
        return re.findall(
            r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]*" href="([^"]+)">',
            html,
        )

    assert alternates(".") == ["feed.xml"]
    assert alternates("tags") == ["../feed.xml"]
    assert alternates("tags/llms") == ["feed.xml"]
    assert alternates("papers/pointer-networks") == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="feed.xml" type="application/atom+xml">Atom feed</a>' in home
    topic = (site / "tags/llms/index.html").read_text(encoding="utf-8")
    assert '<a href="feed.xml" type="application/atom+xml">Atom feed of this topic</a>' in topic
    assert (
        '<a href="papers.bib.gz" type="application/gzip">BibTeX of this topic</a> (gzip)' in topic
    )


def test_export_paths_name_every_feed_and_export_made() -> None:
    """A serve rebuild lists the feeds and exports before they are made (so pages'
    links to them resolve, plugin/exports.py): the list must be what is made."""
    from paper_archive.site.exports import export_paths, exports

    archive = _archive(_entry("Pointer Networks", tags=("llms",)), _entry("Other"))
    made = [f.path for f in feeds(archive, site_name="A")]
    made += [e.path for e in exports(archive, base=None, names=NAMES)]
    assert sorted(export_paths(archive)) == sorted(made)
    assert len(set(made)) == len(made)
