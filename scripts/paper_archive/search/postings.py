"""The documents inverted in NumPy arrays, for the sharded bundle: every field's postings
(term, document, term frequency) by term then document, each document's field lengths,
and lunr.js's BM25 weights of a run of postings.

Python runs once per document (to split its text) and once per distinct word (lunr.js's
pipeline, the stemmer); every step taken once per word or per posting is an array
operation, a bounded number of elements at a time. Pure: documents in, arrays out.

Design notes: docs/modules.md, `search/postings.py`.
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .bundle import FIELD_TEXT, SearchDoc
from .lunr_builder import WORD_RUN, FastBuilder, split_fast
from .pairs import MIN_PAPERS, NEAR, StemNumbers

Ints = npt.NDArray[np.integer[Any]]  # int64, but docs int32 and tfs the smallest
Floats = npt.NDArray[np.float64]

#: Words (or word pairs) one vectorised step takes at a time, a document's never split:
#: the temporary arrays of a step stay a few MB whatever the archive's size.
CHUNK = 1 << 20
#: Words counted into postings by one sort: a field with more is inverted in parts of
#: consecutive terms, each sorted alone (an 8 MB key array at most).
PART = 1 << 20
_KEY_MAX = (1 << 63) - 1


@dataclass(slots=True)
class Part:
    """Postings of consecutive terms of one field. ``terms``: the terms present, by
    number, ascending; term ``terms[i]``'s postings are ``offsets[i]:offsets[i + 1]``
    of ``docs`` (document numbers, ascending) and ``tfs`` (term frequencies)."""

    terms: Ints
    offsets: Ints
    docs: Ints
    tfs: Ints

    def take(self, first: int, last: int) -> Part:
        """The postings of terms ``first`` to ``last`` (numbers, ``last`` excluded)."""
        i, j = np.searchsorted(self.terms, (first, last))
        a, b = self.offsets[i], self.offsets[j]
        return Part(self.terms[i:j], self.offsets[i : j + 1] - a, self.docs[a:b], self.tfs[a:b])


@dataclass(slots=True)
class Field:
    """One field inverted: its postings in parts of consecutive terms (``names``: its
    terms, sorted; a part's term numbers are places in ``names`` until :func:`invert`
    makes them the places in every field's terms) and each document's field length."""

    names: list[str]
    parts: list[Part]
    lengths: Ints

    def take(self, first: int, last: int) -> Part:
        """The postings of terms ``first`` to ``last``: the terms of a group of shards,
        asked for in order. A part is dropped once taken whole (the bundle's bytes take
        the postings' place)."""
        taken = []
        while self.parts:
            part = self.parts[0]
            taken.append(part.take(first, last))
            if len(part.terms) and part.terms[-1] >= last:
                break
            del self.parts[0]
        return _joined(taken)


@dataclass(slots=True)
class Inverted:
    """Every field inverted (in the order asked), over ``terms``: every field's terms,
    sorted; ``df[i]``: how many (document, field) postings term ``i`` has."""

    terms: list[str]
    df: Ints
    fields: list[Field]


def invert(builder: FastBuilder, docs: Sequence[SearchDoc], fields: Sequence[str]) -> Inverted:
    """The postings of ``docs`` in ``fields``: lunr's fields through ``builder``'s
    pipeline (one run per distinct word), the pair fields (bundle.FIELDS_PAIRS) as
    :mod:`.pairs` defines them."""
    count = len(docs)
    stems = StemNumbers()
    made: dict[str, Field] = {}
    streams: dict[str, _Stream] = {}  # the titles' and abstracts' stems, for the pairs
    pair_fields = "pairs" in fields or "near" in fields
    for name in fields:
        if name in ("pairs", "near"):
            continue
        wants_stems = pair_fields and name in ("title", "abstract")
        words = _Words(builder, name, stems if wants_stems else None)
        tokens = _tokens(words, map(FIELD_TEXT[name], docs))
        names, stream = _terms(words, tokens)
        if wants_stems:
            streams[name] = tokens.expanded(words.made_stems.arrays())
        del tokens, words
        made[name] = Field(names, _counted(stream, len(names), count), np.diff(stream.offsets))
        del stream
    if pair_fields:
        for name in ("title", "abstract"):
            if name not in streams:
                words = _Words(builder, name, stems)
                tokens = _tokens(words, map(FIELD_TEXT[name], docs))
                streams[name] = tokens.expanded(words.made_stems.arrays())
                del tokens, words
        ranked, rank = _ranked(stems.stems)
        title, abstract = streams.pop("title"), streams.pop("abstract")
        title.renumber(rank)
        abstract.renumber(rank)
        if "pairs" in fields:
            made["pairs"] = _pairs_field(title, abstract, ranked, count)
        del abstract
        if "near" in fields:
            made["near"] = _near_field(title, ranked, count)
        del title
    inverted = [made[name] for name in fields]
    terms = sorted(set().union(*(field.names for field in inverted)))
    number = {term: i for i, term in enumerate(terms)}
    df = np.zeros(len(terms), np.int64)
    for field in inverted:
        numbers = np.fromiter(map(number.__getitem__, field.names), np.int64, len(field.names))
        if np.any(numbers[1:] <= numbers[:-1]):  # never: a field's terms are sorted
            raise ValueError("a field's terms are out of order")
        for part in field.parts:
            part.terms = numbers[part.terms]
            df[part.terms] += np.diff(part.offsets)
    return Inverted(terms, df, inverted)


def lunr_weights(
    idf: Floats,
    tfs: Ints,
    lengths: Ints,
    *,
    k1: float,
    b: float,
    average: float,
    boost: float,
) -> Ints:
    """lunr.js Builder's BM25 weight of each posting (term ``idf``, frequency, field
    length), times 1000 and rounded as lunr.js rounds it: :func:`.shards.lunr_weight`'s
    operations in its order, on IEEE doubles as Python's, so the very same integers."""
    tf = tfs.astype(np.float64)
    norm = k1 * (1 - b + b * (lengths / average)) if average else np.zeros_like(tf)
    score = idf * ((k1 + 1) * tf) / (norm + tf) * boost * 1000 + 0.5
    return np.floor(score).astype(np.int64)


def doc_deltas(part: Part) -> Ints:
    """Each posting's document number less the one before it in its term (the first
    one's as it is)."""
    docs = part.docs
    deltas = docs.copy()
    np.subtract(docs[1:], docs[:-1], out=deltas[1:])
    starts = part.offsets[:-1]
    deltas[starts] = docs[starts]
    return deltas


def least_first(weights: Ints, offsets: Ints) -> Ints:
    """For each term (its postings ``offsets[i]:offsets[i + 1]`` of ``weights``, none
    empty), its least weight, then each of its weights less that one: small numbers,
    short varints (a term's weights are close). ``offsets[i] + i`` is where term ``i``'s
    values start."""
    counts = np.diff(offsets)
    if not len(counts):
        return np.zeros(0, np.int64)
    least = np.minimum.reduceat(weights, offsets[:-1])
    out = np.empty(len(weights) + len(counts), np.int64)
    heads = offsets[:-1] + np.arange(len(counts))
    rest = np.ones(len(out), np.bool_)
    rest[heads] = False
    out[heads] = least
    out[rest] = weights - np.repeat(least, counts)
    return out


# -- lunr's fields ------------------------------------------------------------------


class _Words(dict[str, int]):
    """Word -> its number (from 0, in order of first sight), and what each word makes:
    its terms in field ``name`` (lunr.js's pipeline through ``builder``, once per word;
    a term numbered in ``terms`` in order of first sight) and, with ``stems``, the stem
    numbers of its letter-and-digit runs that are not stop words (:mod:`.pairs`)."""

    def __init__(self, builder: FastBuilder, name: str, stems: StemNumbers | None) -> None:
        super().__init__()
        self._builder, self._name, self._stems = builder, name, stems
        self.terms: dict[str, int] = {}
        self.made_terms = _Table()
        self.made_stems = _Table()

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        terms = self._builder.terms_of(word, self._name)
        self.made_terms.add([self.terms.setdefault(t, len(self.terms)) for t in terms])
        if self._stems is not None:
            runs = map(self._stems.__getitem__, WORD_RUN.findall(word))
            self.made_stems.add(list(filter(None, runs)))
        return number


class _Table:
    """What each word number makes: word ``n``'s values are ``values[starts[n]:
    starts[n] + lengths[n]]``."""

    def __init__(self) -> None:
        self.values = array("q")
        self.lengths = array("q")

    def add(self, values: list[int]) -> None:
        self.values.extend(values)
        self.lengths.append(len(values))

    def arrays(self, renumber: Ints | None = None) -> tuple[Ints, Ints, Ints]:
        values: Ints
        lengths: Ints
        values, lengths = (
            np.frombuffer(a, np.int64) if a else np.zeros(0, np.int64)
            for a in (self.values, self.lengths)
        )
        if renumber is not None:
            values = renumber[values]
        return values, np.cumsum(lengths) - lengths, lengths


@dataclass(slots=True)
class _Stream:
    """Numbers in document order (words, terms or stems): document ``i``'s are
    ``values[offsets[i]:offsets[i + 1]]``."""

    values: npt.NDArray[np.int32]
    offsets: Ints

    def chunks(self) -> Iterator[tuple[int, int]]:
        """Documents [a, b) of about :data:`CHUNK` values (one document at least)."""
        offsets, count = self.offsets, len(self.offsets) - 1
        a = 0
        while a < count:
            b = int(np.searchsorted(offsets, offsets[a] + CHUNK, side="right")) - 1
            b = min(max(b, a + 1), count)
            yield a, b
            a = b

    def docs(self, a: int, b: int) -> Ints:
        """The document number of each value of documents [a, b)."""
        return np.repeat(np.arange(a, b, dtype=np.int64), np.diff(self.offsets[a : b + 1]))

    def expanded(self, table: tuple[Ints, Ints, Ints]) -> _Stream:
        """What each value (a word number) makes in ``table``, in order."""
        values, starts, lengths = table
        counts = np.zeros(len(self.offsets), np.int64)
        for a, b in self.chunks():
            words = self.values[self.offsets[a] : self.offsets[b]]
            made = np.bincount(self.docs(a, b) - a, weights=lengths[words], minlength=b - a)
            counts[a + 1 : b + 1] = made.astype(np.int64)
        offsets = np.cumsum(counts)
        out = np.empty(int(offsets[-1]), np.int32)
        for a, b in self.chunks():
            words = self.values[self.offsets[a] : self.offsets[b]]
            n = lengths[words]
            at = np.repeat(starts[words] - (np.cumsum(n) - n), n)
            at += np.arange(len(at))
            out[offsets[a] : offsets[b]] = values[at]
        return _Stream(out, offsets)

    def renumber(self, rank: Ints) -> None:
        """Each value ``v`` made ``rank[v]``, in place."""
        for a in range(0, len(self.values), CHUNK):
            self.values[a : a + CHUNK] = rank[self.values[a : a + CHUNK]]


def _tokens(words: _Words, texts: Iterator[str]) -> _Stream:
    """The word numbers of each text as lunr.js's tokenizer splits it."""
    numbers = array("i")
    counts = array("q", [0])
    extend, append, number = numbers.extend, counts.append, words.__getitem__
    for text in texts:
        pieces = split_fast(text)
        extend(map(number, pieces))
        append(len(pieces))
    offsets = np.cumsum(np.frombuffer(counts, np.int64))
    return _Stream(np.frombuffer(numbers, np.int32) if numbers else np.zeros(0, np.int32), offsets)


def _terms(words: _Words, tokens: _Stream) -> tuple[list[str], _Stream]:
    """A lunr field's terms, sorted, and the stream of their numbers (places among
    them) that ``tokens`` make: each word its terms (a document's field length is how
    many, as lunr's Builder counts it)."""
    names = sorted(words.terms)
    rank = np.zeros(len(names), np.int64)
    rank[np.fromiter(map(words.terms.__getitem__, names), np.int64, len(names))] = np.arange(
        len(names)
    )
    return names, tokens.expanded(words.made_terms.arrays(rank))


def _counted(stream: _Stream, nterms: int, count: int) -> list[Part]:
    """The postings of a stream of term numbers (``nterms`` of them) over ``count``
    documents, in parts of consecutive terms of at most :data:`PART` words each."""
    sizes = np.bincount(stream.values, minlength=nterms) if nterms else np.zeros(0, np.int64)
    parts = []
    for lo, hi in _ranges(sizes, PART):

        def keys(lo: int = lo, hi: int = hi) -> Iterator[Ints]:
            for a, b in stream.chunks():
                terms = stream.values[stream.offsets[a] : stream.offsets[b]].astype(np.int64)
                docs = stream.docs(a, b)
                inside = (terms >= lo) & (terms < hi)
                yield (terms[inside] - lo) * count + docs[inside]

        parts.append(_part(*_runs(_filled(keys(), int(sizes[lo:hi].sum()))), count, lo))
    return parts


def _ranges(sizes: Ints, limit: int, width: int = _KEY_MAX) -> Iterator[tuple[int, int]]:
    """Consecutive ranges [lo, hi) of numbers of ``sizes[i]`` elements each, about
    ``limit`` elements and at most ``width`` numbers a range (one number at least)."""
    ends = np.cumsum(sizes)
    lo, n = 0, len(sizes)
    while lo < n:
        before = ends[lo - 1] if lo else 0
        hi = int(np.searchsorted(ends, before + limit, side="right"))
        hi = min(max(hi, lo + 1), lo + width, n)
        yield lo, hi
        lo = hi


def _filled(chunks: Iterator[Ints], size: int) -> Ints:
    """The chunks joined in one array of ``size`` elements (their total)."""
    out = np.empty(size, np.int64)
    at = 0
    for chunk in chunks:
        out[at : at + len(chunk)] = chunk
        at += len(chunk)
    return out[:at]


def _runs(keys: Ints) -> tuple[Ints, Ints]:
    """``keys`` sorted, as its distinct values and how many times each occurs (the
    distinct values overwrite ``keys``' beginning: the array is the caller's no more)."""
    keys.sort()
    n = len(keys)
    if not n:
        return keys, np.zeros(0, np.int64)
    first = np.empty(n, np.bool_)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    counts = np.diff(starts, append=n)
    distinct = keys[: len(starts)]
    for a in range(0, len(starts), CHUNK):  # in place: a value only moves forward
        distinct[a : a + CHUNK] = keys[starts[a : a + CHUNK]]
    return distinct, counts


def _part(keys: Ints, tfs: Ints, count: int, lo: int) -> Part:
    """The part whose postings are ``keys`` (``(term - lo) * count + document``,
    ascending) with their frequencies."""
    terms = keys // count
    present = np.flatnonzero(np.diff(terms, prepend=-1))
    terms = terms[present] + lo
    top = int(tfs.max()) if len(tfs) else 0
    small = np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.int64
    docs = (keys % count).astype(np.int32)
    return Part(terms, np.append(present, len(keys)), docs, tfs.astype(small))


def _joined(parts: list[Part]) -> Part:
    parts = [p for p in parts if len(p.terms)]
    if len(parts) < 2:
        return parts[0] if parts else Part(*(np.zeros(n, np.int64) for n in (0, 1, 0, 0)))
    bases = np.cumsum([0, *(len(p.docs) for p in parts)])
    return Part(
        np.concatenate([p.terms for p in parts]),
        np.concatenate(
            [*(p.offsets[:-1] + base for p, base in zip(parts, bases, strict=False)), bases[-1:]]
        ),
        np.concatenate([p.docs for p in parts]),
        np.concatenate([p.tfs for p in parts]),
    )


# -- the pair fields ----------------------------------------------------------------


def _ranked(stems: list[str]) -> tuple[list[str], Ints]:
    """The stems sorted (stem 0, "", left out) and each stem number's place among them:
    a pair of places compares as its name does (``"a b"``: a stem's characters are
    letters and digits, all after the space)."""
    order = sorted(range(1, len(stems)), key=stems.__getitem__)
    rank = np.zeros(len(stems), np.int64)
    rank[order] = np.arange(len(order))
    return [stems[i] for i in order], rank


def _adjacent(stream: _Stream, a: int, b: int, apart: int = 1) -> tuple[Ints, Ints, Ints]:
    """Each two values ``apart`` places apart within one document of documents [a, b):
    the first, the second and the document."""
    values = stream.values[stream.offsets[a] : stream.offsets[b]].astype(np.int64)
    docs = stream.docs(a, b)
    same = docs[apart:] == docs[:-apart] if apart < len(docs) else np.zeros(0, np.bool_)
    return values[:-apart][same], values[apart:][same], docs[apart:][same]


def _pair_parts(
    pairs: Callable[[], Iterator[tuple[Ints, Ints, Ints, int]]],
    stems: int,
    count: int,
    finish: Callable[[Ints, Ints, int], tuple[Ints, Ints]],
) -> list[Part]:
    """The postings of the word pairs ``pairs()`` gives (first and second stem places,
    document, source), a part per range of first stems, each counted by ``finish``
    (distinct keys and counts -> postings' keys and frequencies). A pair is the term
    ``first * stems + second``; a key ``((pair - lo * stems) * count + doc) * 2 +
    source``."""
    sizes = np.zeros(stems, np.int64)
    for first, _, _, _ in pairs():
        sizes += np.bincount(first, minlength=stems)
    parts = []
    width = max(1, _KEY_MAX // max(1, stems * count * 2))
    for lo, hi in _ranges(sizes, PART, width):

        def keys(lo: int = lo, hi: int = hi) -> Iterator[Ints]:
            for first, second, docs, source in pairs():
                inside = (first >= lo) & (first < hi)
                yield ((first[inside] - lo) * stems + second[inside]) * count * 2 + (
                    docs[inside] * 2 + source
                )

        distinct = finish(*_runs(_filled(keys(), int(sizes[lo:hi].sum()))), count)
        parts.append(_part(*distinct, count, lo * stems))
        del distinct
    return parts


def _pairs_field(title: _Stream, abstract: _Stream, ranked: list[str], count: int) -> Field:
    """``pairs``: every pair of neighbouring words of the title, and of the abstract
    those at least :data:`~.pairs.MIN_PAPERS` papers have (in the title or abstract)."""
    stems = len(ranked)

    def pairs() -> Iterator[tuple[Ints, Ints, Ints, int]]:
        for source, stream in enumerate((title, abstract)):
            for a, b in stream.chunks():
                yield (*_adjacent(stream, a, b), source)

    def finish(keys: Ints, counts: Ints, count: int) -> tuple[Ints, Ints]:
        # keys: (pair, document, source) distinct, sorted; a title's (source 0) first
        from_title = (keys & 1) == 0
        keys >>= 1  # (pair, document)
        new_pair = np.diff(keys // count, prepend=-1) != 0
        pair_number = np.cumsum(new_pair, dtype=np.int32) - 1
        papers = np.bincount(pair_number[np.diff(keys, prepend=-1) != 0])
        del new_pair
        from_title |= (papers >= max(MIN_PAPERS, 1))[pair_number]  # kept
        del pair_number, papers
        keys, counts = keys[from_title], counts[from_title]
        del from_title
        starts = np.flatnonzero(np.diff(keys, prepend=-1))
        if not len(starts):
            return keys, counts
        return keys[starts], np.add.reduceat(counts, starts)

    parts = _pair_parts(pairs, stems, count, finish)
    lengths = _lengths(parts, count)
    return Field(_pair_names(parts, ranked), parts, lengths)


def _near_field(title: _Stream, ranked: list[str], count: int) -> Field:
    """``near``: each two distinct words of the title at most :data:`~.pairs.NEAR`
    apart, the alphabetically first one first."""
    stems = len(ranked)

    def pairs() -> Iterator[tuple[Ints, Ints, Ints, int]]:
        for a, b in title.chunks():
            for apart in range(1, NEAR + 1):
                first, second, docs = _adjacent(title, a, b, apart)
                differ = first != second
                first, second = first[differ], second[differ]
                yield np.minimum(first, second), np.maximum(first, second), docs[differ], 0

    def finish(keys: Ints, counts: Ints, count: int) -> tuple[Ints, Ints]:
        return keys >> 1, counts

    parts = _pair_parts(pairs, stems, count, finish)
    return Field(_pair_names(parts, ranked), parts, _lengths(parts, count))


def _lengths(parts: list[Part], count: int) -> Ints:
    """Each document's field length: the sum of its term frequencies."""
    lengths = np.zeros(count, np.int64)
    for part in parts:
        lengths += np.bincount(part.docs, weights=part.tfs, minlength=count).astype(np.int64)
    return lengths


def _pair_names(parts: list[Part], ranked: list[str]) -> list[str]:
    """The names of the pairs in ``parts`` (``"first second"``, sorted: the order of
    their numbers), each part's terms renumbered as places among them."""
    stems = len(ranked)
    names: list[str] = []
    for part in parts:
        first, second = np.divmod(part.terms, stems)
        firsts, seconds = (map(ranked.__getitem__, n.tolist()) for n in (first, second))
        names += map("{} {}".format, firsts, seconds)
        part.terms = np.arange(len(names) - len(part.terms), len(names), dtype=np.int64)
    if not all(map(operator.lt, names, names[1:])):  # never: see _ranked
        raise ValueError("word pairs out of order")
    return names
