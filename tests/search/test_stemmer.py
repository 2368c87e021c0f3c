"""Build-time terms equal the browser's: the Python side against the vendored lunr.js.

Every comparison runs the real lunr.js (docs/assets/vendor/lunr/lunr.min.js) in Node on
the same words in one batch call, and fails listing the words that differ.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from lunr.stemmer import stemmer as python_package_stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.token import Token
from paper_archive.record.tagging import Vocabulary
from paper_archive.search.bundle import SearchDoc, documents
from paper_archive.search.lunr_builder import (
    LUNR_PIPELINE,
    WORD_RUN,
    FastBuilder,
    is_separator,
    trim,
)
from paper_archive.search.stemmer import stem
from paper_archive.site.collect import collect

from ..lunr_node import run

FIXTURE = Path(__file__).parent.parent / "fixtures" / "stemmer" / "english-words.txt"
#: Words and texts that tell Python's and JavaScript's regular expressions apart.
TRICKY = [
    "café", "über", "naïve", "poincaré", "(d'oh)", "d’oh", "01.ai", "1706.03762", "...",
    "__init__", "e.g.,", "it's", "gpt-4o", "x\u2009y", "a\u3000b", "\ufeffbom", "𝔸bc",
    "𝔸𝔸ing", "y𝔸y", "οδος", "ΟΔΟΣ", "istanbul", "İstanbul", "ſtrasse", "ﬁnetuning",
    "co₂", "x²", "ⅻ", "١٢٣", "ＡＢＣ", "日本語", "tail\n", "yyy", "yes\r",
]  # fmt: skip


@pytest.fixture(scope="module")
def seed_docs(corpus: Path, vocabulary: Vocabulary) -> list[SearchDoc]:
    pages = sorted((corpus / "docs" / "papers").glob("*.md"))
    archive = collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        vocabulary,
    )
    return documents(archive)


def fixture_words() -> list[str]:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def archive_words(docs: list[SearchDoc]) -> list[str]:
    """Every distinct word of the titles and abstracts: letter-and-digit runs (what a
    reader types) and lunr tokens as the trimmer leaves them (what the index holds)."""
    words: set[str] = set()
    for doc in docs:
        for text in (doc.title, doc.abstract):
            lower = text.lower()
            words.update(WORD_RUN.findall(lower))
            words.update(trim(t) for t in lower.split())
    return sorted(words)


def _differences(words: list[str], stemmed: list[str], ours: object) -> list[str]:
    return [
        f"{w!r}: lunr.js {js!r}, Python {ours(w)!r}"  # type: ignore[operator]
        for w, js in zip(words, stemmed, strict=True)
        if ours(w) != js  # type: ignore[operator]
    ]


def test_fixture_covers_the_endings() -> None:
    words = fixture_words()
    assert len(words) >= 300
    for ending in ("y", "ies", "ied", "ing", "ed", "ational", "izer", "ousness", "fulness",
                   "iveness", "alism", "ement", "ization", "ility", "logy", "ical", "ness"):  # fmt: skip
        assert sum(w.endswith(ending) for w in words) >= 3, ending


def test_stemmer_equals_lunr_js(seed_docs: list[SearchDoc]) -> None:
    words = sorted({*archive_words(seed_docs), *fixture_words(), *TRICKY})
    assert len(words) > 7000
    stemmed = run("stem", words)
    assert isinstance(stemmed, list)
    differences = _differences(words, stemmed, stem)
    assert differences == [], "\n".join(differences)


def test_the_comparison_catches_the_python_packages_stemmer(seed_docs: list[SearchDoc]) -> None:
    """The same comparison on the stemmer the index used before: it finds the words
    readers could not search for."""
    words = sorted({*archive_words(seed_docs), *fixture_words()})
    stemmed = run("stem", words)
    assert isinstance(stemmed, list)

    def package(word: str) -> str:
        return str(python_package_stemmer(Token(word)))

    differing = {line.split(":")[0].strip("'") for line in _differences(words, stemmed, package)}
    assert {"play", "key", "survey", "display", "delay", "array"} <= differing


def test_stop_words_equal_lunr_js(seed_docs: list[SearchDoc]) -> None:
    words = sorted({*STOP_WORDS, *archive_words(seed_docs), *fixture_words(), "constructor"})
    flags = run("stopWord", words)
    assert isinstance(flags, list)
    js_stop = {w for w, stop in zip(words, flags, strict=True) if stop}
    assert js_stop == set(STOP_WORDS)


def test_separators_and_letter_runs_equal_javascripts() -> None:
    """The tokenizer's separator (``/[\\s\\-]/``) and the query's letters and digits
    (``/[\\p{L}\\p{N}]/u``), code point by code point: every one assigned in Python's
    Unicode version (Node's may be newer)."""
    code_points = [
        c
        for c in range(0x110000)
        if not 0xD800 <= c < 0xE000 and unicodedata.category(chr(c)) not in ("Cn", "Co")
    ]
    flags = run("chars", code_points)
    assert isinstance(flags, list)
    differences = [
        f"U+{c:04X}"
        for c, (separator, letter) in zip(code_points, flags, strict=True)
        if is_separator(chr(c)) != separator or bool(WORD_RUN.fullmatch(chr(c))) != letter
    ]
    assert differences == [], differences[:50]


def test_term_path_equals_lunr_js(seed_docs: list[SearchDoc]) -> None:
    """Tokenizer, trimmer, stop words and stemmer together: the terms, frequencies and
    lengths lunr.js's own Builder gives the titles and abstracts, and the tricky words."""
    docs = [
        {"id": str(i), "title": d.title, "abstract": d.abstract} for i, d in enumerate(seed_docs)
    ]
    docs.append({"id": "tricky", "title": " ".join(TRICKY), "abstract": "\n".join(TRICKY)})
    theirs = run("index", {"fields": ["title", "abstract"], "docs": docs})
    assert isinstance(theirs, dict)
    builder = FastBuilder()
    builder.pipeline.add(*LUNR_PIPELINE)
    builder.ref("id")
    builder.field("title")
    builder.field("abstract")
    for doc in docs:
        builder.add(doc)
    ours = {key: dict(terms) for key, terms in builder.field_term_frequencies.items()}
    differences = [
        f"{key}: only lunr.js {sorted(set(theirs['frequencies'][key]) - set(ours[key]))}, "
        f"only Python {sorted(set(ours[key]) - set(theirs['frequencies'][key]))}"
        for key in ours
        if ours[key] != theirs["frequencies"][key]
    ]
    assert differences == [], "\n".join(differences[:50])
    assert builder.field_lengths == theirs["lengths"]
    assert set(ours) == set(theirs["frequencies"]) and len(ours) == 2 * len(docs)
