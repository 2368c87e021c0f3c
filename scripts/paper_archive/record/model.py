"""The paper record: one typed model, its contract, and its mapping to and from front matter.

One validator: ``schemas/paper.schema.json`` is the published contract, and
:func:`front_matter_problems` is that schema compiled into plain checks (the few
keywords it uses, each giving JSON Schema's own message). ``jsonschema`` would take
1.0 s to check 10,000 pages, these checks 0.1 s, and the build and ingest check every
page, so ``jsonschema`` is kept for the tests only: they prove the two give the same
problems (``tests/test_validate.py``). A keyword the compiler does not know fails at
its first use, so the schema cannot grow a rule the checks silently skip.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

from ..files.yamlio import QUOTE_MAX, shorten

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
    def from_front_matter(cls, meta: Mapping[str, Any], *, abstract: str = "") -> Paper:
        """Build a record from front matter, checked against the schema on the way.

        Raises :class:`InvalidFrontMatter` (a ``ValueError``) with every problem; pages
        load through :func:`paper_archive.disk.pages.load_paper`, which gives each its line.
        """
        problems = front_matter_problems(meta)
        if problems:
            raise InvalidFrontMatter(problems)
        values: dict[str, Any] = {"abstract": abstract}
        for name in FIELD_ORDER:
            value = meta.get(name)
            if name in DATE_FIELDS and value is not None:
                value = as_date(value)
            elif name in LIST_FIELDS and value is not None:
                value = tuple(value)
            elif name == "author_count" and value is not None:
                value = int(value)  # JSON Schema's integer includes 3.0
            if value is not None:
                values[name] = value
        return cls(**values)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A schema violation at top-level ``key`` (``None``: the mapping itself), and at
    list item ``index`` of it when the problem is inside a list."""

    key: str | None
    index: int | None
    message: str


class InvalidFrontMatter(ValueError):
    """Front matter that fails the schema; ``problems`` holds every violation."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(problems[0].message)


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
    text = resources.files("paper_archive").joinpath("schemas/paper.schema.json").read_text("utf-8")
    return json.loads(text)


def model_field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Paper) if f.name != "abstract")


# --- the schema, compiled into checks --------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(text: str) -> bool:
    """JSON Schema's ``format: date`` (as ``jsonschema`` checks it)."""
    if not _DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_TYPES: dict[str, Callable[[object], bool]] = {
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "integer": lambda v: (
        not isinstance(v, bool)
        and (isinstance(v, int) or (isinstance(v, float) and v.is_integer()))
    ),
    "number": lambda v: not isinstance(v, bool) and isinstance(v, int | float),
}


