"""Group papers by tag and by date: one pass each, O(n log n) at most."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..settings import Settings
from .collect import Archive, Entry

T = TypeVar("T")
PER_PAGE = Settings().per_page  # the default; a build passes settings.per_page


@dataclass(frozen=True, slots=True)
class TagGroup:
    slug: str
    name: str
    description: str
    entries: tuple[Entry, ...]  # newest first


def by_tag(archive: Archive) -> list[TagGroup]:
    """Every tag of the vocabulary (also those with no papers yet), sorted by name.
    Tags not in the vocabulary are left out (the build warns about them)."""
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in archive.entries:  # already newest first
        for tag in entry.paper.tags:
            members[tag].append(entry)
    return sorted(
        (
            TagGroup(t.slug, t.name, t.description, tuple(members.get(t.slug, ())))
            for t in archive.vocabulary.tags
        ),
        key=lambda g: (g.name.casefold(), g.slug),
    )


@dataclass(frozen=True, slots=True)
class Month:
    number: int
    entries: tuple[Entry, ...]

    @property
    def name(self) -> str:
        return dt.date(2000, self.number, 1).strftime("%B")


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    months: tuple[Month, ...]  # newest month first

    @property
    def count(self) -> int:
        return sum(len(m.entries) for m in self.months)


def by_year(archive: Archive) -> tuple[list[Year], tuple[Entry, ...]]:
    """Years newest first, each with its months newest first; and the undated papers."""
    buckets: dict[int, dict[int, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    undated: list[Entry] = []
    for entry in archive.entries:
        date = entry.paper.published
        if date is None:
            undated.append(entry)
        else:
            buckets[date.year][date.month].append(entry)
    years = [
        Year(year, tuple(Month(m, tuple(months[m])) for m in sorted(months, reverse=True)))
        for year, months in sorted(buckets.items(), reverse=True)
    ]
    return years, tuple(undated)


def months_of(entries: Sequence[Entry]) -> tuple[Month, ...]:
    """``entries`` of one year (newest first) grouped by month, newest month first."""
    months: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.paper.published is not None:
            months[entry.paper.published.month].append(entry)
    return tuple(Month(m, tuple(months[m])) for m in sorted(months, reverse=True))


def recently_added(archive: Archive, *, limit: int = 10) -> list[Entry]:
    """The papers most recently added to the archive (ties: newest published first)."""
    entries = archive.entries
    ranked = heapq.nsmallest(
        limit, range(len(entries)), key=lambda i: (-entries[i].paper.added.toordinal(), i)
    )
    return [entries[i] for i in ranked]


def paginate(items: Sequence[T], *, per_page: int = PER_PAGE) -> list[Sequence[T]]:
    """Split into pages of ``per_page``; an empty sequence is one empty page."""
    if not items:
        return [items]
    return [items[i : i + per_page] for i in range(0, len(items), per_page)]
