"""The documents inverted: every field's postings per term, for the sharded bundle.

What lunr's Builder records (each term's documents and frequencies per field, each
field's lengths), made so that 100,000 papers take seconds: the loops that run once
per word or once per posting are C loops (``Counter``, ``map`` over bound methods,
array slices), and Python runs once per document, per distinct word or per distinct
weight. Pure: documents in, postings out.

Design notes: docs/modules.md, `search/postings.py`.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice, repeat
from operator import add, lshift, sub
from typing import TypeVar

from . import pairs
from .bundle import SearchDoc, field_values
from .lunr_builder import FastBuilder, split_pieces

#: Two numbers below 2**32 share one (high << 32 | low): a posting's field length and
#: term frequency (a field of 2**32 words would be a text of over 4 GB), and a word
#: pair's two stem numbers.
_SHIFT = 32
_LOW = (1 << _SHIFT) - 1
#: A term as a field's counts name it: its text, or a word pair's number (pair_counts).
_Term = TypeVar("_Term", str, int)


def _consume(iterator: Iterator[object]) -> None:
    deque(iterator, maxlen=0)


class _Shapes(dict[int, int]):
    """(length << 32 | frequency) -> its shape number, the next one for one not seen
    before."""

    def __missing__(self, key: int) -> int:
        number = self[key] = len(self)
        return number


@dataclass(slots=True)
class Inverted:
    """Per field (in the order asked): term -> its postings in document order, as
    ``ref, shape, ref, shape, …``; each document's field length.
    ``shapes[shape]`` is a posting's (field length, term frequency): all its BM25 weight
    needs besides the term's idf."""

    postings: list[dict[str, array]]
    lengths: list[array]
    shapes: list[tuple[int, int]]

    def terms(self) -> list[str]:
        """Every term of every field, sorted."""
        return sorted(set().union(*self.postings))

    def df(self, terms: Sequence[str]) -> list[int]:
        """How many (document, field) postings each of ``terms`` has, over all fields."""
        total = [0] * len(terms)
        for field in self.postings:
            total = list(map(add, total, map(len, map(field.get, terms, repeat(())))))
        return [n // 2 for n in total]


def invert(builder: FastBuilder, docs: Sequence[SearchDoc], fields: Sequence[str]) -> Inverted:
    """The postings of ``docs`` in ``fields``: lunr's fields through ``builder``'s
    pipeline (one run per distinct word), the pair fields (bundle.FIELDS_PAIRS) as
    :mod:`.pairs` makes them."""
    shape_numbers = _Shapes()
    postings: list[dict[str, array]] = []
    lengths: list[array] = []
    values = [field_values(doc) for doc in docs]
    for name in fields:
        counts: Iterable[Counter[str]]
        if name == "pairs":
            numbers = pairs.StemNumbers()
            by_number, field_lengths = _field(pair_counts(docs, numbers), shape_numbers)
            names = map(pair_name, by_number, repeat(numbers.stems))
            postings.append(dict(zip(names, by_number.values(), strict=True)))
            lengths.append(field_lengths)
            continue
        if name == "near":
            counts = (Counter(pairs.near(words)) for words in pairs.streams(d.title for d in docs))
        else:
            counts = _lunr_counts(builder, name, (v[name] for v in values))
        by_term, field_lengths = _field(counts, shape_numbers)
        postings.append(by_term)
        lengths.append(field_lengths)
    shapes = [(key >> _SHIFT, key & _LOW) for key in shape_numbers]
    return Inverted(postings, lengths, shapes)


#: Where a word with no term (a stop word) is counted, then dropped: never a term (a str).
_NO_TERM = ("",)


def _lunr_counts(builder: FastBuilder, name: str, texts: Iterable[str]) -> Iterator[Counter[str]]:
    """Each text's terms in field ``name``, counted (the field's length is the total).

    Most words make one term: they are counted as it, in one C loop. A word that makes
    none is counted as :data:`_NO_TERM` and dropped; one that makes several (word parts)
    is counted as itself in a tuple, then spread over its terms."""
    key_of: dict[str, str | tuple[str, ...]] = {"": _NO_TERM}  # split_pieces leaves ""
    several: dict[str, tuple[str, ...]] = {}
    several_words: set[str] = set()  # several's keys: a set meets a set in its smaller's time
    for text in texts:
        words = split_pieces(text)
        distinct = set(words)
        for word in distinct.difference(key_of):
            terms = builder._terms(word, name)
            if len(terms) == 1:
                key_of[word] = terms[0]
            elif terms:
                key_of[word] = (word,)
                several[word] = terms
                several_words.add(word)
            else:
                key_of[word] = _NO_TERM
        counted: Counter = Counter(map(key_of.__getitem__, words))
        counted.pop(_NO_TERM, None)
        if not distinct.isdisjoint(several_words):
            for word in distinct & several_words:
                times = counted.pop((word,))
                for term in several[word]:
                    counted[term] += times
        yield counted


def _field(counts: Iterable[Counter[_Term]], shapes: _Shapes) -> tuple[dict[_Term, array], array]:
    """One field's postings (term -> ``ref, shape, …``) and lengths."""
    by_term: defaultdict[_Term, array] = defaultdict(partial(array, "i"))
    lengths = array("i")
    append = array.append
    for ref, counted in enumerate(counts):
        length = counted.total()
        lengths.append(length)
        if counted:
            rows = list(map(by_term.__getitem__, counted))
            _consume(map(append, rows, repeat(ref)))
            keys = map(add, counted.values(), repeat(length << _SHIFT))
            _consume(map(append, rows, map(shapes.__getitem__, keys)))
    return dict(by_term), lengths


def pair_counts(docs: Sequence[SearchDoc], numbers: pairs.StemNumbers) -> Iterator[Counter[int]]:
    """The ``pairs`` field's terms of each document, counted: every pair of the title,
    the pairs of the abstract that :data:`~.pairs.MIN_PAPERS` papers have or more
    (as bundle.pair_terms). A pair is a number, ``first << 32 | second`` of its stems'
    numbers in ``numbers`` (:func:`pair_name`): no string is made for a pair one paper
    has, and a number hashes at once. A document's pairs are let go once counted."""

    def pair_numbers(texts: Iterable[str]) -> list[array]:  # 8 bytes a pair, not 40
        return [
            array("q", map(add, map(lshift, words, repeat(_SHIFT)), islice(words, 1, None)))
            for words in pairs.numbered(texts, numbers)
        ]

    titles = pair_numbers(d.title for d in docs)
    abstracts = pair_numbers(d.abstract for d in docs)
    # at_least[k]: the pairs k + 1 papers have or more, in set operations (C loops)
    at_least: list[set[int]] = [set() for _ in range(max(pairs.MIN_PAPERS, 1))]
    for mine, theirs in zip(titles, abstracts, strict=True):
        held = set(mine).union(theirs)
        for k in range(len(at_least) - 1, 0, -1):
            at_least[k] |= held & at_least[k - 1]
        at_least[0] |= held
    shared = at_least[-1]
    del at_least[:-1]
    for i, mine in enumerate(titles):
        yield Counter(chain(mine, filter(shared.__contains__, abstracts[i])))
        abstracts[i] = titles[i] = _EMPTY


_EMPTY = array("q")


def pair_name(number: int, stems: list[str]) -> str:
    """The term of pair number ``number`` (:func:`pair_counts`): ``pairs.adjacent``'s."""
    return f"{stems[number >> _SHIFT]} {stems[number & _LOW]}"


class Weights(dict[int, int]):
    """Shape number -> lunr.js's BM25 weight (×1000, rounded as lunr.js rounds) of a
    term with this idf in one field: computed once per distinct (length, frequency),
    as :func:`.shards.lunr_weight` computes it, in the same order of operations."""

    def __init__(
        self,
        shapes: list[tuple[int, int]],
        *,
        idf: float,
        k1: float,
        b: float,
        average: float,
        boost: float,
    ) -> None:
        super().__init__()
        self._shapes = shapes
        self._idf, self._k1, self._b, self._average, self._boost = idf, k1, b, average, boost

    def __missing__(self, shape: int) -> int:
        length, tf = self._shapes[shape]
        k1, b, average = self._k1, self._b, self._average
        norm = k1 * (1 - b + b * (length / average)) if average else 0.0
        weight = math.floor(self._idf * ((k1 + 1) * tf) / (norm + tf) * self._boost * 1000 + 0.5)
        self[shape] = weight
        return weight


class WeightTables:
    """The :class:`Weights` of each field and document frequency (terms of equal df
    share one: their idf is the same), made when first asked for."""

    def __init__(
        self,
        shapes: list[tuple[int, int]],
        *,
        idf: Sequence[float],
        df: Sequence[int],
        k1: float,
        b: float,
        averages: Sequence[float],
        boosts: Sequence[float],
    ) -> None:
        self._shapes, self._idf, self._df, self._k1, self._b = shapes, idf, df, k1, b
        self._averages, self._boosts = averages, boosts
        self._tables: list[dict[int, Weights]] = [{} for _ in boosts]

    def of(self, field: int, term: int) -> Weights:
        """The weights of term number ``term`` in field number ``field``."""
        tables, df = self._tables[field], self._df[term]
        table = tables.get(df)
        if table is None:
            table = tables[df] = Weights(
                self._shapes,
                idf=self._idf[term],
                k1=self._k1,
                b=self._b,
                average=self._averages[field],
                boost=self._boosts[field],
            )
        return table

    def from_term(self, field: int, first: int) -> Callable[[int], Weights]:
        """:meth:`of` for the terms of a shard starting at ``first``, by their place in it."""
        return lambda i: self.of(field, first + i)


def field_postings(
    rows: Sequence[array | None], weights: Callable[[int], Weights]
) -> dict[str, list[int]]:
    """One field's postings of consecutive terms, ``rows[i]`` the shard's term ``i``'s
    (None: not in this field), weighed by ``weights(i)``: ``t`` (term-number deltas
    within the shard and posting counts), ``d`` (document-number deltas), ``w``."""
    t: list[int] = []
    d: list[int] = []
    w: list[int] = []
    previous_term = 0
    for i, row in enumerate(rows):
        if row is None:
            continue
        refs = row[0::2]
        t += [i - previous_term, len(refs)]
        previous_term = i
        d.extend(map(sub, refs, chain((0,), refs)))
        w.extend(map(weights(i).__getitem__, row[1::2]))
    return {"t": t, "d": d, "w": w}
