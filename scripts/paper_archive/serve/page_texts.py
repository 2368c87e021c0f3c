"""Page files' texts kept from one build to the next of a process (``mkdocs serve``)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from ..disk.pages import read_page
from ..site.collect import text_digest

_Seen = tuple[int, int, int, int]  # inode, size, modification and change times (ns)


class PageTexts:
    """Page files' texts, each read strictly (:func:`~paper_archive.disk.pages.read_page`)
    or, when this process read the same file in its last build, remembered: the same
    inode with the same size, modification time and change time (which no tool can set
    back: any write moves it). A ``mkdocs serve`` rebuild of 10,000 pages then opens
    only the files that changed. Each build keeps only the files it read (:meth:`done`).
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[_Seen, str, bytes]] = {}
        self._read: dict[str, tuple[_Seen, str, bytes]] = {}
        self._lock = threading.Lock()

    def read(self, path: str, *, display: str) -> tuple[str, bytes]:
        """The text of ``path`` and its :func:`text_digest`; errors name ``display``."""
        try:
            info = os.lstat(path)
        except OSError:
            info = None
        if info is None or stat.S_ISLNK(info.st_mode):
            text = read_page(Path(path), display=display)  # its error, if any
            return text, text_digest(text)
        seen = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        with self._lock:
            known = self._known.get(path)
            if known is None or known[0] != seen:
                text = read_page(Path(path), display=display)
                known = (seen, text, text_digest(text))
            self._read[path] = known
        return known[1], known[2]

    def known(self, path: str) -> str | None:
        """The text of ``path`` as the last build read it, if it did (not read again)."""
        with self._lock:
            known = self._known.get(path)
        return None if known is None else known[1]

    def done(self, *, keep: bool = True) -> None:
        """The build's reading is over: remember what it read, and only that (nothing
        without ``keep``: a process that builds once)."""
        with self._lock:
            self._known, self._read = (self._read if keep else {}), {}
