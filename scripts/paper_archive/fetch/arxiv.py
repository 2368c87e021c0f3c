"""Requests to the arXiv API: query URLs and the fetches (the feed's parser is
:mod:`paper_archive.sources.arxiv`).

The client side (retries, the 3-second pause arXiv asks for) is :mod:`.http`, shared
with the Hugging Face fetch. An API error answered with an error status becomes a
:class:`FetchError` quoting arXiv's message.

Title lookups (``papers enrich``) ask for :data:`TITLES_PER_REQUEST` titles in one
request: arXiv's query syntax ORs phrase clauses (``ti:"a b" OR ti:"c d"``), so the 543
seed pages take 55 requests instead of 543 (under 3 minutes at one request every 3 s,
instead of 27). :func:`look_up_titles` keeps the answer per title what a request of its
own would have given: a batch whose response fails to parse, or that arXiv cut short
(``totalResults`` above what it returned), is asked again title by title for every title
without an exact match in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..errors import FeedError
from ..record import arxiv_id
from ..record.slugs import title_key
from ..sources.arxiv import error_message, feed_root, parse_feed
from ..sources.entry import SourceEntry
from ..sources.feed import Feed
from .errors import FetchError, HttpStatusError

if TYPE_CHECKING:
    from .http import HttpClient, Response

API_URL = "https://export.arxiv.org/api/query"
MAX_RESULTS = 500
#: Titles asked for in one request (a URL of about 1 KB).
TITLES_PER_REQUEST = 10
#: Results asked for per title, alone or batched.
RESULTS_PER_TITLE = 5
#: A normalised title that can be one clause of an OR-ed query: words and spaces only
#: (a title made of symbols keeps them in its key, and is asked for alone).
_CLAUSE_SAFE = re.compile(r"[^\W_]+(?: [^\W_]+)*")


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
    """A phrase search on titles, punctuation folded (arXiv's parser chokes on it); the
    ``+`` and ``#`` the title key spells out are dropped, as arXiv's index drops them."""
    return f'ti:"{title_key(title.replace("+", " ").replace("#", " "))}"'


def _error_from_status(exc: HttpStatusError) -> FetchError:
    try:
        message = error_message(feed_root(exc.content, path="<response>"))
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


def fetch_arxiv_ids(ids: Iterable[str], *, client: HttpClient) -> list[SourceEntry]:
    """The entries for these identifiers, in the feed's order (for ``papers add``).

    Raises ``ValueError`` for a malformed identifier and :class:`FetchError` or
    :class:`FeedError` when the API fails; an identifier arXiv does not know is simply
    absent from the result (see :func:`missing_ids`).
    """
    response = fetch_ids(client, ids)
    return list(parse_feed(response.content, path=response.url).entries)


def search_title(client: HttpClient, title: str, *, max_results: int = RESULTS_PER_TITLE) -> Feed:
    """Papers whose title contains ``title`` as a phrase (for ``papers enrich``)."""
    response = _get(client, query_params(search=title_query(title), max_results=max_results))
    return parse_feed(response.content, path=response.url)


def batchable(title: str) -> bool:
    """Whether ``title`` can share a request with others (its key is words only)."""
    return _CLAUSE_SAFE.fullmatch(title_key(title)) is not None


def titles_query(titles: Sequence[str]) -> str:
    """One search for several titles: their phrase clauses OR-ed."""
    return " OR ".join(title_query(title) for title in titles)


def title_batches(titles: Sequence[str], *, size: int | None = None) -> list[list[int]]:
    """The indexes of ``titles`` grouped into requests, in order: up to ``size``
    (default :data:`TITLES_PER_REQUEST`) batchable titles together, any other alone."""
    size = size or TITLES_PER_REQUEST
    batches: list[list[int]] = []
    current: list[int] = []
    for index, title in enumerate(titles):
        if not batchable(title):
            if current:
                batches.append(current)
                current = []
            batches.append([index])
            continue
        current.append(index)
        if len(current) == size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def search_titles(
    client: HttpClient, titles: Sequence[str], *, per_title: int = RESULTS_PER_TITLE
) -> Feed:
    """Papers whose title contains any of ``titles`` as a phrase, in one request."""
    max_results = min(MAX_RESULTS, per_title * len(titles))
    response = _get(client, query_params(search=titles_query(titles), max_results=max_results))
    return parse_feed(response.content, path=response.url)


def look_up_titles(client: HttpClient, titles: Sequence[str]) -> list[Feed | FeedError]:
    """For each title, the feed to judge it by (or why its lookup failed): one request for
    the batch, and one more for each title the batch may have answered short.

    A :class:`FetchError` (offline, an error status) is raised, not returned: it would
    fail every other request too."""
    if len(titles) == 1:
        try:
            return [search_title(client, titles[0])]
        except FeedError as exc:
            return [exc]
    try:
        feed: Feed | None = search_titles(client, titles)
    except FeedError:
        feed = None  # one bad answer must not cost the other titles their lookup
    complete = feed is not None and (
        feed.total is not None and feed.total <= len(feed.entries) + len(feed.skipped)
    )
    out: list[Feed | FeedError] = []
    for title in titles:
        if feed is not None and (complete or _has_exact(feed, title)):
            out.append(feed)
            continue
        try:
            out.append(search_title(client, title))
        except FeedError as exc:
            out.append(exc)
    return out


def _has_exact(feed: Feed, title: str) -> bool:
    key = title_key(title)
    return any(entry.arxiv and title_key(entry.title) == key for entry in feed.entries)
