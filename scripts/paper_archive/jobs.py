"""A build's helper process: a module of this package run beside MkDocs on the other core.

The search bundle and the related-papers lists are computed this way while MkDocs
renders pages. A plain subprocess, not multiprocessing: nothing is forked from a
threaded `mkdocs serve`, and no ``__main__`` module is re-imported. Each reads one
input file, which is removed once the process is waited for or cancelled, so a failed
build leaves neither a process nor a file behind.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Numbers the inputs of one process: two builds of a `mkdocs serve` in quick
#: succession may start a job for the same key while the first still runs, and the
#: first one's wait must not remove the second one's input.
_INPUTS = itertools.count()


def input_path(folder: Path, key: str) -> Path:
    """Where a job's input for ``key`` is written: its own file, never shared by two
    processes nor by two jobs of one process."""
    return folder / f".input-{key}-{os.getpid()}-{next(_INPUTS)}.json"


@dataclass
class Job:
    """``python -m MODULE INPUT ARGS…``, started at once; waited for or cancelled once."""

    input_file: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    #: What the process wrote to its standard output, once waited for (``output``).
    output: bytes = field(default=b"", repr=False)

    @classmethod
    def start(cls, module: str, input_file: Path, *args: str, output: bool = False) -> Job:
        """``output``: its standard output is read (:attr:`output`), not the parent's."""
        command = [sys.executable, "-m", module, str(input_file), *args]
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
        sys.stderr.write(usage)
        return 2
    try:
        work(Path(args[0]), Path(args[1]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        sys.stderr.write(f"{label}: {exc}\n")
        return 1
    return 0
