"""Varints as text, a whole array at once: the postings shards' document deltas and
weights (~45 million values at 100,000 papers). A value is one character a 5 bits (of
the 64 of URL-safe base64: the first 32 end a value, the other 32 say more follow), so
a shard's slice is a JSON string as it is, ~1.4 characters a value where JSON numbers
took 3.3 to 5.5, and a repeated value is a repeated text that gzip finds. The browser
reads it back (docs/assets/search/index.js); the cache check decodes it here.

Design notes: docs/modules.md, `search/varints.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: The characters, by the number they stand for: ``ALPHABET[n]`` ends a value with the
#: 5 bits ``n``, ``ALPHABET[32 + n]`` holds them and says more characters follow.
ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: Bits a character holds; the most characters a value takes (int64's 63 bits).
BITS = 5
MAX_CHARS = -(-63 // BITS)
_MORE = 1 << BITS
_CHARS = np.frombuffer(ALPHABET, np.uint8)
_NUMBERS = np.full(256, -1, np.int16)
_NUMBERS[_CHARS] = np.arange(len(ALPHABET), dtype=np.int16)


@dataclass(frozen=True, slots=True)
class Encoded:
    """Every value's characters, in order, in ``data``; value ``i``'s end at
    ``ends[i]``."""

    data: bytes
    ends: npt.NDArray[np.int64]

    def string(self, first: int, last: int) -> bytes:
        """Values ``first`` to ``last`` (excluded) as a JSON string (``""`` for none):
        the alphabet needs no escape."""
        start = int(self.ends[first - 1]) if first else 0
        end = int(self.ends[last - 1]) if last > first else start
        return b'"' + self.data[start:end] + b'"'


def encode(values: npt.NDArray[np.integer[Any]]) -> Encoded:
    """The varints of ``values`` (non-negative; :class:`Encoded`): character ``k`` of
    each holds its bits ``5k`` to ``5k + 4``, from the alphabet's second half when more
    characters follow. A row of characters a value, as many as the largest needs, of
    which a mask keeps each one's own."""
    values = np.asarray(values, np.int64)
    if not len(values):
        return Encoded(b"", np.zeros(0, np.int64))
    if int(values.min()) < 0:
        raise ValueError("a varint is a non-negative integer")
    top = int(values.max())
    width = max(1, -(-top.bit_length() // BITS))
    rest: npt.NDArray[np.unsignedinteger[Any]] = values.astype(
        np.uint32 if top < 1 << 32 else np.uint64  # 32-bit shifts are the faster
    )
    rows = np.empty((len(values), width), np.uint8)
    keep = np.ones((len(values), width), np.bool_)
    for k in range(width):
        number = np.right_shift(rest, BITS * k).astype(np.uint8) & (_MORE - 1)
        if k + 1 < width:
            keep[:, k + 1] = more = rest >= 1 << (BITS * (k + 1))
            number |= more.view(np.uint8) << BITS
        rows[:, k] = number
    return Encoded(_CHARS[rows[keep]].tobytes(), np.cumsum(keep.sum(1), dtype=np.int64))


def decode(text: str) -> npt.NDArray[np.int64]:
    """The values of a JSON string :meth:`Encoded.string` wrote (its text, unquoted),
    exactly as :func:`encode` writes them; ValueError for any other text: a character
    not of the alphabet, a value cut short, longer than it needs (a last character
    ``A`` after others) or than :data:`MAX_CHARS`."""
    try:
        raw = np.frombuffer(text.encode("ascii"), np.uint8)
    except UnicodeEncodeError:
        raise ValueError("a character not of the alphabet") from None
    if not len(raw):
        return np.zeros(0, np.int64)
    numbers = _NUMBERS[raw]
    if int(numbers.min()) < 0:
        raise ValueError("a character not of the alphabet")
    last = numbers < _MORE
    if not last[-1]:
        raise ValueError("a varint cut short")
    ends = np.flatnonzero(last) + 1
    starts = np.concatenate(([0], ends[:-1]))
    sizes = ends - starts
    if int(sizes.max()) > MAX_CHARS:
        raise ValueError(f"a varint of more than {MAX_CHARS} characters")
    if np.any((numbers[ends - 1] == 0) & (sizes > 1)):
        raise ValueError("a varint longer than its value needs")
    if np.any((sizes == MAX_CHARS) & (numbers[ends - 1] >= 1 << (63 - BITS * (MAX_CHARS - 1)))):
        raise ValueError("a varint past int64")
    place = np.arange(len(raw)) - np.repeat(starts, sizes)
    bits = (numbers & (_MORE - 1)).astype(np.uint64) << (BITS * place).astype(np.uint64)
    return np.add.reduceat(bits, starts).view(np.int64)
