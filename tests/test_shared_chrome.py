"""Paper and list pages' chrome in shared files, written in place as the page is parsed
(issue 20; paper_archive/site/chrome.py, plugin/page_size.py ``shared_chrome``).

One small archive built twice: as the site is, and with ``shared_chrome: false`` in
mkdocs.yml (the blocks in the page, as before); ten papers to a list page, so that a
topic and the undated papers have a page 2. The chrome files are run by Node
(tests/chrome_node.py: the page's text as the parser reads it, byte for byte) and by
Chromium (the document of a paper page, a topic's pages 1 and 2 and the undated list,
at desktop and phone sizes, light and dark; with scripts off, the article still set in
the theme's type). A hostile title is data in the call.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.record.slugs import base_slug
from paper_archive.site import chrome
from paper_archive.site.shared_blocks import SharedBlocks
from paper_archive.site.slim import collapse_whitespace
from playwright.sync_api import Browser

from . import test_page_size
from .browser import DESKTOP, PHONE, serve
from .chrome_node import CHROME_SRC, with_chrome
from .sitebuild import build_site, chrome_in_every_page, make_site, paper, site_files

D = dt.date
HOSTILE = "</script><script>alert(1)</script> \"Quoted\" & 'single' x²"
#: Papers on a list page (``per_page``, its least): the fixture's lists have a page 2.
PER_PAGE = 10
#: The page-size test's papers (one with math, KaTeX's), a hostile title, a noted one;
#: undated papers with math in their titles, in two topics, a list page and more.
PAPERS = [
    *test_page_size.PAPERS,
    paper(HOSTILE, published=D(2017, 3, 4), tags=("llms",)),
    paper("A Noted Paper", published=D(2018, 5, 6), tags=("llms", "surveys")),
    *(
        paper(f"Undated Survey of $x_{{{n}}}$ Number {n}", tags=("llms", "surveys"))
        for n in range(PER_PAGE + 1)
    ),
]
POINTER = f"papers/{test_page_size.SLUG}/index.html"
NOTED = "papers/a-noted-paper/index.html"
#: List pages the fixture has (every topic of the vocabulary has one, empty or not).
LISTS = (
    "tags/llms/index.html",
    "tags/llms/page/2/index.html",
    "tags/surveys/page/2/index.html",
    "archive/2015/index.html",
    "archive/undated/index.html",
    "archive/undated/page/2/index.html",
)


def _list_kind(name: str) -> tuple[str, int] | None:
    """A list page's chrome, as pages share it: a topic's first pages share one file,
    its later pages another (two folders deeper), and so do a year's and the undated
    list's (their relative links to the nav differ from a topic's). None for a page
    that is not a list's (the Topics and Archive pages are in the nav)."""
    parts = name.split("/")
    if parts[0] not in ("tags", "archive") or len(parts) < 3 or parts[-1] != "index.html":
        return None
    return parts[0], len(parts)


# -- pure ------------------------------------------------------------------------------

_TEXT = st.text(alphabet="ab \n\t", max_size=12)


@given(st.lists(st.tuples(_TEXT, _TEXT, st.none() | _TEXT), max_size=4), _TEXT)
def test_the_cut_page_is_the_page_collapse_whitespace_makes_without_marks(
    blocks: list[tuple[str, str, str | None]], last: str
) -> None:
    """Marks stop the whitespace pass from merging a run across them: the cut gives
    back what the pass makes of the page without them."""
    marked = "".join(
        before
        + chrome.opening("tabs")
        + (block if value is None else f"{block}{chrome.VALUE}{value}{chrome.VALUE}{block}")
        + chrome.CLOSE
        for before, block, value in blocks
    )
    marked += last
    cut = chrome.split(collapse_whitespace(marked))
    expected = collapse_whitespace(chrome.unmarked(marked))
    if not blocks:
        assert cut is None
        return
    assert cut is not None and chrome.join(cut) == expected
    assert 1 <= len(cut.parts) == len(cut.values) == len(cut.pieces) - 1 <= len(blocks)
    # Blocks with only whitespace between them are one part (one call), unless each
    # has a value of its own.
    for at, between in enumerate(cut.pieces[1:-1]):
        both = isinstance(cut.parts[at], tuple) and isinstance(cut.parts[at + 1], tuple)
        assert between.strip(" \t\r\n") or both, cut


