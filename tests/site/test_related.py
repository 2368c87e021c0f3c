"""Related papers: pinned on-topic pairs of the seed corpus, the pure parts, a real build."""

from __future__ import annotations

import datetime as dt
import json
import re
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from paper_archive.files.cachefiles import CacheDir
from paper_archive.serve import related_build
from paper_archive.serve.memo import Memo
from paper_archive.site import related
from paper_archive.site.collect import Archive
from paper_archive.site.related import (
    Doc,
    Related,
    RelatedIndex,
    cached,
    docs_of,
    dumps,
    loads,
    related_docs,
    related_papers,
    terms,
    write_cache,
)
from paper_archive.site.render import related_reason as reason

from ..sitebuild import build_site, make_site, paper
from .archives import corpus_archive, with_word_added

#: Checked by hand (both abstracts read): each second paper is on the first's topic.
ON_TOPIC = [
    # Mixture-of-experts training and inference.
    (
        "deepspeed-moe-advancing-mixture-of-experts-inference-and-training-to-power-next",
        "dense-training-sparse-inference-rethinking-training-of-mixture-of-experts",
    ),
    # Approximate Bayesian posteriors of neural networks.
    (
        "implicit-variational-inference-for-high-dimensional-posteriors",
        "greedy-bayesian-posterior-approximation-with-deep-ensembles",
    ),
    # Post-training quantization.
    (
        "understanding-the-impact-of-post-training-quantization-on-large-language-models",
        "post-training-quantization-for-neural-networks-with-provable-guarantees",
    ),
    # Differentially private deep learning.
    (
        "tempered-sigmoid-activations-for-deep-learning-with-differential-privacy",
        "deep-learning-with-differential-privacy",
    ),
    # Concept bottleneck models.
    (
        "post-hoc-concept-bottleneck-models",
        "sparse-concept-bottleneck-models-gumbel-tricks-in-contrastive-learning",
    ),
    # Out-of-distribution detection from density in feature space.
    (
        "flowcon-out-of-distribution-detection-using-flow-based-contrastive-learning",
        "hybrid-energy-based-model-in-the-feature-space-for-out-of-distribution-detection",
    ),
    # Neural ranking models for retrieval.
    (
        "a-deep-look-into-neural-ranking-models-for-information-retrieval",
        "mamba-retriever-utilizing-mamba-for-effective-and-efficient-dense-retrieval",
    ),
]


@pytest.fixture(scope="module")
def seed() -> Archive:
    return corpus_archive()


@pytest.fixture(scope="module")
def seed_related(seed: Archive) -> dict[str, list[Related]]:
    return related_papers(seed)


@pytest.mark.parametrize(("slug", "expected"), ON_TOPIC)
def test_seed_pairs_checked_by_hand_are_related(
    seed_related: dict[str, list[Related]], slug: str, expected: str
) -> None:
    listed = [r.slug for r in seed_related[slug]]
    assert expected in listed, listed


def test_one_shared_pun_is_not_enough(seed_related: dict[str, list[Related]]) -> None:
    # Pointer Networks' "output dictionary" is not dictionary learning's.
    listed = [r.slug for r in seed_related["pointer-networks"]]
    assert "majorization-minimization-technique-for-optimally-solving-deep-dictionary" not in listed
    assert "generating-long-sequences-with-sparse-transformers" in listed


def test_every_paper_gets_at_most_five_others_best_first(
    seed: Archive, seed_related: dict[str, list[Related]]
) -> None:
    assert set(seed_related) == {e.slug for e in seed.entries}
    for slug, items in seed_related.items():
        assert len(items) <= 5
        assert slug not in [r.slug for r in items]
        assert len({r.slug for r in items}) == len(items)
        scores = [r.score for r in items]
        assert scores == sorted(scores, reverse=True)
        assert all(
            0 < s <= 1 + 1e-9 and len(r.shared_terms) <= 3
            for s, r in zip(scores, items, strict=True)
        )
        # Two things in common at least: words, or topics (a genre tag is not a topic).
        assert all(
            len(r.shared_terms) + len(set(r.shared_tags) - related.GENRE_TAGS) >= 2 for r in items
        )
    assert sum(len(v) for v in seed_related.values()) / len(seed_related) > 3


