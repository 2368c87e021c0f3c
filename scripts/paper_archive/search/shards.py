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

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

from lunr import __TARGET_JS_VERSION__

from ..text.mathtext import plain_text
from .bundle import FIELDS_FULL, FIELDS_PAIRS, Aliases, SearchDoc
from .lunr_builder import fast_builder
from .postings import WeightTables, field_postings, invert

SHARD_FORMAT = "paper-archive-shards/2"
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
    terms = inverted.terms()
    df = inverted.df(terms)
    averages = [sum(lengths) / count if count else 0.0 for lengths in inverted.lengths]
    tables = WeightTables(
        inverted.shapes,
        idf=[_idf(n, count) for n in df],
        df=df,
        k1=k1,
        b=b,
        averages=averages,
        boosts=[boost for _, boost in fields],
    )

    files: dict[str, bytes] = {}
    shards: list[list[object]] = []
    for first, last in _shard_ranges(df, shard_postings):
        per_field = [
            field_postings(
                list(map(by_term.pop, terms[first:last], repeat(None))),
                tables.from_term(f, first),
            )
            for f, by_term in enumerate(inverted.postings)
        ]
        content = _dumps(
            {"first": first, "terms": terms[first:last], "df": df[first:last], "fields": per_field}
        )
        files[file_name("post", key, len(shards))] = content
        shards.append([first, terms[first]])

    return finished(files, terms, df, shards, docs, tag_names, key, fields, aliases)


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
