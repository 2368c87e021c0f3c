"""What one upstream item must be to become a page: checked when it is read.

Decision: every parser (:mod:`.hf`, :mod:`.arxiv`, :mod:`.listing`) checks each entry it
yields with :func:`entry_problems`, and leaves out an entry that fails with its reasons,
so one bad item never stops the others. The rules are ``papers validate``'s own, not a
copy: the characters no page may hold (:func:`paper_archive.text.safe.unsafe_characters`)
and the title and abstract limits (:func:`paper_archive.disk.pages.title_over_limit`,
:func:`~paper_archive.disk.pages.abstract_over_limit`), plus the size of the page the entry
would become. Before this, a lone surrogate from a JSON escape ended ``papers fetch``
and every later ``papers ingest`` in a ``UnicodeEncodeError``, and a U+202E in a title
was written into a page that ``papers validate`` then refused, failing the day's fetch.
"""

from __future__ import annotations

import datetime as dt

from ..disk import pages
from ..record.model import Paper
from ..text.safe import extract_links, inert, unsafe_characters
from .entry import SourceEntry

#: Room kept in a page for what ingest adds beside an entry's own fields: tags, the
#: ids of its sources, the front matter's keys.
PAGE_HEADROOM_BYTES = 4 * 1024


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _page_bytes(entry: SourceEntry, abstract: str) -> int:
    """The bytes the entry's page takes, with :data:`PAGE_HEADROOM_BYTES`. A cheap
    upper bound first (the title twice, escaped at most 4x; the abstract and, at
    most, as much again in links; the authors); the page rendered when it is over."""
    bound = (
        _size(entry.title) * 8
        + _size(abstract) * 2
        + sum(_size(a) * 4 + 8 for a in entry.authors)
        + PAGE_HEADROOM_BYTES
    )
    if bound <= pages.PAGE_MAX_BYTES:
        return bound
    paper = Paper(
        title=entry.title,
        added=dt.date(2000, 1, 1),
        published=entry.published,
        author_count=entry.author_count,
        authors=entry.authors,
        arxiv=entry.arxiv,
        code=extract_links(entry.abstract),
        abstract=abstract,
    )
    return _size(pages.render_page(paper)) + PAGE_HEADROOM_BYTES


def entry_problems(entry: SourceEntry) -> list[str]:
    """Why ``entry`` cannot become a valid page (empty: it can). Each reason names the
    field and, for a character, its code point; no reason quotes the bad text."""
    fields = [("title", entry.title), ("abstract", entry.abstract)]
    fields += [(f"author {n}", name) for n, name in enumerate(entry.authors, start=1)]
    out = [
        f"{field} holds {', '.join(found)}"
        for field, value in fields
        if (found := unsafe_characters(value))
    ]
    if out:
        return out  # the rest would measure text that is never written
    abstract = inert(entry.abstract)
    limits = (pages.title_over_limit(entry.title), pages.abstract_over_limit(abstract))
    out += [problem for problem in limits if problem is not None]
    if not out:
        size = _page_bytes(entry, abstract)
        if size > pages.PAGE_MAX_BYTES:
            out.append(
                f"its page would take {size // 1024} KB, over the limit of "
                f"{pages.PAGE_MAX_BYTES // 1024} KB ({len(entry.authors)} authors)"
            )
    return out


def checked(entry: SourceEntry) -> SourceEntry | str:
    """``entry``, or why it is left out (its problems joined by ``; ``)."""
    problems = entry_problems(entry)
    return "; ".join(problems) if problems else entry
