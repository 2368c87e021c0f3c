"""What a parsed API response is: its entries, and what was left out and why."""

from __future__ import annotations

from dataclasses import dataclass

from ..listing import ListingEntry


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed response. ``entries`` keep the response's order; an entry's ``line``
    is its 1-based position in the response. ``skipped`` holds (position, reason) for
    entries left out (no title, no abstract); ``total`` is the API's own count of
    results when it gives one (arXiv does; it can exceed ``len(entries)``)."""

    entries: tuple[ListingEntry, ...]
    skipped: tuple[tuple[int, str], ...] = ()
    total: int | None = None


def clean_text(value: object) -> str:
    """Whitespace folded to single spaces; anything but a string becomes ``""``.

    Both APIs wrap titles and abstracts at arbitrary places."""
    return " ".join(value.split()) if isinstance(value, str) else ""
