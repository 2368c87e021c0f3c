"""Inline TeX math as readable plain text, for places where math cannot render.

Paper pages and lists render ``$…$`` with KaTeX, but a browser tab (``<title>``), the
search results (plain text built from text nodes) and other plain-text places would
show the raw source: ``3D CO$_2$ Plumes``. :func:`plain_text` writes it as a reader
would say it: ``3D CO₂ Plumes``.

Pure: no I/O, deterministic.

Design notes: docs/modules.md, `text/mathtext.py`.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INLINE_MATH", "MAX_DEPTH", "math_to_text", "plain_text"]

#: One inline math span, ``$…$``: not ``$$``, not an escaped ``\\$``, no space just
#: inside either dollar (so ``$5 and $10`` is text). The site renders the same spans.
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\$)")

#: Deeper brace nesting is read as literal text (keeps the parser's recursion bounded).
MAX_DEPTH = 40

_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",  # TeX draws ϵ, but ε is what readers write (ε-greedy)
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "omicron": "ο",
    "pi": "π",
    "varpi": "ϖ",
    "rho": "ρ",
    "varrho": "ϱ",
    "sigma": "σ",
    "varsigma": "ς",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "ϕ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}

_SYMBOLS = {
    "times": "×",
    "cdot": "·",
    "cdots": "⋯",
    "ldots": "…",
    "dots": "…",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "ll": "≪",
    "gg": "≫",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "cong": "≅",
    "equiv": "≡",
    "propto": "∝",
    "to": "→",
    "rightarrow": "→",
    "longrightarrow": "⟶",
    "leftarrow": "←",
    "gets": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "implies": "⇒",
    "iff": "⇔",
    "mapsto": "↦",
    "uparrow": "↑",
    "downarrow": "↓",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "oint": "∮",
    "in": "∈",
    "notin": "∉",
    "ni": "∋",
    "subset": "⊂",
    "subseteq": "⊆",
    "supset": "⊃",
    "supseteq": "⊇",
    "cup": "∪",
    "cap": "∩",
    "setminus": "∖",
    "forall": "∀",
    "exists": "∃",
    "emptyset": "∅",
    "varnothing": "∅",
    "neg": "¬",
    "lnot": "¬",
    "wedge": "∧",
    "land": "∧",
    "vee": "∨",
    "lor": "∨",
    "oplus": "⊕",
    "otimes": "⊗",
    "odot": "⊙",
    "circ": "∘",
    "star": "⋆",
    "ast": "∗",
    "dagger": "†",
    "top": "⊤",
    "bot": "⊥",
    "perp": "⊥",
    "prime": "′",
    "ell": "ℓ",
    "hbar": "ℏ",
    "langle": "⟨",
    "rangle": "⟩",
    "lceil": "⌈",
    "rceil": "⌉",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "vert": "|",
    "mid": "|",
    "Vert": "‖",
    "|": "‖",
    "degree": "°",
    # Escaped characters and TeX's spacing commands.
    "{": "{",
    "}": "}",
    "$": "$",
    "%": "%",
    "&": "&",
    "#": "#",
    "_": "_",
    "\\": " ",
    ",": " ",
    ":": " ",
    ";": " ",
    " ": " ",
    "quad": " ",
    "qquad": " ",
    "!": "",
}

#: Commands that only size or space things: dropped.
_DROPPED = frozenset(
    [
        "left",
        "right",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "bigl",
        "bigr",
        "Bigl",
        "Bigr",
        "biggl",
        "biggr",
        "Biggl",
        "Biggr",
        "middle",
        "displaystyle",
        "textstyle",
        "scriptstyle",
        "scriptscriptstyle",
        "limits",
        "nolimits",
    ]
)

#: Commands whose one argument is kept as it is (fonts, text, operator names).
_CONTENT = frozenset(
    [
        "mathcal",
        "mathbf",
        "mathrm",
        "mathit",
        "mathsf",
        "mathtt",
        "mathfrak",
        "mathscr",
        "mathnormal",
        "boldsymbol",
        "bm",
        "pmb",
        "text",
        "textrm",
        "textbf",
        "textit",
        "textsf",
        "texttt",
        "textnormal",
        "textup",
        "emph",
        "mbox",
        "operatorname",
        "operatorname*",
        "underline",
        "overline",
    ]
)

_DOUBLE_STRUCK = {"C": "ℂ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ", "E": "𝔼", "1": "𝟙"}

#: Accents, written as a combining character after a one-character argument.
_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "bar": "\u0304",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}

_SUPERSCRIPT = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδθφϕχ′*†⊤",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᶿᵠᵠᵡ′*†ᵀ",
        strict=True,
    )
)
_SUBSCRIPT = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφϕχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵩᵪ",
        strict=True,
    )
)

_COMMAND = re.compile(r"\\([A-Za-z]+\*?|.)", re.DOTALL)
_SPACES = re.compile(r"\s+")


def plain_text(text: str) -> str:
    """``text`` with every inline ``$…$`` written as readable Unicode text.

    ``"3D CO$_2$ Plumes"`` → ``"3D CO₂ Plumes"``; text outside math is kept (runs of
    white space become one space). Never raises.
    """
    out: list[str] = []
    last = 0
    for match in INLINE_MATH.finditer(text):
        out.append(text[last : match.start()])
        out.append(math_to_text(match[1]))
        last = match.end()
    out.append(text[last:])
    return _SPACES.sub(" ", "".join(out)).strip()


def math_to_text(math: str) -> str:
    """The TeX source of one math span (without its dollars) as plain text."""
    text, _ = _Reader(math).sequence(0, closing=False)
    return unicodedata.normalize("NFC", _SPACES.sub(" ", text).strip())


class _Reader:
    """A small recursive reader over TeX math: groups, commands, scripts, characters."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0

    def sequence(self, depth: int, *, closing: bool) -> tuple[str, bool]:
        """Atoms until the end (or a ``}`` when ``closing``); returns (text, closed)."""
        out: list[str] = []
        while self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "}":
                self.pos += 1
                if closing:
                    return "".join(out), True
                continue  # an unmatched closing brace: dropped
            if char in "^_":
                self.pos += 1
                out.append(_script(char, self.argument(depth)))
                continue
            out.append(self.atom(depth))
        return "".join(out), False

    def atom(self, depth: int) -> str:
        """One character, command (with its arguments) or group, as text."""
        char = self.source[self.pos]
        if char == "{":
            self.pos += 1
            if depth >= MAX_DEPTH:
                return "{"
            text, _ = self.sequence(depth + 1, closing=True)
            return text
        if char == "\\":
            match = _COMMAND.match(self.source, self.pos)
            if match is None:  # a trailing backslash
                self.pos += 1
                return ""
            self.pos = match.end()
            name = match[1]
            if depth >= MAX_DEPTH:  # too deep to read arguments: its name only
                return _SYMBOLS.get(name, _GREEK.get(name, name))
            return self._command(name, depth + 1)
        self.pos += 1
        if char == "'":
            return "′"
        if char == "~":
            return " "
        return char

    def argument(self, depth: int) -> str:
        """The next argument: a group or one atom, skipping spaces before it."""
        while self.pos < len(self.source) and self.source[self.pos].isspace():
            self.pos += 1
        if self.pos >= len(self.source) or self.source[self.pos] == "}":
            return ""
        if self.source[self.pos] in "^_":
            return ""
        return self.atom(depth)

    def _optional(self, depth: int) -> str | None:
        """An optional ``[…]`` argument, if one follows."""
        if self.pos < len(self.source) and self.source[self.pos] == "[":
            end = self.source.find("]", self.pos)
            if end != -1:
                inner = _Reader(self.source[self.pos + 1 : end]).sequence(depth, closing=False)
                self.pos = end + 1
                return inner[0]
        return None

    def _command(self, name: str, depth: int) -> str:
        if name in _GREEK:
            return _GREEK[name]
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _DROPPED:
            return ""
        if name in _CONTENT:
            return self.argument(depth)
        if name == "mathbb":
            content = self.argument(depth)
            return "".join(_DOUBLE_STRUCK.get(c, c) for c in content)
        if name in _ACCENTS:
            content = self.argument(depth)
            return content + _ACCENTS[name] if len(content) == 1 else content
        if name in ("frac", "dfrac", "tfrac"):
            top, bottom = self.argument(depth), self.argument(depth)
            return f"{_operand(top)}/{_operand(bottom)}"
        if name == "binom":
            top, bottom = self.argument(depth), self.argument(depth)
            return f"({top} choose {bottom})"
        if name == "sqrt":
            index = self._optional(depth)
            body = self.argument(depth)
            root = _script("^", index) if index else ""
            return f"{root}√{_operand(body)}"
        # Unknown: keep it readable as its name (\log, \max, \softmax …).
        return name.rstrip("*") if name[:1].isalpha() else name


def _script(mark: str, content: str) -> str:
    """``content`` as a super- (``^``) or subscript (``_``): Unicode characters when
    every character has one, otherwise ``^x`` / ``^(xy)``."""
    content = content.strip()
    if not content:
        return ""
    table = _SUPERSCRIPT if mark == "^" else _SUBSCRIPT
    if all(c in table for c in content):
        return "".join(table[c] for c in content)
    bracketed = content.startswith("(") and content.endswith(")")
    return f"{mark}{content}" if len(content) == 1 or bracketed else f"{mark}({content})"


def _operand(text: str) -> str:
    """A fraction's or root's operand, in parentheses when it is more than one term."""
    text = text.strip()
    return f"({text})" if len(text) > 1 and not text.isalnum() else text
