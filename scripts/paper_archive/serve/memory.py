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


class Settling:
    """:meth:`settle` once per process (the serve process's object holds one)."""

    def __init__(self) -> None:
        self.settled = False

    def settle(self) -> None:
        """Once: collect, then keep every object alive now out of later collections."""
        if not self.settled:
            self.settled = True
            gc.collect()
            gc.freeze()


def release_free_memory() -> bool:
    """Collect garbage and return the allocator's free pages to the system. False where
    the C library has no ``malloc_trim`` (not glibc): then only the collection runs."""
    gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
