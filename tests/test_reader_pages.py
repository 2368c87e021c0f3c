"""What a reader meets on the list, paper and search pages, in Chromium on a built site.

The site is built from a corpus generated here (no live page): 105 undated papers and
101 of 2023 (two pages each at 100 to a page), a small year, and three surveys each
with three papers of its topic (tests/site/test_related_topics.py has the pure side).
Checked at phone and desktop sizes, in Material's light and dark palettes where the
look is the point:

- the Undated and year lists are paginated like topics (pager, ``…/page/2/``), every
  paper on exactly one page;
- a list's items keep their look with no classes on their parts (title, date, topic
  chips, first sentence);
- a related paper's reason is on its own line under the title, muted and readable;
- "Skip to content" (Tab, Enter) moves focus and the view to the title of a paper's
  or a list's page, on every such page a target that exists (``pa-title``);
- a search that finds nothing says what is searched and offers the query on arXiv and
  Google Scholar, encoded; without JavaScript the page says search needs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from .browser import DESKTOP, PHONE, serve
from .chrome_node import with_chrome
from .sitebuild import build_site, make_site, paper

pytestmark = pytest.mark.browser

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
UNDATED = 105
IN_2023 = 101
TOPICS = {
    "diffusion": ("diffusion-models", "denoising diffusion score sampler noise schedule"),
    "quantization": ("efficiency", "quantization integer bit precision rounding calibration"),
    "graphs": ("graph-neural-networks", "graph message passing node edge neighbourhood"),
}
GENRE = (
    "This comprehensive survey reviews the areas of {words}: a taxonomy of methods, "
    "benchmark results, extensive experiments, open challenges and future directions."
)
SURVEY = "survey-of-diffusion"  # the slug of "Survey of Diffusion"


def _corpus() -> list[object]:
    papers = [
        paper(f"Undated Paper Number {n:03d}", abstract=f"Undated words{n} here. Second.")
        for n in range(UNDATED)
    ]
    papers += [
        paper(
            f"Dated Paper Number {n:03d}",
            published=dt.date(2023, 1 + n % 12, 1 + n % 28),
            abstract=f"Dated term{n} there. Second.",
        )
        for n in range(IN_2023)
    ]
    for topic, (tag, words) in TOPICS.items():
        papers.append(
            paper(
                f"Survey of {topic.title()}",
                published=dt.date(2024, 3, 1),
                tags=(tag, "surveys"),
                abstract=GENRE.format(words=words),
            )
        )
        vocab = words.split()
        for n in range(3):
            text = " ".join(vocab[n:] + vocab[:n])
            papers.append(
                paper(
                    f"{vocab[n].title()} {vocab[(n + 1) % len(vocab)]} Study {topic.title()} {n}",
                    published=dt.date(2024, 2, 1 + n),
                    tags=(tag,),
                    abstract=f"We study {text}. Our {vocab[n]} {vocab[-1]} improves {text}.",
                )
            )
    return papers


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(make_site(tmp_path_factory.mktemp("reader-pages"), _corpus()))


@pytest.fixture(scope="module")
def url(site: Path) -> Iterator[str]:
    with serve(site) as base:
        yield base


@pytest.fixture
def open_page(browser: object, url: str) -> Iterator[object]:
    """``open_page(path, device, scheme)``: a page in a fresh context, the palette chosen
    with Material's toggle as a reader does ("default" light, "slate" dark)."""
    contexts: list[object] = []

    def opener(path: str, device: dict | None = None, scheme: str = "default", **extra: object):
        context = browser.new_context(color_scheme="light", **(device or DESKTOP), **extra)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        page.errors = errors
        page.goto(url + path)
        if scheme == "slate":
            page.click('label[title="Switch to dark mode"]')
        page.wait_for_function(
            "s => document.body.getAttribute('data-md-color-scheme') === s", arg=scheme
        )
        return page

    yield opener
    for context in contexts:
        context.close()  # type: ignore[attr-defined]


def _titles(page: object) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".pa-list > li > a", "els => els.map(e => e.textContent)"
    )


