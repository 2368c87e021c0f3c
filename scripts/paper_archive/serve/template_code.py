"""Compiled theme templates kept from one build to the next of a process.

MkDocs makes a new Jinja environment for every build, so ``mkdocs serve`` compiles
Material's templates again on every save (~0.15 s). Jinja's own bytecode cache keeps
the compiled code of each template by its name and file, and uses it only while the
template's source has the same checksum: an edited template is compiled again. The
serve process's object holds one (paper_archive/plugin/archive.py).
"""

from __future__ import annotations

import threading

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's :class:`~jinja2.BytecodeCache` in this process's memory (one entry per
    template: memory follows the theme, not the number of builds)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # checks the source's checksum itself

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code

    def clear(self) -> None:
        with self._lock:
            self._code.clear()