def test_deterministic_and_cache_round_trip(seed: Archive) -> None:
    first = related_papers(seed)
    assert related_papers(seed) == first
    assert loads(dumps(first)) == first
    with pytest.raises(ValueError):
        loads('{"format": "something else", "related": {}}')


def _synthetic_lists(papers: int) -> dict[str, list[Related]]:
    """Five related papers each, their reasons drawn from a few hundred words (as an
    archive's are: the same words recur in many lists)."""
    vocabulary = [f"word{i}" for i in range(300)]
    return {
        f"paper-{own}": [
            Related(
                f"paper-{(own + step) % papers}",
                round(0.9 - step / 10, 3),
                ("llms",) if step % 2 else (),
                tuple(vocabulary[(own * 7 + step * 13 + j) % 300] for j in range(3)),
            )
            for step in range(1, 6)
        ]
        for own in range(papers)
    }


def test_the_cache_reads_any_json_spacing_and_refuses_anything_else() -> None:
    lists = _synthetic_lists(40)
    text = dumps(lists)
    assert loads(text) == lists
    spaced = json.dumps(json.loads(text), indent=1)  # the same JSON, spaced out
    assert loads(spaced) == lists
    members = json.loads(text)
    for bad in (
        text + "x",  # data after the object
        text[:-40],  # cut short
        text.replace('"lists":[[', '"lists":[', 1),  # not a list per paper
        json.dumps({**members, "extra": 1}),  # a member a computation never writes
        json.dumps({"papers": members["papers"], **members}),  # not in the written order
        json.dumps({**members, "lists": members["lists"][:-1]}),  # one list missing
        text.replace('"lists":[', '"lists":[' + "[" * 100_000, 1),  # nested too deep
    ):
        with pytest.raises(ValueError):
            loads(bad)


def test_reading_the_cache_holds_each_word_once_and_little_beside_what_it_keeps() -> None:
    """The build process reads its related lists back at the render's start, where its
    memory peaked (issue 20): read a paper's list at a time, each word one string."""
    text = dumps(_synthetic_lists(3_000))
    tracemalloc.start()
    try:
        read = loads(text)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == _synthetic_lists(3_000)
    first, second = read["paper-0"][0], read["paper-300"][0]
    shared = set(first.shared_terms) & set(second.shared_terms)
    assert shared, (first, second)  # the two lists name a word in common...
    for word in shared:  # ...which is one string in both
        assert (
            first.shared_terms[first.shared_terms.index(word)]
            is (second.shared_terms[second.shared_terms.index(word)])
        )
    # Parsed whole, the file's JSON (lists of lists, a string per word) was held beside
    # what it became: a peak of 1.6 times the lists kept, for a file a fifth of them.
    assert peak - kept < len(text) / 4, (peak, kept, len(text))


def test_terms_fold_plurals_accents_and_drop_math_and_stop_words() -> None:
    assert terms("The Networks of Schrödinger $\\alpha_2$ studies") == [
        "network",
        "schrodinger",
        "study",
    ]


def test_shared_topics_and_words_make_the_reason() -> None:
    docs = [
        Doc(
            "a", "Pointer networks", "Pointer attention over input sequences.", ("llms", "surveys")
        ),
        Doc("b", "Pointer sequences", "Attention pointer sequences again.", ("surveys",)),
        Doc("c", "Unrelated", "Gardening tips for tomatoes.", ()),
        Doc("d", "Other", "Cooking pasta recipes.", ()),
        Doc("e", "More", "Sailing boats quickly.", ()),
    ]
    result = related_docs(docs)
    assert [r.slug for r in result["a"]] == ["b"]
    item = result["a"][0]
    assert item.shared_tags == ("surveys",)
    assert reason(item, {"surveys": "Surveys"}).startswith("Also in Surveys; similar abstract (“")
    assert result["c"] == []


