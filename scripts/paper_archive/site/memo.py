"""Results kept from one build to the next in the same process (``mkdocs serve``),
each under the content key it was computed from.

A result is asked for by name and key: it is given back only when the key is the one
it was made from, so it can never stand for other content (the key must cover every
input, e.g. :attr:`~paper_archive.site.collect.Archive.key`). Each name holds one
entry, the latest key's: memory follows the archive, not the number of rebuilds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
V = TypeVar("V")

#: name -> (key, value): one entry per name, the latest.
_LATEST: dict[str, tuple[Hashable, Any]] = {}
_LOCK = threading.Lock()


def latest(name: str, key: Hashable | None, compute: Callable[[], T]) -> T:
    """The value of ``name`` for ``key``: remembered, or computed and remembered in
    place of the one before. ``key`` None: computed, not remembered."""
    if key is None:
        return compute()
    with _LOCK:
        held = _LATEST.get(name)
    if held is not None and held[0] == key:
        return held[1]
    value = compute()
    put(name, key, value)
    return value


def key_of(archive_key: str, *more: Hashable) -> tuple[Hashable, ...] | None:
    """A key made of an archive's key and more inputs; None for an archive without a
    key (one not made by :func:`~paper_archive.site.collect.collect`)."""
    return (archive_key, *more) if archive_key else None


def get(name: str, key: Hashable) -> Any | None:
    with _LOCK:
        held = _LATEST.get(name)
    return held[1] if held is not None and held[0] == key else None


def held(name: str) -> Any | None:
    """Whatever ``name`` holds, for any key (to update it into the next one)."""
    with _LOCK:
        entry = _LATEST.get(name)
    return None if entry is None else entry[1]


def put(name: str, key: Hashable, value: object) -> None:
    with _LOCK:
        _LATEST[name] = (key, value)


def drop(name: str) -> None:
    with _LOCK:
        _LATEST.pop(name, None)


def no_extra(item: object) -> None:
    """:func:`per_item`'s ``extra`` when an item's value depends on the item alone."""
    return None


def per_item(
    name: str,
    items: Iterable[T],
    extra: Callable[[T], Hashable],
    compute: Callable[[T], V],
) -> list[V]:
    """``compute(item)`` for each item, reusing the value the last call of ``name``
    computed for the same item object with the same ``extra(item)``.

    Items must be immutable (frozen entries): the same object has the same content, so
    a value found by identity is the value of that content. Only the last call's items
    are kept."""
    previous: dict[int, tuple[T, Hashable, V]] = held(name) or {}
    table: dict[int, tuple[T, Hashable, V]] = {}
    out: list[V] = []
    for item in items:
        key = extra(item)
        hit = previous.get(id(item))
        same = hit is not None and hit[0] is item and hit[1] == key
        value = hit[2] if same and hit is not None else compute(item)
        table[id(item)] = (item, key, value)
        out.append(value)
    put(name, "per item", table)
    return out
