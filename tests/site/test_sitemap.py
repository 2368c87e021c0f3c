"""The sitemap: an index of parts within the protocol's limits, dated by the pages' own
dates, named by robots.txt (issue 20).

Parsed with a real XML parser (ElementTree, namespaces checked); the limits are those of
sitemaps.org (50,000 URLs, 50 MB per file). The splitting is exercised on the frozen
corpus's pages with a small limit.
"""

from __future__ import annotations

import datetime as dt
import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from paper_archive.record.tagging import load_vocabulary
from paper_archive.site.collect import Archive, collect
from paper_archive.site.sitemap import MAX_BYTES, MAX_URLS, NS, PageDate, page_dates, sitemaps

from .. import CORPUS
from ..sitebuild import build_site, make_site, paper

D = dt.date
PUBLIC = "https://example.org/archive/"
NEW = D(2026, 12, 1)  # later than every corpus paper's date added (2026-11-23)
Q = f"{{{NS}}}"


def _urlset(text: str) -> list[tuple[str, str | None]]:
    root = ET.fromstring(text.encode())
    assert root.tag == f"{Q}urlset"
    out = []
    for url in root:
        assert url.tag == f"{Q}url"
        lastmod = url.find(f"{Q}lastmod")
        out.append((url.findtext(f"{Q}loc") or "", None if lastmod is None else lastmod.text))
    return out


def _index(text: str) -> list[tuple[str, str | None]]:
    root = ET.fromstring(text.encode())
    assert root.tag == f"{Q}sitemapindex"
    return [
        (s.findtext(f"{Q}loc") or "", s.findtext(f"{Q}lastmod")) for s in root.iter(f"{Q}sitemap")
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(
        tmp_path_factory.mktemp("sitemap") / "src",
        [paper("A Newer Paper", published=D(2024, 3, 1), tags=("llms",), added=NEW)],
        with_seed=True,
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", PUBLIC)
        env.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: the build's date
        return build_site(root)


def _pages(site: Path) -> set[str]:
    """Every page of the built site, as its public URL."""
    return {
        PUBLIC + p.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        for p in site.rglob("index.html")
    } | {PUBLIC}


def _part(path: Path) -> str:
    """A published part's XML, as a crawler reads it: gunzipped (sitemaps.org allows
    gzip; the 50 MB limit is on the text)."""
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def test_built_sitemap_is_an_index_of_every_page(site: Path) -> None:
    index = _index((site / "sitemap.xml").read_text(encoding="utf-8"))
    assert [loc for loc, _ in index] == [PUBLIC + "sitemap-1.xml.gz"]
    assert sorted(p.name for p in site.glob("sitemap*")) == ["sitemap-1.xml.gz", "sitemap.xml"]
    urls: list[tuple[str, str | None]] = []
    for loc, _ in index:
        part = site / loc.removeprefix(PUBLIC)
        text = _part(part)
        assert len(text.encode()) <= MAX_BYTES and part.stat().st_size < len(text) / 4
        found = _urlset(text)
        assert len(found) <= MAX_URLS
        urls += found
    locs = [loc for loc, _ in urls]
    assert len(locs) == len(set(locs))
    expected = {u.replace(PUBLIC + "/", PUBLIC) for u in _pages(site)}
    assert set(locs) == expected
    assert PUBLIC + "papers/pointer-networks/" in locs
    assert not (site / "sitemap.xml.gz").exists()  # MkDocs' own is replaced, not beside


def test_lastmod_is_the_pages_own_date(site: Path) -> None:
    (part,) = _index((site / "sitemap.xml").read_text(encoding="utf-8"))
    assert part[1] == NEW.isoformat()
    dates = dict(_urlset(_part(site / "sitemap-1.xml.gz")))
    assert dates[PUBLIC + "papers/a-newer-paper/"] == "2026-12-01"
    assert dates[PUBLIC + "papers/pointer-networks/"] == "2026-11-23"  # front matter
    assert dates[PUBLIC + "tags/llms/"] == "2026-12-01"  # its newest paper
    assert dates[PUBLIC + "archive/2024/"] == "2026-12-01"
    assert dates[PUBLIC] == dates[PUBLIC + "tags/"] == "2026-12-01"
    assert dates[PUBLIC + "about/"] is None  # undated: no lastmod, never the build's
    assert not any(d and d.startswith("2030") for d in dates.values())
    # A list's later pages: its own newest paper's date, as its first page.
    later = [loc for loc in dates if "/page/" in loc]
    assert later
    for loc in later:
        assert dates[loc] == dates[loc.split("page/")[0]] is not None, loc


def test_robots_txt_names_the_index(site: Path) -> None:
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLIC}sitemap.xml\n" in robots
    assert _index((site / "sitemap.xml").read_text(encoding="utf-8"))


def test_no_sitemap_without_a_public_url(tmp_path: Path) -> None:
    """Sitemaps need absolute URLs: without a public site_url there is none (and no
    127.0.0.1 URL is published), as robots.txt then names none."""
    built = build_site(make_site(tmp_path / "src", [paper("Pointer Networks")]))
    assert not list(built.glob("sitemap*"))
    assert "Sitemap:" not in (built / "robots.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus() -> Archive:
    pages = (
        (f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8"))
        for p in sorted((CORPUS / "docs" / "papers").glob("*.md"))
    )
    return collect(pages, load_vocabulary(CORPUS / "data" / "tags.yaml"))


def test_split_into_parts_within_a_small_limit(corpus: Archive) -> None:
    paths = ["", "about/", "tags/", *(e.url for e in corpus.entries)]
    pages = page_dates(corpus, paths)
    files = dict(sitemaps(pages, base=PUBLIC, max_urls=100))
    index = _index(files.pop("sitemap.xml"))
    parts = -(-len(paths) // 100)
    names = [f"sitemap-{n}.xml.gz" for n in range(1, parts + 1)]
    assert [loc for loc, _ in index] == [PUBLIC + name for name in names]
    assert list(files) == names
    locs = [loc for text in files.values() for loc, _ in _urlset(text)]
    assert all(len(_urlset(text)) <= 100 for text in files.values())
    assert locs == sorted(PUBLIC + p for p in paths)  # every page once, in order
    # By bytes: no part over the limit, and more parts than by count alone.
    limit = 20_000
    by_bytes = dict(sitemaps(pages, base=PUBLIC, max_bytes=limit))
    by_bytes.pop("sitemap.xml")
    assert len(by_bytes) > 1
    assert all(len(text.encode()) <= limit for text in by_bytes.values())
    assert [loc for t in by_bytes.values() for loc, _ in _urlset(t)] == locs
    assert sitemaps(pages, base=PUBLIC, max_urls=100) == sitemaps(
        list(pages), base=PUBLIC, max_urls=100
    )


def test_values_are_escaped() -> None:
    (_, index), (_, part) = sitemaps([PageDate("a&b/<c>/", None)], base=PUBLIC)
    assert _urlset(part) == [(PUBLIC + "a&b/<c>/", None)]
    assert _index(index) == [(PUBLIC + "sitemap-1.xml.gz", None)]
