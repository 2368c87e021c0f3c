"""Word pairs: the index terms behind phrase search, closed compounds and title proximity.

Design notes: docs/modules.md, `search/pairs.py`.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from lunr.stop_word_filter import WORDS as STOP_WORDS

from .lunr_builder import WORD_RUN
from .stemmer import stem

_stem = lru_cache(maxsize=1 << 18)(stem)  # words repeat: ~40 k distinct among 1.5 M
#: Title words at most this many apart (stop words not counted) make a ``near`` term.
NEAR = 3
#: An abstract's pair is indexed when at least this many papers have it (in the title
#: or abstract); a title's pairs always are. On the 543 seed papers this keeps 6,800 of
#: 49,000 distinct pairs (23,000 of 66,000 postings): the full index is 2.3x, not 5x,
#: Lunr's alone. A phrase only one abstract has ranks that paper by its words alone.
MIN_PAPERS = 2


def stream(text: str) -> list[str]:
    """The words of ``text`` as the pair fields see them (see the module docstring)."""
    return [_stem(w) for w in WORD_RUN.findall(text.lower()) if w not in STOP_WORDS]


class StemNumbers(dict[str, int]):
    """Word -> the number of its stem (from 1; ``stems[n]`` is stem n), 0 for a stop
    word: :func:`stream`'s words as numbers, each distinct word stemmed once (the
    sharded build's pair fields, search/postings.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.stems = [""]
        self._numbers: dict[str, int] = {}

    def __missing__(self, word: str) -> int:
        number = 0
        if word not in STOP_WORDS:
            found = stem(word)
            number = self._numbers.setdefault(found, len(self.stems))
            if number == len(self.stems):
                self.stems.append(found)
        self[word] = number
        return number


def adjacent(words: list[str]) -> list[str]:
    """Each two neighbouring words, in order: the ``pairs`` terms of one text."""
    return list(map(" ".join, itertools.pairwise(words)))


def near(words: list[str]) -> list[str]:
    """Each two distinct words at most :data:`NEAR` apart, sorted: the ``near`` terms."""
    out = []
    for i, a in enumerate(words):
        for b in words[i + 1 : i + 1 + NEAR]:
            if a != b:
                out.append(f"{min(a, b)} {max(a, b)}")
    return out
