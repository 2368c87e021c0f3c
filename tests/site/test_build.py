"""The site, built through MkDocs' API on fixture archives: assert on the HTML."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from ..chrome_node import with_chrome
from ..sitebuild import build_site, make_site, paper

D = dt.date


def read(site: Path, url: str) -> str:
    """The page at ``url`` as a browser's parser reads it: its chrome in place."""
    return with_chrome(site / url / "index.html")


def titles_in(html: str) -> list[str]:
    """The titles a page's list of papers shows, in order."""
    lists = "".join(re.findall(r'<ol class="pa-list">.*?</ol>', html, re.DOTALL))
    return re.findall(r'<li><a href="[^"]*">(.*?)</a>', lists)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(
        tmp_path_factory.mktemp("small"),
        [
            paper("Pointer Networks", published=D(2015, 6, 9), tags=("sequence-models",)),
            paper("Old Sequence Paper", published=D(2014, 2, 1), tags=("sequence-models",)),
            paper(
                "Newest Sequence Paper", published=D(2024, 12, 11), tags=("sequence-models", "llms")
            ),
            paper("A Paper Without a Date", tags=("llms",)),
            paper("Math in CO$_2$ Titles", published=D(2024, 3, 20)),
        ],
    )
    return build_site(root)


def test_tag_page_lists_its_papers_newest_first(small_site: Path) -> None:
    page = read(small_site, "tags/sequence-models")
    assert titles_in(page) == ["Newest Sequence Paper", "Pointer Networks", "Old Sequence Paper"]
    assert "3 papers" in page
    assert 'href="../../papers/pointer-networks/"' in page
    assert "11 December 2024" in page
    assert "An abstract." in page  # first sentence only
    assert "It has two sentences." not in page


def test_topics_page_lists_every_tag_with_count_and_description(small_site: Path) -> None:
    page = read(small_site, "tags")
    counts = dict(
        re.findall(r'href="([a-z-]+)/">[^<]*</a><span class="pa-topic__count">(\d+)</span>', page)
    )
    assert counts["sequence-models"] == "3"
    assert counts["llms"] == "2"
    assert counts["surveys"] == "0"
    assert len(counts) == 29
    assert "Training, analysing and using large language models." in page


def test_year_pages_and_undated(small_site: Path) -> None:
    archive = read(small_site, "archive")
    assert re.search(r'href="2024/">2024</a> <span class="pa-count">2</span>', archive)
    assert re.search(r'href="undated/">Undated</a> <span class="pa-count">1</span>', archive)
    year = read(small_site, "archive/2024")
    assert year.index("December 2024") < year.index("March 2024")
    assert titles_in(year)[0] == "Newest Sequence Paper"
    assert titles_in(year)[1].startswith('Math in CO<span class="arithmatex">')
    assert len(titles_in(year)) == 2
    assert "A Paper Without a Date" in read(small_site, "archive/undated")
    assert "date unknown" in read(small_site, "archive/undated")


def test_home_page_totals_recent_and_topics(small_site: Path) -> None:
    home = (small_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'pa-total__n">5</span> <span class="pa-total__label">papers', home)
    assert re.search(r'pa-total__n">29</span> <span class="pa-total__label">topics', home)
    assert re.search(r'pa-total__n">3</span> <span class="pa-total__label">years', home)
    assert 'href="papers/pointer-networks/"' in home
    assert "<!-- archive:" not in home


def test_paper_page(small_site: Path) -> None:
    page = read(small_site, "papers/pointer-networks")
    assert '<h1 id="pa-title" tabindex="-1">Pointer Networks</h1>' in page
    assert page.count("<h1") == 1
    assert "9 June 2015" in page and "added 23 November 2026" in page
    assert 'href="../../tags/sequence-models/"' in page
    assert "@misc{pointer2015networks," in page
    assert "year = {2015}" in page
    math = read(small_site, "papers/math-in-co-2-titles")
    assert '<span class="arithmatex">\\(_2\\)</span>' in math
    assert "assets/math.js" in math  # loads the vendored KaTeX on pages with math
    assert (small_site / "assets/vendor/katex/katex.min.js").is_file()


