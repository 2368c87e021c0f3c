"""Giving freed memory back to the system between the builds of a long process.

``mkdocs serve`` allocates and frees a whole site's worth of small objects on every
rebuild. CPython returns what it frees to the C allocator, and glibc's allocator keeps
freed blocks in its heaps, so the process's resident size creeps up over rebuilds while
the Python heap stays flat (measured: tests/benchmarks/bench_rebuild.py ``--memory``).
After a build, a full collection and glibc's ``malloc_trim`` hand the free pages back.

A full collection walks every object the process holds: 0.35 s at 10,000 papers, most
of it what lives for the whole serve (the parsed archive, the related-papers index,
the memo). :meth:`Settling.settle` moves what is alive once into the collector's permanent
generation (:func:`gc.freeze`), after which a collection walks only what later builds
made (a few milliseconds). What was alive then and later becomes cyclic garbage stays:
one build's worth of objects, once, not per build.

Settled, the collector's automatic full collections are made rare as well: each serve
build ends with one (:func:`release_free_memory`), so the ones the collector starts on
its own in the middle of a save (several per save at 10,000 papers, each walking every
object made since the freeze: ~0.2 s of a save's CPU) only repeat it. The younger
generations are collected as before, so short-lived cycles still go at once.
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