def test_paper_page_lists_related_papers_with_reasons(tmp_path: Path) -> None:
    abstract = "Attention over variable length input sequences with pointers to positions."
    site = build_site(
        make_site(
            tmp_path,
            [
                paper(
                    "Pointer Networks",
                    published=dt.date(2015, 6, 9),
                    tags=("sequence-models",),
                    abstract=abstract,
                ),
                paper(
                    "Pointer Sentinel Mixture",
                    tags=("sequence-models",),
                    abstract=abstract + " Sentinel.",
                ),
                paper("<b>Gardening</b> Tomatoes", abstract="Soil, water and sun for tomatoes."),
                paper("Baking Bread", abstract="Flour, water and yeast for bread."),
                paper("Sailing Boats", abstract="Wind and sails for boats."),
            ],
        )
    )
    page = (site / "papers/pointer-networks/index.html").read_text(encoding="utf-8")
    section = page[page.index('<h2 id="related">') : page.index('<h2 id="cite">')]
    assert re.findall(r'href="([^"]+)">', section) == ["../pointer-sentinel-mixture/"]
    assert "Also in Sequence models and time series; similar abstract (" in section
    assert "&lt;b&gt;" not in section
    lonely = (site / "papers/b-gardening-b-tomatoes/index.html").read_text(encoding="utf-8")
    assert 'id="related"' not in lonely


def _edited(docs: list[Doc], number: int, **fields: object) -> list[Doc]:
    out = list(docs)
    out[number] = replace(out[number], **fields)  # type: ignore[arg-type]
    return out


def test_incremental_update_equals_computing_every_list_again(seed: Archive) -> None:
    """RelatedIndex.update after each kind of edit gives exactly the lists of a fresh
    computation (what a clean build shows), whatever it decided to redo; then the
    same edits one after the other on one index. On the corpus's first 200 papers: the
    equality holds for any set, and each fresh computation costs the square of its size
    (the whole corpus took 25-70 s here, most of the fast loop)."""
    docs = docs_of(seed)[:200]
    index = RelatedIndex(docs)
    assert index.lists() == related_docs(docs)
    first, other = docs[6], docs[40]
    # A paper listed by another that has a topic it lacks: giving it that topic changes
    # the other's list (its reason) though neither text changed.
    listed, topic = next(
        (n, tag)
        for lister, answer in zip(docs, index.answers, strict=True)
        for n in answer.ranked[:1]
        for tag in lister.tags
        if tag not in docs[n].tags
    )
    indexed = [t for t in dict.fromkeys(terms(first.abstract)) if t in index.index]
    linking = " ".join(indexed[:3])
    common = max(terms(first.abstract), key=lambda t: sum(t in terms(d.abstract) for d in docs))
    edits = [
        _edited(docs, 6, abstract=first.abstract + " zyxwvut"),  # a word no one else has
        # Words it has, repeated: no df moves, its weights (and postings) do, so papers
        # that never looked at it may now.
        _edited(docs, 6, abstract=first.abstract + f" {linking}" * 3),
        _edited(docs, 6, abstract=first.abstract + " " + other.abstract),  # shared words
        _edited(docs, 6, abstract=first.abstract.replace(common, "")),  # a frequent word out
        _edited(docs, 6, title="Gating experts capacity routing"),
        _edited(docs, listed, tags=(*docs[listed].tags, topic)),  # tags only
        _edited(_edited(docs, 6, abstract=other.abstract), 40, abstract=first.abstract),
        docs[:100] + docs[101:],  # a paper gone: every idf changes
        list(reversed(docs)),  # another order
    ]
    for number, edited in enumerate(edits):
        updated = RelatedIndex(docs).update(edited)
        assert updated.lists() == related_docs(edited), f"edit {number}"
    for number, edited in enumerate(edits):
        index = index.update(edited)
        assert index.lists() == related_docs(edited), f"edit {number}, in sequence"
    assert index.update(edits[-1]) is index  # nothing changed: nothing redone


