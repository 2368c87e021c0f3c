"""The search bundle split so that a query fetches only what it needs (issue 21).

A manifest (fields and boosts, the first term of every term-dictionary chunk and
postings shard), postings shards of consecutive terms with lunr.js's BM25 weights,
dictionary chunks of the word terms for typos and leading wildcards, result fragments
and facets, every name under the bundle's content key. Built here (the site build's
bundle: search/build.py), read by docs/assets/search/index.js; checked when read back
from the cache by search/shardcheck.py.

Design notes: docs/modules.md, `search/shards.py`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from lunr import __TARGET_JS_VERSION__

from ..text.mathtext import plain_text
from . import jsonints, varints
from .bundle import FIELDS_FULL, FIELDS_PAIRS, Aliases, SearchDoc
from .lunr_builder import fast_builder
from .postings import Ints, Part, doc_deltas, invert, least_first, lunr_weights

SHARD_FORMAT = "paper-archive-shards/3"
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
    fields: Sequence[tuple[str, float]] = FIELDS_FULL,
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
    inverted = invert(builder, docs, [name for name, _ in fields])
    terms, df = inverted.terms, inverted.df.tolist()
    idf_of = {n: _idf(n, count) for n in set(df)}
    idf = np.array([idf_of[n] for n in df], np.float64)
    averages = [int(f.lengths.sum()) / count if count else 0.0 for f in inverted.fields]

    files: dict[str, bytes] = {}
    shards: list[list[object]] = []
    for group in _groups(list(_shard_ranges(df, shard_postings)), df):
        firsts = np.array([first for first, _ in group], np.int64)
        last = group[-1][1]
        per_field = [
            _field_arrays(
                field.take(group[0][0], last),
                firsts,
                idf,
                field.lengths,
                k1=k1,
                b=b,
                average=average,
                boost=boost,
            )
            for field, average, (_, boost) in zip(inverted.fields, averages, fields, strict=True)
        ]
        for s, (first, last) in enumerate(group):
            content = _object(
                first=_dumps(first),
                terms=_dumps(terms[first:last]),
                df=_dumps(df[first:last]),
                fields=_array(_object(t=t[s], d=d[s], w=w[s]) for t, d, w in per_field),
            )
            files[file_name("post", key, len(shards))] = content
            shards.append([first, terms[first]])

    return finished(files, terms, df, shards, docs, tag_names, key, fields, aliases)


#: Postings (summed over fields) encoded at a time, a group of consecutive shards: the
#: arrays of a group's arithmetic and text stay some tens of MB.
GROUP_POSTINGS = 1 << 20


def _groups(ranges: list[tuple[int, int]], df: list[int]) -> Iterator[list[tuple[int, int]]]:
    """Consecutive shards of about :data:`GROUP_POSTINGS` postings (one shard at least)."""
    group: list[tuple[int, int]] = []
    held = 0
    for first, last in ranges:
        postings = sum(df[first:last])
        if group and held + postings > GROUP_POSTINGS:
            yield group
            group, held = [], 0
        group.append((first, last))
        held += postings
    if group:
        yield group


def _field_arrays(
    part: Part,
    firsts: npt.NDArray[np.int64],
    idf: npt.NDArray[np.float64],
    lengths: Ints,
    *,
    k1: float,
    b: float,
    average: float,
    boost: float,
) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """One field's postings of a group of shards (``firsts``: each shard's first term),
    as each shard's JSON ``t`` (an array: term-number deltas within the shard and
    posting counts), ``d`` (document-number deltas) and ``w`` (lunr.js's weights, each
    term's least first, then the others less it): ``d`` and ``w`` strings of varints
    (:mod:`.varints`)."""
    terms, offsets = part.terms, part.offsets
    counts = np.diff(offsets)
    shard = np.searchsorted(firsts, terms, side="right") - 1
    place = terms - firsts[shard]
    t = np.empty(2 * len(terms), np.int64)
    t[0::2] = np.diff(place, prepend=0)
    first_of_shard = np.flatnonzero(np.diff(shard, prepend=-1))
    t[2 * first_of_shard] = place[first_of_shard]
    t[1::2] = counts
    weights = lunr_weights(
        np.repeat(idf[terms], counts),
        part.tfs,
        lengths[part.docs],
        k1=k1,
        b=b,
        average=average,
        boost=boost,
    )
    at = np.append(np.searchsorted(terms, firsts), len(terms))
    cut_t, cut_d, cut_w = (2 * at).tolist(), offsets[at].tolist(), (offsets[at] + at).tolist()
    t_text = jsonints.encode(t)
    d_bytes = varints.encode(doc_deltas(part))
    w_bytes = varints.encode(least_first(weights, offsets))
    pairs = list(itertools.pairwise(range(len(firsts) + 1)))
    return (
        [t_text.array(cut_t[i], cut_t[j]) for i, j in pairs],
        [d_bytes.string(cut_d[i], cut_d[j]) for i, j in pairs],
        [w_bytes.string(cut_w[i], cut_w[j]) for i, j in pairs],
    )


def _object(**members: bytes) -> bytes:
    """A JSON object whose members' values are JSON texts already, in this order."""
    return b"{" + b",".join(_dumps(name) + b":" + value for name, value in members.items()) + b"}"


def _array(items: Iterable[bytes]) -> bytes:
    """A JSON array of JSON texts."""
    return b"[" + b",".join(items) + b"]"


def finished(
    files: dict[str, bytes],
    terms: list[str],
    df: list[int],
    shards: list[list[object]],
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    fields: Sequence[tuple[str, float]],
    aliases: Aliases,
) -> ShardedBundle:
    """The bundle whose postings shards are ``files`` (``shards``: the manifest's
    [first number, first term] of each) over ``terms`` and their ``df``: its
    dictionary, result fragments, facets and manifest added."""
    # The dictionary: the word terms only (a word pair, "a b", is never a typo's or a
    # wildcard's expansion), by position among the words; a word's number is its
    # postings shard's to give.
    words = [i for i, term in enumerate(terms) if " " not in term]
    dictionary: list[list[object]] = []
    for first in range(0, len(words), DICTIONARY_TERMS):
        chunk = words[first : first + DICTIONARY_TERMS]
        content = _dumps(
            {
                "first": first,
                "terms": [terms[i] for i in chunk],
                "df": [df[i] for i in chunk],
            }
        )
        files[file_name("terms", key, len(dictionary))] = content
        dictionary.append([terms[chunk[0]], first])

    files.update(document_files(docs, tag_names, key))
    manifest = _dumps(
        {
            **_manifest_head(docs, tag_names, key, fields, aliases),
            "termCount": len(terms),
            "wordCount": len(words),
            "dictionary": dictionary,
            "shards": shards,
        }
    )
    manifest_name = f"manifest.{key}.json"
    files[manifest_name] = manifest
    return ShardedBundle(manifest_name, dict(sorted(files.items())))


def _manifest_head(
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    fields: Sequence[tuple[str, float]],
    aliases: Aliases,
) -> dict[str, object]:
    """The manifest's entries that do not depend on the terms (all but termCount,
    dictionary and shards): ``fields`` with the pair fields already added."""
    builder = fast_builder()
    slugs = sorted(tag_names)
    return {
        "format": SHARD_FORMAT,
        "lunr": __TARGET_JS_VERSION__,
        "key": key,
        "fields": [name for name, _ in fields],
        "boosts": [boost for _, boost in fields],
        "k1": builder._k1,
        "b": builder._b,
        "docs": len(docs),
        "tags": [[slug, tag_names[slug]] for slug in slugs],
        **({"aliases": [list(group) for group in aliases]} if aliases else {}),
        "facets": f"facets.{key}.json",  # the other names follow from the key: file_name
        "fragments": FRAGMENT_DOCS,
    }


def document_files(
    docs: Sequence[SearchDoc], tag_names: dict[str, str], key: str
) -> dict[str, bytes]:
    """The facets and the result fragments (name -> content): what the documents show,
    cheap to make (a cached copy is checked by making them again)."""
    slugs = sorted(tag_names)
    tag_number = {slug: i for i, slug in enumerate(slugs)}
    doc_tags = [[tag_number[t] for t in d.tags if t in tag_number] for d in docs]
    files = {f"facets.{key}.json": _dumps({"years": [d.year or 0 for d in docs], "tags": doc_tags})}
    for start in range(0, len(docs), FRAGMENT_DOCS):
        chunk = [
            [plain_text(d.title), d.url, d.year or 0, doc_tags[start + i], d.snippet]
            for i, d in enumerate(docs[start : start + FRAGMENT_DOCS])
        ]
        files[file_name("frag", key, start // FRAGMENT_DOCS)] = _dumps(chunk)
    return files


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
