"""The search bundle: two Lunr indexes and a document store, named by content hash.

Design notes: docs/modules.md, `search/bundle.py`.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from lunr import __TARGET_JS_VERSION__

from ..remembering import PLAIN, Remembers, no_extra
from ..settings import SearchBoosts
from ..site.collect import Archive, Entry
from ..text.controls import strip_controls
from ..text.mathtext import plain_text
from . import pairs
from .lunr_builder import FastBuilder, fast_builder

#: Alias groups of the tag vocabulary (Vocabulary.alias_groups): names, lower case.
Aliases = tuple[tuple[str, ...], ...]

#: Bump when the bundle's format or fields change: it is part of every file's hash.
#: 6: postings shards of varints; 5: authors, word pairs, aliases; 4: lunr.js's
#: stemmer, word parts, arxiv.
FORMAT = 6
SNIPPET_CHARS = 240
#: An index's fields, each with its boost, in the order the index file lists them.
Fields = tuple[tuple[str, float], ...]
BOOSTS = SearchBoosts()  # the default; a build passes settings.search_boosts


def index_fields(boosts: SearchBoosts = BOOSTS) -> tuple[Fields, Fields]:
    """The fields of the ``titles`` index and of the ``full`` one, with ``boosts``."""
    titles = (("title", boosts.title), ("arxiv", boosts.arxiv))
    full_only = (
        ("tags", boosts.tags),
        ("year", boosts.year),
        ("abstract", boosts.abstract),
        ("authors", boosts.authors),
    )
    return titles, (*titles, *full_only)


FIELDS_TITLES, FIELDS_FULL = index_fields()
#: Fields of word pairs (:mod:`.pairs`), after the lunr fields in the full index. Their
#: boosts weigh a pair's BM25 weight in the page's ranking (query.js), not Lunr's score.
FIELDS_PAIRS = (("pairs", 2), ("near", 4))


@dataclass(frozen=True, slots=True)
class SearchDoc:
    title: str
    url: str
    year: int | None
    tags: tuple[str, ...]  # slugs
    tag_text: str  # slugs and display names, for the index
    abstract: str  # plain text
    snippet: str
    arxiv: str = ""  # the arXiv id, "" when the paper has none
    authors: str = ""  # the authors' names, joined by "; "


def _snippet(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"


def documents(archive: Archive, *, memo: Remembers = PLAIN) -> list[SearchDoc]:
    """One search document per paper, in archive order (newest first); each is
    remembered for the next build of the process by its entry and its tags' names
    (``memo``)."""
    names = {tag.slug: tag.name for tag in archive.vocabulary.tags}
    return memo.per_item(
        "search-docs",
        archive.entries,
        lambda entry: tuple(names.get(slug, "") for slug in entry.paper.tags),
        lambda entry: _document(entry, names),
    )


def _document(entry: Entry, names: dict[str, str]) -> SearchDoc:
    paper = entry.paper  # no control character reaches the index, validated or not
    abstract = " ".join(strip_controls(html.unescape(paper.abstract)).split())
    tag_words = [f"{slug.replace('-', ' ')} {names.get(slug, '')}" for slug in paper.tags]
    return SearchDoc(
        title=strip_controls(paper.title),
        url=entry.url,
        year=paper.published.year if paper.published else None,
        tags=paper.tags,
        tag_text=" ".join(tag_words),
        abstract=abstract,
        snippet=_snippet(abstract),
        arxiv=strip_controls(paper.arxiv or ""),
        authors=strip_controls("; ".join(paper.authors)),
    )


@dataclass(frozen=True, slots=True)
class Bundle:
    key: str
    files: dict[str, bytes]  # kind ("titles", "full", "docs") -> content

    def name(self, kind: str) -> str:
        return bundle_name(kind, self.key)


def bundle_name(kind: str, key: str) -> str:
    return f"{kind}.{key}.json"


def content_key(
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    aliases: Aliases = (),
    *,
    boosts: SearchBoosts = BOOSTS,
    memo: Remembers = PLAIN,
) -> str:
    """A hash of everything the bundle is made from, the fields' boosts included."""
    digest = hashlib.sha256(f"paper-archive-search/{FORMAT}/lunr-{__TARGET_JS_VERSION__}".encode())
    digest.update(json.dumps([*index_fields(boosts), FIELDS_PAIRS, SNIPPET_CHARS]).encode())
    digest.update(json.dumps(sorted(tag_names.items())).encode())
    digest.update(json.dumps(aliases).encode())
    for part in memo.per_item("search-doc-json", docs, no_extra, _doc_json):
        digest.update(part)
    return digest.hexdigest()[:16]


