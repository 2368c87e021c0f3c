"""Smaller pages, the same page (issue 20; paper_archive/site/slim.py, plugin/page_size.py).

The paper page of a build with the size hook is compared with the page of the same
archive built without it: the same pixels in Chromium (desktop and phone, light and
dark), with the theme's icons drawn from the sprite, and the indentation gone.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paper_archive.site import stylesheet
from paper_archive.site.slim import collapse_whitespace, sprite, use_icons, without_generator
from playwright.sync_api import Browser

from .browser import serve
from .chrome_node import with_chrome
from .sitebuild import build_site, chrome_in_every_page, hook_variant, make_site, paper

D = dt.date
PAPERS = [
    paper(
        "Pointer Networks for $\\alpha$-Sorting",
        published=D(2015, 6, 9),
        tags=("llms",),
        abstract="We sort with $O(n \\log n)$ pointers. A second sentence.",
        authors=("Oriol Vinyals", "Meire Fortunato"),
        arxiv="1506.03134",
    ),
    paper("Another Paper", published=D(2016, 1, 2), tags=("llms",)),
]
SLUG = "pointer-networks-for-alpha-sorting"


# -- pure ------------------------------------------------------------------------------


def test_collapse_whitespace_keeps_pre_and_script() -> None:
    html = (
        "<div>\n    <p>\n      a  b\n    </p>\n\n  \n"
        "<pre><code>  x\n    y\n</code></pre>\n  <script>\n  var s = 1;\n</script>\n  </div>"
    )
    assert collapse_whitespace(html) == (
        "<div>\n<p>\na  b\n</p>\n<pre><code>  x\n    y\n</code></pre>\n"
        "<script>\n  var s = 1;\n</script>\n</div>"
    )


def test_use_icons_replaces_only_the_sprites_icons() -> None:
    menu = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18"/></svg>'
    other = '<svg viewBox="0 0 8 8"><path d="M1 1"/></svg>'
    icons = sprite({"material/menu": menu + "\n"})
    assert '<symbol id="material-menu" viewBox="0 0 24 24"><path d="M3 6h18"/></symbol>' in (
        icons.text
    )
    assert re.fullmatch(r"assets/icons\.[0-9a-f]{12}\.svg", icons.path)
    page = f"<a>{menu}</a><b>{other}</b><i>{menu}</i>"
    out = use_icons(page, icons, href="../../x.svg")
    use = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><use href="../../x.svg#material-menu"/></svg>'
    assert out == f"<a>{use}</a><b>{other}</b><i>{use}</i>"


def test_without_generator_takes_the_heads_tag_alone() -> None:
    tag = '<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">'
    page = f"<head>\n<meta charset=utf-8>\n{tag}\n<title>T</title>\n</head><p>{tag}</p>"
    assert without_generator(page) == (
        f"<head>\n<meta charset=utf-8>\n<title>T</title>\n</head><p>{tag}</p>"
    )
    body_only = f"<head><title>T</title></head><p>{tag}</p>"
    assert without_generator(body_only) == body_only  # a paper's text is never cut
    assert without_generator("<p>no head</p>") == "<p>no head</p>"


# -- built, and in Chromium ------------------------------------------------------------


def _build(root: Path, *, slim: bool) -> Path:
    make_site(root, PAPERS)
    if not slim:  # the one hook, its object made without the page-size part
        hook_variant(root, "slim=False")
        chrome_in_every_page(root)  # and the chrome in the page
        (root / "overrides/partials/actions.html").unlink()  # Material's edit button
    return build_site(root)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("page-size")
    return _build(base / "before", slim=False), _build(base / "after", slim=True)


def _page(site: Path) -> str:
    return (site / "papers" / SLUG / "index.html").read_text(encoding="utf-8")


def test_icons_leave_the_page_for_one_file(sites: tuple[Path, Path]) -> None:
    before, after = sites
    old, new = _page(before), _page(after)
    assert old.count("<path") >= 8  # Material inlines the icons
    assert '<meta name="generator"' in old and 'name="generator"' not in new
    assert "<path" not in new  # all of them now in the sprite
    # The icons' references are in the chrome the page shares (site/chrome.py).
    hrefs = set(
        re.findall(r'<use href="([^"#]+)#', with_chrome(after / "papers" / SLUG / "index.html"))
    )
    (href,) = hrefs
    assert href.startswith("../../assets/icons.") and (after / "papers" / SLUG / href).is_file()
    assert len(new) < len(old) - 7_000  # icons, indentation, palette script: ~8 KB of 20 KB
    assert not re.search(r"\n[ \t]", new.split("<pre", 1)[0])


_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def _links(html: str) -> list[str]:
    return _LINK.findall(html.split("</head>", 1)[0])


def test_the_pages_stylesheets_are_one_file_in_their_order(sites: tuple[Path, Path]) -> None:
    """Four links before (Material's two, mkdocs.yml's extra_css), one after: to a
    file of the site holding the four joined in the page's order (site/stylesheet.py),
    each still in the site. The 404 page keeps its four (a theme template)."""
    before, after = sites
    folder = before / "papers" / SLUG
    old = _links(_page(before))
    assert [re.sub(r"\.[0-9a-f]{8}\.", ".#.", href) for href in old] == [
        "../../assets/stylesheets/main.#.min.css",
        "../../assets/stylesheets/palette.#.min.css",
        "../../assets/vendor/katex/katex.min.css",
        "../../assets/archive.css",
    ]
    (href,) = _links(_page(after))
    joined = (after / "papers" / SLUG / href).resolve()
    assert joined.is_file() and joined.relative_to(after).as_posix() == stylesheet.PATH
    sheets = [
        ((folder / h).resolve().relative_to(before).as_posix(), (folder / h).read_text("utf-8"))
        for h in old
    ]
    expected = stylesheet.combine(sheets)
    assert expected is not None and joined.read_text(encoding="utf-8") == expected.text
    assert all((after / path).is_file() for path, _ in sheets)
    assert _links((after / "index.html").read_text(encoding="utf-8")) == [stylesheet.PATH]
    not_found = (after / "404.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<link rel="stylesheet" href="/assets/', not_found)) == 4


@pytest.fixture(scope="module")
def servers(sites: tuple[Path, Path]) -> Iterator[tuple[str, str]]:
    before, after = sites
    with serve(before) as old, serve(after) as new:
        yield old, new


def _shot(browser: Browser, url: str, *, width: int, scheme: str) -> bytes:
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme="dark" if scheme == "slate" else "light",
    )
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.wait_for_function("() => document.querySelectorAll('.katex').length >= 1")
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        page.wait_for_load_state("networkidle")  # KaTeX's fonts
        # The page as it settles: two shots in a row alike (the sprite's icons and the
        # scripts' late changes land on their own time on a loaded machine).
        previous = None
        for _ in range(20):
            shot = page.screenshot(full_page=True, animations="disabled")
            if shot == previous:
                return shot
            previous = shot
        raise AssertionError(f"{url}: the page never settled")
    finally:
        context.close()


_COMPARE = """async ([a, b, faint, strong]) => {
    const load = async data => createImageBitmap(
        await (await fetch('data:image/png;base64,' + data)).blob());
    const [one, two] = await Promise.all([load(a), load(b)]);
    if (one.width !== two.width || one.height !== two.height)
        return {size: [[one.width, one.height], [two.width, two.height]], faint: -1, strong: -1};
    const pixels = image => {
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height).data;
    };
    const [p, q] = [pixels(one), pixels(two)];
    let faintCount = 0, strongCount = 0;
    for (let i = 0; i < p.length; i += 4) {
        const d = Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]),
                           Math.abs(p[i + 2] - q[i + 2]), Math.abs(p[i + 3] - q[i + 3]));
        if (d > strong) strongCount += 1; else if (d > faint) faintCount += 1;
    }
    return {size: true, faint: faintCount, strong: strongCount};
}"""


def _differences(browser: Browser, before: bytes, after: bytes) -> dict[str, object]:
    """How many pixels of two screenshots differ, faintly (by 1 to 48 levels in some
    channel) or strongly (by more), counted by Chromium's own image decoder."""
    context = browser.new_context()
    try:
        page = context.new_page()
        encoded = [base64.b64encode(shot).decode("ascii") for shot in (before, after)]
        result: dict[str, object] = page.evaluate(_COMPARE, [*encoded, 0, 48])
        return result
    finally:
        context.close()


