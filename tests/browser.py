"""Serve a built site on 127.0.0.1 and drive Debian's chromium with Playwright.

The fixtures every browser module shares (one Chromium and one seed site per test
session) are in tests/conftest.py; this module holds what they are made of."""

from __future__ import annotations

import contextlib
import functools
import http.client
import http.server
import os
import shutil
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

#: The browser contexts of a phone (touch, a mobile viewport) and of a desktop.
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1366, "height": 800}}

#: A paper in the browser tests' seed site whose title and abstract try to run script.
HOSTILE_TITLE = "</title><script>alert(1)</script> Hostile Zebra Paper"

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for a server this test starts itself)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, *, timeout: float = 30) -> str | None:
    """The text a loopback server serves at ``url``; None for an error status, while
    the server is not up, or for a response cut short (``mkdocs serve`` restarting
    mid-response: an ``http.client.IncompleteRead``, which is no OSError). Callers
    poll on a condition, so None means "not yet", never a failed test."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # loopback only
            return response.read().decode("utf-8")
    except (OSError, http.client.HTTPException):
        return None


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


#: True once no CSS transition or finite animation is running on the page: what a test
#: waits for before it measures a box that grows on focus (never a fixed delay).
SETTLED = """() => document.getAnimations().every(
    a => a.playState !== "running" || a.effect.getComputedTiming().iterations === Infinity)"""


#: True once the header box's list shows the answer to the box's whole text: results
#: come as the reader types, and on a slow machine a prefix's answer comes first (the
#: box waits 40 ms after a keystroke, and keystrokes can be further apart than that).
#: The list's last line links to /search/ with the query it answers.
HEADER_ANSWERED = """text => {
    const panel = document.getElementById("pa-header-results");
    const all = panel && panel.querySelector(".pa-result--all a");
    return !!all && !panel.hidden && all.href.endsWith("search/?q=" + encodeURIComponent(text));
}"""


def type_in_header(page: object, text: str) -> None:
    """Type ``text`` into the focused header box and wait for its answer, never a
    prefix's (see HEADER_ANSWERED)."""
    page.keyboard.type(text)  # type: ignore[attr-defined]
    page.wait_for_function(HEADER_ANSWERED, arg=text)  # type: ignore[attr-defined]


def settled(page: object) -> None:
    """Wait until the page's transitions have ended (see SETTLED)."""
    page.wait_for_function(SETTLED)  # type: ignore[attr-defined]


class Page:
    """A fresh browser page that records console errors, page errors and dialogs."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context()  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def titles(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#search-results .pa-result__title", "els => els.map(e => e.textContent)"
        )

    def wait_results(self) -> None:
        self.page.wait_for_selector("#search-results .pa-result", timeout=10_000)

    def wait_full_results(self, query: str) -> None:
        """Wait until the results list answers ``query`` from the full index, its first
        page whole: the titles index answers first, and a list counted before the full
        answer is redrawn; a sharded answer draws its first results, then the rest of
        the page (the list ``aria-busy`` meanwhile)."""
        self.page.wait_for_function(
            """q => { const list = document.querySelector('#search-results');
                      return list && list.dataset.stage === 'full' && list.dataset.q === q
                             && list.getAttribute('aria-busy') !== 'true'
                             && list.querySelector('.pa-result') !== null; }""",
            arg=query,
            timeout=20_000,
        )

    def close(self) -> None:
        self.context.close()
