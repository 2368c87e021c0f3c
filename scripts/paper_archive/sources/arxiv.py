"""A pure parser of the arXiv API's Atom feed (the requests are :mod:`paper_archive.fetch.arxiv`).

Parsed with ``defusedxml`` (no DTD, no entity expanded); an API error, which arrives as
a feed, raises :class:`FeedError` quoting arXiv's message.

Design notes: docs/modules.md, `sources/arxiv.py`.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ..errors import FeedError
from ..record import arxiv_id
from .checks import checked
from .entry import SourceEntry
from .feed import Feed, clean_text, load_xml

KIND = "arxiv-atom"
ORIGIN = "arXiv API (Atom)"

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_ERROR_IDS = ("http://arxiv.org/api/errors", "https://arxiv.org/api/errors")


def _as_bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return parsed.astimezone(dt.UTC).date() if parsed.tzinfo else parsed.date()
    except (ValueError, OverflowError):  # not a date; year 1 moved out of range
        return None


def _categories(entry: ET.Element) -> tuple[str, ...]:
    terms: list[str] = []
    primary = entry.find(f"{_ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        terms.append(str(primary.get("term")))
    for category in entry.findall(f"{_ATOM}category"):
        term = category.get("term")
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def _entry(entry: ET.Element, position: int) -> SourceEntry | str:
    """One paper, or the reason it is left out (:func:`~.checks.checked`)."""
    ident = clean_text(entry.findtext(f"{_ATOM}id"))
    parsed_id = arxiv_id.parse(ident)
    title = clean_text(entry.findtext(f"{_ATOM}title"))
    abstract = clean_text(entry.findtext(f"{_ATOM}summary"))
    if parsed_id is None:
        return f"{ident or 'an entry without an id'!r} is not an arXiv identifier"
    if not title:
        return f"{parsed_id}: no title"
    if not abstract:
        return f"{parsed_id}: paper {title!r} has no abstract"
    names = (clean_text(a.findtext(f"{_ATOM}name")) for a in entry.findall(f"{_ATOM}author"))
    authors = tuple(name for name in names if name)
    paper = SourceEntry(
        title=title,
        abstract=abstract,
        line=position,
        author_count=len(authors) or None,
        published=_date(entry.findtext(f"{_ATOM}published")),
        authors=authors,
        arxiv=parsed_id,
        categories=_categories(entry),
    )
    result = checked(paper)
    return f"{parsed_id}: {result}" if isinstance(result, str) else result


def feed_root(data: bytes, *, path: str) -> ET.Element:
    root = load_xml(data, path=path)
    if root.tag != f"{_ATOM}feed":
        raise FeedError(f"not an Atom feed (root element {root.tag!r})", path=path, line=1)
    return root


def error_message(root: ET.Element) -> str | None:
    """arXiv's message when the feed is an error report, else ``None``."""
    for entry in root.findall(f"{_ATOM}entry"):
        if (entry.findtext(f"{_ATOM}id") or "").strip().startswith(_ERROR_IDS):
            return clean_text(entry.findtext(f"{_ATOM}summary")) or "unknown error"
    return None


def parse_feed(text: str | bytes, *, path: str = "<arxiv>") -> Feed:
    """Parse an arXiv API response. No entries is an empty :class:`Feed`.

    Raises :class:`FeedError` naming ``path`` for a body that is not an Atom feed and
    for an API error report.
    """
    root = feed_root(_as_bytes(text), path=path)
    message = error_message(root)
    if message is not None:
        raise FeedError(f"arXiv API error: {message}", path=path, line=1)
    entries: list[SourceEntry] = []
    skipped: list[tuple[int, str]] = []
    for position, element in enumerate(root.findall(f"{_ATOM}entry"), start=1):
        result = _entry(element, position)
        if isinstance(result, str):
            skipped.append((position, result))
        else:
            entries.append(result)
    total_text = (root.findtext(f"{_OPENSEARCH}totalResults") or "").strip()
    # ASCII digits only, and few: int() of a 5,000-digit string raises ValueError.
    plain = total_text.isascii() and total_text.isdigit() and len(total_text) <= 12
    total = int(total_text) if plain else None
    return Feed(entries=tuple(entries), skipped=tuple(skipped), total=total)


def missing_ids(wanted: Iterable[str], feed: Feed) -> list[str]:
    """Requested identifiers the feed has no entry for."""
    found = {entry.arxiv for entry in feed.entries}
    return [i for i in dict.fromkeys(arxiv_id.normalize(w) for w in wanted) if i not in found]
