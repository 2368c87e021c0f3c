"""The questions ``papers add`` asks in a terminal, one field at a time.

Each answer is parsed as it is given; a bad one is explained and asked again, so the
:class:`~paper_archive.add.Submission` that comes out has the shape
:func:`~paper_archive.add.plan_add` expects (it checks again: these are for the person).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar

from ..add import URL_RE, Submission
from ..project import VOCABULARY
from ..record import arxiv_id
from ..record.tagging import Vocabulary

T = TypeVar("T")
#: Asks one question and returns the answer (``input`` in a terminal).
Ask = Callable[[str], str]


def _ask_until(ask: Ask, say: Callable[[str], None], prompt: str, parse: Callable[[str], T]) -> T:
    """Ask until ``parse`` accepts the answer; its ``ValueError`` is shown and asked again."""
    while True:
        try:
            return parse(ask(prompt))
        except ValueError as exc:
            say(str(exc))


def _ask_lines(ask: Ask) -> list[str]:
    """Lines until an empty one."""
    lines: list[str] = []
    while line := ask("> ").strip():
        lines.append(line)
    return lines


#: An answer that is a date, not a name: 2020-06-19, 19/06/2020, 2020.06, 2020.
_DATE_LIKE = re.compile(r"\d{1,4}(?:[-/.]\d{1,2}){0,2}(?:[-/.]\d{2,4})?")


def author_problem(name: str) -> str | None:
    """Why ``name`` is not an author's name (a date, a number, no letters), or None."""
    name = name.strip()
    if _DATE_LIKE.fullmatch(name):
        return f"{name!r} looks like a date, not an author's name: write a name like Ada Lovelace"
    if not any(ch.isalpha() for ch in name):
        return f"{name!r} has no letters, not an author's name: write a name like Ada Lovelace"
    return None


def _ask_authors(ask: Ask, say: Callable[[str], None]) -> tuple[str, ...]:
    """Author lines until an empty one; a line that is not a name is explained and
    asked again (the names before it are kept)."""
    authors: list[str] = []
    while line := ask("> ").strip():
        if problem := author_problem(line):
            say(problem)
            continue
        authors.append(line)
    return tuple(authors)


def _parse_arxiv(answer: str) -> str | None:
    """An arXiv id (normalised as ``--arxiv-id`` does), or None for an empty answer."""
    if not answer.strip():
        return None
    return arxiv_id.normalize(answer.strip())  # its ValueError names the id


def _parse_title(answer: str) -> str:
    if not answer.strip():
        raise ValueError("a title is needed")
    return answer.strip()


def _parse_date(answer: str) -> dt.date | None:
    if not answer.strip():
        return None
    try:
        return dt.date.fromisoformat(answer.strip())
    except ValueError:
        raise ValueError(f"{answer.strip()!r} is not a date: write YYYY-MM-DD") from None


def _tag_parser(vocabulary: Vocabulary) -> Callable[[str], tuple[str, ...]]:
    def parse(answer: str) -> tuple[str, ...]:
        tags = tuple(answer.replace(",", " ").split())
        for tag in tags:
            if tag not in vocabulary.slugs:
                close = vocabulary.close_to(tag)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise ValueError(f"unknown tag {tag!r}{hint}")
        return tags

    return parse


def _parse_links(answer: str) -> tuple[str, ...]:
    links = tuple(answer.replace(",", " ").split())
    for link in links:
        if not URL_RE.match(link):
            raise ValueError(f"{link!r} is not an http(s) URL")
    return links


def prompt_submission(
    ask: Ask, *, vocabulary: Vocabulary, say: Callable[[str], None]
) -> Submission:
    """Ask for each field in turn; bad answers are explained and asked again.

    Raises ``EOFError`` when the person ends input (Ctrl-D): nothing is written.
    """
    title = _ask_until(ask, say, "Title: ", _parse_title)
    arxiv = _ask_until(
        ask, say, "arXiv id (like 1706.03762 or hep-th/9901001; empty if none): ", _parse_arxiv
    )
    say("Abstract: paste it, then an empty line.")
    abstract_lines = _ask_lines(ask)
    while not abstract_lines:
        say("an abstract is needed")
        abstract_lines = _ask_lines(ask)
    published = _ask_until(ask, say, "Published (YYYY-MM-DD, empty if unknown): ", _parse_date)
    say("Authors, one per line, then an empty line (none: just the empty line).")
    authors = _ask_authors(ask, say)
    say(f"Tags are added by the rules in {VOCABULARY}; you may add more.")
    tags = _ask_until(
        ask, say, "More tags (slugs, space-separated, may be empty): ", _tag_parser(vocabulary)
    )
    code = _ask_until(
        ask, say, "Code or project links (space-separated, may be empty): ", _parse_links
    )
    return Submission(
        title=title,
        abstract="\n".join(abstract_lines),
        published=published,
        authors=authors,
        tags=tags,
        code=code,
        arxiv=arxiv,
    )
