"""Unsigned LEB128 varints in base64, a value at a time: the plain packer and reader the
tests hold search/varints.py's array code and the browser's reader to (a shard's ``d``
and ``w``: docs/modules.md, `search/varints.py`)."""

from __future__ import annotations

import base64
from collections.abc import Iterable


def packed(values: Iterable[int]) -> str:
    """The varints of ``values`` (7 bits a byte, low bits first, the high bit set when
    more follow), in base64 with padding."""
    out = bytearray()
    for value in values:
        while value >= 0x80:
            out.append(value & 0x7F | 0x80)
            value >>= 7
        out.append(value)
    return base64.b64encode(bytes(out)).decode("ascii")


def unpacked(text: str) -> list[int]:
    """The values :func:`packed` wrote (no checks: for data known good)."""
    values, value, shift = [], 0, 0
    for byte in base64.b64decode(text):
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value, shift = 0, 0
    return values


def weights(counts: Iterable[int], text: str) -> list[list[int]]:
    """A field's ``w`` (each term's least weight, then each weight less it) as each
    term's weights, the terms' posting counts ``counts`` (from its ``t``)."""
    values = unpacked(text)
    out, at = [], 0
    for count in counts:
        least = values[at]
        out.append([least + rise for rise in values[at + 1 : at + 1 + count]])
        at += 1 + count
    return out


def packed_weights(lists: Iterable[list[int]]) -> str:
    """Each term's weights (``lists``) as a field's ``w``."""
    values: list[int] = []
    for weights in lists:
        least = min(weights)
        values += [least, *(weight - least for weight in weights)]
    return packed(values)
