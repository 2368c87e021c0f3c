"""lunr.js 2.3.9's ``lunr.stemmer``, ported line for line.

The index must hold exactly the stems the browser's lunr.js gives, and the ``lunr``
Python package's stemmer differs (``play`` -> ``plai``); ``tests/search/test_stemmer.py``
compares this module with lunr.js in Node.

Design notes: docs/modules.md, `search/stemmer.py`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lunr.token import Token

_DOT = r"[^\n\r\u2028\u2029]"  # JavaScript's "."

_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
_STEP3 = {
    "icate": "ic",
    "ative": "",
    "alize": "al",
    "iciti": "ic",
    "ical": "ic",
    "ful": "",
    "ness": "",
}

_c = "[^aeiou]"  # consonant
_v = "[aeiouy]"  # vowel
_C = _c + "[^aeiouy]*"  # consonant sequence
_V = _v + "[aeiou]*"  # vowel sequence

_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)  # [C]VC... is m>0
_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + r")?\Z")  # [C]VC[V] is m=1
_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)  # [C]VCVC... is m>1
_S_V = re.compile("^(" + _C + ")?" + _v)  # vowel in stem

_1A = re.compile(rf"^({_DOT}+?)(ss|i)es\Z")
_1A_2 = re.compile(rf"^({_DOT}+?)([^s])s\Z")
_1B = re.compile(rf"^({_DOT}+?)eed\Z")
_1B_2 = re.compile(rf"^({_DOT}+?)(ed|ing)\Z")
_LAST = re.compile(rf"{_DOT}\Z")
_1B_AT_BL_IZ = re.compile(r"(at|bl|iz)\Z")
_1B_DOUBLE = re.compile(r"([^aeiouylsz])\1\Z")
_1B_CVC = re.compile("^" + _C + _v + r"[^aeiouwxy]\Z")
_1C = re.compile(rf"^({_DOT}+?[^aeiou])y\Z")
_2 = re.compile(rf"^({_DOT}+?)({'|'.join(_STEP2)})\Z")
_3 = re.compile(rf"^({_DOT}+?)({'|'.join(_STEP3)})\Z")
_4 = re.compile(
    rf"^({_DOT}+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)\Z"
)
_4_2 = re.compile(rf"^({_DOT}+?)(s|t)(ion)\Z")
_5 = re.compile(rf"^({_DOT}+?)e\Z")
_5_LL = re.compile(r"ll\Z")
_5_CVC = re.compile("^" + _C + _v + r"[^aeiouwxy]\Z")


def _porter(w: str) -> str:
    """``porterStemmer(w)`` of lunr.js, on a string of UTF-16 code units."""
    if len(w) < 3:
        return w
    firstch = w[0]
    if firstch == "y":
        w = "Y" + w[1:]

    # Step 1a
    if (m := _1A.search(w)) or (m := _1A_2.search(w)):
        w = m[1] + m[2]

    # Step 1b
    if m := _1B.search(w):
        if _MGR0.search(m[1]):
            w = _LAST.sub("", w, count=1)
    elif m := _1B_2.search(w):
        stem = m[1]
        if _S_V.search(stem):
            w = stem
            if _1B_AT_BL_IZ.search(w):
                w = w + "e"
            elif _1B_DOUBLE.search(w):
                w = _LAST.sub("", w, count=1)
            elif _1B_CVC.search(w):
                w = w + "e"

    # Step 1c: y -> i after a consonant that is not the first letter (cry -> cri, say -> say)
    if m := _1C.search(w):
        w = m[1] + "i"

    # Step 2
    if m := _2.search(w):
        stem, suffix = m[1], m[2]
        if _MGR0.search(stem):
            w = stem + _STEP2[suffix]

    # Step 3
    if m := _3.search(w):
        stem, suffix = m[1], m[2]
        if _MGR0.search(stem):
            w = stem + _STEP3[suffix]

    # Step 4
    if m := _4.search(w):
        stem = m[1]
        if _MGR1.search(stem):
            w = stem
    elif m := _4_2.search(w):
        stem = m[1] + m[2]
        if _MGR1.search(stem):
            w = stem

    # Step 5
    if m := _5.search(w):
        stem = m[1]
        if _MGR1.search(stem) or (_MEQ1.search(stem) and not _5_CVC.search(stem)):
            w = stem
    if _5_LL.search(w) and _MGR1.search(w):
        w = _LAST.sub("", w, count=1)

    # and turn initial Y back to y
    if firstch == "y":
        w = "y" + w[1:]
    return w


def stem(word: str) -> str:
    """The stem lunr.js 2.3.9 gives ``word`` (already lower-cased, as lunr's pipeline
    passes it)."""
    if all(ch < "\U00010000" for ch in word):
        return _porter(word)
    raw = word.encode("utf-16-le", "surrogatepass")
    units = "".join(chr(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, len(raw), 2))
    return _porter(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def stemmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """The pipeline function: ``lunr.stemmer``. Its label is lunr.js's, ``stemmer``, so a
    serialized index names the stemmer lunr.js loads; it is not registered in the
    Python package's registry (that would replace the package's own stemmer there)."""
    return token.update(lambda s, metadata=None: stem(s))


stemmer.label = "stemmer"  # type: ignore[attr-defined]