@pytest.mark.browser
def test_differences_sees_a_pixel_change(browser: Browser) -> None:
    """The comparison itself: equal shots have no differences; an icon's worth of
    pixels changed strongly is seen; a different size is seen."""
    context = browser.new_context(viewport={"width": 200, "height": 100})
    try:
        page = context.new_page()
        page.set_content("<body style='margin:0;background:#fff'></body>")
        blank = page.screenshot()
        page.set_content(
            "<body style='margin:0;background:#fff'>"
            "<div style='margin:40px;width:10px;height:10px;background:#3f51b5'></div></body>"
        )
        square = page.screenshot()
        page.set_viewport_size({"width": 201, "height": 100})
        wider = page.screenshot()
    finally:
        context.close()
    assert _differences(browser, blank, blank) == {"size": True, "faint": 0, "strong": 0}
    assert _differences(browser, blank, square)["strong"] == 100
    assert _differences(browser, blank, wider)["size"] is not True


@pytest.mark.browser
@pytest.mark.parametrize(
    ("width", "scheme"), [(1280, "default"), (1280, "slate"), (390, "default")]
)
def test_paper_page_looks_the_same(
    browser: Browser, servers: tuple[str, str], width: int, scheme: str
) -> None:
    old, new = servers
    path = f"papers/{SLUG}/"
    before = _shot(browser, old + path, width=width, scheme=scheme)
    after = _shot(browser, new + path, width=width, scheme=scheme)
    differences = _differences(browser, before, after)
    # The same pixels, up to the antialiasing of an icon's edge: Chromium rasterises a
    # sprite's <use> and the inline path it replaces a few levels apart now and then
    # (one icon's edge, at most 18 levels measured). A missing or moved icon, or a line
    # of text a pixel off, changes many pixels by far more.
    assert differences["size"] is True, differences
    assert differences["strong"] == 0, differences
    assert differences["faint"] <= 200, differences


