"""Accessibility of the built seed site, checked in Chromium with axe-core (WCAG 2.1 A/AA).

axe-core is a test-only asset: pinned and checksummed in scripts/vendor.lock.json's
"test-only" section, copied into tests/vendor/ (never into docs/), and injected into the
served pages with Playwright. Every page a reader meets is checked in Material's light
and dark palettes (dark chosen with the palette toggle, as a reader does), with the
header's result list open, and the search page at phone size too. Besides axe: screen
reader semantics of the two search boxes, the result count in a live region, tap targets
of at least 24 × 24 px, and a visible focus on the search boxes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from . import CORPUS, REPO
from .browser import settled, type_in_header

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
MIN_TARGET_PX = 24


def _math_paper_slug() -> str:
    """A seed paper whose title has TeX math (`$…$`)."""
    for path in sorted((CORPUS / "docs" / "papers").glob("*.md")):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        if re.search(r"^title:.*\$", head, re.MULTILINE):
            return path.stem
    raise AssertionError("no seed paper with math in its title")


MATH_PAPER = _math_paper_slug()
PAGES = {
    "home": "",
    "topics": "tags/",
    "tag": "tags/computer-vision/",  # two pages: has the pager
    "archive": "archive/",
    "year": "archive/2024/",
    "undated": "archive/undated/",
    "math paper": f"papers/{MATH_PAPER}/",
    "contribute": "contribute/",
    "search results": "search/?q=learning",
}


@pytest.fixture
def open_page(browser: object, base_url: str) -> Iterator[Callable[..., object]]:
    """Opens the home page in a fresh context whose palette is ``scheme`` ("default" or
    "slate"), picked with Material's palette toggle as a reader does (the choice is
    remembered for later pages). Contexts close after the test."""
    contexts: list[object] = []

    def opener(scheme: str, **context: object) -> object:
        ctx = browser.new_context(color_scheme="light", **context)  # type: ignore[attr-defined]
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto(base_url)
        if scheme == "slate":
            page.click('label[title="Switch to dark mode"]')
        _assert_scheme(page, scheme)
        return page

    yield opener
    for ctx in contexts:
        ctx.close()  # type: ignore[attr-defined]


def _assert_scheme(page: object, scheme: str) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "s => document.body.getAttribute('data-md-color-scheme') === s", arg=scheme
    )


def _goto(page: object, base_url: str, path: str, scheme: str) -> None:
    page.goto(base_url + path)  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    _assert_scheme(page, scheme)
    if path.startswith("search/?"):
        # The list is drawn from the titles first and drawn again once the full index
        # is in (data-stage="full"); measuring before that measured a list being redrawn.
        page.wait_for_selector(  # type: ignore[attr-defined]
            '#search-results[data-stage="full"] .pa-result', timeout=20_000
        )
    if path == f"papers/{MATH_PAPER}/":
        page.wait_for_selector(".katex", timeout=10_000)  # type: ignore[attr-defined]


def _open_header_results(page: object, text: str = "learning") -> None:
    page.click("#pa-header-q")  # type: ignore[attr-defined]
    type_in_header(page, text)  # the answer to the whole text, not to a prefix
    page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]


def axe_problems(page: object) -> list[str]:
    """Critical and serious WCAG 2.1 A/AA violations on the page, one line per element."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    violations = page.evaluate(  # type: ignore[attr-defined]
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))""",
        WCAG21_AA,
    )
    return [
        f"{v['id']} ({v['impact']}) {node['target']}: {v['help']}\n    "
        + node["summary"].replace("\n", "\n    ")
        for v in violations
        if v["impact"] in ("critical", "serious")
        for node in v["nodes"]
    ]


def _report(problems: list[str], limit: int = 40) -> str:
    shown = "\n".join(problems[:limit])
    more = f"\n… and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} critical/serious axe violations:\n{shown}{more}"


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_violations(
    open_page: Callable[..., object], base_url: str, scheme: str
) -> None:
    """Every kind of page, then a page with the header's result list open (one browser
    page per palette: opening one and choosing the palette costs more than a check)."""
    page = open_page(scheme, viewport=DESKTOP)
    problems: list[str] = []
    for name, path in PAGES.items():
        _goto(page, base_url, path, scheme)
        problems += [f"[{name}] {problem}" for problem in axe_problems(page)]
    _goto(page, base_url, "tags/", scheme)
    _open_header_results(page)
    problems += [f"[header results open] {problem}" for problem in axe_problems(page)]
    assert not problems, _report(problems)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_violations_on_a_phone(
    open_page: Callable[..., object], base_url: str, scheme: str
) -> None:
    phone = {"viewport": PHONE, "has_touch": True, "is_mobile": True}
    page = open_page(scheme, **phone)
    _goto(page, base_url, "search/?q=learning", scheme)
    problems = [f"[search results] {problem}" for problem in axe_problems(page)]
    _goto(page, base_url, "tags/llms/", scheme)
    _open_header_results(page)
    problems += [f"[header results open] {problem}" for problem in axe_problems(page)]
    assert not problems, _report(problems)


def test_header_box_is_a_combobox(open_page: Callable[..., object], base_url: str) -> None:
    """WAI-ARIA 1.2 combobox: state and active option follow what the reader sees."""
    page = open_page("default", viewport=DESKTOP)
    _goto(page, base_url, "archive/", "default")
    box = page.locator("#pa-header-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"

    _open_header_results(page, "reinforcement")
    assert box.get_attribute("aria-expanded") == "true"
    items = page.locator("#pa-header-results > *")
    options = page.locator("#pa-header-results > li[role=none] > a[role=option][href]")
    assert options.count() >= 2 and options.count() == items.count()
    assert page.locator("#pa-header-results [role=option][tabindex='-1']").count() == items.count()
    first = box.get_attribute("aria-activedescendant")
    assert first and page.locator(f"#{first}").get_attribute("aria-selected") == "true"
    assert page.locator("#pa-header-results [aria-selected=true]").count() == 1
    page.keyboard.press("ArrowDown")
    second = box.get_attribute("aria-activedescendant")
    assert second and second != first  # a new id: screen readers announce the move
    assert page.locator(f"#{first}").get_attribute("aria-selected") == "false"
    assert page.evaluate("document.activeElement.id") == "pa-header-q"  # focus stays in the box

    # The number of results reaches screen readers through a live region.
    status = page.locator("#pa-header-status")
    assert status.get_attribute("role") == "status"
    assert re.search(r"\d+ papers? match", status.text_content() or "")

    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert page.locator("#pa-header-results").is_hidden()
    assert box.input_value() == "reinforcement"
    page.keyboard.press("ArrowDown")  # reopens the list
    assert box.get_attribute("aria-expanded") == "true"


def test_search_page_results_are_a_list_of_links_with_a_live_count(
    open_page: Callable[..., object], base_url: str
) -> None:
    page = open_page("default", viewport=DESKTOP)
    _goto(page, base_url, "search/?q=learning", "default")
    results = page.locator("#search-results")
    assert results.get_attribute("role") is None  # a plain <ol>, no listbox
    assert page.locator("#search-results [role], #search-results [aria-selected]").count() == 0
    assert page.locator("#search-results > li > a[href]").count() > 0
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    page.wait_for_function(
        "() => /\\d+ papers? match/.test(document.getElementById('search-status').textContent)"
    )


def _small_targets(page: object, selector: str) -> list[str]:
    sizes = page.eval_on_selector_all(  # type: ignore[attr-defined]
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.textContent.trim(), r.width, r.height]; })",
    )
    assert sizes, f"nothing matches {selector}"
    return [
        f"{selector} {text!r}: {w:.1f} × {h:.1f} px"
        for text, w, h in sizes
        if w < MIN_TARGET_PX or h < MIN_TARGET_PX
    ]


@pytest.mark.parametrize(
    "size", [DESKTOP, {**PHONE, "has_touch": True, "is_mobile": True}], ids=["desktop", "phone"]
)
def test_tap_targets_are_at_least_24_px(
    open_page: Callable[..., object], base_url: str, size: dict
) -> None:
    viewport = {"width": size["width"], "height": size["height"]}
    extra = {k: v for k, v in size.items() if k not in viewport}
    page = open_page("default", viewport=viewport, **extra)
    small: list[str] = []
    checks = {
        "tags/computer-vision/": [".pa-tags > a", ".pa-pager a", ".pa-list > li > a"],
        "archive/undated/": [".pa-tags > a"],
        f"papers/{MATH_PAPER}/": [".pa-tags > a"],
        "tags/": ["a.pa-topic__name"],
        "search/?q=learning": ["#search-results a", "#search-query", "#search-tag", "#search-year"],
        "": ["#pa-header-q", "label[title='Switch to dark mode']"],
    }
    for path, selectors in checks.items():
        _goto(page, base_url, path, "default")
        for selector in selectors:
            small += _small_targets(page, selector)
    assert not small, "\n".join(small[:30])


def _looks_different_when_focused(page: object, selector: str) -> bool:
    box = page.locator(selector).bounding_box()  # type: ignore[attr-defined]
    clip = {
        "x": box["x"] - 6,
        "y": box["y"] - 6,
        "width": box["width"] + 12,
        "height": box["height"] + 12,
    }
    page.evaluate("document.activeElement && document.activeElement.blur()")  # type: ignore[attr-defined]
    before = page.screenshot(clip=clip, animations="disabled")  # type: ignore[attr-defined]
    page.keyboard.press("/")  # type: ignore[attr-defined]  # the site's shortcut
    settled(page)  # the box's width transition has ended
    after = page.screenshot(clip=clip, animations="disabled")  # type: ignore[attr-defined]
    return before != after


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_search_boxes_show_focus(
    open_page: Callable[..., object], base_url: str, scheme: str
) -> None:
    page = open_page(scheme, viewport=DESKTOP)
    _goto(page, base_url, "search/?q=learning", scheme)
    outline = page.evaluate(
        "() => { const q = document.getElementById('search-query'); q.focus();"
        " const s = getComputedStyle(q); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    assert _looks_different_when_focused(page, "#search-query")
    _goto(page, base_url, "archive/", scheme)
    assert _looks_different_when_focused(page, "#pa-header-q")


def test_axe_is_test_only(seed_site: Path) -> None:
    """axe-core is locked as test-only and ships in no built page or asset."""
    lock = json.loads((REPO / "scripts" / "vendor.lock.json").read_text(encoding="utf-8"))
    assert "axe-core" in lock["test-only"] and "axe-core" not in lock
    digest = lock["test-only"]["axe-core"]["files"]["axe-core/axe.min.js"]
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == digest
    shipped = [p for p in seed_site.rglob("*") if p.is_file()]
    assert len(shipped) > 500
    assert [p for p in shipped if "axe" in p.name.lower()] == []
    assert [p for p in shipped if hashlib.sha256(p.read_bytes()).hexdigest() == digest] == []
    assert [p for p in (REPO / "docs").rglob("*") if "axe" in p.name.lower()] == []