def test_paper_pages_are_not_in_the_navigation(small_site: Path) -> None:
    home = (small_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary') :]
    nav = nav[: nav.index("</nav>")]
    assert "papers/" not in nav


def test_material_config_keeps_what_its_script_reads_on_our_pages(small_site: Path) -> None:
    """``__config`` without Material's search (the archive's own search replaces it): no
    worker path, no search strings; the clipboard strings the Cite block's copy button
    shows stay (tests/test_page_size.py clicks it in Chromium)."""
    page = read(small_site, "papers/pointer-networks")
    config = json.loads(re.search(r'<script id="__config"[^>]*>(.*?)</script>', page, re.S)[1])
    assert config["translations"] == {
        "clipboard.copied": "Copied to clipboard",
        "clipboard.copy": "Copy to clipboard",
    }
    assert "search" not in config and config["base"] == "../.."
    assert 'name="search"' not in page  # Material reads its index only for that form


def test_no_request_leaves_the_site(small_site: Path) -> None:
    for html_file in [small_site / "index.html", small_site / "papers/pointer-networks/index.html"]:
        html = with_chrome(html_file)
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert "fonts.googleapis" not in url and "cdn" not in url, url
        assert 'data-md-component="source"' not in html  # no GitHub API call


def test_pagination(tmp_path: Path) -> None:
    papers = [
        paper(
            f"Generated Paper Number {i:03d}",
            published=D(2020, 1, 1) + dt.timedelta(days=i),
            tags=("surveys",),
        )
        for i in range(230)
    ]
    site = build_site(make_site(tmp_path, papers))
    first = read(site, "tags/surveys")
    second = read(site, "tags/surveys/page/2")
    third = read(site, "tags/surveys/page/3")
    assert (
        len(titles_in(first)) == 100
        and len(titles_in(second)) == 100
        and len(titles_in(third)) == 30
    )
    assert titles_in(first)[0] == "Generated Paper Number 229"
    assert titles_in(third)[-1] == "Generated Paper Number 000"
    assert 'rel="next" href="page/2/"' in first
    assert 'rel="prev" href="../../"' in second and 'rel="next" href="../3/"' in second
    assert "(page 2 of 3)" in second
    assert not (site / "tags/surveys/page/4").exists()


HOSTILE = [
    "</title><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "<img src=x onerror=alert(1)>",
]


def test_hostile_titles_and_abstracts_show_as_text(tmp_path: Path) -> None:
    papers = [
        paper(
            title,
            published=D(2024, 1, 1),
            tags=("llms",),
            abstract=f"Abstract {title} here. <script>alert(2)</script>",
        )
        for title in HOSTILE
    ]
    site = build_site(make_site(tmp_path, papers))
    raw_payloads = [*HOSTILE, "<script>alert(2)</script>", "<svg onload", "<img src=x"]
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for payload in raw_payloads:
            assert payload not in html, (page, payload)
    paper_page = read(site, "papers/title-script-alert-1-script")
    title_tag = re.search(r"<title>(.*?)</title>", paper_page, re.S)
    assert title_tag and title_tag.group(1).startswith(
        "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    assert "Abstract &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; here." in paper_page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in paper_page
    tag_page = read(site, "tags/llms")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in tag_page
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in tag_page
    # The BibTeX block is text too.
    assert "title = {{&lt;img src=x onerror=alert(1)&gt;}}" in read(
        site, "papers/img-src-x-onerror-alert-1"
    )


def test_unknown_tag_fails_strict_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_site(tmp_path, [paper("Pointer Networks", tags=("not-a-tag",))])
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_site(root)
    assert any(
        "docs/papers/pointer-networks.md:4: error: unknown tag 'not-a-tag'" in r.getMessage()
        for r in caplog.records
    ), [r.getMessage() for r in caplog.records]


def test_missing_field_fails_strict_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_site(tmp_path, [paper("Pointer Networks")])
    page = root / "docs/papers/pointer-networks.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("added: 2026-11-23\n", ""), encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_site(root)
    assert any(
        "pointer-networks.md:1: error: missing required key: 'added'" in r.getMessage()
        for r in caplog.records
    )


def test_broken_front_matter_is_a_plugin_error_naming_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_site(tmp_path, [paper("Pointer Networks")])
    (root / "docs/papers/pointer-networks.md").write_text(
        "---\ntitle: [x\ntags: []\n---\n", encoding="utf-8"
    )
    with caplog.at_level(logging.ERROR), pytest.raises(Abort, match="BuildError"):
        build_site(root)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(m.startswith("docs/papers/pointer-networks.md:3: invalid YAML") for m in errors), (
        errors
    )


def _tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_in_one_process_and_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = make_site(
        tmp_path / "src", [paper("Pointer Networks", published=D(2015, 6, 9), tags=("llms",))]
    )
    first = _tree(build_site(root, site=tmp_path / "one"))
    # Change the archive between builds: state must not leak from the first build.
    (root / "docs/papers/another-paper.md").write_text(
        (root / "docs/papers/pointer-networks.md")
        .read_text(encoding="utf-8")
        .replace("Pointer Networks", "Another Paper"),
        encoding="utf-8",
    )
    second = _tree(build_site(root, site=tmp_path / "two"))
    assert "papers/another-paper/index.html" in second
    assert 'pa-total__n">2</span>' in second["index.html"].decode()
    (root / "docs/papers/another-paper.md").unlink()
    third = _tree(build_site(root, site=tmp_path / "three"))
    assert third == first  # byte-identical
    # No public site_url: no sitemap (it needs absolute URLs; tests/site/test_sitemap.py)
    assert not [name for name in first if name.startswith("sitemap")]


def test_search_index_failure_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import paper_archive.search.build as search_build

    def broken_input(path: Path, *args: object, **kwargs: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{", encoding="utf-8")

    monkeypatch.setattr(search_build, "write_input", broken_input)
    root = make_site(tmp_path, [paper("Pointer Networks")])
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(root)
    messages = [r.getMessage() for r in caplog.records]
    assert any("building the search index failed: search bundle:" in m for m in messages), messages
    cache = root / ".paper-archive-cache" / "search"
    assert not list(cache.glob(".input-*"))  # no input left behind