def _same(value: object) -> object:
    """A hashable stand-in, equal where JSON Schema's equality is (``True`` is not 1)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list):
        return ("list", tuple(_same(v) for v in value))
    if isinstance(value, dict):
        return ("dict", frozenset((k, _same(v)) for k, v in value.items()))
    return value


def _unique(items: list[Any]) -> bool:
    if all(type(v) is str for v in items):
        return len(set(items)) == len(items)
    try:
        return len({_same(v) for v in items}) == len(items)
    except TypeError:  # an unhashable oddity: compare pairwise
        seen: list[object] = []
        for item in items:
            if _same(item) in seen:
                return False
            seen.append(_same(item))
        return True


#: A keyword compiled with its argument: the value -> the message after ``repr(value)``,
#: or ``None`` when the value passes (or the keyword does not apply to its type).
_Test = Callable[[Any], str | None]


def _kw_type(expected: str) -> _Test:
    is_type = _TYPES[expected]
    message = f"is not of type {expected!r}"
    return lambda v: None if is_type(v) else message


def _kw_min_length(limit: int) -> _Test:
    message = "should be non-empty" if limit == 1 else "is too short"
    return lambda v: message if isinstance(v, str) and len(v) < limit else None


def _kw_min_items(limit: int) -> _Test:
    message = "should be non-empty" if limit == 1 else "is too short"
    return lambda v: message if isinstance(v, list) and len(v) < limit else None


def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A schema ``pattern`` compiled with JSON Schema's (ECMA-262) meaning of ``$``: the
    end of the text. Python's ``$`` also matches before a final newline, so
    ``arxiv: "2403.12345\\n"`` passed ``^…$`` and its newline reached BibTeX and the
    page's metadata; each ``$`` outside a character class becomes ``\\Z``."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(char)
    return re.compile("".join(out))


def _kw_pattern(pattern: str) -> _Test:
    search = ecma_regex(pattern).search
    message = f"does not match {pattern!r}"
    return lambda v: message if isinstance(v, str) and not search(v) else None


def _kw_format(name: str) -> _Test:
    if name != "date":
        raise ValueError(f"paper.schema.json: format {name!r} has no check in model.py")
    message = f"is not a {name!r}"
    return lambda v: message if isinstance(v, str) and not _is_date(v) else None


def _kw_minimum(limit: float) -> _Test:
    message = f"is less than the minimum of {limit!r}"
    return lambda v: message if _TYPES["number"](v) and v < limit else None


def _kw_unique(on: bool) -> _Test:
    message = "has non-unique elements"
    return lambda v: message if on and isinstance(v, list) and not _unique(v) else None


_KEYWORDS: dict[str, Callable[[Any], _Test]] = {
    "type": _kw_type,
    "minLength": _kw_min_length,
    "minItems": _kw_min_items,
    "pattern": _kw_pattern,
    "format": _kw_format,
    "minimum": _kw_minimum,
    "uniqueItems": _kw_unique,
}
#: Keywords that only annotate.
_ANNOTATIONS = frozenset({"description", "title", "$schema", "$id", "examples"})

#: One property's checks: the value -> (list index, bad value, message) of each failure.
_Check = Callable[[Any], list[tuple[int | None, Any, str]]]


def _compile(schema: Mapping[str, Any]) -> _Check:
    """The checks of one property's schema, in the schema's keyword order (as
    ``jsonschema`` reports them); a keyword without a check raises ``ValueError``."""
    tests: list[_Test] = []
    items: _Check | None = None
    for keyword, argument in schema.items():
        if keyword == "items":
            items = _compile(argument)
        elif keyword in _KEYWORDS:
            tests.append(_KEYWORDS[keyword](argument))
        elif keyword not in _ANNOTATIONS:
            raise ValueError(f"paper.schema.json: keyword {keyword!r} has no check in model.py")

    def check(value: Any) -> list[tuple[int | None, Any, str]]:
        out: list[tuple[int | None, Any, str]] = []
        for test in tests:
            message = test(value)
            if message is not None:
                out.append((None, value, message))
        if items is not None and isinstance(value, list):
            for index, item in enumerate(value):
                out.extend((index, bad, message) for _, bad, message in items(item))
        return out

    return check


def _quick(schema: Mapping[str, Any]) -> Callable[[Any], bool]:
    """Whether a value passes one property's schema, fast: the string and list-of-string
    shapes every valid page has are one expression each (built-in ``map`` and ``all``),
    so a valid page costs a few calls per key; anything else asks the full checks."""
    full = _compile(schema)  # refuses a keyword without a check, here too
    kw = {k: v for k, v in schema.items() if k not in _ANNOTATIONS}
    if kw.get("type") == "string" and kw.keys() <= {"type", "minLength", "pattern", "format"}:
        min_length = kw.get("minLength", 0)
        search = ecma_regex(kw["pattern"]).search if "pattern" in kw else None
        date = "format" in kw

        def string_ok(v: Any) -> bool:
            return (
                isinstance(v, str)
                and len(v) >= min_length
                and (search is None or search(v) is not None)
                and (not date or _is_date(v))
            )

        return string_ok
    if kw.get("type") == "array" and kw.keys() <= {"type", "items", "uniqueItems", "minItems"}:
        item_ok = _quick(kw.get("items", {}))
        min_items, unique = kw.get("minItems", 0), kw.get("uniqueItems", False)

        def list_ok(v: Any) -> bool:
            return (
                isinstance(v, list)
                and len(v) >= min_items
                and (not unique or _unique(v))
                and all(map(item_ok, v))
            )

        return list_ok
    if kw.get("type") == "integer" and kw.keys() <= {"type", "minimum"}:
        minimum = kw.get("minimum", float("-inf"))
        return lambda v: type(v) is int and v >= minimum  # else the full checks decide
    return lambda v: not full(v)


@cache
def _property_checks() -> tuple[
    dict[str, _Check], dict[str, Callable[[Any], bool]], tuple[str, ...], bool
]:
    schema = paper_schema()
    top = set(schema) - _ANNOTATIONS - {"type", "properties", "required", "additionalProperties"}
    if schema.get("type") != "object" or top:
        raise ValueError(f"paper.schema.json: top-level keywords {sorted(top)} have no check")
    checks = {name: _compile(sub) for name, sub in schema["properties"].items()}
    quick = {name: _quick(sub) for name, sub in schema["properties"].items()}
    closed = schema.get("additionalProperties") is False
    return checks, quick, tuple(schema.get("required", ())), closed


def front_matter_problems(meta: Mapping[str, Any]) -> list[FieldProblem]:
    """Every violation of ``paper.schema.json`` in a page's front matter, in the order
    and with the messages ``jsonschema`` gives (the tests compare the two)."""
    checks, quick, required, closed = _property_checks()
    data = json_ready(dict(meta))
    if (
        (not closed or data.keys() <= checks.keys())
        and all(k in data for k in required)
        and all(quick[k](v) for k, v in data.items() if k in quick)
    ):
        return []
    out: list[FieldProblem] = []
    if closed and not data.keys() <= checks.keys():
        out.extend(
            FieldProblem(k, None, f"unknown key {k!r}") for k in sorted(data.keys() - checks.keys())
        )
    out.extend(
        FieldProblem(None, None, f"missing required key: {k!r}") for k in required if k not in data
    )
    found: list[tuple[list[str], FieldProblem]] = []
    for name, check in checks.items():
        if name not in data:
            continue
        for index, bad, message in check(data[name]):
            where = shorten(name if index is None else f"{name}.{index}", QUOTE_MAX)
            value = repr(bad)
            said = f"{shorten(value) if len(value) > QUOTE_MAX else value} {message}"
            path = [name] if index is None else [name, str(index)]
            found.append((path, FieldProblem(name, index, f"{where}: {shorten(said, 300)}")))
    out.extend(problem for _, problem in sorted(found, key=lambda pair: pair[0]))
    return out
