"""Work that needs nothing of MkDocs, done in a forked process beside its render.

MkDocs renders on one core; a plain ``mkdocs build`` (not ``serve``: nothing is forked
from a threaded server, as paper_archive/jobs.py says) runs the feeds and exports in a
child of its own, forked with the archive already in memory (nothing is written for it
to read, nothing pickled), while MkDocs reads and converts the pages. The child writes
its files into the project's cache and exits; the build waits for it before MkDocs
copies them (``on_env``). The same functions make the same bytes as in the build's
own process; a failure in the child fails the build with the child's message (a path
and the reason, as :func:`~.state.plugin_errors` words it).

Design notes: docs/modules.md, `plugin/beside.py`.
"""

from __future__ import annotations

import os
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs.exceptions import PluginError

from ..errors import ArchiveError, os_error_text

#: The most a child's message may be (it is one line naming a path, or a traceback).
MESSAGE_BYTES = 1 << 16


def can_fork() -> bool:
    """Forking is safe only from a process with one thread (no lock held elsewhere)."""
    return hasattr(os, "fork") and threading.active_count() == 1


@dataclass
class Beside:
    """One forked child running ``work``; :meth:`join` once, or :meth:`cancel`."""

    label: str  # what it makes, for the messages: "exports"
    pid: int | None
    reader: int | None  # the read end of the pipe the child's failure comes through

    @classmethod
    def start(cls, label: str, work: Callable[[], object]) -> Beside:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into MkDocs
            os.close(read)
            status = 0
            try:
                work()
            except BaseException as exc:  # every failure, told to the parent
                status = 1
                os.write(write, _message(exc).encode("utf-8", "replace")[:MESSAGE_BYTES])
            finally:
                os._exit(status)  # no atexit, no buffers of the parent flushed twice
        os.close(write)
        return cls(label, pid, read)

    def join(self) -> None:
        """Wait for the child; :class:`PluginError` with its message if it failed."""
        if self.pid is None or self.reader is None:
            return
        chunks = []
        while chunk := os.read(self.reader, MESSAGE_BYTES):
            chunks.append(chunk)
        os.close(self.reader)
        _, status = os.waitpid(self.pid, 0)
        self.pid = self.reader = None
        if os.waitstatus_to_exitcode(status) != 0:
            message = b"".join(chunks).decode("utf-8", "replace").strip()
            raise PluginError(message or f"{self.label}: the process making them failed")

    def cancel(self) -> None:
        """End the child, if it runs (a failed build)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        finally:
            if self.reader is not None:
                os.close(self.reader)
            self.pid = self.reader = None


def _message(exc: BaseException) -> str:
    if isinstance(exc, ArchiveError):
        return str(exc)
    if isinstance(exc, OSError):
        return os_error_text(exc)
    return "".join(traceback.format_exception(exc)).strip()
