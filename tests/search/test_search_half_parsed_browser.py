"""The search scripts run while the page is half parsed (they are async, in <head>).

On a loaded machine the page script ran after the header's box was parsed and before its
results list was: the box was bound to a list that did not exist, and the first answer
threw "Cannot set properties of null (setting 'textContent')". Here the server holds
the rest of the page at exactly that point until the script has run and the reader has
typed, so the race is the same every time.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Route

from ..browser import Page

pytestmark = pytest.mark.browser

RAN = 'document.documentElement.setAttribute("data-test-page-script", "ran");'
RECORD_ERRORS = """
for (const kind of ["error", "unhandledrejection"])
  window.addEventListener(kind, () => { window.__threw = true; });
"""
#: The header box shows its results, or the page threw trying to.
ANSWERED_OR_THREW = (
    "() => window.__threw || !!document.querySelector('#pa-header-results .pa-result__link')"
)


class _HoldingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; for ``held`` it sends the page up to ``cut`` and the rest only
    once ``release`` is set."""

    held: str
    cut: str
    release: threading.Event

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        if self.path != self.held:
            super().do_GET()
            return
        text = (Path(self.directory) / self.held.strip("/") / "index.html").read_bytes()
        at = text.index(self.cut.encode()) + len(self.cut)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(text[:at])
        self.wfile.flush()
        self.release.wait(timeout=60)
        self.wfile.write(text[at:])


@pytest.fixture
def holding(seed_site: Path) -> Iterator[tuple[str, threading.Event]]:
    """A server of the seed site holding /about/ right after the header's search box."""
    html = (seed_site / "about" / "index.html").read_text(encoding="utf-8")
    start = html.index('<input id="pa-header-q"')
    cut = html[start : html.index(">", start) + 1]
    release = threading.Event()
    handler = type(
        "Handler", (_HoldingHandler,), {"held": "/about/", "cut": cut, "release": release}
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(seed_site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", release
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def _mark_when_run(route: Route) -> None:
    """The page script, served as is plus one line that says it has run."""
    response = route.fetch()
    route.fulfill(response=response, body=response.text() + "\n" + RAN + "\n")


def test_typing_in_the_header_box_before_its_list_is_parsed(
    page: Page, holding: tuple[str, threading.Event]
) -> None:
    base, release = holding
    page.page.add_init_script(RECORD_ERRORS)
    page.page.route("**/assets/search/page*.js", _mark_when_run)
    page.page.goto(base + "about/", wait_until="commit")
    # Right after the commit no byte of the page may be parsed yet: no root element.
    page.page.wait_for_function("document.documentElement?.dataset.testPageScript === 'ran'")
    # The box is parsed, its results list is not: the reader types now.
    assert page.page.evaluate("document.getElementById('pa-header-results')") is None
    page.page.focus("#pa-header-q")
    page.page.keyboard.type("pointer networks")
    release.set()
    page.page.wait_for_function(ANSWERED_OR_THREW, timeout=20_000)
    assert page.errors == []  # was: "Cannot set properties of null (setting 'textContent')"
    assert "Pointer Networks" in (page.page.text_content("#pa-header-results") or "")
    assert page.page.get_attribute("#pa-header-q", "aria-expanded") == "true"
    assert page.errors == [] and page.dialogs == []
