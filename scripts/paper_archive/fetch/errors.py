"""The errors of fetching: a response that cannot be read, and a request that failed."""

from __future__ import annotations

from ..errors import ArchiveError, ListingError


class FeedError(ListingError):
    """A response is not what its API returns: not JSON or XML, the wrong shape, or an
    error report. Ingest skips a stored source that raises it, naming the file."""


class FetchError(ArchiveError):
    """A request failed: offline, timed out, refused, or an error status after retries."""


class HttpStatusError(FetchError):
    """The server answered with an error status; ``content`` is the body it sent."""

    def __init__(self, message: str, *, status: int, content: bytes):
        super().__init__(message)
        self.status = status
        self.content = content
