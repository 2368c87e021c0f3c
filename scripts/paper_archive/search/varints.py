"""Unsigned LEB128 varints, a whole array at once: the postings shards' document deltas
and weights (~45 million values at 100,000 papers), 1.5 bytes a value where JSON text
took 3.3 to 5.5. Each shard's slice is sent as base64 in a JSON string, which the
browser reads back (docs/assets/search/index.js) and the cache check decodes here.

Design notes: docs/modules.md, `search/varints.py`.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: The most bytes a varint takes: int64's 63 bits, 7 a byte.
MAX_BYTES = 9


@dataclass(frozen=True, slots=True)
class Encoded:
    """Every value's varint, in order, in ``data``; value ``i``'s ends at ``ends[i]``."""

    data: bytes
    ends: npt.NDArray[np.int64]

    def string(self, first: int, last: int) -> bytes:
        """Values ``first`` to ``last`` (excluded) as a JSON string: their varints in
        base64, standard alphabet with padding (``""`` for none)."""
        start = int(self.ends[first - 1]) if first else 0
        end = int(self.ends[last - 1]) if last > first else start
        return b'"' + base64.b64encode(self.data[start:end]) + b'"'


def encode(values: npt.NDArray[np.integer[Any]]) -> Encoded:
    """The varints of ``values`` (non-negative; :class:`Encoded`): byte ``k`` of each is
    its bits ``7k`` to ``7k + 6``, its high bit set when more bytes follow. A row of
    bytes a value, as many as the largest needs, of which a mask keeps each one's own."""
    values = np.asarray(values, np.int64)
    if not len(values):
        return Encoded(b"", np.zeros(0, np.int64))
    if int(values.min()) < 0:
        raise ValueError("a varint is a non-negative integer")
    top = int(values.max())
    width = max(1, -(-top.bit_length() // 7))
    rest: npt.NDArray[np.unsignedinteger[Any]] = values.astype(
        np.uint32 if top < 1 << 32 else np.uint64  # 32-bit shifts are the faster
    )
    rows = np.empty((len(values), width), np.uint8)
    keep = np.ones((len(values), width), np.bool_)
    for k in range(width):
        byte = np.right_shift(rest, 7 * k).astype(np.uint8) & 0x7F
        if k + 1 < width:
            keep[:, k + 1] = more = rest >= 1 << (7 * (k + 1))
            byte |= more.view(np.uint8) << 7
        rows[:, k] = byte
    return Encoded(rows[keep].tobytes(), np.cumsum(keep.sum(1), dtype=np.int64))


def decode(data: bytes) -> npt.NDArray[np.int64]:
    """The values of ``data``'s varints, exactly as :func:`encode` writes them;
    ValueError for any other bytes: a varint cut short, longer than its value needs
    (a last byte 0) or than :data:`MAX_BYTES`."""
    raw = np.frombuffer(data, np.uint8)
    if not len(raw):
        return np.zeros(0, np.int64)
    last = raw < 0x80
    if not last[-1]:
        raise ValueError("a varint cut short")
    ends = np.flatnonzero(last) + 1
    starts = np.concatenate(([0], ends[:-1]))
    sizes = ends - starts
    if int(sizes.max()) > MAX_BYTES:
        raise ValueError(f"a varint of more than {MAX_BYTES} bytes")
    if np.any((raw[ends - 1] == 0) & (sizes > 1)):
        raise ValueError("a varint longer than its value needs")
    place = np.arange(len(raw)) - np.repeat(starts, sizes)
    bits = (raw & 0x7F).astype(np.uint64) << (7 * place).astype(np.uint64)
    return np.add.reduceat(bits, starts).view(np.int64)


def decode_string(text: str) -> npt.NDArray[np.int64]:
    """The values of a JSON string :meth:`Encoded.string` wrote (its text, unquoted);
    ValueError when it is not base64 as :func:`base64.b64encode` writes it or not
    varints as :func:`encode` writes them."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError("not base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise ValueError("not base64 as the build writes it")
    return decode(data)
