"""Bounds on the TeX math a page may hold: each span's length, nesting and macros (pure).

At most :data:`MAX_CHARS` characters per span, nested at most :data:`MAX_DEPTH` levels,
no macro definition: `papers validate` and the build refuse a page over them, and
``docs/assets/math.js`` applies the same bounds before it calls KaTeX.

Design notes: docs/modules.md, `text/mathbounds.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_CHARS = 500
MAX_DEPTH = 12

#: The spans pymdownx.arithmatex (``generic``, smart dollar, its defaults) turns into
#: math, and the ``$…$`` of titles: ``$$…$$``, ``\\[…\\]``, ``\\begin{env}…\\end{env}``,
#: ``\\(…\\)``, ``$…$``. Its own patterns (pymdownx/arithmatex.py), joined: the block
#: ones tried first, so a ``$$`` block is not read as two inline spans.
SPAN = re.compile(
    r"\${2}(?:\\.|[^\\])+?\${2}"
    r"|\\\[(?:\\[^\]]|[^\\])+?\\\]"
    r"|\\begin\{(?P<env>[a-z]+\*?)\}(?:\\.|[^\\])+?\\end\{(?P=env)\}"
    r"|\\\((?:\\[^)]|[^\\])+?\\\)"
    r"|(?<!\\)\$(?!\s)(?:\\.|[^\\$])+?(?<!\s)\$",
    re.DOTALL,
)
_DEFINES = re.compile(
    r"\\(?:def|gdef|edef|xdef|let|futurelet|newcommand|renewcommand|providecommand|"
    r"global|DeclareMathOperator)(?![A-Za-z])"
)
_TOKEN = re.compile(
    r"\\(?P<open>begin|left|bgroup|begingroup)(?![A-Za-z])"
    r"|\\(?P<close>end|right|egroup|endgroup)(?![A-Za-z])"
    r"|(?P<sqrt>\\sqrt\s*\[)"
    r"|\\[\s\S]"
    r"|(?P<brace>\{)|(?P<unbrace>\})|(?P<bracket>\])"
)


def _tex(span: str) -> str:
    """The TeX of a span without its delimiters (what math.js measures: arithmatex
    writes ``$x$`` as ``\\(x\\)``); an environment is its own TeX."""
    if span.startswith("$$"):
        return span[2:-2]
    if span.startswith("$"):
        return span[1:-1]
    if span.startswith(("\\(", "\\[")):
        return span[2:-2]
    return span


def depth(tex: str) -> int:
    """How deep ``tex`` nests (docs/modules.md, `text/mathbounds.py`); an unclosed
    group counts as open to the end, so a mismatch can only make it deeper, never hide a
    level."""
    stack: list[str] = []
    deepest = 0
    for token in _TOKEN.finditer(tex):
        kind = token.lastgroup
        if kind in ("open", "brace", "sqrt"):
            stack.append("[" if kind == "sqrt" else "{")
            deepest = max(deepest, len(stack))
        elif kind in ("close", "unbrace"):
            if stack and stack[-1] == "{":
                stack.pop()
        elif kind == "bracket" and stack and stack[-1] == "[":
            stack.pop()
    return deepest


@dataclass(frozen=True, slots=True)
class MathProblem:
    offset: int  # where the span starts in the text checked
    message: str


def problems(text: str) -> Iterator[MathProblem]:
    """A problem for each math span of ``text`` over the bounds."""
    if "$" not in text and "\\" not in text:  # most titles and abstracts: no math at all
        return
    for span in SPAN.finditer(text):
        source = _tex(span.group(0))
        if (found := depth(source)) > MAX_DEPTH:
            yield MathProblem(
                span.start(),
                f"math nests {found} levels deep, over the limit of {MAX_DEPTH} "
                "(a reader's browser renders every level)",
            )
        elif len(source) > MAX_CHARS:
            yield MathProblem(
                span.start(),
                f"math span is {len(source)} characters long, over the limit of {MAX_CHARS}",
            )
        elif macro := _DEFINES.search(source):
            yield MathProblem(
                span.start(),
                f"math defines a macro ({macro.group(0)}): not allowed, write the math out",
            )


def line_problems(text: str, *, first_line: int = 1) -> list[tuple[int, str]]:
    """:func:`problems` with the line of each (``first_line``: the line ``text`` starts on)."""
    return [(first_line + text.count("\n", 0, p.offset), p.message) for p in problems(text)]
