"""The fast sharded build (search/postings.py) makes the very bytes of the plain one it
replaced (tests/search/reference_shards.py: one posting at a time), on the frozen corpus
and on documents made to reach every path: words of several parts, words of none, a
term many times in one field, pairs shared by two papers or only one, empty fields."""

from __future__ import annotations

import pytest
from paper_archive.search.bundle import FIELDS_FULL, SearchDoc, documents, index_fields
from paper_archive.search.shards import build_sharded
from paper_archive.settings import SearchBoosts
from paper_archive.site.collect import Archive

from .reference_shards import reference_sharded

KEY = "0123456789abcdef"


def _differences(fast: dict[str, bytes], plain: dict[str, bytes]) -> list[str]:
    names = sorted(set(fast) | set(plain))
    return [name for name in names if fast.get(name) != plain.get(name)]


@pytest.mark.parametrize("shard_postings", [300, 8000])
def test_the_corpus_bundle_equals_the_plain_build(
    seed_archive: Archive, shard_postings: int
) -> None:
    docs = documents(seed_archive)
    names = {tag.slug: tag.name for tag in seed_archive.vocabulary.tags}
    aliases = seed_archive.vocabulary.alias_groups
    fast = build_sharded(
        docs, names, KEY, FIELDS_FULL, shard_postings=shard_postings, aliases=aliases
    )
    plain = reference_sharded(
        docs, names, KEY, FIELDS_FULL, shard_postings=shard_postings, aliases=aliases
    )
    assert fast.manifest == plain.manifest
    assert len(fast.files) > 10
    assert _differences(fast.files, plain.files) == []
    assert list(fast.files) == list(plain.files)


#: Titles and abstracts that reach every path of the inversion: word parts ("01.AI",
#: "o(n)", "e.g."), a word of no term ("the", "—"), a term ten times, a word outside
#: the Basic Multilingual Plane, pairs two papers share and pairs one paper has.
TEXTS = [
    ("Pointer Networks", "We introduce a new neural architecture: pointer networks."),
    ("Pointer networks, again", "Pointer networks (e.g. for o(n) sorting) learn 01.AI."),
    ("The the the", "the of and — a"),
    ("", ""),
    ("Model model model", " ".join(["model"] * 10) + " 𝒪(n log n) complexity, GPT-4o."),
    ("Text-to-image diffusion", "text to image diffusion; text-to-image models. naïve Bayes"),
    ("Selfsupervised learning", "self-supervised learning of visual features, self supervised"),
]


def _docs() -> list[SearchDoc]:
    out = []
    for i, (title, abstract) in enumerate(TEXTS * 3):
        tags = ("deep-learning",) if i % 2 else ("deep-learning", "nlp")
        out.append(
            SearchDoc(
                title=title,
                url=f"papers/p{i}/",
                year=None if i % 5 == 0 else 2000 + i,
                tags=tags,
                tag_text=" ".join(f"{s.replace('-', ' ')} {s.upper()}" for s in tags),
                abstract=abstract if i < len(TEXTS) else f"{abstract} variant {i}",
                snippet=abstract[:40],
                arxiv="" if i % 3 == 0 else f"1706.{i:05d}",
                authors="" if i % 4 == 0 else f"Ada Lovelace; Alan Turing {i}",
            )
        )
    return out


@pytest.mark.parametrize(
    "boosts",
    [SearchBoosts(), SearchBoosts(title=3, abstract=2, tags=0.5)],
    ids=["default", "other-boosts"],
)
def test_made_up_documents_give_the_plain_builds_bytes(boosts: SearchBoosts) -> None:
    docs = _docs()
    names = {"deep-learning": "Deep Learning", "nlp": "NLP"}
    fields = index_fields(boosts)[1]
    fast = build_sharded(docs, names, KEY, fields, shard_postings=20)
    plain = reference_sharded(docs, names, KEY, fields, shard_postings=20)
    assert len([n for n in fast.files if n.startswith("post.")]) > 3
    assert _differences(fast.files, plain.files) == []


def test_no_documents_give_the_plain_builds_bytes() -> None:
    fast = build_sharded([], {}, KEY)
    plain = reference_sharded([], {}, KEY)
    assert _differences(fast.files, plain.files) == []


def test_the_entry_point_gives_the_same_files_in_a_worker_process(seed_archive: Archive) -> None:
    """search.build.bundle_files, as the site build may call it beside MkDocs' render:
    its arguments and its result cross a process boundary unchanged."""
    from concurrent.futures import ProcessPoolExecutor

    from paper_archive.search.build import bundle_files

    docs = documents(seed_archive)
    names = {tag.slug: tag.name for tag in seed_archive.vocabulary.tags}
    aliases = seed_archive.vocabulary.alias_groups
    boosts = SearchBoosts(title=5)
    here = bundle_files(docs, names, KEY, aliases, boosts=boosts)
    with ProcessPoolExecutor(max_workers=1) as pool:
        there = pool.submit(bundle_files, docs, names, KEY, aliases, boosts=boosts).result()
    assert there == here
    plain = reference_sharded(docs, names, KEY, index_fields(boosts)[1], aliases=aliases)
    assert _differences(here, plain.files) == []
