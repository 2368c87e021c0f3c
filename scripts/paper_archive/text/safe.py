"""Text that reaches pages: making abstracts inert, pulling links out of them, and the
characters no page may hold.

Decision: abstracts are stored as Markdown text in which ``&``, ``<`` and ``>`` are
written as HTML entities, so a ``<script>`` or ``<img onerror=…>`` in a source is shown,
never run, by any Markdown renderer; ``html.unescape`` gives the source text back.
The site sanitises every rendered paper body again with nh3 (see ``sanitize``), which
also drops ``javascript:`` links that Markdown link syntax could produce.
"""

from __future__ import annotations

import html
import re

from .controls import CONTROL_CLASS

_URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"*"
_RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?]")

#: Bidirectional controls: they make text display in another order than it is stored.
_BIDI_CLASS = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{_BIDI_CLASS}]")
#: What no text that reaches a page may hold: the controls :mod:`paper_archive.text.controls`
#: refuses (C0 but tab and newline, DEL and C1, lone surrogates, noncharacters, a
#: carriage return) and the bidirectional controls.
_UNSAFE_RE = re.compile(f"[{CONTROL_CLASS}\r{_BIDI_CLASS}]")


def inert(text: str) -> str:
    """Escape the characters that would let text become HTML: ``& < >``."""
    return html.escape(text, quote=False)


def has_raw_html(markdown: str) -> bool:
    """True if Markdown text contains something a renderer would pass on as a tag."""
    return _RAW_HTML_RE.search(markdown) is not None


def _strip_trailing(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # balanced parenthesis belongs to the URL (Wikipedia-style)
        url = url[:-1]
    return url


def extract_links(abstract: str) -> tuple[str, ...]:
    """Code and project URLs (``http(s)://…``) in an abstract, trailing punctuation
    stripped, sorted, without repeats."""
    found = {_strip_trailing(match) for match in _URL_RE.findall(html.unescape(abstract))}
    return tuple(sorted(url for url in found if "://" in url and len(url.split("://", 1)[1]) > 3))


def _unsafe_kind(char: str) -> str:
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF:
        return "a lone surrogate"
    if BIDI_CONTROLS.match(char):
        return "a bidirectional control"
    if 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE:
        return "a noncharacter"
    return "a control character"


def unsafe_characters(text: str) -> list[str]:
    """Each character ``text`` must not hold, once, in order: ``"U+202E (a
    bidirectional control)"``. Empty for safe text.

    The one rule of what may reach a page, for ``papers validate`` and for the parsers
    that read upstream items (which skip an item holding one). A lone surrogate comes
    from a JSON escape (``"\\ud800"``) and cannot be written as UTF-8 at all."""
    if _UNSAFE_RE.search(text) is None:
        return []
    found = dict.fromkeys(_UNSAFE_RE.findall(text))
    return [f"U+{ord(char):04X} ({_unsafe_kind(char)})" for char in found]
