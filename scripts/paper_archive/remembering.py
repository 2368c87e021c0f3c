"""How a pure function of the archive lets its caller remember results: the interface.

A few computations of ``site/`` and ``search/`` are worth keeping from one build to the
next of a ``mkdocs serve`` process (each topic's list pages, each paper's BibTeX entry,
each search document). Those functions take a ``memo`` argument and ask it for each
result by name and key; they keep nothing themselves. :data:`PLAIN`, the default,
remembers nothing: every result is computed, as in ``mkdocs build``. The one that
remembers is :class:`paper_archive.serve.memo.Memo`, owned by the serve layer. A key
must name every input of what it stands for (tests/site/test_memo.py checks it by
perturbing each one).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Protocol, TypeVar

T = TypeVar("T")
V = TypeVar("V")


class Remembers(Protocol):
    """What a pure function may ask of its caller's memo."""

    def latest(self, name: str, key: Hashable | None, compute: Callable[[], T]) -> T:
        """The value of ``name`` for ``key``: remembered, or computed."""
        ...

    def per_item(
        self,
        name: str,
        items: Iterable[T],
        extra: Callable[[T], Hashable],
        compute: Callable[[T], V],
    ) -> list[V]:
        """``compute(item)`` for each (immutable) item, remembered by the item and
        ``extra(item)``: what the value depends on besides the item."""
        ...


class Plain:
    """Remembers nothing: every result computed (``mkdocs build``, the CLI, tests)."""

    def latest(self, name: str, key: Hashable | None, compute: Callable[[], T]) -> T:
        return compute()

    def per_item(
        self,
        name: str,
        items: Iterable[T],
        extra: Callable[[T], Hashable],
        compute: Callable[[T], V],
    ) -> list[V]:
        return [compute(item) for item in items]


#: The default memo of every pure function: none.
PLAIN: Remembers = Plain()


def key_of(archive_key: str, *more: Hashable) -> tuple[Hashable, ...] | None:
    """A key made of an archive's key and more inputs; None for an archive without a
    key (one not made by :func:`~paper_archive.site.collect.collect`): not remembered."""
    return (archive_key, *more) if archive_key else None


def no_extra(item: object) -> None:
    """``per_item``'s ``extra`` when an item's value depends on the item alone."""
    return None
