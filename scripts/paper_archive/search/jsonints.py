"""Integers as JSON text, a whole array at once: the sharded bundle's ~50 million
integers at 100,000 papers (postings' document deltas and weights) in array
operations, each the very text ``json.dumps`` gives an int.

Design notes: docs/modules.md, `search/jsonints.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


def _read_only(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    values.setflags(write=False)
    return values


def _keep(digits: int) -> list[bool]:
    """Which of a row's twelve bytes (eight digits, the comma, three spare) a value of
    ``digits`` digits keeps: its digits and the comma."""
    return [8 - digits <= i <= 8 for i in range(12)]


#: Four decimal digits of each number below 10,000, as one 32-bit word of ASCII.
_FOUR = _read_only(
    np.array([f"{i:04d}".encode() for i in range(10_000)], dtype="S4").view(np.uint32)
)
#: Values below this are written as a row of eight digits (two of ``_FOUR``) and a
#: comma, of which ``_KEEP[digits]`` keeps the value's own digits and the comma.
_FAST_MAX = 10**8
_KEEP = _read_only(np.array([_keep(max(d, 1)) for d in range(9)], np.bool_))
_TENS = _read_only(10 ** np.arange(1, 8, dtype=np.int64))
_COMMA = np.frombuffer(b",\0\0\0", np.uint32)[0]  # the comma first, whatever the byte order


@dataclass(frozen=True, slots=True)
class Encoded:
    """Each value's JSON text followed by a comma, in ``text``; value ``i``'s comma is
    ``text[ends[i] - 1]``."""

    text: bytes
    ends: npt.NDArray[np.int64]

    def array(self, first: int, last: int) -> bytes:
        """Values ``first`` to ``last`` (excluded) as a JSON array, ``[1,2,3]``."""
        if first >= last:
            return b"[]"
        start = int(self.ends[first - 1]) if first else 0
        return b"[" + self.text[start : int(self.ends[last - 1]) - 1] + b"]"


def encode(values: npt.NDArray[np.integer[Any]]) -> Encoded:
    """The JSON text of every value (:class:`Encoded`)."""
    values = np.asarray(values, np.int64)
    if not len(values):
        return Encoded(b"", np.zeros(0, np.int64))
    if int(values.min()) < 0 or int(values.max()) >= _FAST_MAX:
        texts = list(map(str, values.tolist()))  # json.dumps writes an int as str does
        ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1)
        return Encoded("".join(f"{t}," for t in texts).encode("ascii"), ends)
    high, low = np.divmod(values, 10_000)
    rows = np.empty((len(values), 3), np.uint32)
    rows[:, 0] = _FOUR[high]
    rows[:, 1] = _FOUR[low]
    rows[:, 2] = _COMMA
    digits = np.searchsorted(_TENS, values, side="right") + 1
    text = rows.view(np.uint8).reshape(len(values), 12)[_KEEP[digits]]
    return Encoded(text.tobytes(), np.cumsum(digits + 1))