def _doc_json(doc: SearchDoc) -> bytes:
    fields = [
        *(doc.title, doc.url, doc.year, doc.tags, doc.tag_text, doc.abstract, doc.arxiv),
        doc.authors,
    ]
    return json.dumps(fields).encode()


INDEX_FORMAT = "paper-archive-lunr/1"


def _index(docs: Sequence[SearchDoc], fields: Sequence[tuple[str, float]]) -> bytes:
    return _dumps(compact_index(docs, fields))


def pair_terms(docs: Sequence[SearchDoc]) -> dict[str, list[Counter[str]]]:
    """Each pair field's terms per document (:mod:`.pairs`): every pair of the title,
    the pairs of the abstract that :data:`~.pairs.MIN_PAPERS` papers have or more, and
    the title's ``near`` terms; term -> count."""
    titles = [pairs.stream(doc.title) for doc in docs]
    abstracts = [pairs.adjacent(pairs.stream(doc.abstract)) for doc in docs]
    title_pairs = [pairs.adjacent(words) for words in titles]
    papers: Counter[str] = Counter()
    for mine, theirs in zip(title_pairs, abstracts, strict=True):
        papers.update({*mine, *theirs})
    return {
        "pairs": [
            Counter((*mine, *(p for p in theirs if papers[p] >= pairs.MIN_PAPERS)))
            for mine, theirs in zip(title_pairs, abstracts, strict=True)
        ],
        "near": [Counter(pairs.near(words)) for words in titles],
    }


def populated_builder(
    docs: Sequence[SearchDoc], fields: Sequence[tuple[str, float]]
) -> FastBuilder:
    """A lunr builder (lunr.js's pipeline and word parts, see :mod:`.lunr_builder`) with
    every document added; refs are the documents' positions."""
    builder = fast_builder()
    builder.ref("id")
    for name, boost in fields:
        builder.field(name, boost=boost)
    for ref, doc in enumerate(docs):
        builder.add({"id": str(ref), **field_values(doc)})
    return builder


def field_values(doc: SearchDoc) -> dict[str, str]:
    """What each index field of ``doc`` holds, as text."""
    return {name: text(doc) for name, text in FIELD_TEXT.items()}


#: What each index field of a document holds, as text (:func:`field_values`).
FIELD_TEXT: Mapping[str, Callable[[SearchDoc], str]] = {
    "title": attrgetter("title"),
    "tags": attrgetter("tag_text"),
    "year": lambda doc: str(doc.year) if doc.year else "",
    "abstract": attrgetter("abstract"),
    "arxiv": attrgetter("arxiv"),
    "authors": attrgetter("authors"),
}


