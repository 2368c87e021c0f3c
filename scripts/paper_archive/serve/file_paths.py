"""MkDocs' paths of the site's files, kept from one build to the next of a process.

A serve rebuild asks each paper's File for its source path and URL (plugin/papers.py)
and each page's for its output path (plugin/dirty.py). MkDocs makes every File anew in
each build, and working the three out is ~10 µs a file: ~0.1 s of each save at 10,000
papers. They are functions of what the File is made from alone (its ``src_uri``,
``src_dir``, ``dest_dir``, ``use_directory_urls`` and ``dest_uri``, which MkDocs'
``get_files`` works out first: mkdocs/structure/files.py), so :class:`FilePaths` gives
back the values MkDocs worked out last build for the same inputs; a path a File holds
already (a plugin set it, or asked for it) is its own.

Design notes: docs/modules.md, `serve/file_paths.py`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol


class DocsFile(Protocol):
    """What this module reads of an ``mkdocs.structure.files.File``."""

    src_uri: str
    src_dir: str | None
    dest_dir: str
    use_directory_urls: bool
    dest_uri: str

    @property
    def abs_src_path(self) -> str | None: ...
    @property
    def url(self) -> str: ...
    @property
    def abs_dest_path(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Paths:
    abs_src_path: str | None
    url: str
    abs_dest_path: str


#: The File attributes MkDocs works out lazily (``cached_property``) from the others:
#: one of them in a File's own dictionary was set, or asked for, by someone else; that
#: value is the File's.
_WORKED_OUT = frozenset({"url", "abs_src_path", "abs_dest_path"})

_Made = tuple[str, "str | None", str, bool, str]


class FilePaths:
    """Each File's :class:`Paths`, by what it is made from; each build keeps only the
    files it asked about (:meth:`done`)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[_Made, Paths]] = {}
        self._asked: dict[str, tuple[_Made, Paths]] = {}
        self._lock = threading.Lock()

    def of(self, file: DocsFile) -> Paths:
        """``file``'s source path, URL and output path, as MkDocs works them out: each
        one the File holds already (a plugin set it, or someone asked for it) as it
        holds it, the others as MkDocs worked them out last build for a File made alike
        (or worked out now)."""
        own = vars(file)
        uri = file.src_uri
        made = (uri, file.src_dir, file.dest_dir, file.use_directory_urls, file.dest_uri)
        untouched = own.keys().isdisjoint(_WORKED_OUT)  # none of them set or asked for
        with self._lock:  # the common case first: the same File as last build, untouched
            known = self._known.get(uri)
            if untouched and known is not None and known[0] == made:
                self._asked[uri] = known
                return known[1]
        if known is None or known[0] != made:
            if not untouched:  # not worked out here alone
                return Paths(file.abs_src_path, file.url, file.abs_dest_path)
            known = (made, Paths(file.abs_src_path, file.url, file.abs_dest_path))
        with self._lock:
            self._asked[uri] = known
        paths = known[1]
        if not untouched:
            return Paths(
                own.get("abs_src_path", paths.abs_src_path),
                own.get("url", paths.url),
                own.get("abs_dest_path", paths.abs_dest_path),
            )
        return paths

    def done(self, *, keep: bool = True) -> None:
        """The build is over: remember the files it asked about, only those (nothing
        without ``keep``: a process that builds once)."""
        with self._lock:
            self._known, self._asked = (self._asked if keep else {}), {}
