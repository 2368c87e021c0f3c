"""Front-matter problems said in a contributor's terms, with the YAML that is right.

:func:`paper_archive.record.model.front_matter_problems` gives JSON Schema's own messages
(``authors: 'Ada Lovelace' is not of type 'array'``: the tests hold it to
``jsonschema``'s verdicts). A contributor reading ``papers validate`` or a failed build
needs what the field is and how to write it::

    `authors` must be a list of names, like:
      authors:
      - Ada Lovelace

This module turns the one into the other (pure; the problem's key, list index and the
value found are all it reads). Keys it has no help for keep the schema's message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..files.yamlio import shorten
from .model import FieldProblem

#: key -> (what the field must be, what one list item must be, a right example).
HELP: dict[str, tuple[str, str, str]] = {
    "title": (
        "the title as text on one line (quote it if it looks like a date or yes/no)",
        "",
        "title: 'Attention Is All You Need'",
    ),
    "tags": (
        "a list of topic slugs from data/tags.yaml (it may be empty: tags: [])",
        "a topic slug from data/tags.yaml: lowercase words joined by hyphens",
        "tags:\n- transformers\n- sequence-models",
    ),
    "added": (
        "the date the paper was added, written YYYY-MM-DD",
        "",
        "added: 2026-11-23",
    ),
    "published": (
        "the publication date, written YYYY-MM-DD (leave the key out when unknown)",
        "",
        "published: 2017-06-12",
    ),
    "author_count": (
        "the number of authors, a whole number of at least 1",
        "",
        "author_count: 8",
    ),
    "authors": (
        "a list of names, one per line (leave the key out when unknown)",
        "a name",
        "authors:\n- Ada Lovelace",
    ),
    "arxiv": (
        "an arXiv id without prefix or version",
        "",
        "arxiv: '1706.03762'",
    ),
    "code": (
        "a list of http(s) links to code or a project page",
        "an http(s) link",
        "code:\n- https://github.com/tensorflow/tensor2tensor",
    ),
    "sources": (
        "a list of source ids from data/sources/ (written by papers ingest)",
        "a source id",
        "sources:\n- hf-listing-38e464cb",
    ),
}


def _found(meta: Mapping[str, Any], key: str, index: int | None) -> str:
    value = meta.get(key)
    if index is not None and isinstance(value, list) and 0 <= index < len(value):
        value = value[index]
    if isinstance(value, dt.date):  # YAML read an unquoted date: say it as written
        return value.isoformat()
    return shorten(repr(value))


def contributor_message(problem: FieldProblem, meta: Mapping[str, Any]) -> str:
    """``problem`` said as what the field must be, the value found and a right example;
    the schema's message for a problem no help covers (unknown or missing keys)."""
    key, index = problem.key, problem.index
    if key is None or key not in HELP:
        return problem.message
    whole, item, example = HELP[key]
    indented = "\n".join(f"  {line}" for line in example.splitlines())
    if index is not None and item:
        return (
            f"`{key}` item {index + 1} must be {item}, not {_found(meta, key, index)}; "
            f"`{key}` is {whole}, like:\n{indented}"
        )
    return f"`{key}` must be {whole}, like:\n{indented}\n(found {_found(meta, key, None)})"
