"""Waiting on a condition, never on time: the one poll the end-to-end tests share."""

from __future__ import annotations

import time
from collections.abc import Callable


def until(what: str, check: Callable[[], object], seconds: float) -> None:
    """Return once ``check()`` is true; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)  # the polling interval of a condition, not a wait for time
    raise AssertionError(f"never: {what}")
