"""The prebuilt search bundle: identical to stock Lunr, deterministic, cached by content."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import lunr
import pytest
from lunr.tokenizer import Tokenizer
from paper_archive.search.build import bundle_files, cached_or_built
from paper_archive.search.bundle import (
    BOOSTS,
    FIELDS_FULL,
    build_bundle,
    content_key,
    documents,
    snippets,
    store,
)
from paper_archive.search.lunr_builder import configure, fast_builder, is_separator
from paper_archive.site.collect import Archive
from paper_archive.site.generate import tag_names


def _serialize(builder: lunr.builder.Builder, docs: list[dict[str, str]]) -> str:
    builder.ref("id")
    for name, boost in FIELDS_FULL:
        builder.field(name, boost=boost)
    for doc in docs:
        builder.add(doc)
    return json.dumps(builder.build().serialize(), separators=(",", ":"))


def test_fast_builder_gives_stock_lunrs_index(
    seed_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastBuilder's shortcuts (one split, the pipeline once per distinct word) change
    nothing: the stock Builder, given lunr.js's separator and the same pipeline
    functions, serialises the very same index."""
    docs = [
        {
            "id": str(i),
            "title": d.title,
            "tags": d.tag_text,
            "year": str(d.year or ""),
            "abstract": d.abstract,
            "arxiv": d.arxiv,
            "authors": d.authors,
        }
        for i, d in enumerate(documents(seed_archive))
    ]
    docs.append(
        {
            "id": "extra",
            "title": "Yi by 01.AI: D'OH, café\u2009über (e.g., __init__) ...",
            "tags": "",
            "year": "",
            "abstract": "Attention\u3000is all-you-need; key insight: play.",
            "arxiv": "1706.03762",
            "authors": "Ashish Vaswani; Noam Shazeer",
        }
    )
    fast = _serialize(fast_builder(), docs)
    monkeypatch.setattr(
        "lunr.builder.Tokenizer", functools.partial(Tokenizer, separator=is_separator)
    )
    stock = lunr.builder.Builder()
    configure(stock)
    assert fast == _serialize(stock, docs)
    assert json.loads(fast)["pipeline"] == ["stemmer"]  # the label lunr.js loads


def test_bundle_is_deterministic_and_refs_are_store_positions(seed_archive: Archive) -> None:
    docs = documents(seed_archive)
    names = tag_names(seed_archive)
    key = content_key(docs, names)
    first = build_bundle(docs, names, key)
    second = build_bundle(docs, names, key)
    assert first.files == second.files
    full = json.loads(first.files["full"])
    assert full["format"] == "paper-archive-lunr/1"
    assert full["lunr"] == lunr.__TARGET_JS_VERSION__
    assert full["fields"] == [
        "title",
        "arxiv",
        "tags",
        "year",
        "abstract",
        "authors",
        "pairs",
        "near",
    ]
    assert full["boosts"] == [10, 10, 3, 2, 1, 1, 2, 4] and (full["k1"], full["b"]) == (1.2, 0.75)
    assert full["docs"] == len(docs)
    assert full["terms"] == sorted(full["terms"]) and len(set(full["terms"])) == len(full["terms"])
    for posting in full["postings"]:
        assert len(posting["n"]) == len(docs)
        assert sum(posting["t"][1::2]) == len(posting["d"]) == len(posting["f"])
        assert min(posting["f"], default=1) >= 1
    stored = json.loads(first.files["docs"])
    pointer = next(i for i, d in enumerate(stored["docs"]) if d[0] == "Pointer Networks")
    assert stored["docs"][pointer][1:3] == ["papers/pointer-networks/", 2015]
    # "pointer" occurs in Pointer Networks' title: its posting holds that store position.
    title = full["postings"][0]
    term = full["terms"].index("pointer")
    at, cursor, start = 0, 0, None
    for i in range(0, len(title["t"]), 2):
        at += title["t"][i]
        if at == term:
            start = cursor
            count = title["t"][i + 1]
        cursor += title["t"][i + 1]
    assert start is not None
    refs, ref = [], 0
    for delta in title["d"][start : start + count]:
        ref += delta
        refs.append(ref)
    assert pointer in refs
    assert json.loads(first.files["titles"])["fields"] == ["title", "arxiv"]


def test_store_format() -> None:
    from paper_archive.search.bundle import SearchDoc

    doc = SearchDoc("T", "papers/t/", None, ("llms", "zz-unknown"), "llms", "A b.", "A b.")
    assert json.loads(store([doc], {"llms": "Large language models"})) == {
        "tags": [["llms", "Large language models"]],
        "docs": [["T", "papers/t/", 0, [0]]],
    }
    assert json.loads(snippets([doc])) == ["A b."]


