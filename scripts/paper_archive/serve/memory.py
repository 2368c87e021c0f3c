"""Giving freed memory back to the system between the builds of a long process.

``mkdocs serve`` allocates and frees a whole site's worth of small objects on every
rebuild; glibc keeps freed blocks in its heaps, so after a build a full collection and
``malloc_trim`` hand the free pages back. :meth:`Settling.settle` moves what is alive
once into the collector's permanent generation (:func:`gc.freeze`), so that those
collections walk only what later builds made, and leaves full collections to the end of
each build (the collector no longer starts them on its own mid-save).

Design notes: docs/modules.md, `serve/memory.py`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging

log = logging.getLogger(__name__)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None  # glibc only


#: The collector's third threshold once settled (CPython's default is 10): a full
#: collection after this many collections of the middle generation, i.e. after some
#: 7,000,000 container allocations with the default first thresholds, more than a serve
#: save makes; each save's own full collection comes first.
RARE_FULL_COLLECTIONS = 1000


class Settling:
    """:meth:`settle` once per process (the serve process's object holds one)."""

    def __init__(self) -> None:
        self.settled = False

    def settle(self) -> None:
        """Once: collect, then keep every object alive now out of later collections, and
        leave full collections to the end of each build (:func:`release_free_memory`)."""
        if not self.settled:
            self.settled = True
            gc.collect()
            gc.freeze()
            young, middle, old = gc.get_threshold()
            gc.set_threshold(young, middle, max(old, RARE_FULL_COLLECTIONS))


def release_free_memory(*, collect: bool = True) -> bool:
    """Collect garbage and return the allocator's free pages to the system. False where
    the C library has no ``malloc_trim`` (not glibc): then only the collection runs.
    ``collect=False``: no collection, for what reference counting frees alone (texts,
    not cycles: the exports a thread has written)."""
    if collect:
        gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
