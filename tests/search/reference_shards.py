"""The sharded bundle as search/shards.py built it before issue 21's build-time work: one
posting at a time, through the pair fields' per-document counters (bundle.pair_terms) and
the stemmer cached by functools. Slow (92.5 s at 100,000 papers) and plain: the oracle
the fast build must equal byte for byte (tests/search/test_shards_fast.py). Its
varints are packed a value at a time (tests/search/plain_varints.py), not by
search/varints.py."""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

from lunr.stop_word_filter import WORDS as STOP_WORDS
from paper_archive.search.bundle import (
    FIELDS_FULL,
    FIELDS_PAIRS,
    Aliases,
    SearchDoc,
    field_values,
)
from paper_archive.search.lunr_builder import WORD_RUN, FastBuilder, fast_builder, split_words
from paper_archive.search.pairs import MIN_PAPERS, NEAR
from paper_archive.search.shards import (
    SHARD_POSTINGS,
    ShardedBundle,
    _dumps,
    _idf,
    _shard_ranges,
    file_name,
    finished,
)
from paper_archive.search.stemmer import stem

from .plain_varints import packed, packed_weights

_stem = lru_cache(maxsize=1 << 18)(stem)


def _stream(text: str) -> list[str]:
    return [_stem(w) for w in WORD_RUN.findall(text.lower()) if w not in STOP_WORDS]


def _adjacent(words: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _near(words: list[str]) -> list[str]:
    out = []
    for i, a in enumerate(words):
        for b in words[i + 1 : i + 1 + NEAR]:
            if a != b:
                out.append(f"{min(a, b)} {max(a, b)}")
    return out


def _pair_terms(docs: Sequence[SearchDoc]) -> dict[str, list[Counter[str]]]:
    titles = [_stream(doc.title) for doc in docs]
    abstracts = [_adjacent(_stream(doc.abstract)) for doc in docs]
    title_pairs = [_adjacent(words) for words in titles]
    papers: Counter[str] = Counter()
    for mine, theirs in zip(title_pairs, abstracts, strict=True):
        papers.update({*mine, *theirs})
    return {
        "pairs": [
            Counter((*mine, *(p for p in theirs if papers[p] >= MIN_PAPERS)))
            for mine, theirs in zip(title_pairs, abstracts, strict=True)
        ],
        "near": [Counter(_near(words)) for words in titles],
    }


def reference_sharded(
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    fields: Sequence[tuple[str, float]] = FIELDS_FULL,
    *,
    shard_postings: int = SHARD_POSTINGS,
    aliases: Aliases = (),
) -> ShardedBundle:
    """What :func:`~paper_archive.search.shards.build_sharded` made before it was made fast."""
    fields = (*fields, *(f for f in FIELDS_PAIRS if f not in fields))
    builder = fast_builder()  # its pipeline (cached per word) and lunr's k1 and b only
    k1, b = builder._k1, builder._b
    count = len(docs)
    by_term, lengths = _postings(builder, docs, [name for name, _ in fields], _pair_terms(docs))
    terms = sorted(by_term)
    by_field: list[dict[int, tuple[array, array]]] = [{} for _ in fields]
    for number, term in enumerate(terms):
        for f, posting in by_term.pop(term).items():
            by_field[f][number] = posting
    averages = [sum(field_lengths) / count if count else 0.0 for field_lengths in lengths]
    df = [sum(len(field[t][0]) for field in by_field if t in field) for t in range(len(terms))]
    idf = [_idf(n, count) for n in df]
    norms = [
        [k1 * (1 - b + b * (length / average)) if average else 0.0 for length in field_lengths]
        for field_lengths, average in zip(lengths, averages, strict=True)
    ]

    files: dict[str, bytes] = {}
    shards: list[list[object]] = []
    for first, last in _shard_ranges(df, shard_postings):
        content = _dumps(
            {
                "first": first,
                "terms": terms[first:last],
                "df": df[first:last],
                "fields": [
                    _field_postings(
                        by_field[f],
                        first,
                        last,
                        norms=norms[f],
                        idf=idf[first:last],
                        k1=k1,
                        boost=boost,
                    )
                    for f, (_, boost) in enumerate(fields)
                ],
            }
        )
        files[file_name("post", key, len(shards))] = content
        shards.append([first, terms[first]])

    # The dictionary and the rest as the build makes them: the oracle is for the postings.
    return finished(files, terms, df, shards, docs, tag_names, key, fields, aliases)


def _postings(
    builder: FastBuilder,
    docs: Sequence[SearchDoc],
    fields: Sequence[str],
    made: Mapping[str, Sequence[Mapping[str, int]]],
) -> tuple[dict[str, dict[int, tuple[array, array]]], list[array]]:
    """Every term's postings per field (field number -> (documents, term frequencies)) and
    each field's document lengths: what lunr's Builder records, in typed arrays rather
    than a dictionary per posting (a tenth of the memory at 100,000 papers). Terms are
    what :class:`FastBuilder` makes of each word (the same pipeline: the same terms,
    frequencies and lengths, checked against lunr.js by tests/search/test_search_shards.py)."""
    by_term: dict[str, dict[int, tuple[array, array]]] = {}
    lengths = [array("i") for _ in fields]
    for ref, doc in enumerate(docs):
        values = field_values(doc)
        for f, name in enumerate(fields):
            counts: Mapping[str, int]
            if name in made:  # terms made already (the word pairs)
                counts = made[name][ref]
                length = sum(counts.values())
            else:
                counted: dict[str, int] = {}
                length = 0
                for word in split_words(values[name]):
                    for term in builder._terms(word, name):
                        length += 1
                        counted[term] = counted.get(term, 0) + 1
                counts = counted
            lengths[f].append(length)
            for term, tf in counts.items():
                per_field = by_term.get(term)
                if per_field is None:
                    per_field = by_term[term] = {}
                posting = per_field.get(f)
                if posting is None:
                    posting = per_field[f] = (array("i"), array("i"))
                posting[0].append(ref)
                posting[1].append(tf)
    return by_term, lengths


def _field_postings(
    postings: dict[int, tuple[array, array]],
    first: int,
    last: int,
    *,
    norms: list[float],
    idf: list[float],
    k1: float,
    boost: float,
) -> dict[str, object]:
    """One field's postings of terms [first, last): see the module's docstring. The
    weight is :func:`lunr_weight`, inlined (a million postings at 10,000 papers), with
    ``norms[doc]`` its length part, computed once a document. ``d`` and ``w`` are
    varints (plain_varints), ``w`` each term's least weight, then each less it."""
    t: list[int] = []
    d: list[int] = []
    w: list[list[int]] = []
    previous_term = 0
    floor = math.floor
    for term in range(first, last):
        entries = postings.get(term)
        if not entries:
            continue
        t += [term - first - previous_term, len(entries[0])]
        previous_term = term - first
        previous_doc = 0
        term_idf = idf[term - first]
        weights = []
        for ref, tf in zip(*entries, strict=True):
            d.append(ref - previous_doc)
            previous_doc = ref
            weights.append(
                floor(term_idf * ((k1 + 1) * tf) / (norms[ref] + tf) * boost * 1000 + 0.5)
            )
        w.append(weights)
    return {"t": t, "d": packed(d), "w": packed_weights(w)}
