"""Compiled theme templates kept from one build to the next of a process.

MkDocs makes a new Jinja environment for every build, so ``mkdocs serve`` compiled
Material's templates again on every save (~0.15 s), and so did every build of a process
that builds more than once through MkDocs' API (a test run: ~50 builds per worker,
39 templates each, ~9 s of CPU in all; issue 18). Jinja's own bytecode cache keeps the
compiled code of each template by its name and file, and uses it only while the
template's source has the same checksum: an edited template is compiled again.

The code is kept in this process's memory only, never on disk: Jinja's file cache
stores marshalled code that it runs when loaded, and a cache folder is input the build
does not trust (docs/security.md). The code Jinja makes also depends on how the
environment is configured (delimiters, extensions, autoescape), which its cache key
does not include: :func:`for_environment` keeps one cache per configuration.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

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


_CACHES: dict[Hashable, MemoryBytecodeCache] = {}
_CACHES_LOCK = threading.Lock()


def _configuration(env: jinja2.Environment) -> Hashable:
    """What, besides a template's source, decides the code Jinja compiles it to."""
    return (
        type(env),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        env.autoescape,
        env.finalize,
        tuple(sorted(env.extensions)),
    )


def for_environment(env: jinja2.Environment) -> MemoryBytecodeCache:
    """This process's compiled templates for environments configured as ``env`` is:
    every build of the process with the same theme settings shares them."""
    key = _configuration(env)
    with _CACHES_LOCK:
        return _CACHES.setdefault(key, MemoryBytecodeCache())
