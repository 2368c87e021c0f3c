"""Theme blocks that render the same bytes on many pages, rendered once per build.

:class:`SharedBlocks` is the Jinja global ``overrides/alike.html`` wraps Material's
header, tabs, navigation and footer in, keyed by what each block reads;
``plugin/paper_pages.py`` makes a new one for each build.

Design notes: docs/modules.md, `site/shared_blocks.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, MutableMapping
from typing import Any

from markupsafe import Markup

from .chrome import CLOSE, CONTENT_END, VALUE, opening

#: What :meth:`SharedBlocks.around` puts where a page's own value goes: text no theme
#: prints by itself (a NUL is not even valid in HTML).
HOLE = "\0pa-shared-hole\0"

#: Distinct renderings kept per build. Paper pages share a handful of keys; a page
#: whose key is its own (a table of contents no other page has) is rendered as before
#: once the cache is full, so memory stays bounded whatever the pages hold.
LIMIT = 256


def freeze(value: Any) -> Hashable:
    """``value`` as a hashable key: lists become tuples, mappings sorted item tuples."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = [freeze(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items)
    if isinstance(value, Hashable):
        return value
    return repr(value)


class SharedBlocks:
    """``shared(*key, caller=render)``: what ``render()`` returned the first time this
    key was seen, else ``render()`` (and keep it while fewer than ``limit`` are kept)."""

    def __init__(self, *, limit: int = LIMIT, chrome: frozenset[str] = frozenset()) -> None:
        self._limit = limit
        #: Blocks (by their key's first part) marked as chrome for site/chrome.py when
        #: they are shared: kept or served from what is kept.
        self._chrome = chrome
        self._rendered: dict[Hashable, Markup] = {}
        self._around: dict[Hashable, tuple[str, str]] = {}
        self.hits = 0
        self.misses = 0

    def __call__(self, *key: Any, caller: Callable[[], str]) -> Markup:
        frozen = freeze(key)
        if (html := self._rendered.get(frozen)) is not None:
            self.hits += 1
            return self._marked(key, html)
        self.misses += 1
        html = Markup(caller())
        if len(self._rendered) < self._limit:
            self._rendered[frozen] = html
            return self._marked(key, html)
        return html

    def _marked(self, key: tuple[Any, ...], html: str) -> Markup:
        """``html`` between chrome marks if its block is chrome; else as it is."""
        return Markup(f"{opening(key[0])}{html}{CLOSE}" if key[0] in self._chrome else html)

    def _filled(self, key: tuple[Any, ...], halves: tuple[str, str], value: str) -> Markup:
        """The two halves around ``value``, marked as chrome with ``value`` marked in
        it if the block is chrome (and ``value`` holds no mark of its own)."""
        before, after = halves
        if key[0] not in self._chrome or "\0" in value:
            return Markup(f"{before}{value}{after}")
        return Markup(f"{opening(key[0])}{before}{VALUE}{value}{VALUE}{after}{CLOSE}")

    def around(
        self, meta: MutableMapping[str, Any], field: str, *key: Any, caller: Callable[[], str]
    ) -> Markup:
        """A block that prints ``meta[field]`` once and is otherwise shared: rendered
        once per key with :data:`HOLE` for the value, then the two halves around each
        page's own value. The header is one: it shows the page's title
        (``page.meta.title``, printed as is: MkDocs' environment does not autoescape).
        A block that prints the value other than once is rendered as before."""
        value = meta.get(field)
        frozen = freeze((field, *key))
        halves = self._around.get(frozen)
        if halves is not None:
            self.hits += 1
            return self._filled(key, halves, str(value))
        self.misses += 1
        meta[field] = HOLE
        try:
            html = str(caller())
        finally:
            meta[field] = value
        before, found, after = html.partition(HOLE)
        if not found or HOLE in after or HOLE in str(value):
            return Markup(caller())
        if len(self._around) < self._limit:
            self._around[frozen] = (before, after)
            return self._filled(key, (before, after), str(value))
        return Markup(f"{before}{value}{after}")

    def content_end(self) -> Markup:
        """Where a page's own content ends, for site/chrome.py: a mark when chrome is
        marked, else nothing."""
        return Markup(CONTENT_END if self._chrome else "")

    def __len__(self) -> int:
        return len(self._rendered) + len(self._around)
