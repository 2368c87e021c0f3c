"""Parse Hugging Face Daily Papers listing pages saved as text.

Two layouts occur in the wild and are handled by one line-based state machine:

* **blocks**: every line separated by a blank line; after an abstract, optional lines
  ``  • N authors``, ``·`` and a date (``Oct 13, 2017`` or year-less ``Aug 20``);
* **compact**: no blank lines at all, and the first title glued to the word ``Subscribe``.

Everything here is pure: text in, a :class:`Listing` out, or a :class:`ListingError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..errors import ListingError
from .checks import entry_problems
from .entry import SourceEntry

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A trailing number after a date is the page's upvote count ("Dec 11, 2024 1").
_DATE_RE = re.compile(rf"^({'|'.join(MONTHS)}) (\d{{1,2}})(?:, (\d{{4}}))?(?: \d+)?$")
_AUTHORS_RE = re.compile(r"^\s*•\s*(\d+)\s+authors?\s*$")
_SEPARATOR = "·"
_BOILERPLATE = frozenset({"new", "Subscribe", "Daily Papers", "byAK and the research community"})
_BOILERPLATE_PREFIXES = ("Get trending papers",)
_GLUED_SUBSCRIBE = "Subscribe"
_HTML_RE = re.compile(r"^\s*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE)

MAX_TITLE_CHARS = 400
MIN_ABSTRACT_WORDS = 8


@dataclass(frozen=True, slots=True)
class Listing:
    layout: Literal["blocks", "compact"]
    page_date: str | None
    entries: tuple[SourceEntry, ...]
    #: Year-less dates left out because the fetch date is unknown: (line, text).
    unresolved_dates: tuple[tuple[int, str], ...] = ()
    #: Papers left out (:mod:`.checks`): (1-based position in the listing, reason
    #: starting with the line of the title).
    skipped: tuple[tuple[int, str], ...] = ()


def is_boilerplate(line: str) -> bool:
    """True for the page chrome that a listing repeats around its papers."""
    stripped = line.strip()
    return stripped in _BOILERPLATE or stripped.startswith(_BOILERPLATE_PREFIXES)


def parse_listing_date(text: str, *, fetched: date | None) -> date | Literal[False] | None:
    """Parse ``Oct 13, 2017`` or ``Aug 20``.

    Returns the date, ``None`` for a year-less date that cannot be resolved (no fetch
    date: never guessed), or ``False`` if ``text`` is not a listing date at all.
    A year-less date takes the fetch date's year; one that would fall after the fetch
    date belongs to the year before (a page cannot list a paper from its future).
    """
    match = _DATE_RE.match(text.strip())
    if match is None:
        return False
    month = MONTHS.index(match[1]) + 1
    day = int(match[2])
    if match[3] is not None:
        return _make_date(int(match[3]), month, day)
    if fetched is None:
        return None
    resolved = _make_date(fetched.year, month, day)
    if resolved is not None and resolved > fetched:
        resolved = _make_date(fetched.year - 1, month, day)
    return resolved


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _split_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based numbers; a glued ``Subscribe`` is split off.
    Control characters are kept: the paper holding one is skipped, naming its line."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith(_GLUED_SUBSCRIBE) and len(line) > len(_GLUED_SUBSCRIBE):
            rest = line[len(_GLUED_SUBSCRIBE) :]
            if rest[0].isupper() or not rest[0].isalpha():
                out.append((number, _GLUED_SUBSCRIBE))
                out.append((number, rest.strip()))
                continue
        out.append((number, line))
    return out


def detect_layout(text: str) -> Literal["blocks", "compact"]:
    lines = text.splitlines()
    glued = any(
        line.startswith(_GLUED_SUBSCRIBE) and line.strip() != _GLUED_SUBSCRIBE for line in lines
    )
    blank = any(not line.strip() for line in lines)
    return "compact" if glued or not blank else "blocks"


def _is_meta(line: str, *, fetched: date | None) -> bool:
    return (
        _AUTHORS_RE.match(line) is not None
        or line.strip() == _SEPARATOR
        or parse_listing_date(line, fetched=fetched) is not False
    )


def parse_listing(text: str, *, path: str = "<listing>", fetched: date | None = None) -> Listing:
    """Parse a listing page into entries, in page order.

    Raises :class:`ListingError` naming ``path`` and the line for an empty source, an
    HTML page, a title without an abstract (truncation), or a page with no papers. A
    paper that could not become a valid page is left out (``skipped``), not fatal.
    """
    if not text.strip():
        raise ListingError("source is empty", path=path, line=1)
    first = next(i for i, line in enumerate(text.splitlines(), start=1) if line.strip())
    if _HTML_RE.match(text.lstrip()) or "<html" in text[:2000].lower():
        raise ListingError(
            "looks like an HTML page (an error page?), not a saved listing", path=path, line=first
        )

    lines = _split_lines(text)
    entries: list[SourceEntry] = []
    unresolved: list[tuple[int, str]] = []
    page_date: str | None = None
    index = 0
    while index < len(lines):
        number, line = lines[index]
        index += 1
        if is_boilerplate(line):
            continue
        if _is_meta(line, fetched=fetched):
            if not entries:
                if line.strip() != _SEPARATOR and _AUTHORS_RE.match(line) is None:
                    page_date = page_date or line.strip()
                    continue
                raise ListingError(f"{line.strip()!r} before any paper", path=path, line=number)
            entries[-1] = _apply_meta(entries[-1], line, number, fetched, unresolved)
            continue
        title = line.strip()
        if len(title) > MAX_TITLE_CHARS:
            raise ListingError(
                f"expected a title, found {len(title)} characters of text "
                "(a title without its abstract just before?)",
                path=path,
                line=number,
            )
        if index >= len(lines):
            raise ListingError(
                f"truncated: paper {title!r} has no abstract", path=path, line=number
            )
        abstract_number, abstract = lines[index]
        index += 1
        if is_boilerplate(abstract) or _is_meta(abstract, fetched=fetched):
            raise ListingError(
                f"paper {title!r} has no abstract (found {abstract.strip()!r})",
                path=path,
                line=abstract_number,
            )
        abstract = abstract.strip()
        if len(abstract.split()) < MIN_ABSTRACT_WORDS:
            raise ListingError(
                f"paper {title!r}: {abstract!r} is too short to be an abstract "
                "(a title without its abstract?)",
                path=path,
                line=abstract_number,
            )
        entries.append(SourceEntry(title=title, abstract=abstract, line=number))
    if not entries:
        raise ListingError("no papers found in this listing", path=path, line=first)
    kept: list[SourceEntry] = []
    skipped: list[tuple[int, str]] = []
    for position, entry in enumerate(entries, start=1):
        problems = entry_problems(entry)
        if problems:
            skipped.append((position, f"line {entry.line}: {'; '.join(problems)}"))
        else:
            kept.append(entry)
    return Listing(
        layout=detect_layout(text),
        page_date=page_date,
        entries=tuple(kept),
        unresolved_dates=tuple(unresolved),
        skipped=tuple(skipped),
    )


def _apply_meta(
    entry: SourceEntry,
    line: str,
    number: int,
    fetched: date | None,
    unresolved: list[tuple[int, str]],
) -> SourceEntry:
    authors = _AUTHORS_RE.match(line)
    if authors is not None:
        return _replace(entry, author_count=int(authors[1]))
    if line.strip() == _SEPARATOR:
        return entry
    parsed = parse_listing_date(line, fetched=fetched)
    if parsed is None:
        unresolved.append((number, line.strip()))
        return entry
    assert parsed is not False  # _is_meta() said it is a date
    return _replace(entry, published=parsed)


def _replace(entry: SourceEntry, **changes: object) -> SourceEntry:
    from dataclasses import replace

    return replace(entry, **changes)  # type: ignore[arg-type]
