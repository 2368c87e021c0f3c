"""Giving freed memory back to the system between the builds of a long process.

``mkdocs serve`` allocates and frees a whole site's worth of small objects on every
rebuild. CPython returns what it frees to the C allocator, and glibc's allocator keeps
freed blocks in its heaps, so the process's resident size creeps up over rebuilds while
the Python heap stays flat (measured: tests/benchmarks/bench_rebuild.py ``--memory``).
After a build, a full collection and glibc's ``malloc_trim`` hand the free pages back.
The collection walks every object of the process (0.35 s at 10,000 papers), so it runs
on a timer a moment after the build (:func:`release_soon`), once the rebuilt page has
been served, and is called off when the next build starts first (:func:`hold`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging
import threading

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


def release_free_memory() -> bool:
    """Collect garbage and return the allocator's free pages to the system. False where
    the C library has no ``malloc_trim`` (not glibc): then only the collection runs."""
    gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


_TIMER: threading.Timer | None = None
_TIMER_LOCK = threading.Lock()


def release_soon(delay: float = 1.0) -> None:
    """:func:`release_free_memory` in ``delay`` seconds, unless :func:`hold` comes first."""
    global _TIMER
    timer = threading.Timer(delay, release_free_memory)
    timer.daemon = True
    with _TIMER_LOCK:
        if _TIMER is not None:
            _TIMER.cancel()
        _TIMER = timer
    timer.start()


def hold() -> None:
    """A build starts: the pending release waits for its end (:func:`release_soon`)."""
    global _TIMER
    with _TIMER_LOCK:
        if _TIMER is not None:
            _TIMER.cancel()
        _TIMER = None
