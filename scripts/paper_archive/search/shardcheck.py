"""A sharded search bundle read back from the build's untrusted cache, every file checked.

Design notes: docs/modules.md, `search/shards.py`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Sequence

from .bundle import FIELDS_PAIRS, Aliases, SearchDoc
from .shards import DICTIONARY_TERMS, _idf, _manifest_head, document_files, file_name
from .varints import decode

#: A reader of one cached file by name: its bytes, or None when it is not there.
Reader = Callable[[str], bytes | None]


class Refused(Exception):
    """A cached file that is not this build's: its name and why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


def manifest_name(key: str) -> str:
    return f"manifest.{key}.json"


def _whole(value: object) -> bool:
    return type(value) is int


def _ints(value: object) -> bool:
    return isinstance(value, list) and all(type(v) is int for v in value)


def _parsed(name: str, data: bytes) -> object:
    try:
        return json.loads(data)
    except ValueError as exc:  # not JSON, not UTF-8, a number past Python's digit limit
        raise Refused(name, f"not JSON ({exc})") from None
    except RecursionError:  # arrays nested thousands deep: never what the build wrote
        raise Refused(name, "not JSON the build writes (nested too deeply)") from None


def read_checked(
    read: Reader,
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    fields: Sequence[tuple[str, float]],
    aliases: Aliases = (),
) -> dict[str, bytes] | None:
    """Every file of the cached bundle ``key`` (name -> content, sorted by name), each
    checked: what is cheap to make again (the manifest's entries that do not depend on
    the terms, the facets, every result fragment) compared with a fresh copy; the
    postings shards for types (varints exactly as the build writes them),
    bounds and agreement with the manifest and with each other (terms in order,
    document frequencies that are their postings' counts, documents in range and in
    order, every weight within what BM25 can give its term and field); the dictionary
    chunks equal to the shards' words (terms without a space) and their frequencies;
    None when the cache has no manifest for it.
    :class:`Refused` names the first file that is not what this build would make, and
    why (a file the manifest names and the cache lacks: the manifest)."""
    fields = (*fields, *(f for f in FIELDS_PAIRS if f not in fields))
    name = manifest_name(key)
    data = read(name)
    if data is None:
        return None
    manifest = _parsed(name, data)
    head = _manifest_head(docs, tag_names, key, fields, aliases)
    if not isinstance(manifest, dict) or set(manifest) != {
        *head,
        "termCount",
        "wordCount",
        "dictionary",
        "shards",
    }:
        raise Refused(name, "not a manifest of this format")
    for entry, value in head.items():
        if json.dumps(manifest[entry]) != json.dumps(value):
            raise Refused(name, f"{entry} is not this build's")
    count, dictionary, shards = manifest["termCount"], manifest["dictionary"], manifest["shards"]
    problem = _check_layout(count, manifest["wordCount"], dictionary, shards)
    if problem is not None:
        raise Refused(name, problem)
    files: dict[str, bytes] = {name: data}

    def fetch(other: str) -> bytes:
        content = read(other)
        if content is None:
            raise Refused(name, f"names {other}, which the cache does not hold")
        files[other] = content
        return content

    expected = document_files(docs, tag_names, key)
    for other, content in expected.items():
        if fetch(other) != content:
            raise Refused(other, "not the documents of this build")
    # The shards hold every term (in order, each shard from the manifest's first term
    # on); their terms and document frequencies are checked against each other and
    # the manifest as they come, and the weights against BM25's bounds.
    terms: list[str] = []
    df: list[int] = []
    for number, (first, first_term) in enumerate(shards):
        shard_name = file_name("post", key, number)
        last = shards[number + 1][0] if number + 1 < len(shards) else count
        shard = _parsed(shard_name, fetch(shard_name))
        problem = _check_shard_terms(
            shard, first=first, size=last - first, first_term=first_term, docs=len(docs)
        )
        if problem is None and terms and terms[-1] >= shard["terms"][0]:  # type: ignore[index]
            problem = "terms not after the shard before"
        if problem is None:
            assert isinstance(shard, dict)
            problem = _check_shard(
                shard,
                terms=shard["terms"],
                idf=[_idf(n, len(docs)) for n in shard["df"]],
                docs=len(docs),
                boosts=[boost for _, boost in fields],
                k1=head["k1"],  # type: ignore[arg-type]
            )
        if problem is not None:
            raise Refused(shard_name, problem)
        assert isinstance(shard, dict)
        terms += shard["terms"]
        df += shard["df"]
    # The dictionary: the shards' word terms (no word pair) and their frequencies.
    words = [i for i, term in enumerate(terms) if " " not in term]
    if manifest["wordCount"] != len(words):
        raise Refused(name, f"wordCount: not the shards' {len(words)} words")
    for number, (first_term, first) in enumerate(dictionary):
        chunk_name = file_name("terms", key, number)
        chunk = _parsed(chunk_name, fetch(chunk_name))
        numbers = words[first : first + DICTIONARY_TERMS]
        words_here = [terms[i] for i in numbers]
        wanted = {"first": first, "terms": words_here, "df": [df[i] for i in numbers]}
        if chunk != wanted or first_term != words_here[0]:
            raise Refused(chunk_name, "not the shards' words from the manifest's first word")
    return dict(sorted(files.items()))