# -- Undated and year pages: paginated like topics -------------------------------------


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize(
    ("folder", "total", "prefix"),
    [("archive/undated/", UNDATED, "Undated Paper"), ("archive/2023/", IN_2023, "Dated Paper")],
    ids=["undated", "year"],
)
def test_long_lists_are_paginated_like_topics(
    open_page: object, folder: str, total: int, prefix: str, device: str
) -> None:
    """100 to a page; the pager's "Older" link leads to ``page/2/``, which has the rest
    and a "Newer" link back; every paper is on exactly one page."""
    page = open_page(folder, DEVICES[device])  # type: ignore[operator]
    first = _titles(page)
    assert len(first) == 100
    heading = page.text_content("article h1")
    assert heading.strip().rstrip("¶") == f"{folder.split('/')[1].title()} (page 1 of 2)"
    pager = page.locator(".pa-pager").first
    assert pager.locator("[aria-current=page]").text_content() == "1"
    pager.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(re.escape(folder) + r"page/2/$"))
    second = _titles(page)
    assert len(second) == total - 100
    assert page.locator(".pa-pager").first.locator("[aria-current=page]").text_content() == "2"
    assert sorted(first + second) == sorted(f"{prefix} Number {n:03d}" for n in range(total))
    page.locator(".pa-pager").first.locator("a[rel=prev]").click()
    page.wait_for_url(re.compile(re.escape(folder) + "$"))
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_short_year_is_one_page_without_a_pager(site: Path) -> None:
    html = (site / "archive/2024/index.html").read_text(encoding="utf-8")
    assert "pa-pager" not in html and not (site / "archive/2024/page").exists()
    assert (site / "archive/2023/page/2/index.html").is_file()
    assert not (site / "archive/2023/page/3").exists()
    overview = (site / "archive/index.html").read_text(encoding="utf-8")
    assert re.search(
        rf'href="undated/">Undated</a> <span class="pa-count">{UNDATED}</span>', overview
    )


def _chips(html: str) -> list[list[str]]:
    """Each list item's topic chips (their hrefs), in order."""
    items = re.findall(r"<li><a href=\"[^\"]*papers/.*?</li>", html)
    spans = [re.search(r'<span class="pa-tags">(.*?)</span>', item) for item in items]
    return [re.findall(r'href="([^"]*)"', m[1]) if m else [] for m in spans]


def test_a_topic_page_leaves_out_its_own_chip(site: Path) -> None:
    """On a topic's page every item is of that topic: its chip, a link to the page
    itself, is left out (issue 20); the paper's other topics keep theirs, and a year
    list keeps every chip."""
    topic = _chips((site / "tags/diffusion-models/index.html").read_text(encoding="utf-8"))
    assert sorted(topic) == [[], [], [], ["../surveys/"]]  # the survey's other topic
    surveys = _chips((site / "tags/surveys/index.html").read_text(encoding="utf-8"))
    assert sorted(h for (h,) in surveys) == [
        "../diffusion-models/",
        "../efficiency/",
        "../graph-neural-networks/",
    ]
    year = _chips((site / "archive/2024/index.html").read_text(encoding="utf-8"))
    assert sum(map(len, year)) == 3 * 3 + 3 * 2  # every paper's every topic


# -- related papers: the reason on its own line ----------------------------------------


_LAYOUT = """() => [...document.querySelectorAll('.pa-related > li')].map(li => {
  const a = li.querySelector('a'), r = li.querySelector('span');
  const box = e => { const b = e.getBoundingClientRect(); return {x: b.left, top: b.top, bottom: b.bottom}; };
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  return {title: a.textContent, reason: r.textContent, a: box(a), r: box(r),
          reasonColor: rgb(getComputedStyle(r).color), titleColor: rgb(getComputedStyle(a).color),
          background: rgb(getComputedStyle(document.body).backgroundColor)};
})"""


