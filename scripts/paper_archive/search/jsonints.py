"""Integers as JSON text, a whole array at once: the sharded bundle's ~75 million
integers at 100,000 papers (postings' document deltas and weights) in array
operations, each the very text ``json.dumps`` gives an int.

Design notes: docs/modules.md, `search/jsonints.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: Four decimal digits of each number below 10,000, as one 32-bit word of ASCII.
_FOUR = np.array([f"{i:04d}".encode() for i in range(10_000)], dtype="S4").view(np.uint32)
#: Values of eight digits at most are written from eight digits and a comma, the
#: leading zeros dropped (``_KEEP[digits]``, a mask of the eight bytes and the comma's).
_FAST_MAX = 10**8
_KEEP = np.zeros((9, 12), np.bool_)
for _digits in range(1, 9):
    _KEEP[_digits, 8 - _digits : 9] = True
_TENS = 10 ** np.arange(1, 8, dtype=np.int64)
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