def test_the_body_before_its_first_block_and_the_theme_after_the_content_go_with_blocks() -> None:
    def block(name: str, html: str) -> str:
        return f"{chrome.opening(name)}{html}{chrome.CLOSE}"

    page = (
        '<head><title>T</title></head>\n<body dir="ltr">\n<input id="t">\n'
        + block("header", "<header>h</header>")
        + "\n<main>the page's own</main>\n"
        + chrome.CONTENT_END
        + "\n<button>top</button>\n"
        + block("footer", "<footer>f</footer>")
        + "\n</div><div class=dialog></div>\n"
        + block("config", "<script>c</script>")
        + "\n</body>"
    )
    cut = chrome.split(page)
    assert cut is not None
    assert cut.pieces == (
        '<head><title>T</title></head>\n<body dir="ltr">\n',
        "\n<main>the page's own</main>\n",
        "\n</body>",
    )
    assert cut.parts == (  # the footer and the config, nothing between them: one part
        '<input id="t">\n<header>h</header>',
        "<button>top</button>\n<footer>f</footer>\n</div><div class=dialog></div>\n"
        "<script>c</script>",
    )
    assert chrome.join(cut) == collapse_whitespace(chrome.unmarked(page))


def test_blocks_are_marked_only_when_chrome_and_shared() -> None:
    shared = SharedBlocks(chrome=frozenset({"tabs", "header"}))
    assert shared("tabs", caller=lambda: "<nav>") == f"{chrome.opening('tabs')}<nav>{chrome.CLOSE}"
    assert shared("tabs", caller=lambda: "<x>") == f"{chrome.opening('tabs')}<nav>{chrome.CLOSE}"
    assert shared("styles", caller=lambda: "<link>") == "<link>"  # not chrome
    meta = {"title": "T"}

    def header() -> str:
        return f"<h>{meta['title']}</h>"

    assert shared.around(meta, "title", "header", caller=header) == (
        f"{chrome.opening('header')}<h>{chrome.VALUE}T{chrome.VALUE}</h>{chrome.CLOSE}"
    )
    meta["title"] = "a\0b"  # a value with a NUL is never cut at
    assert shared.around(meta, "title", "header", caller=header) == "<h>a\0b</h>"
    # Past the limit a block is in place, unmarked: it may print what only its page has.
    full = SharedBlocks(chrome=frozenset({"tabs", "header"}), limit=0)
    assert full("tabs", caller=lambda: "<nav>") == "<nav>"
    assert full.around(meta, "title", "header", caller=header) == "<h>a\0b</h>"


def test_a_chrome_file_is_named_by_its_parts() -> None:
    one, same = (
        chrome.chrome_file(("<a>", ("<b>", "</b>"))),
        chrome.chrome_file(("<a>", ("<b>", "</b>"))),
    )
    other = chrome.chrome_file(("<a>",))
    assert one == same and one.path != other.path
    assert re.fullmatch(r"assets/chrome\.[0-9a-f]{12}\.js", one.path)


def test_the_head_script_is_cut_and_written_back_where_it_stood() -> None:
    scope = '<script>__md_scope=new URL("../..",location),__md_hash=e=>(e<<5)-e</script>'
    page = (
        f"<html><head>\n<link>\n{scope}\n<meta>\n</head>\n<body>\n"
        f"{chrome.opening('header')}<header>{chrome.CLOSE}\n<main>\n</body></html>"
    )
    cut = chrome.split(page)
    assert cut is not None and cut.head == scope and scope not in "".join(cut.pieces)
    assert chrome.join(cut) == chrome.unmarked(page)
    made = chrome.chrome_file(cut.parts, cut.head)
    assert made != chrome.chrome_file(cut.parts) and cut.key == (scope, cut.parts, None)
    out = chrome.externalize(cut, head_script="<script src=c.js></script>")
    assert out.startswith("<html><head>\n<link>\n<script src=c.js></script>\n<meta>\n</head>")
    # Without Material's head script, the file's element goes last in <head>.
    plain = chrome.split(page.replace(scope, ""))
    assert plain is not None and plain.head == "" and plain.head_at == -1
    assert "<script src=c.js></script></head>" in chrome.externalize(
        plain, head_script="<script src=c.js></script>"
    )