_STYLES = """() => {
    const sheets = [...document.styleSheets];
    return {
        links: sheets.filter(sheet => sheet.href).map(sheet => new URL(sheet.href).pathname),
        rules: sheets.reduce((count, sheet) => count + sheet.cssRules.length, 0),
        katex: [...document.fonts].filter(face => face.family.includes('KaTeX'))
            .map(face => [face.family.replaceAll('"', ''), face.style, face.weight, face.status])
            .sort(),
    };
}"""
_KATEX_MAIN_SETTLED = """() => [...document.fonts].some(face =>
    face.family.includes('KaTeX_Main') && !['unloaded', 'loading'].includes(face.status))"""


def _styles(browser: Browser, url: str) -> tuple[dict[str, Any], list[str]]:
    """The page's stylesheets (their paths and rules) and KaTeX's font faces, once the
    math is rendered and its main face has loaded or failed; and every request that
    failed or was answered with an error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    try:
        page = context.new_page()
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on(
            "response",
            lambda response: (
                failed.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        page.goto(url, wait_until="networkidle")
        page.wait_for_function("() => document.querySelectorAll('.katex').length >= 1")
        page.wait_for_function(_KATEX_MAIN_SETTLED)
        page.wait_for_load_state("networkidle")
        styles: dict[str, Any] = page.evaluate(_STYLES)
        return styles, failed
    finally:
        context.close()


@pytest.mark.browser
def test_the_one_stylesheet_holds_every_rule_and_katexs_fonts_load(
    browser: Browser, servers: tuple[str, str]
) -> None:
    """In Chromium: the page loads one stylesheet, parsed into as many rules as the
    four it replaces (a misplaced ``@charset``, a sheet left open or a lost sheet
    would drop some), every request answered (a font URL not rewritten is a 404) and
    KaTeX's faces loaded as before (the pixels: test_paper_page_looks_the_same)."""
    old, new = servers
    path = f"papers/{SLUG}/"
    (before, _), (after, failed) = _styles(browser, old + path), _styles(browser, new + path)
    assert len(before["links"]) == 4, before["links"]
    assert after["links"] == [f"/{stylesheet.PATH}"], after["links"]
    assert after["rules"] == before["rules"] > 1000
    assert failed == []
    loaded = [face for face in after["katex"] if face[-1] == "loaded"]
    assert any(face[0] == "KaTeX_Main" for face in loaded), after["katex"]
    assert after["katex"] == before["katex"]


