"""Results kept from one build to the next in the same process (``mkdocs serve``),
each under the content key it was computed from.

A result is asked for by name and key: it is given back only when the key is the one
it was made from, so it can never stand for other content (the key must cover every
input, e.g. :attr:`~paper_archive.site.collect.Archive.key`). Each name holds one
entry, the latest key's: memory follows the archive, not the number of rebuilds. One
:class:`Memo` lives on the serve process's object (paper_archive/plugin/archive.py);
the pure functions are handed it (paper_archive/remembering.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
V = TypeVar("V")


class Memo:
    """name -> (key, value): one entry per name, the latest."""

    def __init__(self) -> None:
        self._latest: dict[str, tuple[Hashable, Any]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._latest)

    def latest(self, name: str, key: Hashable | None, compute: Callable[[], T]) -> T:
        """The value of ``name`` for ``key``: remembered, or computed and remembered in
        place of the one before. ``key`` None: computed, not remembered."""
        if key is None:
            return compute()
        with self._lock:
            held = self._latest.get(name)
        if held is not None and held[0] == key:
            return held[1]
        value = compute()
        self.put(name, key, value)
        return value

    def get(self, name: str, key: Hashable) -> Any | None:
        with self._lock:
            held = self._latest.get(name)
        return held[1] if held is not None and held[0] == key else None

    def held(self, name: str) -> Any | None:
        """Whatever ``name`` holds, for any key (to update it into the next one)."""
        with self._lock:
            entry = self._latest.get(name)
        return None if entry is None else entry[1]

    def put(self, name: str, key: Hashable, value: object) -> None:
        with self._lock:
            self._latest[name] = (key, value)

    def drop(self, name: str) -> None:
        with self._lock:
            self._latest.pop(name, None)

    def clear(self) -> None:
        with self._lock:
            self._latest.clear()

    def per_item(
        self,
        name: str,
        items: Iterable[T],
        extra: Callable[[T], Hashable],
        compute: Callable[[T], V],
    ) -> list[V]:
        """``compute(item)`` for each item, reusing the value the last call of ``name``
        computed for the same item object with the same ``extra(item)``.

        Items must be immutable (frozen entries): the same object has the same content,
        so a value found by identity is the value of that content. Only the last call's
        items are kept."""
        previous: dict[int, tuple[T, Hashable, V]] = self.held(name) or {}
        table: dict[int, tuple[T, Hashable, V]] = {}
        out: list[V] = []
        for item in items:
            key = extra(item)
            hit = previous.get(id(item))
            same = hit is not None and hit[0] is item and hit[1] == key
            value = hit[2] if same and hit is not None else compute(item)
            table[id(item)] = (item, key, value)
            out.append(value)
        self.put(name, "per item", table)
        return out
