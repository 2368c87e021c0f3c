"""The one output layer of the command-line tools: results, problems and progress."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

PROGRESS_MIN_ITEMS = 200


@dataclass
class Console:
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    #: The bar :meth:`bar` draws, while it is drawn (a ``tqdm``).
    _bar: Any = field(default=None, init=False, repr=False)

    def _write(self, stream: TextIO, text: str) -> None:
        if self._bar is None:
            stream.write(text)
            return
        self._bar.clear()  # the line goes above the bar, which is drawn again below it
        stream.write(text)
        stream.flush()
        self._bar.refresh()

    def say(self, message: str = "") -> None:
        """A result line (stdout)."""
        self._write(self.out, message + "\n")

    def note(self, message: str) -> None:
        """Chatter that ``--quiet`` hides (stderr)."""
        if not self.quiet:
            self._write(self.err, message + "\n")

    def warn(self, message: str) -> None:
        self._write(self.err, f"warning: {message}\n")

    def error(self, message: str) -> None:
        self._write(self.err, f"error: {message}\n")

    @contextmanager
    def bar(self, *, total: int, label: str, unit: str) -> Iterator[Callable[[int], object]]:
        """A progress bar with the rate and the time left, on stderr, for a run slow
        enough to wait on (``papers enrich``: one request every 3 seconds). Drawn by
        ``tqdm`` only when stderr is a terminal and not ``--quiet``: CI logs and pipes
        get no bar. Yields ``advance(n)``; lines the console prints meanwhile go above
        the bar, and the bar is gone when the block ends."""
        if self.quiet or total <= 0 or not self.err.isatty():
            yield lambda _done: None
            return
        from tqdm import tqdm  # only when drawn: every other command starts without it

        # mininterval=0: each update is a request seconds apart, every one worth drawing.
        with tqdm(
            total=total, desc=label, unit=unit, file=self.err, leave=False, mininterval=0
        ) as drawn:
            self._bar = drawn
            try:
                yield drawn.update
            finally:
                self._bar = None

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