def compact_index(
    docs: Sequence[SearchDoc], fields: Sequence[tuple[str, float]]
) -> dict[str, object]:
    """Lunr's index data before vectors, as integers (see docs/assets/search/index.js).

    Documents go through lunr.js's pipeline (via :class:`FastBuilder`); the result is
    the sorted terms and, per field, each term's postings (document-number deltas and
    term frequencies) and each document's field length. The browser computes Lunr's
    BM25 weights from these, so no vectors are shipped. The pair fields
    (:data:`FIELDS_PAIRS`) are made beside the builder, from :mod:`.pairs`' terms.
    """
    pair_names = {name for name, _ in FIELDS_PAIRS}
    builder = populated_builder(docs, [f for f in fields if f[0] not in pair_names])
    made = pair_terms(docs) if any(name in pair_names for name, _ in fields) else {}
    per_field: dict[str, tuple[list[int], list[Mapping[str, int]]]] = {}
    for name, _ in fields:
        if name in made:
            counts: list[Mapping[str, int]] = list(made[name])
            per_field[name] = ([sum(c.values()) for c in made[name]], counts)
        else:
            keys = [f"{name}/{ref}" for ref in range(len(docs))]
            per_field[name] = (
                [builder.field_lengths[key] for key in keys],
                [builder.field_term_frequencies[key] for key in keys],
            )
    vocabulary = set(builder.inverted_index)
    for counters in made.values():
        for counter in counters:
            vocabulary.update(counter)
    terms = sorted(vocabulary)
    position = {term: i for i, term in enumerate(terms)}
    postings = []
    for name, _ in fields:
        by_term: dict[int, list[tuple[int, int]]] = {}
        lengths, frequencies_of = per_field[name]
        for ref, of_doc in enumerate(frequencies_of):
            for term, tf in of_doc.items():
                by_term.setdefault(position[term], []).append((ref, tf))
        term_counts: list[int] = []
        deltas: list[int] = []
        frequencies: list[int] = []
        previous_term = 0
        for term_position in sorted(by_term):
            entries = by_term[term_position]
            term_counts += [term_position - previous_term, len(entries)]
            previous_term = term_position
            previous_doc = 0
            for ref, tf in entries:
                deltas.append(ref - previous_doc)
                previous_doc = ref
                frequencies.append(tf)
        postings.append({"t": term_counts, "d": deltas, "f": frequencies, "n": lengths})
    return {
        "format": INDEX_FORMAT,
        "lunr": __TARGET_JS_VERSION__,
        "fields": [name for name, _ in fields],
        "boosts": [boost for _, boost in fields],
        "k1": builder._k1,
        "b": builder._b,
        "docs": len(docs),
        "terms": terms,
        "postings": postings,
    }


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def store(docs: Sequence[SearchDoc], tag_names: dict[str, str], aliases: Aliases = ()) -> bytes:
    """What a result shows, for the first stage: ``{"tags": [[slug, name], …], "docs":
    [[title, url, year, [tag numbers]], …]}``, and the alias groups when there are any
    (``"aliases": [[name, …], …]``). Results are plain text, so titles are too: math
    written as Unicode (``CO$_2$`` → ``CO₂``, :mod:`paper_archive.text.mathtext`)."""
    slugs = sorted(tag_names)
    number = {slug: i for i, slug in enumerate(slugs)}
    return _dumps(
        {
            **({"aliases": [list(group) for group in aliases]} if aliases else {}),
            "tags": [[slug, tag_names[slug]] for slug in slugs],
            "docs": [
                [
                    plain_text(d.title),
                    d.url,
                    d.year or 0,
                    [number[t] for t in d.tags if t in number],
                ]
                for d in docs
            ],
        }
    )


def snippets(docs: Sequence[SearchDoc]) -> bytes:
    """Each result's snippet, loaded with the full index (a third of the store's size)."""
    return _dumps([d.snippet for d in docs])


def build_bundle(
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    aliases: Aliases = (),
    *,
    boosts: SearchBoosts = BOOSTS,
) -> Bundle:
    """Build all three files (pure: documents in, bytes out)."""
    titles, full = index_fields(boosts)
    return Bundle(
        key=key,
        files={
            "titles": _index(docs, titles),
            "full": _index(docs, (*full, *FIELDS_PAIRS)),
            "docs": store(docs, tag_names, aliases),
            "snippets": snippets(docs),
        },
    )


KINDS = ("titles", "full", "docs", "snippets")


def max_file_bytes(papers: int) -> int:
    """The largest bundle file ``papers`` papers can make (the full index is ~2 KB a
    paper at 10,000, the store and snippets less), with room to spare: a cache file
    over it is refused unread."""
    return 1024 * 1024 + 64 * 1024 * papers


def worker_bundle(parts: Sequence[Path]) -> bytes:
    """The worker's scripts joined into one file (lunr.js, engine, worker), in order."""
    return b"\n;\n".join(part.read_bytes().rstrip() for part in parts) + b"\n"
