"""A build's helper process: a module of this package run beside MkDocs on the other core.

The search bundle and the related-papers lists are computed this way while MkDocs
renders pages, each from one input file, removed once the job is waited for or
cancelled: a failed build leaves neither a process nor a file behind.

A job module has a ``main(argv) -> int`` (its ``python -m`` entry). A process with one
thread (a plain ``mkdocs build``) forks a child that calls it, without a second
interpreter importing the package again (~0.2 s of CPU, more than a small archive's
job; issue 18). A process with more threads (``mkdocs serve``) never forks: it runs a
small job itself when it waits for it (:data:`INLINE_UP_TO`), else starts ``python -m
MODULE`` (a plain subprocess: no ``__main__`` module is re-imported). Every way, the
job is silent on success and says why on standard error otherwise (an inline job's
own buffer), and the build reads it the same way.
"""

from __future__ import annotations

import importlib
import io
import itertools
import logging
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

#: Numbers the inputs of one process: two builds of a `mkdocs serve` in quick
#: succession may start a job for the same key while the first still runs, and the
#: first one's wait must not remove the second one's input.
_INPUTS = itertools.count()


def input_path(folder: Path, key: str) -> Path:
    """Where a job's input for ``key`` is written: its own file, never shared by two
    processes nor by two jobs of one process."""
    return folder / f".input-{key}-{os.getpid()}-{next(_INPUTS)}.json"


#: The most documents a job's input may hold for the job to run in a forked child.
#: A forked child's resident size starts at its parent's (every page of the build's
#: heap at that point, shared until written): at 100,000 papers the related lists'
#: child was the build's largest process (~1.8 GB, half of it the parent's). Past this
#: size, the ~0.15 s of CPU a new interpreter costs is under 1% of the job's own.
FORK_UP_TO = 20_000


#: The most documents a job's input may hold for the job to run in this process when
#: it cannot be forked (a threaded ``mkdocs serve``, a build inside a test runner): a
#: new interpreter costs ~0.2 s of CPU, more than such a job's own work (the related
#: lists of 2,000 papers take ~0.3 s), and the first save of a small archive's serve no
#: longer waits for one. A job with an :attr:`Job.output` always gets its own process.
INLINE_UP_TO = 2_000

#: Where :func:`run` writes a job's messages: standard error, or an inline job's own
#: buffer (for the thread running it only: the other threads' messages stay theirs).
_errors = threading.local()


def _error_stream() -> TextIO:
    stream: TextIO | None = getattr(_errors, "stream", None)
    return stream if stream is not None else sys.stderr


def can_fork() -> bool:
    """Forking is safe only from a process with one thread (no lock held elsewhere)."""
    return hasattr(os, "fork") and threading.active_count() == 1


@dataclass
class Forked:
    """A child forked from this process running ``MODULE.main(argv)``, its standard
    error read through a pipe: what :class:`Job` needs of a ``subprocess.Popen``."""

    pid: int
    reader: int | None
    returncode: int | None = None

    @classmethod
    def start(cls, module: str, argv: list[str]) -> Forked:
        main = importlib.import_module(module).main  # imported here: a failure is ours
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller
            os.close(read)
            os._exit(_child(main, argv, write))
        os.close(write)
        return cls(pid, read)

    def communicate(self) -> tuple[None, bytes]:
        chunks = []
        if self.reader is not None:
            while chunk := os.read(self.reader, 1 << 16):
                chunks.append(chunk)
        self.wait()
        return None, b"".join(chunks)

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        if self.reader is not None:
            os.close(self.reader)
            self.reader = None
        return self.returncode


@dataclass
class Inline:
    """A small job run in this process when it is waited for (:data:`INLINE_UP_TO`):
    ``MODULE.main(argv)`` with what it says on standard error kept, the status
    ``python -m`` would give; what :class:`Job` needs of a ``subprocess.Popen``. Cancelled
    before it ran, it never runs."""

    main: Callable[[list[str]], int]
    argv: list[str]
    returncode: int | None = None

    @classmethod
    def start(cls, module: str, argv: list[str]) -> Inline:
        return cls(importlib.import_module(module).main, argv)  # imported here: ours

    def communicate(self) -> tuple[None, bytes]:
        if self.returncode is not None:
            return None, b""
        errors = io.StringIO()
        _errors.stream = errors
        try:
            self.returncode = _status(self.main, self.argv, errors)
        finally:
            _errors.stream = None
        return None, errors.getvalue().encode("utf-8", "backslashreplace")

    def kill(self) -> None:
        if self.returncode is None:
            self.returncode = -signal.SIGKILL

    def wait(self) -> int:
        return self.returncode if self.returncode is not None else -signal.SIGKILL


