"""Text that reaches pages: making abstracts inert, and pulling links out of them.

Decision: abstracts are stored as Markdown text in which ``&``, ``<`` and ``>`` are
written as HTML entities, so a ``<script>`` or ``<img onerror=…>`` in a source is shown,
never run, by any Markdown renderer; ``html.unescape`` gives the source text back.
The site sanitises every rendered paper body again with nh3 (see ``sanitize``), which
also drops ``javascript:`` links that Markdown link syntax could produce.
"""

from __future__ import annotations

import html
import re

_URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"*"
_RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


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
