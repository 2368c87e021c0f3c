"""The sharded build's array steps (search/postings.py, search/jsonints.py,
search/varints.py) against the plain ones: a field inverted in many parts, documents
taken in many chunks and shards encoded in many groups give the oracle's bytes
(tests/search/reference_shards.py), as do word pairs split by first word one at a time;
the integer text is json's, the varints the plain packer's, and the vectorised BM25
weight is lunr_weight's, integer for integer."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paper_archive.search import jsonints, postings, shards, varints
from paper_archive.search.bundle import FIELDS_FULL, documents
from paper_archive.search.lunr_builder import (
    _DISAGREE,
    SEPARATOR_CHARS,
    fast_builder,
    split_fast,
    split_words,
)
from paper_archive.search.shards import build_sharded, lunr_weight
from paper_archive.site.collect import Archive

from .plain_varints import packed, unpacked
from .reference_shards import reference_sharded
from .test_shards_fast import KEY, _differences, _docs


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts, chunks and groups a few elements each: every boundary crossed often."""
    monkeypatch.setattr(postings, "PART", 3)
    monkeypatch.setattr(postings, "CHUNK", 4)
    monkeypatch.setattr(shards, "GROUP_POSTINGS", 5)


@pytest.mark.usefixtures("small_steps")
def test_small_parts_chunks_and_groups_give_the_plain_builds_bytes() -> None:
    docs = _docs()
    names = {"deep-learning": "Deep Learning", "nlp": "NLP"}
    fast = build_sharded(docs, names, KEY, shard_postings=20)
    assert len(fast.files) > 10
    assert (
        _differences(fast.files, reference_sharded(docs, names, KEY, shard_postings=20).files) == []
    )


