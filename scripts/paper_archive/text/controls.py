"""Control characters: which ones a page may not hold, and how output layers drop them.

A page holding one of :data:`CONTROL_CHARS` is refused
(:func:`paper_archive.disk.pages.paper_of`), and every output layer drops them anyway
(:func:`strip_controls`).

Design notes: docs/modules.md, `text/controls.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

_NONCHARACTERS = "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
#: The refused characters as a regular-expression class (without ``\r``: see below).
CONTROL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS
#: Characters no value may hold (docs/modules.md, `text/controls.py`).
CONTROL_CHARS = re.compile(f"[{CONTROL_CLASS}\r]")
#: The same in a page's text, where ``\r\n`` ends a line.
PAGE_CONTROL_CHARS = re.compile(f"[{CONTROL_CLASS}]|\r(?!\n)")
#: The same two over ASCII text (most of it): a class of ASCII characters only, which
#: the regular-expression engine tests with one bitmap, where the full class also
#: compares each character with the 32 noncharacters beyond the BMP in turn (8× slower:
#: ~0.5 s over the abstracts of 10,000 papers, for each layer that checks them).
_ASCII_CLASS = "".join(re.escape(c) for c in map(chr, range(128)) if CONTROL_CHARS.match(c))
_ASCII_CONTROL_CHARS = re.compile(f"[{_ASCII_CLASS}]")
_ASCII_PAGE_CONTROL_CHARS = re.compile(f"[{_ASCII_CLASS.replace(re.escape(chr(13)), '')}]|\r(?!\n)")
#: Controls that separate words: replaced by a space rather than dropped.
_SEPARATORS = frozenset("\x0b\x0c\r\x1c\x1d\x1e\x1f\x85")


def name_of(char: str) -> str:
    """``U+001B`` for an unnamed control, ``U+FEFF (ZERO WIDTH NO-BREAK SPACE)`` else."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} ({name})" if name else code


def _refused(text: str) -> re.Pattern[str]:
    return _ASCII_CONTROL_CHARS if text.isascii() else CONTROL_CHARS


def strip_controls(text: str) -> str:
    """``text`` without refused characters; one that separates words becomes a space."""
    refused = _refused(text)
    if refused.search(text) is None:
        return text
    return refused.sub(lambda m: " " if m[0] in _SEPARATORS else "", text)


def controls_in_values(meta: Mapping[str, Any]) -> Iterator[tuple[str, int | None, str]]:
    """``(key, list index or None, character)`` of the first refused character of each
    string value (and string list item) of front matter."""
    for key, value in meta.items():
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            if isinstance(item, str) and (found := _refused(item).search(item)):
                yield str(key), index, found[0]


def controls_in_text(text: str) -> Iterator[tuple[int, str]]:
    """``(line, character)`` of the first refused character of each line of a page."""
    line, counted, last = 1, 0, 0
    refused = _ASCII_PAGE_CONTROL_CHARS if text.isascii() else PAGE_CONTROL_CHARS
    for found in refused.finditer(text):
        line += text.count("\n", counted, found.start())
        counted = found.start()
        if line != last:
            last = line
            yield line, found[0]


def clean_data(value: Any) -> Any:
    """``value`` (JSON-like: dicts, lists, tuples, strings, numbers) with
    :func:`strip_controls` applied to every string in it, keys included."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_data(v) for v in value)
    return value
