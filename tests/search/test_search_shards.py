"""The sharded search bundle (search/shards.py) answers as the unsharded one, scores as
lunr.js, and a query fetches only the files holding its terms (issue 21)."""

from __future__ import annotations

import bisect
import itertools
import json
from collections.abc import Callable

import pytest
from paper_archive.search import varints
from paper_archive.search.bundle import (
    FIELDS_FULL,
    FIELDS_PAIRS,
    build_bundle,
    documents,
    populated_builder,
)
from paper_archive.search.shards import FRAGMENT_DOCS, ShardedBundle, build_sharded, file_name
from paper_archive.site.collect import Archive

from ..lunr_node import run
from .plain_varints import packed

KEY = "0123456789abcdef"
#: Small shards so that the fixture corpus has many (at 100,000 papers: SHARD_POSTINGS).
SHARD_POSTINGS = 300

#: Plain words, prefixes being typed, typos, partial matches, ids, filters of Lunr's
#: syntax, wildcards: every pass of query.js.
QUERIES = [
    "pointer networks", "language model", "diffusion", "bayesian neural network", "graph",
    "transformer attention", "protot", "transfromer", "uncertainty calibration", "sparse",
    "density estimation", "reinforcement learning from human feedback", "interpretability",
    "neural ode", "deep learning", "01.AI", "01ai", "1706.03762", "arXiv:1706.03762v2",
    "title:transformer", "+graph -convolution", "transformer~1", "diffus*", "*former*",
    "netw*k", "gra*h", "bayesain~2", "netwrok pointer", "qwxzv", "the", "a~99", "pro*",
]  # fmt: skip


@pytest.fixture(scope="module")
def sharded(seed_archive: Archive) -> ShardedBundle:
    names = {tag.slug: tag.name for tag in seed_archive.vocabulary.tags}
    return build_sharded(
        documents(seed_archive), names, KEY, FIELDS_FULL, shard_postings=SHARD_POSTINGS
    )


def _texts(bundle: ShardedBundle) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in bundle.files.items()}