@pytest.mark.browser
def test_sprite_icons_are_drawn(browser: Browser, servers: tuple[str, str]) -> None:
    """Each icon now a <use> has the size and a painted box as before (the sprite is
    fetched and its symbol found: an unresolved <use> paints nothing)."""
    _, new = servers
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{new}papers/{SLUG}/", wait_until="networkidle")
        boxes = page.eval_on_selector_all(
            "svg use",
            """uses => uses.filter(u => u.ownerSVGElement.getClientRects().length > 0)
                 .map(u => { const b = u.getBBox();
                             return [u.getAttribute('href'), b.width > 0 && b.height > 0]; })""",
        )
    finally:
        context.close()
    # Shown at this width: logo, palette toggle, repository, (top button: hidden); the
    # edit button's icon is archive.css's (overrides/partials/actions.html).
    assert len(boxes) >= 3, boxes
    assert all(painted for _, painted in boxes), boxes


@pytest.mark.browser
def test_the_cite_blocks_copy_button_says_it_copied(
    browser: Browser, servers: tuple[str, str]
) -> None:
    """Material's copy button on the Cite block, with the slimmer ``__config`` (no
    search strings): a click copies the BibTeX and the theme's dialog says so in the
    words the config carries."""
    _, new = servers
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{new}papers/{SLUG}/", wait_until="networkidle")
        page.locator("pre.pa-cite").hover()
        page.locator('pre.pa-cite button[data-md-type="copy"]').click()
        dialog = page.locator(".md-dialog__inner")
        dialog.wait_for(state="visible")
        assert dialog.inner_text().strip() == "Copied to clipboard"
        assert errors == []
    finally:
        context.close()


_SCHEME_WHEN_MAIN_IS_PARSED = """
new MutationObserver((records, observer) => {
    if (document.querySelector('main') && window.__schemeAtMain === undefined) {
        window.__schemeAtMain = document.body.getAttribute('data-md-color-scheme');
        observer.disconnect();
    }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.browser
def test_the_palette_a_reader_chose_is_set_before_the_content(
    browser: Browser, servers: tuple[str, str]
) -> None:
    """The palette script, now a file the header loads: a reader who chose dark on one
    page gets the next page dark from its header on, before its content is parsed
    (no light flash), as with the inline script it replaced."""
    _, new = servers
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    try:
        page = context.new_page()
        page.add_init_script(_SCHEME_WHEN_MAIN_IS_PARSED)
        page.goto(f"{new}papers/{SLUG}/", wait_until="load")
        html = page.content()
        assert re.search(
            r'<script src="\.\./\.\./assets/palette\.[0-9a-f]{12}\.js"></script>', html
        )
        assert "var palette=" not in html
        assert page.evaluate("window.__schemeAtMain") == "default"
        page.click('label[title="Switch to dark mode"]')
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.goto(f"{new}papers/another-paper/", wait_until="load")
        assert page.evaluate("window.__schemeAtMain") == "slate"
    finally:
        context.close()
