"""Blocks rendered once per build (site/shared_blocks.py, overrides/alike.html): the
cache on its own, and the seed site built with the cache and with Material's own blocks,
every output file compared byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from paper_archive.site.shared_blocks import HOLE, SharedBlocks, freeze

from ..sitebuild import build_site, chrome_in_every_page, make_site, site_files

#: The blocks overrides/alike.html wraps in ``pa_shared``; without them Material's own.
BLOCKS = "htmltitle|styles|header|tabs|site_nav|footer|config|scripts"
WRAPPED = re.compile(rf"\{{% block ({BLOCKS}) -%\}}.*?\{{%- endblock %\}}\n", re.DOTALL)
#: A paper whose notes have headings (a table of contents no other paper has).
NOTED = "a-chain-graph-interpretation-of-real-world-neural-networks.md"


class Renders:
    def __init__(self, html: str) -> None:
        self.html, self.calls = html, 0

    def __call__(self) -> str:
        self.calls += 1
        return self.html


def test_a_key_seen_before_is_served_without_rendering() -> None:
    shared, render = SharedBlocks(), Renders("<nav>x</nav>")
    assert shared("tabs", "../..", caller=render) == "<nav>x</nav>"
    assert shared("tabs", "../..", caller=Renders("other")) == "<nav>x</nav>"
    assert render.calls == 1
    assert (shared.hits, shared.misses, len(shared)) == (1, 1, 1)


def test_each_key_renders_once_and_keys_differ_by_every_part() -> None:
    shared = SharedBlocks()
    keys: list[tuple[object, ...]] = [
        ("tabs", "../.."),
        ("tabs", ".."),
        ("config", "../.."),
        ("site_nav", "../..", None, "<nav></nav>"),
        ("site_nav", "../..", None, "<nav><ul></ul></nav>"),
        ("site_nav", "../..", ["toc"], "<nav></nav>"),
    ]
    assert [shared(*key, caller=Renders(repr(key))) for key in keys] == [repr(k) for k in keys]
    assert (shared.hits, shared.misses, len(shared)) == (0, 6, 6)
    # Unhashable parts (page.meta.hide is a list) are keys too, by value.
    again = Renders("unused")
    assert shared("site_nav", "../..", ["toc"], "<nav></nav>", caller=again) == repr(
        ("site_nav", "../..", ["toc"], "<nav></nav>")
    )
    assert again.calls == 0


def test_past_the_limit_pages_are_rendered_but_not_kept() -> None:
    shared = SharedBlocks(limit=1)
    shared("a", caller=Renders("A"))
    late = Renders("B")
    assert shared("b", caller=late) == "B" and shared("b", caller=late) == "B"
    assert late.calls == 2 and len(shared) == 1


class Header:
    """A block printing ``meta["title"]`` ``times`` times, as a template would."""

    def __init__(self, meta: dict[str, str], times: int = 1) -> None:
        self.meta, self.times, self.calls = meta, times, 0

    def __call__(self) -> str:
        self.calls += 1
        return "<header>" + "|".join([self.meta["title"]] * self.times) + "</header>"


def test_around_renders_once_with_a_hole_and_fills_in_each_value() -> None:
    shared, meta = SharedBlocks(), {"title": "First &amp; one"}
    header = Header(meta)
    assert shared.around(meta, "title", "header", "../..", caller=header) == (
        "<header>First &amp; one</header>"
    )
    assert meta["title"] == "First &amp; one"  # put back after rendering with the hole
    meta["title"] = "Second"
    assert (
        shared.around(meta, "title", "header", "../..", caller=header) == "<header>Second</header>"
    )
    assert header.calls == 1
    other = Header(meta)
    assert shared.around(meta, "title", "header", "..", caller=other) == "<header>Second</header>"
    assert other.calls == 1  # another key: rendered


def test_around_renders_as_before_a_block_that_prints_the_value_twice_or_never() -> None:
    for times in (0, 2):
        shared, meta = SharedBlocks(), {"title": "T"}
        header = Header(meta, times)
        expected = "<header>" + "|".join(["T"] * times) + "</header>"
        assert shared.around(meta, "title", "h", caller=header) == expected
        assert shared.around(meta, "title", "h", caller=header) == expected
        assert header.calls == 4 and len(shared) == 0 and HOLE not in expected


def test_freeze_keys_lists_and_mappings_by_value() -> None:
    assert freeze(["a", {"y": [1], "x": 2}]) == ("a", (("x", 2), ("y", (1,))))
    assert freeze({"b", "a"}) == freeze({"a", "b"})


def _site(
    root: Path,
    *,
    wrapped: bool,
    key_without_toc: bool = False,
    key_without_place: bool = False,
    sample: int | None = None,
) -> Path:
    make_site(root, with_seed=True, sample=sample, keep=(NOTED,))
    # The blocks in place: the cache's bytes, not site/chrome.py's calls of them
    # (tests/test_shared_chrome.py compares those with these pages).
    chrome_in_every_page(root)
    theme = root / "overrides" / "alike.html"
    source = theme.read_text(encoding="utf-8")
    template, count = WRAPPED.subn("", source)
    assert count == 8, "overrides/alike.html no longer wraps the eight blocks"
    if not wrapped:
        theme.write_text(template, encoding="utf-8")
    elif key_without_toc:
        assert ", pa_toc)" in source
        theme.write_text(source.replace(", pa_toc)", ")"), encoding="utf-8")
    elif key_without_place:
        assert source.count(", pa_place") == 8
        theme.write_text(source.replace(", pa_place", ""), encoding="utf-8")
    # A paper with headings in its notes: a table of contents no other paper has.
    # (The site's layout admits no other page outside the nav than papers and lists,
    # and none of them hides a part: page.meta.hide is the same on every page that
    # reaches the cache; the unit tests above show it is a part of the key.)
    noted = root / "docs" / "papers" / NOTED
    notes = "\n\n## Notes\n\nA note.\n\n### A detail\n\nMore.\n"
    noted.write_text(noted.read_text(encoding="utf-8") + notes, encoding="utf-8")
    return build_site(root)


@pytest.mark.slow
def test_paper_pages_are_byte_identical_to_materials_own_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")  # sitemap.xml.gz's mtime
    ours = site_files(_site(tmp_path / "shared", wrapped=True))
    material = site_files(_site(tmp_path / "material", wrapped=False))
    assert sorted(ours) == sorted(material)
    differ = [name for name in ours if ours[name] != material[name]]
    assert differ == []
    # The page the cache must tell apart is there, with what sets it apart.
    assert 'href="#pa-body-a-detail"' in ours[f"papers/{NOTED[:-3]}/index.html"].decode()


@pytest.mark.slow
def test_the_cache_is_live_a_key_without_the_toc_gives_one_toc_to_every_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without this, the test above would also pass with no cache at all. Its point is
    the key, not the archive's size: every 13th seed page and the noted one (~40 pages)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")
    root = tmp_path / "shared"
    site = _site(root, wrapped=True, key_without_toc=True, sample=13)
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in site.glob("papers/*/index.html")}
    link = '<a href="#pa-body-a-detail" class="md-nav__link">'  # in the noted paper's toc
    with_link = {name for name, html in pages.items() if link in html}
    # Whichever paper rendered first, its sidebar is every paper's: all have the noted
    # paper's toc, or none has (the noted paper included).
    assert with_link in (set(pages), set())
    assert set(pages) == {p.stem for p in (root / "docs" / "papers").glob("*.md")}
    assert len(pages) > 1


_TABS = re.compile(r'<a href="([^"]*)" class="md-tabs__link">')


@pytest.mark.slow
def test_where_a_page_is_is_in_the_key_a_topic_and_a_year_link_the_nav_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A topic's page and a year's are at one depth but under other folders: their tabs
    link the nav by other relative URLs (Topics: ``../`` from ``tags/llms/``,
    ``../../tags/`` from ``archive/2024/``). The key holds the page's top folder
    (``pa_place``); without it, one list gets the other's links."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")
    tabs = {}
    for keyed in (True, False):
        root = tmp_path / f"keyed-{keyed}"
        site = _site(root, wrapped=True, key_without_place=not keyed, sample=13)
        year = sorted(site.glob("archive/[0-9]*/index.html"))[-1]
        tabs[keyed] = [
            _TABS.findall(page.read_text(encoding="utf-8"))
            for page in (site / "tags/llms/index.html", year)
        ]
    topic, year_tabs = tabs[True]
    assert topic[1] == "../" and year_tabs[1] == "../../tags/", tabs
    assert tabs[False][0] == tabs[False][1]  # one cached rendering for both
