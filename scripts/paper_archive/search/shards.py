"""The search bundle split so that a query fetches only what it needs (issue 21).

At 100,000 papers the whole bundle is ~17 MB compressed; a reader typing two words
needs a few hundred KB of it. The split, and what the browser fetches when:

* ``manifest.<key>.json`` (always, first): the fields and their boosts, Lunr's ``k1``
  and ``b``, the number of documents, the topics, the first term and name of each
  term-dictionary chunk, the name of the facets file and of every postings shard (with
  the number of its first term).
* ``terms.<key>.<n>.json`` (for typos): :data:`DICTIONARY_TERMS` consecutive index terms
  (all of them sorted, numbered in order) with their document frequencies, without
  postings. A typo (``~``, or the corrected pass) or a leading ``*`` scans the whole
  vocabulary: every chunk, fetched once. Prefix, wildcard and typo expansion run over
  the terms exactly as over the unsharded index (docs/assets/search/index.js), so they
  expand to the same terms.
* ``post.<key>.<n>.json`` (per query): a run of consecutive terms (with their document
  frequencies) and their postings, cut at about :data:`SHARD_POSTINGS` postings (a term
  with more has a shard of its own). The manifest names each shard's first term, so a
  word, or a prefix being typed, goes straight to the shard that holds it: one round
  of requests, then the fragments of the results. Per field, in the manifest's field
  order: ``t`` (term-number deltas within the shard and posting counts), ``d``
  (document-number deltas) and ``w`` (lunr.js's BM25 weight of the term in that
  document's field, times 1000: lunr.js rounds it to 3 decimals, so the integer is
  exact). Weights are computed here as lunr.js's Builder computes them, so the browser
  needs no field lengths. A field's object may carry more per-posting arrays (term
  positions, say): readers ignore keys they do not know.
* ``frag.<key>.<n>.json`` (per result shown): documents ``n * FRAGMENT_DOCS`` onwards,
  each ``[title, url, year, [topic numbers], snippet]``.
* ``facets.<key>.json`` (after the first result): each document's year and topics,
  for the topic and year counts and filters of the /search/ page.

Every name carries the bundle's key (a hash of everything it is made from:
:func:`.bundle.content_key`), so a browser never mixes files of two builds, and the
output is byte-identical for the same input. Files are numbered, not hashed one by one:
a new paper renumbers the documents, so every shard changes anyway, and the manifest
stays small (1,200 hashes would be ~20 KB of it at 100,000 papers).
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from lunr import __TARGET_JS_VERSION__

from ..mathtext import plain_text
from .bundle import FIELDS_FULL, FIELDS_PAIRS, Aliases, SearchDoc, field_values, pair_terms
from .lunr_builder import FastBuilder, fast_builder, split_words

SHARD_FORMAT = "paper-archive-shards/1"
#: Postings per shard (summed over fields) before a new shard starts: ~25 KB compressed.
SHARD_POSTINGS = 8000
#: Terms per dictionary chunk: ~12 KB compressed.
DICTIONARY_TERMS = 4096
#: Documents per result fragment: 20 results shown fetch at most 20 fragments of ~2 KB.
FRAGMENT_DOCS = 8


@dataclass(frozen=True, slots=True)
class ShardedBundle:
    """The files of a sharded bundle (name -> content) and the manifest's name."""

    manifest: str
    files: dict[str, bytes]


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def file_name(kind: str, key: str, number: int) -> str:
    """The name of file ``number`` of a kind ("post", "terms", "frag"): the browser
    makes the same (docs/assets/search/index.js, answer.js)."""
    return f"{kind}.{key}.{number}.json"


def lunr_weight(
    *, idf: float, tf: int, length: int, average: float, k1: float, b: float, boost: float
) -> int:
    """lunr.js Builder's BM25 weight of a term in a field, times 1000 and rounded as
    lunr.js rounds it (``Math.round``: halves up), in the same order of operations."""
    score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf)
    score *= boost
    return math.floor(score * 1000 + 0.5)


def _idf(df: int, docs: int) -> float:
    x = (docs - df + 0.5) / (df + 0.5)
    return math.log(1 + abs(x))


