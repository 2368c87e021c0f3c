"""Freed memory goes back to the system between serve rebuilds (serve/memory.py).

Run in a fresh interpreter: ~100 MB of 1 KB blocks (above pymalloc's 512-byte limit,
so they come from glibc's heap), a live block allocated after them so that the heap's
top cannot shrink by itself, then the blocks freed. Only ``malloc_trim`` gives their
pages back; the resident size is read from /proc.
"""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import gc, sys
from paper_archive.serve.memory import release_free_memory

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024

blocks = [bytes(1000) + bytes([i % 256]) for i in range(100_000)]
keep = bytes(1000) + b"x"  # above the blocks: the heap's top stays in use
del blocks
gc.collect()
before = rss()
trim = sys.argv[1] == "trim"
released = release_free_memory() if trim else gc.collect() is None
print(before, rss(), released)
"""


def _run(mode: str) -> tuple[int, int, bool]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1]), out[2] == "True"


def test_freed_blocks_are_given_back_only_by_a_trim() -> None:
    before, after, released = _run("trim")
    assert released  # this machine's C library is glibc
    assert before - after > 50, (before, after)  # MB
    kept_before, kept_after, _ = _run("collect")
    assert kept_before - kept_after < 10, (kept_before, kept_after)  # without it: kept


def test_settled_objects_are_left_out_of_later_collections() -> None:
    """After :func:`settle`, a collection walks only what was made since (the whole
    serve's archive and index are not walked again after each rebuild)."""
    code = """
import gc
from paper_archive.serve.memory import Settling
settling = Settling()
held = [[i] for i in range(200_000)]  # tracked containers that live on
settling.settle()
settling.settle()  # once per process
print(gc.get_freeze_count() >= 200_000, len(gc.get_objects()) < 50_000)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True"]


def test_settled_process_leaves_full_collections_to_each_build() -> None:
    """Settled, the collector no longer starts full collections on its own every few
    thousand allocations (each serve build ends with one: release_free_memory); the
    younger generations keep their thresholds, and before settling nothing changes."""
    code = """
import gc
from paper_archive.serve.memory import RARE_FULL_COLLECTIONS, Settling
before = gc.get_threshold()
Settling().settle()
after = gc.get_threshold()
print(after[:2] == before[:2], after[2] >= RARE_FULL_COLLECTIONS > before[2])
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True"]
