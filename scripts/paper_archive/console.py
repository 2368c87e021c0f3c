"""The one output layer of the command-line tools: results, problems and progress."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

T = TypeVar("T")

PROGRESS_MIN_ITEMS = 200


@dataclass
class Console:
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False

    def say(self, message: str = "") -> None:
        """A result line (stdout)."""
        self.out.write(message + "\n")

    def note(self, message: str) -> None:
        """Chatter that ``--quiet`` hides (stderr)."""
        if not self.quiet:
            self.err.write(message + "\n")

    def warn(self, message: str) -> None:
        self.err.write(f"warning: {message}\n")

    def error(self, message: str) -> None:
        self.err.write(f"error: {message}\n")

    def progress(self, items: Iterable[T], *, total: int, label: str) -> Iterator[T]:
        """Yield ``items``, drawing a progress bar on stderr when it is a terminal and
        the run is long enough to need one."""
        show = not self.quiet and total >= PROGRESS_MIN_ITEMS and self.err.isatty()
        step = max(1, total // 100)
        for done, item in enumerate(items, start=1):
            if show and (done % step == 0 or done == total):
                filled = 30 * done // total
                bar = "#" * filled + "-" * (30 - filled)
                self.err.write(f"\r{label} [{bar}] {done}/{total}")
                self.err.flush()
            yield item
        if show:
            self.err.write("\n")