def test_content_key_follows_the_content(seed_archive: Archive) -> None:
    docs = documents(seed_archive)
    names = tag_names(seed_archive)
    key = content_key(docs, names)
    assert re.fullmatch(r"[0-9a-f]{16}", key)
    assert content_key(list(docs), dict(names)) == key
    changed = [
        docs[0].__class__(
            **{**{f: getattr(docs[0], f) for f in docs[0].__slots__}, "abstract": "x"}
        ),
        *docs[1:],
    ]
    assert content_key(changed, names) != key
    assert content_key(docs, {**names, "llms": "LLMs"}) != key


def test_cache_hit_does_no_work(
    seed_archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site build's bundle (search/build.py): built once into the cache through a
    temporary directory, then found there without building again."""
    docs = documents(seed_archive)[:20]
    names = tag_names(seed_archive)
    key = content_key(docs, names)
    first = cached_or_built(docs, names, key, tmp_path)
    built = bundle_files(docs, names, key)
    assert {p.name: p.read_bytes() for p in first.iterdir()} == built

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt although cached")

    monkeypatch.setattr("paper_archive.search.build.bundle_files", no_build)
    assert cached_or_built(docs, names, key, tmp_path) == first
    assert [p.name for p in tmp_path.iterdir()] == [key]  # no temporary directory left


def test_vendored_lunr_js_matches_the_python_package(repo: Path) -> None:
    lock = json.loads((repo / "scripts" / "vendor.lock.json").read_text(encoding="utf-8"))
    assert lock["lunr"]["version"] == lunr.__TARGET_JS_VERSION__
    header = (repo / "docs/assets/vendor/lunr/lunr.min.js").read_text(encoding="utf-8")[:300]
    assert (
        f"lunr - http://lunrjs.com - A bit like Solr, but much smaller and not as bright - {lunr.__TARGET_JS_VERSION__}"
        in header
    )


def test_vendored_files_match_their_lock(repo: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(repo / "scripts" / "vendor_assets.py")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_empty_archive_gives_an_empty_index() -> None:
    bundle = build_bundle([], {}, "0" * 16)
    empty = json.loads(bundle.files["full"])
    assert empty["docs"] == 0 and empty["terms"] == []
    assert all(p == {"t": [], "d": [], "f": [], "n": []} for p in empty["postings"])


def test_build_process_round_trip(seed_archive: Archive, tmp_path: Path) -> None:
    """The site build hands the documents to `python -m paper_archive.search.build`,
    which writes the sharded bundle (search/shards.py) into the cache."""
    import subprocess
    import sys

    from paper_archive.search.build import read_input, write_input
    from paper_archive.search.shards import build_sharded

    docs = documents(seed_archive)[:30]
    names = tag_names(seed_archive)
    aliases = seed_archive.vocabulary.alias_groups
    assert ("rlhf", "reinforcement learning from human feedback") in aliases
    key = content_key(docs, names, aliases)
    assert key != content_key(docs, names)
    source = tmp_path / "in.json"
    write_input(source, docs, names, key, aliases, boosts=BOOSTS)
    assert read_input(source) == (docs, names, key, BOOSTS, aliases)
    done = subprocess.run(
        [sys.executable, "-m", "paper_archive.search.build", str(source), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    sharded = build_sharded(docs, names, key, FIELDS_FULL, aliases=aliases)
    entry = tmp_path / "cache" / key
    assert {p.name: p.read_bytes() for p in entry.iterdir()} == sharded.files
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    failed = subprocess.run(
        [sys.executable, "-m", "paper_archive.search.build", str(broken), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1 and failed.stderr.startswith("search bundle: ")


def _answers(docs: list, queries: list[str], *, full: bool = True) -> dict[str, list]:
    """What the site's engine (index.js, query.js, answer.js) (in Node, with the vendored lunr.js) answers each query
    on the bundle built from ``docs``: [url, title highlight ranges] per result."""
    from ..lunr_node import run

    bundle = build_bundle(docs, {}, "0" * 16)
    files = {kind: json.loads(data) for kind, data in bundle.files.items()}
    answers = run(
        "answer",
        {
            "titles": files["titles"],
            "store": files["docs"],
            "full": files["full"] if full else None,
            "snippets": files["snippets"],
            "queries": queries,
        },
    )
    assert isinstance(answers, list)
    return dict(zip(queries, answers, strict=True))


def _urls(answer: list) -> list[str]:
    return [url for url, _ in answer]


def test_common_words_are_found(seed_archive: Archive) -> None:
    """Words lunr.js stems differently from the Python package (play, key, survey)."""
    docs = documents(seed_archive)
    title = {d.url: d.title for d in docs}
    answers = _answers(docs, ["play", "key insight", "title:survey", "diffusion -survey"])
    plug = next(d.url for d in docs if d.title.startswith("Plug & Play Generative Networks"))
    assert plug in _urls(answers["play"])
    assert len(answers["key insight"]) >= 1
    surveys = [d.url for d in docs if "survey" in d.title.lower().split()]
    assert len(surveys) >= 10 and set(surveys) <= set(_urls(answers["title:survey"]))
    no_survey = _urls(answers["diffusion -survey"])
    assert no_survey and not any("Survey" in title[url] for url in no_survey)


def test_words_joined_by_punctuation_are_found(seed_archive: Archive) -> None:
    """Every word of the seed joined by punctuation (``01.AI``, ``D'OH``, ``3.5``,
    ``e.g.``) is found typed as it is and with the punctuation left out.

    Left out: words with Lunr syntax characters, and words whose letters are all stop
    words (``and/or``), which the query side drops."""
    from lunr.stop_word_filter import WORDS as STOP_WORDS
    from paper_archive.search.lunr_builder import SEPARATOR_CHARS, WORD_RUN

    docs = documents(seed_archive)
    split = re.compile(f"[{re.escape(SEPARATOR_CHARS)}]+")
    home: dict[str, str] = {}
    for doc in docs:
        for text in (doc.title, doc.abstract):
            for token in split.split(text):
                runs = WORD_RUN.findall(token.lower())
                joined = "".join(runs)
                if (
                    len(runs) > 1
                    and not re.search(r'[:~^+\-*"]', token)
                    and joined not in STOP_WORDS
                    and not set(runs) <= STOP_WORDS
                ):
                    home.setdefault(token, doc.url)
                    home.setdefault(joined, doc.url)
    assert {"01.AI", "01ai", "(D'OH).", "doh"} <= set(home) and len(home) > 500
    answers = _answers(docs, sorted(home))
    missed = [q for q in sorted(home) if home[q] not in _urls(answers[q])]
    assert missed == []


def test_an_arxiv_id_finds_its_paper(seed_archive: Archive) -> None:
    from paper_archive.search.bundle import SearchDoc

    attention = SearchDoc(
        "Attention Is All You Need", "papers/attention/", 2017, (), "", "Transformers.", "",
        arxiv="1706.03762",
    )  # fmt: skip
    old_style = SearchDoc(
        "An Old One", "papers/old/", 1999, (), "", "Strings.", "", arxiv="hep-th/9901001"
    )
    docs = [*documents(seed_archive), attention, old_style]
    as_written = [
        "arXiv:1706.03762",
        "1706.03762v2",
        "https://arxiv.org/abs/1706.03762v5",
        "https://arxiv.org/pdf/1706.03762.pdf",
    ]
    queries = [
        *as_written,
        "1706.03762",
        "170603762",
        "arxiv:1706.03762",
        "hep-th/9901001",
        "hep-th/9901001v1",
        "9901001",
    ]
    for full in (False, True):  # the titles index answers before the full one has loaded
        answers = _answers(docs, queries, full=full)
        assert _urls(answers["1706.03762"])[:1] == ["papers/attention/"], full
        assert _urls(answers["170603762"]) == ["papers/attention/"]
        assert _urls(answers["arxiv:1706.03762"]) == ["papers/attention/"]
        assert "papers/old/" in _urls(answers["hep-th/9901001"])
        assert _urls(answers["9901001"]) == ["papers/old/"]
        assert "papers/old/" in _urls(answers["hep-th/9901001v1"])
        for query in as_written:
            assert _urls(answers[query])[:1] == ["papers/attention/"], query


def test_highlight_marks_words_joined_by_punctuation(seed_archive: Archive) -> None:
    docs = documents(seed_archive)
    answers = _answers(docs, ["01ai", "01.AI", "doh", "play"])
    yi = "Yi: Open Foundation Models by 01.AI"
    at = yi.index("01.AI")
    assert answers["01ai"][0][1] == [[at, at + 5]]
    assert answers["01.AI"][0][1] == [[at, at + 2], [at + 3, at + 5]]
    assert answers["doh"][0][1] == [[0, 4]]  # "D'OH: Decoder-Only …"
    play = next(a for a in answers["play"] if a[0].startswith("papers/plug-play"))
    assert play[1] == [[7, 11]]  # "Plug & Play …"
