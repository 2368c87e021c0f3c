"""Read each source by the parser of its kind: raw files in, :class:`SourceEntry` out.

A saved listing page is read by :func:`~.listing.parse_listing`, a stored API response
by the parser of its kind (:data:`FEED_PARSERS`). A source that cannot be read is
skipped with its reason, never fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..errors import ArchiveError, FeedError
from . import arxiv as arxiv_feed
from . import hf as hf_feed
from .entry import SourceEntry
from .feed import Feed
from .listing import parse_listing
from .manifest import Source, read_source, read_source_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadedSource:
    """A source read: its entries, and the items of it left out as (1-based position,
    reason) (no title, a control character, over a limit: see :mod:`.checks`)."""

    source: Source
    entries: tuple[SourceEntry, ...]
    skipped: tuple[tuple[int, str], ...] = ()


#: Source kinds read by an API parser; every other kind is a saved listing page.
FEED_PARSERS: Mapping[str, Callable[..., Feed]] = {
    hf_feed.KIND: hf_feed.parse_daily_papers,
    arxiv_feed.KIND: arxiv_feed.parse_feed,
}


def parse_source(source: Source) -> LoadedSource:
    """The entries of one source, by the parser of its kind, and the items it left out.
    Raises :class:`ArchiveError` naming the file for a source that cannot be read, or
    that lists no item at all.

    API responses are parsed from their bytes (their parsers find the encoding and
    refuse hostile bodies with a :class:`FeedError`); listings are UTF-8 text."""
    parse_feed = FEED_PARSERS.get(source.kind)
    if parse_feed is None:
        text = read_source(source)
        listing = parse_listing(text, path=str(source.path), fetched=source.fetched)
        for line, date_text in listing.unresolved_dates:
            log.info(
                "%s:%d: year-less date %r left out (fetch date unknown)",
                source.path,
                line,
                date_text,
            )
        return LoadedSource(source, listing.entries, listing.skipped)
    feed = parse_feed(read_source_bytes(source), path=str(source.path))
    if not feed.entries and not feed.skipped:
        raise FeedError("no papers in this response", path=str(source.path), line=1)
    return LoadedSource(source, feed.entries, feed.skipped)


def load_sources(sources: Iterable[Source], skipped: list[tuple[str, str]]) -> list[LoadedSource]:
    """Read and parse each source; a bad one is skipped with its reason, never fatal (a
    bad item of a source is left out by its parser: :attr:`LoadedSource.skipped`)."""
    loaded: list[LoadedSource] = []
    for source in sources:
        try:
            loaded.append(parse_source(source))
        except ArchiveError as exc:
            skipped.append((source.id, str(exc)))
            log.warning("skipping source %s: %s", source.id, exc)
    return loaded
