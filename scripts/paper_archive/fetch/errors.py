"""The errors of fetching: a request that failed. (A response that cannot be read is a
:class:`~paper_archive.errors.FeedError`, raised by the parsers in :mod:`paper_archive.sources`.)"""

from __future__ import annotations

from ..errors import ArchiveError


class FetchError(ArchiveError):
    """A request failed: offline, timed out, refused, or an error status after retries."""


class HttpStatusError(FetchError):
    """The server answered with an error status; ``content`` is the body it sent."""

    def __init__(self, message: str, *, status: int, content: bytes):
        super().__init__(message)
        self.status = status
        self.content = content
