"""What a parsed API response is, and the hardened readers of its JSON and XML.

Response bodies are untrusted: an API (or whoever answers in its place) may send a
body nested thousands of levels deep, a number of thousands of digits, a DOCTYPE with
entities ("billion laughs"), or a feed in UTF-16. :func:`load_json` and :func:`load_xml`
turn every way such a body fails into one :class:`~paper_archive.errors.FeedError` naming the file,
so ingest skips the source with its reason and ``papers fetch`` prints one ``error:``
line and writes nothing. XML goes through ``defusedxml`` with DTDs forbidden outright:
the APIs never send one, wherever in the document it appears and whatever the encoding.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from ..errors import FeedError
from .entry import SourceEntry


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed response. ``entries`` keep the response's order; an entry's ``line``
    is its 1-based position in the response. ``skipped`` holds (position, reason) for
    entries left out (no title, no abstract); ``total`` is the API's own count of
    results when it gives one (arXiv does; it can exceed ``len(entries)``)."""

    entries: tuple[SourceEntry, ...]
    skipped: tuple[tuple[int, str], ...] = ()
    total: int | None = None


def clean_text(value: object) -> str:
    """Whitespace folded to single spaces; anything but a string becomes ``""``. Control
    characters are kept: the item holding one is skipped, with its reason, by
    :func:`paper_archive.sources.checks.entry_problems`.

    Both APIs wrap titles and abstracts at arbitrary places."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def load_json(text: str | bytes, *, path: str) -> Any:
    """The JSON value of a response body. Raises :class:`FeedError` naming ``path`` for
    a body that is not JSON, not UTF-8/16/32, nested deeper than the parser allows, or
    holding a number too long to convert (Python's int digit limit)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"not JSON (an error page or a truncated download?): {exc.msg}",
            path=path,
            line=exc.lineno,
        ) from exc
    except RecursionError as exc:
        raise FeedError("JSON nested too deep to read", path=path, line=1) from exc
    except UnicodeDecodeError as exc:
        raise FeedError(
            f"not UTF-8, -16 or -32 JSON (byte {exc.start})", path=path, line=1
        ) from exc
    except ValueError as exc:  # Python's limit on the digits of an int (4,300)
        raise FeedError(
            "a number with more digits than can be read safely", path=path, line=1
        ) from exc


def load_xml(data: bytes, *, path: str) -> ET.Element:
    """The root element of an XML body. Raises :class:`FeedError` naming ``path`` for a
    body that is not XML, and for any DOCTYPE, entity or external reference."""
    try:
        return DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedError(
            f"refusing an XML document with a DOCTYPE or entities ({type(exc).__name__})",
            path=path,
            line=getattr(exc, "line", None) or 1,
        ) from exc
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise FeedError(
            f"not XML (an error page or a truncated download?): {exc}", path=path, line=line
        ) from exc
    except (RecursionError, ValueError) as exc:
        raise FeedError(f"unreadable XML: {str(exc)[:120]}", path=path, line=1) from exc
