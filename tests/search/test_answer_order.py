"""An answer sorts only the page it shows, and counts its facets over every match
(issue 21: query time at 100,000 papers). query.js's ``best`` picks a page's results
from the unordered matches; answer.js counts topics and years over packed arrays. Both
are checked here against plain Python over what the engine matched: every page of
broad queries, with and without filters, and ``best`` on random keys with ties."""

from __future__ import annotations

import json
import random
from collections import Counter

from paper_archive.search.bundle import build_bundle, documents
from paper_archive.site.collect import Archive

from ..lunr_node import run

KEY = "0123456789abcdef"

#: Broad queries (hundreds of the corpus's papers), phrases, one word, a corrected typo
#: (its matches in Lunr's order), each alone and under a topic, a year, or both.
QUERIES = [
    "learning", "model", "language model", "deep learning", "neural network", "text-to-image",
    "diffusion models", "transfromer", "title:transformer",
]  # fmt: skip
FILTERS = [
    {},
    {"tag": "computer-vision"},
    {"year": "2024"},
    {"tag": "optimization", "year": "2023"},
]


def _expected(answer: dict, docs: list, tags: list, message: dict) -> tuple[list, dict, dict]:
    """The page urls in order, and the counts, by sorting and counting every match."""
    refs, key = answer["refs"], answer["key"]
    ordered = sorted(refs, key=lambda r: (-key[r], r)) if key is not None else refs
    tag = next((i for i, t in enumerate(tags) if t[0] == message.get("tag")), -1)
    year = int(message.get("year", 0))
    tag_counts: Counter[str] = Counter()
    year_counts: Counter[str] = Counter()
    urls = []
    for ref in ordered:
        doc_year, doc_tags = docs[ref][2] or 0, docs[ref][3]
        in_year = not year or doc_year == year
        in_tag = "tag" not in message or tag in doc_tags
        if in_year:
            tag_counts.update(tags[t][0] for t in doc_tags)
        if in_tag and doc_year:
            year_counts[str(doc_year)] += 1
        if in_tag and in_year:
            urls.append(docs[ref][1])
    return urls, dict(tag_counts), dict(year_counts)


def test_every_page_and_count_equals_sorting_every_match(seed_archive: Archive) -> None:
    names = {tag.slug: tag.name for tag in seed_archive.vocabulary.tags}
    files = {
        kind: json.loads(data)
        for kind, data in build_bundle(documents(seed_archive), names, KEY).files.items()
    }
    messages = [{"q": q, **f} for q in QUERIES for f in FILTERS]
    answers = run(
        "paged",
        {
            "titles": files["titles"],
            "store": files["docs"],
            "full": files["full"],
            "snippets": files["snippets"],
            "messages": messages,
            "limit": 7,  # pages that start inside the heap's reach and past it
        },
    )
    assert isinstance(answers, list)
    docs, tags = files["docs"]["docs"], files["docs"]["tags"]
    broad = 0
    for message, answer in zip(messages, answers, strict=True):
        urls, tag_counts, year_counts = _expected(answer, docs, tags, message)
        assert answer["urls"] == urls, message
        assert answer["total"] == len(urls), message
        assert answer["tagCounts"] == tag_counts, message
        assert answer["yearCounts"] == year_counts, message
        broad += len(answer["refs"]) > 100
    assert broad >= 8  # the queries match more papers than a few pages show


def test_best_is_the_head_of_a_full_sort() -> None:
    rng = random.Random(21)
    cases = []
    for size in (0, 1, 5, 64, 700, 3000):
        key = [float(rng.choice([0, 1, 2, 2.5, 1e6 + 3])) for _ in range(size)]  # many ties
        refs = rng.sample(range(size), size)
        for count in sorted({0, 1, 3, 20, size // 2, size, size + 5}):
            cases.append({"refs": refs, "key": key, "count": count})
        cases.append({"refs": refs, "key": None, "count": 3})  # no key: already in order
    got = run("best", cases)
    assert isinstance(got, list)
    for case, head in zip(cases, got, strict=True):
        refs, key, count = case["refs"], case["key"], case["count"]
        full = refs if key is None else sorted(refs, key=lambda r: (-key[r], r))
        assert head == full[:count], (len(refs), count)