def build_sharded(
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    fields: Sequence[tuple[str, int]] = FIELDS_FULL,
    *,
    shard_postings: int = SHARD_POSTINGS,
    aliases: Aliases = (),
) -> ShardedBundle:
    """All files of the sharded bundle of ``docs`` (pure: documents in, bytes out). The
    word-pair fields (bundle.FIELDS_PAIRS) follow ``fields``, and the manifest carries
    the vocabulary's alias groups, as in the unsharded full index and store."""
    fields = (*fields, *(f for f in FIELDS_PAIRS if f not in fields))
    builder = fast_builder()  # its pipeline (cached per word) and lunr's k1 and b only
    k1, b = builder._k1, builder._b
    count = len(docs)
    by_term, lengths = _postings(builder, docs, [name for name, _ in fields], pair_terms(docs))
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

    dictionary: list[list[object]] = []
    for first in range(0, len(terms), DICTIONARY_TERMS):
        content = _dumps(
            {
                "first": first,
                "terms": terms[first : first + DICTIONARY_TERMS],
                "df": df[first : first + DICTIONARY_TERMS],
            }
        )
        files[file_name("terms", key, len(dictionary))] = content
        dictionary.append([terms[first], first])

    slugs = sorted(tag_names)
    tag_number = {slug: i for i, slug in enumerate(slugs)}
    doc_tags = [[tag_number[t] for t in d.tags if t in tag_number] for d in docs]
    facets = _dumps({"years": [d.year or 0 for d in docs], "tags": doc_tags})
    facets_name = f"facets.{key}.json"
    files[facets_name] = facets

    for start in range(0, count, FRAGMENT_DOCS):
        chunk = [
            [plain_text(d.title), d.url, d.year or 0, doc_tags[start + i], d.snippet]
            for i, d in enumerate(docs[start : start + FRAGMENT_DOCS])
        ]
        files[file_name("frag", key, start // FRAGMENT_DOCS)] = _dumps(chunk)

    manifest = _dumps(
        {
            "format": SHARD_FORMAT,
            "lunr": __TARGET_JS_VERSION__,
            "key": key,
            "fields": [name for name, _ in fields],
            "boosts": [boost for _, boost in fields],
            "k1": k1,
            "b": b,
            "docs": count,
            "tags": [[slug, tag_names[slug]] for slug in slugs],
            **({"aliases": [list(group) for group in aliases]} if aliases else {}),
            "termCount": len(terms),
            "dictionary": dictionary,
            "facets": facets_name,  # the other names follow from the key: file_name
            "fragments": FRAGMENT_DOCS,
            "shards": shards,
        }
    )
    manifest_name = f"manifest.{key}.json"
    files[manifest_name] = manifest
    return ShardedBundle(manifest_name, dict(sorted(files.items())))


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


def _shard_ranges(df: Sequence[int], limit: int) -> Iterator[tuple[int, int]]:
    """Consecutive term ranges [first, last), each about ``limit`` postings at most (a
    term with more postings alone)."""
    first, held = 0, 0
    for term, postings in enumerate(df):
        if held and held + postings > limit:
            yield first, term
            first, held = term, 0
        held += postings
    if first < len(df):
        yield first, len(df)


def _field_postings(
    postings: dict[int, tuple[array, array]],
    first: int,
    last: int,
    *,
    norms: list[float],
    idf: list[float],
    k1: float,
    boost: float,
) -> dict[str, list[int]]:
    """One field's postings of terms [first, last): see the module's docstring. The
    weight is :func:`lunr_weight`, inlined (a million postings at 10,000 papers), with
    ``norms[doc]`` its length part, computed once a document."""
    t: list[int] = []
    d: list[int] = []
    w: list[int] = []
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
        for ref, tf in zip(*entries, strict=True):
            d.append(ref - previous_doc)
            previous_doc = ref
            w.append(floor(term_idf * ((k1 + 1) * tf) / (norms[ref] + tf) * boost * 1000 + 0.5))
    return {"t": t, "d": d, "w": w}
