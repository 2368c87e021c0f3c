"""The control characters refused and dropped (text/controls.py): ASCII text is checked
with a class of its own (faster); every answer is the full class's."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from paper_archive.text import controls

#: Mostly ASCII, with every control, the page's line ends and some of everything else.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from("\r\n\x85\x9f\u2028\ud800\ufdd0\ufffe\uffff\U0001fffe\U0010ffff é∑"),
        st.characters(),
    ),
    max_size=40,
)


def _strip(text: str) -> str:
    return controls.CONTROL_CHARS.sub(lambda m: " " if m[0] in controls._SEPARATORS else "", text)


def _in_text(text: str) -> list[tuple[int, str]]:
    found, last = [], 0
    for match in controls.PAGE_CONTROL_CHARS.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line != last:
            found.append((line, match[0]))
            last = line
    return found


@given(TEXT)
def test_the_refused_characters_are_the_full_classs(text: str) -> None:
    assert controls.strip_controls(text) == _strip(text)
    assert list(controls.controls_in_text(text)) == _in_text(text)
    first = controls.CONTROL_CHARS.search(text)
    expected = [("k", None, first[0])] if first else []
    assert list(controls.controls_in_values({"k": text})) == expected


def test_the_ascii_class_is_the_full_one_over_ascii() -> None:
    for code in range(128):
        char = chr(code)
        assert bool(controls._ASCII_CONTROL_CHARS.match(char)) == bool(
            controls.CONTROL_CHARS.match(char)
        ), repr(char)
        assert bool(controls._ASCII_PAGE_CONTROL_CHARS.match(f"{char}x")) == bool(
            controls.PAGE_CONTROL_CHARS.match(f"{char}x")
        ), repr(char)
    assert re.fullmatch(controls._ASCII_PAGE_CONTROL_CHARS, "\r") is not None
    assert controls._ASCII_PAGE_CONTROL_CHARS.match("\r\n") is None
