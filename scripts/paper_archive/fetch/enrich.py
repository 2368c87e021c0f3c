"""Enrich an existing page from arXiv: decide on a title search's results (pure).

Only an exact match of the normalised title (:func:`~paper_archive.record.slugs.title_key`)
to exactly one arXiv paper is trusted; the page then gets the arXiv id, and authors,
author count and published date where it has none. Everything else — no match, close
titles, several papers with the title, a value that disagrees with the page — is a
:class:`Verdict` or a note for a human, and never written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Literal

from ..record.model import Paper
from ..record.slugs import title_key
from ..sources.entry import SourceEntry
from ..sources.feed import Feed

VerdictKind = Literal["match", "ambiguous", "close", "none"]
#: Titles at least this similar (after normalising) are shown to a human as candidates.
CLOSE = 0.85


@dataclass(frozen=True, slots=True)
class Verdict:
    """``match``: ``entry`` is the paper. Otherwise ``candidates`` are for a human."""

    kind: VerdictKind
    entry: SourceEntry | None = None
    candidates: tuple[SourceEntry, ...] = ()


def judge(title: str, feed: Feed) -> Verdict:
    """What a title search says about the page titled ``title``.

    Candidates come in an order of their own, not the response's (a batched search
    mixes several titles' results): the same title by arXiv id, close titles most
    similar first."""
    key = title_key(title)
    exact = [e for e in feed.entries if e.arxiv and title_key(e.title) == key]
    if len({e.arxiv for e in exact}) == 1:
        return Verdict("match", entry=exact[0])
    if exact:
        return Verdict("ambiguous", candidates=tuple(sorted(exact, key=lambda e: e.arxiv or "")))
    ratios = (
        (SequenceMatcher(None, key, title_key(e.title), autojunk=False).ratio(), e)
        for e in feed.entries
    )
    close = sorted(
        ((ratio, e) for ratio, e in ratios if ratio >= CLOSE),
        key=lambda pair: (-pair[0], pair[1].arxiv or ""),
    )
    if not close:
        return Verdict("none")
    return Verdict("close", candidates=tuple(e for _, e in close))


@dataclass(frozen=True, slots=True)
class Enrichment:
    """The page's record with arXiv's data; ``filled`` names the fields added and
    ``notes`` the page values that disagree with arXiv (kept, for a human)."""

    paper: Paper
    filled: tuple[str, ...]
    notes: tuple[str, ...]


def enrich(paper: Paper, entry: SourceEntry) -> Enrichment:
    """Fill in what the page lacks from a matched arXiv entry; never overwrite."""
    values: dict[str, object] = {}
    notes: list[str] = []
    for name, page_value, arxiv_value in (
        ("arxiv", paper.arxiv, entry.arxiv),
        ("authors", paper.authors or None, entry.authors or None),
        ("author_count", paper.author_count, entry.author_count),
        ("published", paper.published, entry.published),
    ):
        if arxiv_value is None or page_value == arxiv_value:
            continue
        if page_value is None:
            values[name] = arxiv_value
        else:
            notes.append(f"{name}: the page has {_show(page_value)}, arXiv {_show(arxiv_value)}")
    return Enrichment(
        paper=replace(paper, **values),  # type: ignore[arg-type]
        filled=tuple(values),
        notes=tuple(notes),
    )


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    return str(value)