def test_pairs_split_one_first_word_at_a_time_give_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pair's key must fit 63 bits: with a smaller bound, a part holds the pairs of one
    first stem."""
    docs = _docs()
    names = {"deep-learning": "Deep Learning", "nlp": "NLP"}
    plain = reference_sharded(docs, names, KEY, shard_postings=20)
    monkeypatch.setattr(postings, "_KEY_MAX", 1)
    fast = build_sharded(docs, names, KEY, shard_postings=20)
    assert _differences(fast.files, plain.files) == []
    inverted = postings.invert(fast_builder(), docs, ["title", "abstract", "pairs"])
    pair_terms = [inverted.terms[i] for part in inverted.fields[2].parts for i in part.terms]
    firsts = [
        {term.split()[0] for term in map(inverted.terms.__getitem__, part.terms)}
        for part in inverted.fields[2].parts
        if len(part.terms)
    ]
    assert len(pair_terms) > 10
    assert all(len(words) == 1 for words in firsts)  # a part per first stem


def test_the_corpus_in_parts_and_chunks_gives_the_plain_builds_bytes(
    seed_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = documents(seed_archive)
    names = {tag.slug: tag.name for tag in seed_archive.vocabulary.tags}
    aliases = seed_archive.vocabulary.alias_groups
    plain = reference_sharded(docs, names, KEY, FIELDS_FULL, shard_postings=300, aliases=aliases)
    monkeypatch.setattr(postings, "PART", 5000)
    monkeypatch.setattr(postings, "CHUNK", 2000)
    monkeypatch.setattr(shards, "GROUP_POSTINGS", 1000)
    fast = build_sharded(docs, names, KEY, FIELDS_FULL, shard_postings=300, aliases=aliases)
    assert _differences(fast.files, plain.files) == []


_INTS = st.lists(st.integers(-(2**62), 2**62) | st.integers(0, 10**8 + 5), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_INTS, st.data())
def test_integers_are_written_as_json_writes_them(values: list[int], data: st.DataObject) -> None:
    encoded = jsonints.encode(np.array(values, np.int64))
    first = data.draw(st.integers(0, len(values)))
    last = data.draw(st.integers(first, len(values)))
    assert (
        encoded.array(first, last) == json.dumps(values[first:last], separators=(",", ":")).encode()
    )


def test_every_width_of_the_fast_path_is_jsons() -> None:
    values = [0, 7, 10, 99, 100, 9999, 10_000, 123_456, 9_999_999, 10_000_000, 99_999_999]
    encoded = jsonints.encode(np.array(values, np.int64))
    assert encoded.array(0, len(values)) == json.dumps(values, separators=(",", ":")).encode()


#: Non-negative int64s, the edges of each varint width among them.
_EDGES = [0, 1, 31, 32, 1023, 1024, 2**15 - 1, 2**15, 2**31, 2**32 - 1, 2**32]
_UNSIGNED = st.lists(
    st.sampled_from([*_EDGES, 2**53 - 1, 2**53, 2**53 + 1, 2**63 - 1])
    | st.integers(0, 3000)
    | st.integers(0, 2**63 - 1),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(_UNSIGNED, st.data())
def test_varints_are_the_plain_packers(values: list[int], data: st.DataObject) -> None:
    encoded = varints.encode(np.array(values, np.int64))
    assert encoded.data.decode("ascii") == packed(values)
    assert varints.decode(packed(values)).tolist() == values
    first = data.draw(st.integers(0, len(values)))
    last = data.draw(st.integers(first, len(values)))
    text = json.loads(encoded.string(first, last))
    assert text == packed(values[first:last])
    assert varints.decode(text).tolist() == unpacked(text) == values[first:last]


def test_every_varint_width() -> None:
    values = [*_EDGES, *(2**k - 1 for k in range(5, 64, 5)), *(2**k for k in range(5, 63, 5))]
    encoded = varints.encode(np.array(values, np.int64))
    widths = np.diff(encoded.ends, prepend=0).tolist()
    assert widths == [max(1, -(-v.bit_length() // 5)) for v in values]
    assert varints.decode(encoded.data.decode("ascii")).tolist() == values
    assert encoded.string(0, 0) == b'""' and varints.decode("").tolist() == []
    assert set(encoded.data) <= set(varints.ALPHABET)  # a JSON string without escapes
    with pytest.raises(ValueError, match="non-negative"):
        varints.encode(np.array([1, -1], np.int64))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("g", "cut short"),  # 32 + 0: more follow
        ("Fg", "cut short"),
        ("gA", "longer than its value needs"),
        ("_" * 13 + "B", "more than 13 characters"),
        ("_" * 12 + "I", "past int64"),  # bit 63
        ("A=", "not of the alphabet"),
        ("A+", "not of the alphabet"),
        (" A", "not of the alphabet"),
        ("A\n", "not of the alphabet"),
        ("é", "not of the alphabet"),
    ],
)
def test_varints_the_build_never_writes_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        varints.decode(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 100_000), st.integers(1, 50), st.integers(0, 5000)),
        min_size=1,
        max_size=30,
    ),
    st.integers(1, 100_000),
    st.sampled_from([0.5, 1, 2, 3, 7.25, 10]),
    st.floats(1, 400),
)
def test_the_weights_are_lunr_weights(
    rows: list[tuple[int, int, int]], docs: int, boost: float, average: float
) -> None:
    dfs, tfs, lengths = (np.array(column, np.int64) for column in zip(*rows, strict=True))
    idf = np.array([math.log(1 + abs((docs - df + 0.5) / (df + 0.5))) for df in dfs.tolist()])
    got = postings.lunr_weights(idf, tfs, lengths, k1=1.2, b=0.75, average=average, boost=boost)
    wanted = [
        lunr_weight(idf=i, tf=t, length=n, average=average, k1=1.2, b=0.75, boost=boost)
        for i, t, n in zip(idf.tolist(), tfs.tolist(), lengths.tolist(), strict=True)
    ]
    assert got.tolist() == wanted


def test_the_fast_split_knows_every_character_python_and_lunr_disagree_on() -> None:
    whitespace = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    disagree = (whitespace ^ set(SEPARATOR_CHARS)) - {"-"}
    assert disagree
    assert {c for c in disagree if _DISAGREE.fullmatch(c)} == disagree
    assert [c for c in map(chr, range(0x110000)) if _DISAGREE.fullmatch(c)] == sorted(disagree)


_TEXT = st.text(
    st.sampled_from([*"aZ09é_.-—(", *SEPARATOR_CHARS, "\x1c", "\x85", "İ", "Σ", "𝒪"])
    | st.characters(),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_fast_split_gives_lunr_js_words(text: str) -> None:
    assert split_fast(text) == split_words(text)
