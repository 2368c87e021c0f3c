"""A pure parser of the Hugging Face Daily Papers API's JSON (the request is
:mod:`paper_archive.fetch.hf`).

``GET https://huggingface.co/api/daily_papers?date=YYYY-MM-DD`` answers a JSON list,
one object per paper featured that day::

    [{"paper": {"id": "2403.07691", "title": "…", "summary": "…",
                "authors": [{"name": "…", …}, …], "publishedAt": "2024-03-12T17:34:11.000Z",
                "upvotes": 40, …},
      "title": "…", "summary": "…", "publishedAt": "…", "numComments": 2, …}, …]

``paper.id`` is the arXiv identifier; ``paper.publishedAt`` is the arXiv publication
time. The top-level ``title``/``summary`` repeat the paper's and are the fallback.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import FeedError
from ..record import arxiv_id
from .checks import checked
from .entry import SourceEntry
from .feed import Feed, clean_text, load_json

KIND = "hf-daily-api"
ORIGIN = "Hugging Face Daily Papers API"


def _published(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC).date()
    except (ValueError, OverflowError):  # not a date; year 1 moved out of range
        return None


def _authors(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = (clean_text(a.get("name")) for a in value if isinstance(a, dict))
    return tuple(name for name in names if name)


def _entry(item: Any, position: int) -> SourceEntry | str:
    """One paper, or the reason it is left out (:func:`~.checks.checked`)."""
    if not isinstance(item, dict):
        return f"expected an object, found {type(item).__name__}"
    paper = item.get("paper")
    if not isinstance(paper, dict):
        paper = {}
    title = clean_text(paper.get("title")) or clean_text(item.get("title"))
    abstract = clean_text(paper.get("summary")) or clean_text(item.get("summary"))
    if not title:
        return "no title"
    if not abstract:
        return f"paper {title!r} has no abstract"
    authors = _authors(paper.get("authors"))
    ident = paper.get("id")
    entry = SourceEntry(
        title=title,
        abstract=abstract,
        line=position,
        author_count=len(authors) or None,
        published=_published(paper.get("publishedAt")) or _published(item.get("publishedAt")),
        authors=authors,
        arxiv=arxiv_id.parse(ident) if isinstance(ident, str) else None,
    )
    return checked(entry)


def parse_daily_papers(text: str | bytes, *, path: str = "<hf-daily>") -> Feed:
    """Parse a Daily Papers response. An empty list is an empty :class:`Feed`.

    Raises :class:`FeedError` naming ``path`` when the body is not JSON (an HTML error
    page, a truncated download, a hostile body: see :func:`~.feed.load_json`) or not a
    list of papers. A paper whose fields have the wrong types is left out with the
    reason, like one without a title, and so is one that could not become a valid page
    (a control character, a lone surrogate, a title over the limit: :mod:`.checks`).
    """
    data = load_json(text, path=path)
    if not isinstance(data, list):
        found = "an object" if isinstance(data, dict) else type(data).__name__
        raise FeedError(f"expected a JSON list of papers, found {found}", path=path, line=1)
    entries: list[SourceEntry] = []
    skipped: list[tuple[int, str]] = []
    for position, item in enumerate(data, start=1):
        result = _entry(item, position)
        if isinstance(result, str):
            skipped.append((position, result))
        else:
            entries.append(result)
    return Feed(entries=tuple(entries), skipped=tuple(skipped), total=len(data))