@pytest.mark.parametrize(
    ("raw", "value", "suffix"),
    [
        ("Pointer Networks - Paper Archive", "Pointer Networks", " - Paper Archive"),
        # Escaped as html.escape escapes: read back and escaped again, the same.
        (
            "A &amp; B &lt;x&gt; &quot;q&quot; &#x27;s&#x27; - S",
            "A &amp; B &lt;x&gt; &quot;q&quot; &#x27;s&#x27;",
            " - S",
        ),
        # Escaped another way (&#39;): read back it would be &#x27;, so the page keeps it.
        ("it&#39;s - S", "it&#39;s", None),
        # Whitespace the browser folds: not the value either.
        ("two  spaces - S", "two  spaces", None),
        ("other - S", "not the start", None),
    ],
)
def test_the_headers_title_is_read_back_from_the_page_title_only_when_it_is_the_same(
    raw: str, value: str, suffix: str | None
) -> None:
    head = f"<head><title>{raw}</title></head><body>"
    assert chrome.readable_title(head, value) == suffix
    assert chrome.readable_title("<head></head>", value) is None


# -- built -----------------------------------------------------------------------------


def _build(root: Path, *, shared: bool) -> Path:
    make_site(root, PAPERS)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("    per_page: 100 ") == 1, "mkdocs.yml no longer states per_page"
    config.write_text(text.replace("    per_page: 100 ", f"    per_page: {PER_PAGE} "), "utf-8")
    noted = root / "docs" / "papers" / "a-noted-paper.md"  # a table of contents of its own
    noted.write_text(
        noted.read_text(encoding="utf-8") + "\n\n## Notes\n\nA note.\n\n### A detail\n\nMore.\n",
        encoding="utf-8",
    )
    if not shared:
        chrome_in_every_page(root)
    return build_site(root)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("chrome")
    return _build(base / "in-page", shared=False), _build(base / "shared", shared=True)


def test_node_writes_back_every_page_byte_for_byte(sites: tuple[Path, Path]) -> None:
    """Each paper and list page, its chrome file run by Node, is the page built without
    it; every other file is the same, and the only new files are the chrome files: one
    for the papers alike, one for the paper whose table of contents is its own, and one
    for each kind of list page (:func:`_list_kind`), however many topics and years."""
    before, after = sites
    old, new = site_files(before), site_files(after)
    made = sorted(name for name in new if name not in old)
    assert all(re.fullmatch(r"assets/chrome\.[0-9a-f]{12}\.js", m) for m in made)
    assert set(old) <= set(new)
    pages = [name for name in old if name.startswith("papers/") and name.endswith("/index.html")]
    assert len(pages) == len(PAPERS)
    lists = [name for name in old if _list_kind(name)]
    assert set(LISTS) <= set(lists) and len(lists) > len(LISTS)
    files: dict[str, str] = {}
    for name in old:
        if name in pages or name in lists:
            src = CHROME_SRC.search(new[name].decode())
            assert src, name
            files[name] = src[1].rsplit("/", 1)[1]
            assert with_chrome(after / name) == old[name].decode(), name
            # Material's head script left the page; the file's element stands in its place.
            scope = chrome.HEAD_SCRIPT.search(old[name].decode())
            assert scope and "__md_scope" not in new[name].decode(), name
            assert new[name].decode()[: src.start()] == old[name].decode()[: scope.start()]
            assert len(new[name]) < len(old[name]) - 6_000, name  # the chrome: ~7 KB a page
        elif name != "sitemap.xml.gz":
            assert new[name] == old[name], name
    # List pages alike share a file: one a kind, the papers' apart.
    kinds: dict[object, set[str]] = {}
    for name in lists:
        kinds.setdefault(_list_kind(name), set()).add(files[name])
    assert len(kinds) == 4 and all(len(names) == 1 for names in kinds.values()), kinds
    assert len(set().union(*kinds.values()) | {files[p] for p in pages}) == len(made) == 6
    noted = with_chrome(after / NOTED)
    assert 'href="#pa-body-a-detail"' in noted  # its own table of contents
    assert 'href="#pa-body-a-detail"' not in with_chrome(after / POINTER)
    # A list page's title is its own: read back from its <title> (chrome.readable_title)
    # into the header the call writes.
    page_2 = new["tags/llms/page/2/index.html"].decode()
    assert "<script>__pa_chrome(0)</script>" in page_2
    header = with_chrome(after / "tags/llms/page/2/index.html").split("</header>")[0]
    assert "Large language models (page 2 of 2)" in header.split('class="md-header"')[1]


