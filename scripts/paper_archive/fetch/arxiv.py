"""The arXiv API: query URLs, a pure parser of its Atom feed, and the fetches built on it.

Decision: the feed is parsed with the standard library's ``xml.etree.ElementTree``, not
``feedparser`` or the ``arxiv`` package. The feed is small and well defined (Atom plus
a few ``arxiv:`` and ``opensearch:`` elements), we need six fields of each entry, and
one parser we own beats two dependencies that would each need pinning, auditing and
faking in tests. The client side (retries, the 3-second pause arXiv asks for) is
:mod:`.http`, shared with the Hugging Face fetch.

Untrusted XML: parsed by ``defusedxml`` with DTDs forbidden (:func:`.feed.load_xml`),
so a DOCTYPE anywhere, in any encoding, is refused and no entity is ever expanded; the
arXiv API never sends one.

An API error comes back as a feed whose one entry has an ``…/api/errors#…`` id and the
message as its summary (with HTTP 400, or sometimes 200): both become a
:class:`FeedError` or :class:`FetchError` quoting arXiv's message.
"""

from __future__ import annotations

import datetime as dt
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .. import arxiv_id
from ..listing import ListingEntry
from ..slugs import title_key
from .errors import FeedError, FetchError, HttpStatusError
from .feed import Feed, clean_text, load_xml

if TYPE_CHECKING:
    from .http import HttpClient, Response

log = logging.getLogger(__name__)

KIND = "arxiv-atom"
API_URL = "https://export.arxiv.org/api/query"
ORIGIN = "arXiv API (Atom)"
MAX_RESULTS = 500

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_ERROR_IDS = ("http://arxiv.org/api/errors", "https://arxiv.org/api/errors")


def query_params(
    *, search: str | None = None, ids: Sequence[str] = (), max_results: int = 50
) -> dict[str, str]:
    """Parameters of one API request: a search, a list of ids, or both."""
    params: dict[str, str] = {"start": "0", "max_results": str(max_results)}
    if search:
        params["search_query"] = search
        params["sortBy"] = "submittedDate"
        params["sortOrder"] = "descending"
    if ids:
        params["id_list"] = ",".join(ids)
    return params


def title_query(title: str) -> str:
    """A phrase search on titles, punctuation folded (arXiv's parser chokes on it)."""
    return f'ti:"{title_key(title)}"'


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


def _entry(entry: ET.Element, position: int) -> ListingEntry | str:
    """One paper, or the reason it is left out."""
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
    return ListingEntry(
        title=title,
        abstract=abstract,
        line=position,
        author_count=len(authors) or None,
        published=_date(entry.findtext(f"{_ATOM}published")),
        authors=authors,
        arxiv=parsed_id,
        categories=_categories(entry),
    )


def _root(data: bytes, *, path: str) -> ET.Element:
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
    root = _root(_as_bytes(text), path=path)
    message = error_message(root)
    if message is not None:
        raise FeedError(f"arXiv API error: {message}", path=path, line=1)
    entries: list[ListingEntry] = []
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


def _error_from_status(exc: HttpStatusError) -> FetchError:
    try:
        message = error_message(_root(exc.content, path="<response>"))
    except FeedError:
        message = None
    if message is None:
        return exc
    return FetchError(f"arXiv API error (HTTP {exc.status}): {message}")


def _get(client: HttpClient, params: dict[str, str]) -> Response:
    try:
        return client.get(API_URL, params=params)
    except HttpStatusError as exc:
        raise _error_from_status(exc) from exc


def fetch_query(client: HttpClient, search: str, *, max_results: int = 50) -> Response:
    """The raw response to a search (newest submissions first)."""
    return _get(client, query_params(search=search, max_results=min(max_results, MAX_RESULTS)))


def fetch_ids(client: HttpClient, ids: Iterable[str]) -> Response:
    """The raw response for these identifiers (normalised first; raises ``ValueError``
    for one that is not an arXiv identifier)."""
    wanted = list(dict.fromkeys(arxiv_id.normalize(i) for i in ids))
    return _get(client, query_params(ids=wanted, max_results=len(wanted)))


def missing_ids(wanted: Iterable[str], feed: Feed) -> list[str]:
    """Requested identifiers the feed has no entry for."""
    found = {entry.arxiv for entry in feed.entries}
    return [i for i in dict.fromkeys(arxiv_id.normalize(w) for w in wanted) if i not in found]


def fetch_arxiv_ids(ids: Iterable[str], *, client: HttpClient) -> list[ListingEntry]:
    """The entries for these identifiers, in the feed's order (for ``papers add``).

    Raises ``ValueError`` for a malformed identifier and :class:`FetchError` or
    :class:`FeedError` when the API fails; an identifier arXiv does not know is simply
    absent from the result (see :func:`missing_ids`).
    """
    response = fetch_ids(client, ids)
    return list(parse_feed(response.content, path=response.url).entries)


def search_title(client: HttpClient, title: str, *, max_results: int = 5) -> Feed:
    """Papers whose title contains ``title`` as a phrase (for ``papers enrich``)."""
    response = _get(client, query_params(search=title_query(title), max_results=max_results))
    return parse_feed(response.content, path=response.url)