def _contrast(fg: list[float], bg: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        def channel(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["default", "slate"], ids=["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_a_related_papers_reason_is_on_its_own_line(
    open_page: object, device: str, scheme: str
) -> None:
    """Each reason starts on a line below its title, at the title's left edge, in a
    colour of its own that is readable on the page (contrast ≥ 4.5)."""
    page = open_page(f"papers/{SURVEY}/", DEVICES[device], scheme)  # type: ignore[operator]
    items = page.evaluate(_LAYOUT)
    assert len(items) == 3, items  # the survey's own topic, no other survey
    assert all("Diffusion" in item["title"] for item in items), items
    for item in items:
        assert item["r"]["top"] >= item["a"]["bottom"] - 1, item
        assert abs(item["r"]["x"] - item["a"]["x"]) < 1, item
        assert item["reasonColor"] != item["titleColor"], item
        assert _contrast(item["reasonColor"], item["background"]) >= 4.5, item
        assert item["reason"].startswith("Also in Diffusion models"), item


# -- a list's items: their parts known by place --------------------------------------


_ITEMS = """() => [...document.querySelectorAll('.pa-list > li')].slice(0, 5).map(li => {
  const [title, date, ...rest] = li.children;
  const tags = rest.find(e => e.classList.contains('pa-tags'));
  const summary = rest.find(e => !e.classList.contains('pa-tags'));
  const box = e => { const b = e.getBoundingClientRect(); return {top: b.top, bottom: b.bottom, height: b.height}; };
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const look = e => { const c = getComputedStyle(e);
    return {weight: +c.fontWeight, size: parseFloat(c.fontSize), line: c.textDecorationLine,
            color: rgb(c.color), background: c.backgroundColor, box: box(e)}; };
  return {tag: title.tagName, title: look(title), date: look(date), summary: summary && look(summary),
          chips: tags ? [...tags.children].map(look) : [],
          page: rgb(getComputedStyle(document.body).backgroundColor)};
})"""


@pytest.mark.parametrize("scheme", ["default", "slate"], ids=["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_a_list_items_parts_keep_their_look(open_page: object, device: str, scheme: str) -> None:
    """A list's items carry no classes (site/render.py paper_list): the title is bold
    and on its own line, the date small and muted, the topics chips (no underline, tap
    targets of 24 px), the first sentence on its own line under them, muted."""
    page = open_page("tags/surveys/", DEVICES[device], scheme)  # type: ignore[operator]
    items = page.evaluate(_ITEMS)
    assert len(items) == 3, items  # the three surveys, each with its other topic's chip
    for item in items:
        title, date, summary = item["title"], item["date"], item["summary"]
        assert item["tag"] == "A" and title["weight"] >= 600 and title["line"] == "none", item
        assert date["box"]["top"] >= title["box"]["bottom"] - 1, item
        assert date["size"] < title["size"] and date["color"] != title["color"], item
        assert _contrast(date["color"], item["page"]) >= 4.5, item
        assert item["chips"], item
        for chip in item["chips"]:
            assert chip["line"] == "none" and chip["box"]["height"] >= 24, item
            assert chip["background"] not in {"rgba(0, 0, 0, 0)", "transparent"}, item
        assert summary is not None and summary["weight"] < 600, item
        assert summary["box"]["top"] >= max(c["box"]["bottom"] for c in item["chips"]) - 1
        assert summary["color"] == date["color"], item


# -- "Skip to content" -----------------------------------------------------------------


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize(
    ("path", "title"),
    [
        (f"papers/{SURVEY}/", "Survey of Diffusion"),
        ("archive/undated/page/2/", "Undated (page 2 of 2)"),  # its ¶ link aside
        ("tags/surveys/", "Surveys and tutorials"),
    ],
    ids=["paper", "list-page-2", "topic"],
)
def test_skip_to_content_moves_focus_to_the_title(
    open_page: object, device: str, path: str, title: str
) -> None:
    """A paper's and a list's page alike: the skip link's target is the title's id, the
    same on every page outside the nav (its link is part of the chrome they share)."""
    page = open_page(path, DEVICES[device])  # type: ignore[operator]
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    target = page.evaluate("document.activeElement.hash")
    assert target == "#pa-title"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'pa-title'"
    )
    focused = page.evaluate(
        """() => { const e = document.activeElement, b = e.getBoundingClientRect();
                   const own = [...e.childNodes].filter(n => !n.classList?.contains('headerlink'));
                   return {tag: e.tagName, text: own.map(n => n.textContent).join(''),
                           top: b.top, inView: b.top >= 0 && b.top < innerHeight}; }"""
    )
    assert focused["tag"] == "H1" and focused["text"] == title
    assert focused["inView"], focused


def test_every_paper_and_list_pages_skip_link_has_a_target(site: Path) -> None:
    """On every built paper page and list page the skip link's fragment is an id of that
    page: its title's."""
    papers = sorted((site / "papers").glob("*/index.html"))
    assert len(papers) == UNDATED + IN_2023 + 4 * len(TOPICS)
    lists = [
        path
        for folder in ("tags", "archive")
        for path in sorted((site / folder).glob("**/index.html"))
        if path.parent != site / folder  # the Topics and Archive pages are in the nav
    ]
    assert {"archive/undated/page/2/index.html", "archive/2023/page/2/index.html"} <= {
        p.relative_to(site).as_posix() for p in lists
    }
    for path in papers + lists:
        html = with_chrome(path)  # the skip link is in the page's chrome
        (target,) = re.findall(r'<a href="#([^"]+)" class="md-skip">', html)
        assert target == "pa-title" and html.count(f'id="{target}"') == 1, path
        assert re.search(r'<h1[^>]* id="pa-title"', html), path


# -- search: nothing found, and no JavaScript ------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "2401.99999",
        "Vaswani",
        'Zyxwvu & "Qwertzu" <b onmouseover=alert(document.cookie)>Ünïcodé</b> ?#',
    ],
    ids=["arxiv-id", "surname", "hostile"],
)
def test_no_results_say_what_is_searched_and_offer_arxiv_and_scholar(
    open_page: object, url: str, query: str
) -> None:
    page = open_page("search/")  # type: ignore[operator]
    page.fill("#search-query", query)
    try:
        page.wait_for_function(
            "() => document.getElementById('search-status').textContent.startsWith('No papers match')",
            timeout=10_000,
        )
    except Exception:
        raise AssertionError(
            page.text_content("#search-status") + page.text_content("#search-results")
        ) from None
    status = page.text_content("#search-status")
    assert "titles, abstracts, authors, arXiv ids, topics and years" in status
    assert "protot" not in status
    page.wait_for_selector("#search-elsewhere a", state="visible")
    links = page.eval_on_selector_all(
        "#search-elsewhere a",
        "els => els.map(a => ({text: a.textContent, href: a.getAttribute('href'), rel: a.rel}))",
    )
    assert [link["text"] for link in links] == ["arXiv", "Google Scholar"]
    arxiv, scholar = (urlparse(link["href"]) for link in links)
    assert (arxiv.scheme, arxiv.netloc, arxiv.path) == ("https", "arxiv.org", "/search/")
    assert parse_qs(arxiv.query)["query"] == [query]
    assert (scholar.netloc, scholar.path) == ("scholar.google.com", "/scholar")
    assert parse_qs(scholar.query)["q"] == [query]
    assert not arxiv.fragment and not scholar.fragment  # "#" in the query is encoded
    assert all(link["rel"] == "noopener noreferrer" for link in links)
    assert page.locator("#search-elsewhere img").count() == 0
    assert page.errors == []  # type: ignore[attr-defined]
    # A query that finds papers hides the offer again.
    page.fill("#search-query", "diffusion")
    page.wait_for_selector("#search-results .pa-result")
    page.wait_for_selector("#search-elsewhere", state="hidden")


def test_without_javascript_the_search_page_says_it_needs_it(browser: object, url: str) -> None:
    """No "Loading the search index…" for good: the page says search needs JavaScript
    and offers the topic and date pages instead."""
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(f"{url}search/?q=diffusion")
        shown = page.inner_text("article")  # what is rendered: hidden elements left out
        links = page.eval_on_selector_all(
            ".pa-search__noscript a", "els => els.map(a => a.getAttribute('href'))"
        )
    finally:
        context.close()
    assert "Search runs in your browser and needs JavaScript." in shown
    assert "Loading" not in shown
    assert links == ["../tags/", "../archive/"]
