"""Varints as text (5 bits a character of URL-safe base64's alphabet, the second half
when more follow), a value at a time: the plain packer and reader the
tests hold search/varints.py's array code and the browser's reader to (a shard's ``d``
and ``w``: docs/modules.md, `search/varints.py`)."""

from __future__ import annotations

from collections.abc import Iterable

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def packed(values: Iterable[int]) -> str:
    """The varints of ``values``: 5 bits a character, low bits first, from the
    alphabet's second half when more follow."""
    out = []
    for value in values:
        while value >= 32:
            out.append(ALPHABET[32 + (value & 31)])
            value >>= 5
        out.append(ALPHABET[value])
    return "".join(out)


def unpacked(text: str) -> list[int]:
    """The values :func:`packed` wrote (no checks: for data known good)."""
    values, value, shift = [], 0, 0
    for char in text:
        number = ALPHABET.index(char)
        value |= (number & 31) << shift
        shift += 5
        if number < 32:
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
