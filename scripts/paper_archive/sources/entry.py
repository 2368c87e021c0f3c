"""What every source yields: one paper as a source lists it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One paper as a source lists it. ``line`` is where: the 1-based line of its title
    in a saved listing, its 1-based position in an API response.

    API sources also give author names in order, the normalised arXiv identifier and
    the arXiv categories, primary first; a saved listing gives none of them.
    """

    title: str
    abstract: str
    line: int
    author_count: int | None = None
    published: date | None = None
    authors: tuple[str, ...] = ()
    arxiv: str | None = None
    categories: tuple[str, ...] = ()
