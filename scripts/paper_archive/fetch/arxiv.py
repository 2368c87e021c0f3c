"""Requests to the arXiv API: query URLs and the fetches (the feed's parser is
:mod:`paper_archive.sources.arxiv`).

The client side (retries, the 3-second pause arXiv asks for) is :mod:`.http`, shared
with the Hugging Face fetch. An API error answered with an error status becomes a
:class:`FetchError` quoting arXiv's message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .. import arxiv_id
from ..errors import FeedError
from ..slugs import title_key
from ..sources.arxiv import error_message, feed_root, parse_feed
from ..sources.entry import SourceEntry
from ..sources.feed import Feed
from .errors import FetchError, HttpStatusError

if TYPE_CHECKING:
    from .http import HttpClient, Response

API_URL = "https://export.arxiv.org/api/query"
MAX_RESULTS = 500


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


def search_title(client: HttpClient, title: str, *, max_results: int = 5) -> Feed:
    """Papers whose title contains ``title`` as a phrase (for ``papers enrich``)."""
    response = _get(client, query_params(search=title_query(title), max_results=max_results))
    return parse_feed(response.content, path=response.url)