def test_past_the_limit_a_page_keeps_its_chrome(
    sites: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, _ = sites
    monkeypatch.setattr(chrome, "LIMIT", 1)
    site = _build(tmp_path / "limited", shared=True)
    made = list((site / "assets").glob("chrome.*.js"))
    assert len(made) == 1
    built = (p.relative_to(site).as_posix() for p in site.glob("**/index.html"))
    pages = {name for name in built if name.startswith("papers/") or _list_kind(name)}
    shared = {name for name in pages if CHROME_SRC.search((site / name).read_text("utf-8"))}
    # Whichever chrome came first has the one file: the noted paper's, the other
    # papers', or one kind of list page's; every other page keeps its chrome in place.
    papers = {name for name in pages if name.startswith("papers/")}
    kinds = {_list_kind(name) for name in pages} - {None}
    alike = [{n for n in pages if _list_kind(n) == kind} for kind in kinds]
    assert shared in [{NOTED}, papers - {NOTED}, *alike], shared
    for name in pages - shared:
        assert (site / name).read_text(encoding="utf-8") == (before / name).read_text("utf-8")


# -- in Chromium -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(sites: tuple[Path, Path]) -> Iterator[tuple[str, str]]:
    before, after = sites
    with serve(before) as old, serve(after) as new:
        yield old, new


_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: True once KaTeX has rendered every formula of the page (math.js loads it on a page
#: that has one).
_MATH_DONE = (
    "() => [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex'))"
)


def _document(
    browser: Browser, base: str, path: str, options: dict[str, object]
) -> tuple[str, list[str]]:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_function("() => document.querySelectorAll('.katex').length >= 1")
        page.wait_for_function(_MATH_DONE)
        # The document as it settles: the same twice, two frames apart (Material's
        # scripts set the sidebar's offset and the header's shadow on their own time).
        html = None
        for _ in range(20):
            page.evaluate(_TWO_FRAMES)
            now = page.evaluate("document.documentElement.outerHTML")
            if now == html:
                return CHROME_SRC.sub("", now).replace(base, "SERVER/"), errors
            html = now
        raise AssertionError(f"{base + path}: the document never settled")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        POINTER.removesuffix("index.html"),
        "tags/llms/",
        "tags/llms/page/2/",
        "archive/undated/",
    ],
    ids=["paper", "topic", "topic-page-2", "undated"],
)
def test_chromium_makes_the_same_document(
    browser: Browser, servers: tuple[str, str], size: str, scheme: str, path: str
) -> None:
    """The document once the page has loaded, Material's scripts run (the sidebar's
    offset, the palette from the reader's scheme, KaTeX): the same, but for the chrome
    file's element, with no error."""
    options = {**(DESKTOP if size == "desktop" else PHONE), "color_scheme": scheme}
    old, new = servers
    before, errors_before = _document(browser, old, path, options)
    after, errors_after = _document(browser, new, path, options)
    assert errors_before == errors_after == []
    assert after == before
    assert '<header class="md-header' in after and "__pa_chrome" not in after
    assert 'id="pa-title"' in after and 'href="#pa-title" class="md-skip"' in after


@pytest.mark.browser
def test_a_hostile_title_is_shown_and_runs_nothing(
    browser: Browser, servers: tuple[str, str]
) -> None:
    _, new = servers
    context = browser.new_context(**DESKTOP)
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{new}papers/{base_slug(HOSTILE)}/", wait_until="networkidle")
        topic = page.locator('[data-md-component="header-topic"]').inner_text()
        assert " ".join(topic.split()) == " ".join(HOSTILE.split())
        assert page.locator("h1").inner_text() == HOSTILE
        assert dialogs == []
    finally:
        context.close()


@pytest.mark.browser
def test_without_scripts_the_article_keeps_its_type(
    browser: Browser, servers: tuple[str, str]
) -> None:
    """A reader or crawler that runs no script gets the article, in the theme's type as
    before; what it does not get is the header, tabs and drawer (docs/deploy.md)."""
    url = POINTER.removesuffix("index.html")
    styles = []
    for base in servers:
        context = browser.new_context(**DESKTOP, java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(base + url, wait_until="networkidle")
            heading = page.locator("h1#pa-title")
            assert heading.is_visible()
            styles.append(
                heading.evaluate(
                    "h => { const s = getComputedStyle(h); "
                    "return [s.fontFamily, s.fontSize, s.fontWeight, s.color]; }"
                )
            )
            assert page.locator("section[aria-label=Abstract]").is_visible()
        finally:
            context.close()
    assert styles[0] == styles[1]
