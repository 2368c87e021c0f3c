"""The header search on a phone and a desktop, in Chromium on the built seed site.

At 390 px wide, focusing the header box once widened it to 18rem and the page to 504 px:
the site title was pushed out and the result list cut off. The page must never scroll
sideways, on any page and in any state of the header search, and the result list must lie
inside the viewport.

With ``is_mobile`` Chromium widens the layout viewport to the content (``innerWidth``
grew to 504 with the page), so widths are compared with the device's width as well.
"""

from __future__ import annotations

import pytest

from .browser import DESKTOP, settled, type_in_header
from .browser import PHONE as PHONE_CONTEXT

pytestmark = pytest.mark.browser

PHONE = {**PHONE_CONTEXT, "device_scale_factor": 2}
PAGES = {
    "home": "",
    "paper": "papers/pointer-networks/",
    "tag": "tags/llms/",
    "search": "search/",
}


def overflow(page: object, width: int) -> str | None:
    """Why the page scrolls sideways, or None."""
    scroll, inner = page.evaluate(  # type: ignore[attr-defined]
        "[document.documentElement.scrollWidth, innerWidth]"
    )
    if scroll > inner or scroll > width or inner > width:
        return f"scrollWidth {scroll}, innerWidth {inner}, device width {width}"
    return None


def outside_viewport(page: object, selector: str, width: int, height: int) -> str | None:
    box = page.locator(selector).bounding_box()  # type: ignore[attr-defined]
    assert box is not None, f"{selector} is not rendered"
    if box["x"] < 0 or box["y"] < 0 or box["x"] + box["width"] > width:
        return f"{selector} at {box} is outside the {width} × {height} viewport"
    if box["y"] + box["height"] > height:
        return f"{selector} at {box} runs below the {width} × {height} viewport"
    return None


def walk_header_search(page: object, base_url: str, path: str, device: dict) -> list[str]:
    """Load ``path``, tap the header box, type, then tap the page: what went wrong."""
    width, height = device["viewport"]["width"], device["viewport"]["height"]
    touch = device.get("has_touch", False)
    problems: list[str] = []

    def check(state: str, *visible: str) -> None:
        if why := overflow(page, width):
            problems.append(f"{path or 'home'}, {state}: {why}")
        for selector in visible:
            if why := outside_viewport(page, selector, width, height):
                problems.append(f"{path or 'home'}, {state}: {why}")

    page.goto(base_url + path)  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    check("loaded", ".md-header__title", "#pa-header-q")
    tap = page.tap if touch else page.click  # type: ignore[attr-defined]
    tap("#pa-header-q")
    on_search_page = path.startswith("search/")
    box = "#search-query" if on_search_page else "#pa-header-q"
    page.wait_for_function(f"() => document.activeElement.matches('{box}')")  # type: ignore[attr-defined]
    settled(page)
    check("box focused", box)
    results = "#search-results" if on_search_page else "#pa-header-results"
    if on_search_page:
        page.keyboard.type("learning")  # type: ignore[attr-defined]
        page.wait_for_selector(f"{results} .pa-result__link", state="visible")  # type: ignore[attr-defined]
    else:
        type_in_header(page, "learning")
    settled(page)
    if on_search_page:
        check("typed", box)
    else:
        check("typed", box, results)
        page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
        check("result chosen", box, results)
        # A tap on the page's margin, below the list, closes it.
        if touch:
            page.touchscreen.tap(5, height - 5)  # type: ignore[attr-defined]
        else:
            page.mouse.click(5, height - 5)  # type: ignore[attr-defined]
        page.wait_for_selector(results, state="hidden")  # type: ignore[attr-defined]
        settled(page)
        check("closed", ".md-header__title", "#pa-header-q")
        if not page.locator(".md-header__title").is_visible():  # type: ignore[attr-defined]
            problems.append(f"{path or 'home'}, closed: the site title is hidden")
    return problems


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_header_search_never_scrolls_sideways(
    browser: object, base_url: str, device: dict, name: str
) -> None:
    context = browser.new_context(**device)  # type: ignore[attr-defined]
    try:
        problems = walk_header_search(context.new_page(), base_url, PAGES[name], device)
    finally:
        context.close()
    assert problems == []


def test_phone_header_box_takes_the_header_while_searching(browser: object, base_url: str) -> None:
    """On a phone the focused box spans the header (over the title), 16 px text (iOS
    zooms into smaller inputs), and the result list spans the viewport below it."""
    context = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(f"{base_url}tags/")
        before = page.locator("#pa-header-q").bounding_box()
        assert before["width"] < 200  # a small box beside the title
        page.tap("#pa-header-q")
        type_in_header(page, "graph")
        settled(page)
        box = page.locator("#pa-header-q").bounding_box()
        assert box["width"] >= 390 - 2 * 12, box
        assert (
            page.evaluate(
                "parseFloat(getComputedStyle(document.getElementById('pa-header-q')).fontSize)"
            )
            >= 16
        )
        panel = page.locator("#pa-header-results").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390, panel
        assert panel["width"] >= 390 - 2 * 12, panel
        assert panel["y"] >= box["y"] + box["height"]  # below the box, not over it
        assert overflow(page, 390) is None
    finally:
        context.close()
