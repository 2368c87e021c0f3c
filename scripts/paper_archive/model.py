"""The paper record: one typed model, and its mapping to and from front matter."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

from .yamlio import shorten

#: Front-matter keys in the order pages store them.
FIELD_ORDER = (
    "title",
    "tags",
    "added",
    "published",
    "author_count",
    "authors",
    "arxiv",
    "code",
    "sources",
)
DATE_FIELDS = frozenset({"added", "published"})
LIST_FIELDS = frozenset({"tags", "authors", "code", "sources"})
#: Fields a source is the authority on; a page that disagrees is a conflict.
SOURCE_OWNED = ("title", "published", "author_count", "abstract")


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper. ``abstract`` is the page body's first paragraph, not front matter."""

    title: str
    added: dt.date
    tags: tuple[str, ...] = ()
    published: dt.date | None = None
    author_count: int | None = None
    authors: tuple[str, ...] = ()
    arxiv: str | None = None
    code: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    abstract: str = ""

    def front_matter(self) -> dict[str, Any]:
        """The mapping to dump: keys in :data:`FIELD_ORDER`, empty optionals left out,
        sets (tags, code, sources) sorted; author order is meaningful and kept."""
        out: dict[str, Any] = {}
        for name in FIELD_ORDER:
            value = getattr(self, name)
            if name == "tags":
                out[name] = sorted(set(value))
            elif name in LIST_FIELDS:
                if value:
                    out[name] = list(value) if name == "authors" else sorted(set(value))
            elif value is not None:
                out[name] = value
        return out

    @classmethod
    def from_front_matter(cls, meta: dict[str, Any], *, abstract: str = "") -> Paper:
        """Build a record from front matter, checking every type on the way.

        Raises ``ValueError`` (or ``TypeError``) naming the key. ``papers validate`` gives
        the same verdicts with line numbers, through the JSON Schema.
        """
        unknown = sorted(set(meta) - set(FIELD_ORDER))
        if unknown:
            raise ValueError(f"unknown key {_quote(unknown[0])}")
        for name in ("title", "tags", "added"):
            if meta.get(name) is None:
                raise ValueError(f"missing required key: {name!r}")
        values: dict[str, Any] = {"abstract": abstract}
        for name in FIELD_ORDER:
            value = meta.get(name)
            if value is None:
                continue
            if name in DATE_FIELDS:
                if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
                    raise TypeError(f"{name}: {_quote(value)} is not a date")
                value = as_date(value)
            elif name in LIST_FIELDS:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise TypeError(f"{name}: {_quote(value)} is not a list of strings")
                value = tuple(value)
            elif name == "author_count":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise TypeError(f"{name}: {_quote(value)} is not a positive integer")
            elif not isinstance(value, str) or not value.strip() or "\n" in value:
                raise TypeError(f"{name}: {_quote(value)} is not a one-line string")
            values[name] = value
        return cls(**values)


def _quote(value: object) -> str:
    """``repr(value)``, shortened: messages never quote an unbounded value."""
    return shorten(repr(value))


def as_date(value: object) -> dt.date:
    """A YAML date (or ISO string) as a ``date``; ``datetime`` is checked first."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise TypeError(f"not a date: {value!r}")


def json_ready(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter as JSON Schema sees it: YAML dates in date fields become ISO strings.

    Dates anywhere else stay ``date`` objects, so ``title: 2024-01-01`` fails the schema
    as "not of type 'string'" instead of passing as text.
    """
    out = dict(meta)
    for name in DATE_FIELDS & out.keys():
        value = out[name]
        if isinstance(value, dt.date):  # a datetime gives "…T…", which fails format: date
            out[name] = value.isoformat()
    return out


@cache
def paper_schema() -> dict[str, Any]:
    """The JSON Schema of a page's front matter (``schemas/paper.schema.json``)."""
    text = resources.files(__package__).joinpath("schemas/paper.schema.json").read_text("utf-8")
    return json.loads(text)


def model_field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Paper) if f.name != "abstract")