def _status(main: Callable[[list[str]], int], argv: list[str], stream: TextIO) -> int:
    """``main(argv)``'s exit status as ``python -m`` gives it, its uncaught exception
    (a traceback) or a ``sys.exit`` message written to ``stream``."""
    try:
        return main(argv)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        stream.write(f"{exc.code}\n")
    except Exception:  # told as `python -m` tells it, status 1
        traceback.print_exc(file=stream)
    return 1


def _child(main: Callable[[list[str]], int], argv: list[str], errors: int) -> int:
    """The forked child's life: ``main(argv)`` with standard error (the file and fd 2)
    going to ``errors`` and the log records a fresh interpreter would print there; the
    exit status ``python -m`` would give. Its output is flushed; nothing of the
    parent's (buffers, atexit) is."""
    os.dup2(errors, 2)
    stream = io.TextIOWrapper(
        io.FileIO(errors, "w", closefd=False), errors="backslashreplace", line_buffering=True
    )
    sys.stderr = stream
    for logger in [logging.root, *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):  # the parent's handlers write elsewhere
            logger.handlers.clear()
    status = 1
    try:
        status = _status(main, argv, stream)
    except BaseException:  # a KeyboardInterrupt: the child still ends here, status 1
        traceback.print_exc(file=stream)
    finally:
        stream.flush()
    return status


@dataclass
class Job:
    """``python -m MODULE INPUT ARGS…`` (or ``MODULE.main`` in a forked child, see
    above), started at once; waited for or cancelled once."""

    input_file: Path
    process: subprocess.Popen[bytes] | Forked | Inline | None = field(default=None, repr=False)
    #: What the process wrote to its standard output, once waited for (``output``).
    output: bytes = field(default=b"", repr=False)

    @classmethod
    def start(
        cls, module: str, input_file: Path, *args: str, output: bool = False, items: int = 0
    ) -> Job:
        """``output``: its standard output is read (:attr:`output`), not the parent's;
        such a job is always a ``python -m`` process (a forked child writes to the
        parent's standard output). ``items``: how many documents its input holds; past
        :data:`FORK_UP_TO`, a ``python -m`` process too; up to :data:`INLINE_UP_TO` in
        a process that cannot fork, run here (:class:`Inline`)."""
        argv = [str(input_file), *args]
        if not output and can_fork() and items <= FORK_UP_TO:
            return cls(input_file, Forked.start(module, argv))
        if not output and items <= INLINE_UP_TO:
            return cls(input_file, Inline.start(module, argv))
        command = [sys.executable, "-m", module, *argv]
        stdout = subprocess.PIPE if output else None
        return cls(input_file, subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE))

    @property
    def running(self) -> bool:
        return self.process is not None

    def wait(self) -> str | None:
        """Wait for the process and remove its input: ``None`` when it succeeded (or was
        already waited for), else what it wrote to stderr."""
        if self.process is None:
            return None
        try:
            out, errors = self.process.communicate()
        finally:
            self.input_file.unlink(missing_ok=True)
        status, self.process = self.process.returncode, None
        if status != 0:
            return errors.decode("utf-8", "replace").strip()
        self.output = out or b""
        return None

    def cancel(self) -> None:
        """End the process, if it runs, and remove its input file (a failed build)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        self.input_file.unlink(missing_ok=True)


def run(
    argv: Sequence[str] | None,
    work: Callable[[Path, Path], None],
    *,
    usage: str,
    label: str,
) -> int:
    """The child's side of a :class:`Job`: ``work(INPUT, CACHE_DIR)``; silent on
    success, ``label: message`` on stderr and status 1 on bad input or I/O, the usage
    and status 2 on wrong arguments."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        _error_stream().write(usage)
        return 2
    try:
        work(Path(args[0]), Path(args[1]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _error_stream().write(f"{label}: {exc}\n")
        return 1
    return 0