def test_the_build_is_deterministic_and_named_by_its_key(
    seed_archive: Archive, sharded: ShardedBundle
) -> None:
    names = {tag.slug: tag.name for tag in seed_archive.vocabulary.tags}
    again = build_sharded(
        documents(seed_archive), names, KEY, FIELDS_FULL, shard_postings=SHARD_POSTINGS
    )
    assert again.files == sharded.files and again.manifest == sharded.manifest
    other = build_sharded(
        documents(seed_archive), names, "f" * 16, FIELDS_FULL, shard_postings=SHARD_POSTINGS
    )
    assert {name.replace(KEY, "f" * 16) for name in sharded.files} == set(other.files)
    manifest = json.loads(sharded.files[sharded.manifest])
    assert manifest["key"] == KEY and sharded.manifest == f"manifest.{KEY}.json"
    assert len(manifest["shards"]) > 20 and len(manifest["dictionary"]) >= 1
    papers = len(seed_archive.entries)
    expected = {sharded.manifest, f"facets.{KEY}.json"}
    for kind, count in (
        ("post", len(manifest["shards"])),
        ("terms", len(manifest["dictionary"])),
        ("frag", -(-papers // FRAGMENT_DOCS)),
    ):
        expected |= {file_name(kind, KEY, n) for n in range(count)}
    assert set(sharded.files) == expected
    # The field list is data: fields and boosts in order, one postings object each.
    fields = (*FIELDS_FULL, *FIELDS_PAIRS)  # the word pairs follow (search/pairs.py)
    assert manifest["fields"] == [name for name, _ in fields]
    assert manifest["boosts"] == [boost for _, boost in fields]
    shard = json.loads(sharded.files[file_name("post", KEY, 0)])
    assert len(shard["fields"]) == len(fields)


def test_answers_equal_the_unsharded_engine(seed_archive: Archive, sharded: ShardedBundle) -> None:
    """Every page of every query: the same papers in the same order with the same
    highlights as the unsharded bundle's full stage (the engine the site ships)."""
    docs = documents(seed_archive)
    names = {tag.slug: tag.name for tag in seed_archive.vocabulary.tags}
    bundle = build_bundle(docs, names, KEY)
    files = {kind: json.loads(data) for kind, data in bundle.files.items()}
    unsharded = run(
        "answer",
        {
            "titles": files["titles"],
            "store": files["docs"],
            "full": files["full"],
            "snippets": files["snippets"],
            "queries": QUERIES,
        },
    )
    answers = run(
        "sharded",
        {"files": _texts(sharded), "manifest": sharded.manifest, "queries": QUERIES},
    )
    assert isinstance(unsharded, list) and isinstance(answers, list)
    assert sum(1 for a in unsharded if a) > len(QUERIES) // 2  # the queries find papers
    for query, theirs, ours in zip(QUERIES, unsharded, answers, strict=True):
        assert ours["results"] == theirs, query


def test_scores_equal_lunr_js(seed_archive: Archive, sharded: ShardedBundle) -> None:
    """Lunr-syntax queries over the sharded index (weights computed by the build) score
    as lunr.js does over Lunr's own serialized index of the same documents."""
    docs = documents(seed_archive)
    serialized = populated_builder(docs, FIELDS_FULL).build().serialize()
    queries = [
        "pointer networks", "language model", "diffus*", "bayesian neural network",
        "+graph -convolution", "title:transformer", "transformer~1", "density^3 estimation",
        "deep learning", "-neural", "transfromer~2", "*ing", "*former*", "gra*h", "netw*k",
        # Every clause required, a rare word beside common ones: the few papers all
        # match are looked up in the long lists, not read through (index.js run).
        "+pointer +network", "+pointer +network +learn", "+diffusion +model -image",
    ]  # fmt: skip
    ours = run(
        "shardedScores",
        {"files": _texts(sharded), "manifest": sharded.manifest, "queries": queries},
    )
    theirs = run("lunrScores", {"serialized": serialized, "queries": queries})
    assert isinstance(ours, list) and isinstance(theirs, list)
    for query, mine, lunrs in zip(queries, ours, theirs, strict=True):
        assert mine, query
        assert {ref for ref, _ in mine} == {ref for ref, _ in lunrs}, query
        lunr_scores = dict(lunrs)
        for ref, score in mine:
            assert abs(score - lunr_scores[ref]) <= 1e-9 * max(1.0, abs(score)), (query, ref)


def _python_lists(bundle: ShardedBundle) -> list[list[list[object]]]:
    """Each field's [term number, documents, weights (lunr.js's: the integer / 1000)]
    of every postings shard, as search/varints.py decodes them."""
    manifest = json.loads(bundle.files[bundle.manifest])
    out: list[list[list[object]]] = [[] for _ in manifest["fields"]]
    for number in range(len(manifest["shards"])):
        shard = json.loads(bundle.files[file_name("post", KEY, number)])
        for f, field in enumerate(shard["fields"]):
            deltas = varints.decode(field["d"]).tolist()
            values = varints.decode(field["w"]).tolist()
            term, at = shard["first"], 0
            for k in range(0, len(field["t"]), 2):
                term += field["t"][k]
                count = field["t"][k + 1]
                docs = list(itertools.accumulate(deltas[at : at + count]))
                least = values[at + k // 2]
                rises = values[at + k // 2 + 1 : at + k // 2 + 1 + count]
                out[f].append([term, docs, [(least + rise) / 1000 for rise in rises]])
                at += count
    return out


def test_the_engine_reads_the_postings_python_wrote(sharded: ShardedBundle) -> None:
    """index.js's varint reader (addFile) gives every shard's documents and
    weights as search/varints.py decodes them."""
    ours = _python_lists(sharded)
    theirs = run("shardLists", {"files": _texts(sharded), "manifest": sharded.manifest})
    assert sum(len(lists) for lists in ours) > 1000
    assert isinstance(theirs, list)
    assert [sorted(lists) for lists in theirs] == ours  # files are read in name order


def _broken(field: dict[str, object], member: str, more: str = "", cut: int = 0) -> None:
    text = str(field[member])
    field[member] = text[: len(text) - cut] + more


#: A shard's first field changed, and what the engine's error says (after the file name).
BROKEN: dict[str, tuple[Callable[[dict[str, object]], None], str]] = {
    "a varint cut short": (
        lambda f: _broken(f, "d", "g", cut=1),  # "g": 0, more to follow
        "fields[0].d: postings cut short",
    ),
    "a posting fewer than t counts": (
        lambda f: _broken(f, "w", cut=1),
        "fields[0].w: postings cut short",
    ),
    "bytes after the postings": (
        lambda f: _broken(f, "d", "B"),
        "fields[0].d: more postings than the terms count",
    ),
    "not of the alphabet": (lambda f: f.update(w="A*"), "fields[0].w: not varints"),
    "weights as numbers (format 2)": (lambda f: f.update(w=[1, 2]), "fields[0].w: not varints"),
    "no t": (lambda f: f.pop("t"), "fields[0]: not a field's postings"),
    "a count of none": (lambda f: f.update(t=[0, 0]), "fields[0]: not a field's postings"),
    "a varint longer than its value": (
        lambda f: f.update(t=[0, 1], d="lA", w=packed([9, 0])),  # 5, more; then 0
        "fields[0].d: a number longer than its value",
    ),
    "a document past 2^53": (
        lambda f: f.update(t=[0, 1], d=packed([2**60]), w=packed([9, 0])),
        "fields[0].d: a number too large",
    ),
}


def test_the_engine_refuses_postings_python_never_writes(sharded: ShardedBundle) -> None:
    manifest = json.loads(sharded.files[sharded.manifest])
    name = file_name("post", KEY, 1)
    cases = []
    for change, _ in BROKEN.values():
        shard = json.loads(sharded.files[name])
        change(shard["fields"][0])
        cases.append([name, shard])
    errors = run("addFileErrors", {"manifest": manifest, "files": cases})
    assert errors == [f"{name}: {reason}" for _, reason in BROKEN.values()]
    assert run(
        "addFileErrors", {"manifest": manifest, "files": [[name, json.loads(sharded.files[name])]]}
    ) == [None]


def test_a_query_fetches_only_the_files_of_its_terms(sharded: ShardedBundle) -> None:
    """From a cold start (the manifest only), a word fetches the one postings shard that
    holds it (the manifest names each shard's first term) and the fragments of the
    results shown, in two rounds of requests; a typo search (no paper has the word) needs every dictionary chunk."""
    manifest = json.loads(sharded.files[sharded.manifest])
    shard_of = {}
    for number, (first, _) in enumerate(manifest["shards"]):
        name = file_name("post", KEY, number)
        end = (
            manifest["shards"][number + 1][0]
            if number + 1 < len(manifest["shards"])
            else manifest["termCount"]
        )
        shard_of.update(dict.fromkeys(range(first, end), name))
    terms: list[str] = []  # every term, from the shards that hold them in order
    for number in range(len(manifest["shards"])):
        terms += json.loads(sharded.files[file_name("post", KEY, number)])["terms"]
    queries = ["graph", "pointer networks", "transfromer"]
    answers = run(
        "sharded",
        {
            "files": _texts(sharded),
            "manifest": sharded.manifest,
            "queries": queries,
            "fresh": True,
        },
    )
    assert isinstance(answers, list)
    graph, pointer, typo = (a["fetched"] for a in answers)
    posts = [name for name in graph if name.startswith("post.")]
    assert posts == [shard_of[terms.index("graph")]]
    assert not [n for n in graph + pointer if n.startswith("terms.")]  # shards hold their terms
    firsts = [first_term for _, first_term in manifest["shards"]]

    def shard_for(term: str) -> str:  # the shard whose range holds the term's place
        return file_name("post", KEY, bisect.bisect_right(firsts, term) - 1)

    # Its words, their pair side by side and close in a title (query.js: proximity),
    # and the two closed up (a compound written as one word).
    wanted = ["pointer", "network", "pointer network", "network pointer", "pointernetwork"]
    assert {n for n in pointer if n.startswith("post.")} == {shard_for(t) for t in wanted}
    assert shard_for("pointer") == shard_of[terms.index("pointer")]
    # One round of requests for all of them, one for the fragments of the results shown:
    # the pairs are asked for with the words, not once the words have matched.
    rounds = answers[1]["rounds"]
    assert [sorted({name.split(".")[0] for name in r}) for r in rounds] == [["post"], ["frag"]]
    assert manifest["facets"] not in graph + pointer  # counts come later
    assert all(n.startswith("frag.") for n in graph if not n.startswith(("post.", "terms.")))
    chunks = {file_name("terms", KEY, n) for n in range(len(manifest["dictionary"]))}
    assert {n for n in typo if n.startswith("terms.")} == chunks


def test_the_dictionary_holds_the_words_only(sharded: ShardedBundle) -> None:
    """The dictionary a typo or a leading "*" scans holds every word term, in order,
    with its document frequency, and no word pair ("a b"), which neither expands to:
    at 100,000 papers the pairs are most of the terms."""
    manifest = json.loads(sharded.files[sharded.manifest])
    terms: list[str] = []
    df: list[int] = []
    for number in range(len(manifest["shards"])):
        shard = json.loads(sharded.files[file_name("post", KEY, number)])
        terms += shard["terms"]
        df += shard["df"]
    words: list[str] = []
    word_df: list[int] = []
    for number, (first_word, first) in enumerate(manifest["dictionary"]):
        chunk = json.loads(sharded.files[file_name("terms", KEY, number)])
        assert chunk["first"] == first == len(words) and chunk["terms"][0] == first_word
        words += chunk["terms"]
        word_df += chunk["df"]
    pairs = [term for term in terms if " " in term]
    assert pairs and "pointer network" in pairs  # the corpus has word pairs
    assert words == [term for term in terms if " " not in term]
    assert manifest["wordCount"] == len(words) and manifest["termCount"] == len(terms)
    assert word_df == [n for term, n in zip(terms, df, strict=True) if " " not in term]


def test_the_index_takes_only_its_own_files_by_name(sharded: ShardedBundle) -> None:
    """A file is known by its name alone (kind, the bundle's key, a number in range:
    shards.py file_name); any other name, another bundle's included, is not its file."""
    manifest = json.loads(sharded.files[sharded.manifest])
    last_shard, last_chunk = len(manifest["shards"]) - 1, len(manifest["dictionary"]) - 1
    own = [file_name("post", KEY, 0), file_name("post", KEY, last_shard)]
    own += [file_name("terms", KEY, 0), file_name("terms", KEY, last_chunk)]
    other = [
        file_name("post", KEY, last_shard + 1),
        file_name("terms", KEY, last_chunk + 1),
        file_name("post", "fedcba9876543210", 0),
        f"post.{KEY}.01.json",
        f"post.{KEY}.-1.json",
        f"post.{KEY}.1e1.json",
        f"frag.{KEY}.0.json",
        sharded.manifest,
        "constructor",
        "__proto__",
    ]
    got = run("fileOf", {"manifest": manifest, "names": own + other})
    assert got == [
        {"kind": "post", "number": 0},
        {"kind": "post", "number": last_shard},
        {"kind": "terms", "number": 0},
        {"kind": "terms", "number": last_chunk},
    ] + [None] * len(other)