def test_an_index_made_for_the_lists_only_holds_no_holders_and_still_updates(
    seed: Archive,
) -> None:
    """A plain build's process makes the index without each term's holders (~40% of
    its memory, read only by an edit): same lists; asked for, they are those an
    editable index holds, and an update gives what a fresh computation does."""
    docs = docs_of(seed)[:200]
    lean, full = RelatedIndex(docs, editable=False), RelatedIndex(docs)
    assert lean._holders is None  # not made with the index
    assert lean.lists() == full.lists()
    assert [a.ranked for a in lean.answers] == [a.ranked for a in full.answers]
    edited = _edited(docs, 6, abstract=docs[6].abstract + " " + docs[40].abstract)
    assert RelatedIndex(docs, editable=False).update(edited).lists() == related_docs(edited)
    assert lean.holders == full.holders


def test_a_dirty_serve_keeps_the_index_for_the_next_save(seed: Archive, tmp_path: Path) -> None:
    """After a serve build, the lists are cached and an index is made on a thread;
    the next save updates that index (the same object) into the right lists."""
    memo = Memo()
    try:
        cache = CacheDir.open(tmp_path)
        job = related_build.start(seed, cache, now=False, memo=memo)  # nothing cached
        assert job.running
        job.wait()
        related_build.prepare_next(seed, job, memo=memo)
        memo.held("related-warming").join()
        index = memo.held("related-index")
        assert isinstance(index, RelatedIndex)
        assert related.cache_file(job.cache_dir, job.key).is_file()

        edited = with_word_added(seed, 6)
        again = related_build.start(edited, cache, now=True, memo=memo)
        assert not again.running
        assert memo.held("related-index") is index  # updated, not made again
        assert again.wait() == related_docs(docs_of(edited))
    finally:
        memo.clear()


def test_the_index_read_back_from_the_cache_is_the_computed_one(
    seed: Archive, tmp_path: Path
) -> None:
    """A serve's first build computes the lists in another process, which caches them
    with each paper's query and candidates; the serve reads the index back from that
    file instead of computing it again, and updates it exactly as the computed one."""
    from paper_archive.site.related import cached_index, compute_and_cache, content_key

    docs = docs_of(seed)
    key = content_key(docs)
    cache = CacheDir.open(tmp_path)
    folder = cache.folder(related.CACHE_DIR)
    assert cached_index(cache, key, docs) is None  # nothing cached yet
    compute_and_cache(docs, folder, key)
    restored = cached_index(cache, key, docs)
    computed = RelatedIndex(docs)
    assert restored is not None
    assert restored.answers == computed.answers
    assert restored.index == computed.index and restored.vecs == computed.vecs
    edited = _edited(docs, 6, abstract=docs[6].abstract + " " + docs[40].abstract)
    assert restored.update(edited).lists() == related_docs(edited)
    # A cache of other papers (a stale key's file copied over) is not taken for it.
    assert cached_index(cache, key, docs[1:]) is None
    # Lists written without their answers (by a version before) give no index.
    write_cache(folder, key, computed.lists())
    assert cached_index(cache, key, docs) is None
    assert cached(cache, key, docs) == computed.lists()


def test_what_a_list_shows_follows_the_titles_it_names(
    seed: Archive, seed_related: dict[str, list[Related]]
) -> None:
    """A paper page's fingerprint holds what its list shows (serve/incremental.py): the
    text is remembered per list, and a renamed paper changes the text of exactly the
    lists that name it."""
    from paper_archive.serve.related_build import fingerprints

    memo = Memo()
    entries = {e.slug: e for e in seed.entries}
    first = fingerprints(seed_related, entries, memo=memo)
    assert fingerprints(seed_related, entries, memo=memo) == first
    named = next(r.slug for items in seed_related.values() for r in items)
    old = entries[named]
    renamed = {
        **entries,
        named: replace(old, paper=replace(old.paper, title=f"{old.paper.title} Renamed")),
    }
    second = fingerprints(seed_related, renamed, memo=memo)
    naming = {s for s, items in seed_related.items() if any(r.slug == named for r in items)}
    assert naming and {s for s in first if first[s] != second[s]} == naming
    assert all("Renamed" in second[s] for s in naming)