def _check_layout(count: object, words: object, dictionary: object, shards: object) -> str | None:
    if not _whole(count) or not 0 <= count < 10**8:  # type: ignore[operator]
        return "termCount: not a count"
    if not _whole(words) or not 0 <= words <= count:  # type: ignore[operator]
        return "wordCount: not a count of terms"
    assert isinstance(count, int) and isinstance(words, int)
    chunks = math.ceil(words / DICTIONARY_TERMS)
    if not isinstance(dictionary, list) or len(dictionary) != chunks:
        return f"dictionary: not {chunks} chunks"
    for number, entry in enumerate(dictionary):
        if not (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and entry[1] == number * DICTIONARY_TERMS
            and _whole(entry[1])
        ):
            return f"dictionary[{number}]: not [first word, {number * DICTIONARY_TERMS}]"
    if not isinstance(shards, list) or (count and not shards) or len(shards) > max(count, 1):
        return "shards: not a list of shards"
    previous = -1
    for number, entry in enumerate(shards):
        if not (
            isinstance(entry, list)
            and len(entry) == 2
            and _whole(entry[0])
            and isinstance(entry[1], str)
            and previous < entry[0] < count
            and (number or entry[0] == 0)
        ):
            return f"shards[{number}]: not [first, term] in order"
        previous = entry[0]
    return None


def _check_shard_terms(
    shard: object, *, first: int, size: int, first_term: str, docs: int
) -> str | None:
    if not isinstance(shard, dict) or set(shard) != {"first", "terms", "df", "fields"}:
        return "not a postings shard"
    terms, df = shard["terms"], shard["df"]
    if shard["first"] != first or not _whole(shard["first"]):
        return f"first is not {first}"
    if not isinstance(terms, list) or len(terms) != size or set(map(type, terms)) - {str}:
        return f"terms: not {size} strings"
    if not terms or terms[0] != first_term or any(a >= b for a, b in itertools.pairwise(terms)):
        return "terms: not sorted from the manifest's first term"
    if not _ints(df) or len(df) != size or min(df) < 1 or max(df) > docs * 8:
        return "df: not a document frequency for each term"
    return None


def _check_shard(
    shard: dict[str, object],
    *,
    terms: list[str],
    idf: list[float],
    docs: int,
    boosts: list[float],
    k1: float,
) -> str | None:
    """A shard's postings (its terms already checked by _check_shard_terms)."""
    postings = shard["fields"]
    if not isinstance(postings, list) or len(postings) != len(boosts):
        return f"fields: not one for each of the {len(boosts)} fields"
    seen = [0] * len(terms)
    for f, (field, boost) in enumerate(zip(postings, boosts, strict=True)):
        if not isinstance(field, dict) or set(field) != {"t", "d", "w"}:
            return f"fields[{f}]: not {{t, d, w}}"
        t = field["t"]
        if not _ints(t) or len(t) % 2:
            return f"fields[{f}]: t not a list of term steps and counts"
        assert isinstance(t, list)
        counts = t[1::2]
        if min(counts, default=1) < 1:
            return f"fields[{f}]: a term with no postings"
        values = []
        for member, wanted in (("d", sum(counts)), ("w", sum(counts) + len(counts))):
            text = field[member]
            if not isinstance(text, str):
                return f"fields[{f}]: {member} not a string"
            try:
                decoded = decode(text).tolist()
            except ValueError as exc:
                return f"fields[{f}]: {member} not varints ({exc})"
            if len(decoded) != wanted:
                return f"fields[{f}]: {member} holds {len(decoded)} numbers, t counts {wanted}"
            values.append(decoded)
        d, w = values
        term, at = -1, 0
        for i in range(0, len(t), 2):
            step, count = t[i], t[i + 1]
            term = term + step if i else step
            if (i and step < 1) or not 0 <= term < len(terms):
                return f"fields[{f}]: term {term} out of order or range"
            refs = d[at : at + count]
            if sum(refs) >= docs:
                return f"fields[{f}]: a document out of range for term {terms[term]!r}"
            if count > 1 and min(refs[1:]) < 1:
                return f"fields[{f}]: documents out of order for term {terms[term]!r}"
            # BM25's term-frequency part is below k1 + 1 (lunr's b < 1: the length
            # part is above 0), so a weight is at most idf (k1 + 1) boost, times 1000.
            # w holds the term's least weight, then each weight less it.
            most = math.floor(idf[term] * (k1 + 1) * boost * 1000 + 0.5)
            head = at + i // 2  # the term's values in w: after each term before it
            least, rises = w[head], w[head + 1 : head + 1 + count]
            if least + max(rises) > most:
                return f"fields[{f}]: a weight out of range for term {terms[term]!r}"
            if min(rises):
                return f"fields[{f}]: the least weight not the least for term {terms[term]!r}"
            seen[term] += count
            at += count
    if seen != shard["df"]:
        return "postings: not the shard's document frequencies"
    return None
