"""The site's navigation as a reader walks it, in Chromium on the built seed site.

A paper page carries only the nav's top level (Material's ``navigation.prune``, issue 20):
on a phone its drawer lists the five sections and About is one link; the About page's
drawer then lists the About pages. On a desktop the tabs lead to the same pages. Checked
at phone and desktop sizes, light and dark, with axe-core on the open drawer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from .browser import DESKTOP, PHONE
from .chrome_node import with_chrome
from .test_accessibility import axe_problems

pytestmark = pytest.mark.browser

PAPER = "papers/pointer-networks/"
SECTIONS = ["Home", "Topics", "Archive", "Search", "About"]
ABOUT_PAGES = ["About the archive", "Contribute", "Security", "Settings"]


Opener = Callable[[str, dict], Page]


@pytest.fixture
def paper_page(browser: Browser, base_url: str) -> Iterator[Opener]:
    """Opens the paper page in a fresh context of ``device`` whose system colour scheme
    is ``scheme``, as Material shows it (its palette follows the system's)."""
    contexts: list[BrowserContext] = []

    def open_(scheme: str, device: dict) -> Page:
        context = browser.new_context(color_scheme=scheme, **device)
        contexts.append(context)
        page = context.new_page()
        page.goto(base_url + PAPER)
        page.wait_for_load_state("load")
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == {"light": "default", "dark": "slate"}[scheme]
        return page

    yield open_
    for context in contexts:
        context.close()


def _visible_links(page: Page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0)
                     .map(e => e.textContent.trim())""",
    )


def _open_drawer(page: Page) -> None:
    page.tap('label.md-header__button[for="__drawer"]')
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    page.wait_for_function(
        """() => { const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect();
                   return r.left >= 0 && r.width > 0; }"""
    )


def test_a_paper_page_carries_only_the_top_level(seed_site: Path) -> None:
    """The pruned nav in the HTML itself: the About pages are not linked from a paper
    page's nav, and are from the About page's."""
    paper = with_chrome(seed_site / PAPER / "index.html")  # its nav is in its chrome
    about = (seed_site / "about" / "index.html").read_text(encoding="utf-8")
    for slug in ("contribute", "security", "settings", "modules"):
        assert f'href="../../{slug}/"' not in paper, slug
        assert f'href="../{slug}/"' in about, slug
    assert 'class="md-nav__item md-nav__item--pruned md-nav__item--nested"' in paper


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_reader_on_a_phone_goes_from_a_paper_to_the_about_pages(
    paper_page: Opener, base_url: str, scheme: str
) -> None:
    page = paper_page(scheme, PHONE)
    assert _visible_links(page, ".md-tabs__link") == []  # no tabs on a phone: the drawer
    _open_drawer(page)
    assert _visible_links(page, ".md-nav--primary > .md-nav__list > li > .md-nav__link") == (
        SECTIONS
    )
    problems = axe_problems(page)
    assert not problems, "\n".join(problems)
    page.locator(".md-nav--primary .md-nav__link", has_text="About").tap()
    page.wait_for_url(base_url + "about/")
    _open_drawer(page)
    shown = _visible_links(page, ".md-nav--primary .md-nav__link")
    assert all(name in shown for name in ABOUT_PAGES), shown
    page.locator(".md-nav--primary .md-nav__link", has_text="Contribute").tap()
    page.wait_for_url(base_url + "contribute/")
    assert page.locator("h1").first.inner_text().startswith("Contribut")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_reader_on_a_desktop_takes_the_about_tab(
    paper_page: Opener, base_url: str, scheme: str
) -> None:
    page = paper_page(scheme, DESKTOP)
    assert _visible_links(page, ".md-tabs__link") == SECTIONS
    page.click(".md-tabs__link >> text=About")
    page.wait_for_url(base_url + "about/")
    shown = _visible_links(page, ".md-sidebar--primary .md-nav__link")
    assert all(name in shown for name in ABOUT_PAGES), shown
    problems = axe_problems(page)
    assert not problems, "\n".join(problems)
