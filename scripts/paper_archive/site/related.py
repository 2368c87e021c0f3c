"""Related papers: tf-idf over title and abstract, cosine, top-k per paper (pure).

How it stays cheap at 10,000 papers (no N×N matrix, no numpy):

- Each paper is a sparse tf-idf vector (sublinear tf, ``idf = ln(N/df)``, title words
  counted :data:`TITLE_COUNT` times, each topic it carries a term ``#slug`` counted
  :data:`TAG_COUNT` times), L2-normalised over all its terms.
- Words that name a paper's genre, not its topic (:data:`GENRE_WORDS`: "survey",
  "comprehensive", "benchmark", "areas", …) weigh :data:`GENRE_WEIGHT` of their tf-idf
  and never link papers; nor does a genre tag (:data:`GENRE_TAGS`). Without this a
  survey's five related papers were other surveys, "related" by "survey",
  "comprehensive" and "areas".
- An inverted index holds the terms that can link papers: found in at least two
  papers and in at most :data:`MAX_DF` of them (words in a fifth of the archive weigh
  ``ln 5`` or less and would make every list scan most of the archive).
- Each paper queries the index with its :data:`QUERY_TERMS` heaviest terms (what
  Lucene's More-Like-This does) and accumulates dot products in a dict; a heap keeps
  the ``k`` best. Work is the sum of the postings of those terms, memory the index
  plus one accumulator at a time.

So the score is the cosine restricted to the query paper's heaviest terms: terms
below them change scores by little and rankings less. A candidate must score at
least :data:`MIN_SCORE` and share at least :data:`MIN_SHARED` of those terms; a paper
with nothing that close gets a shorter list.

The reason shown is what the two papers share: topics (the tags both carry) and the
three words that contribute most to the score.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import html
import itertools
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import jobs
from ..cachefiles import CacheDir
from ..remembering import PLAIN, Remembers, no_extra
from ..textfile import atomic_write
from .collect import Archive, Entry
from .render import esc, math_html, relative_url

FORMAT = "paper-archive-related/4"
#: Where the lists are cached by content, beside mkdocs.yml (``.cache/`` is not ours:
#: ``zensical build --clean`` deletes it whole).
CACHE_DIR = ".paper-archive-cache/related"
K = 5
QUERY_TERMS = 15
POSTINGS = 64
MAX_DF = 0.2
MIN_SCORE = 0.05
REASON_TERMS = 3
MIN_SHARED = 2  # one shared rare word ("dictionary") is a pun more often than a topic
TITLE_COUNT = 3  # a title word counts as three in the abstract: titles name the topic
TAG_COUNT = 2  # a shared topic counts as a word said twice
TAG_TERM = "#"  # a topic's term is "#" + its slug: never a word (_WORD has no "#")
GENRE_WEIGHT = 0.25
#: Words of a paper's genre, kind or rhetoric, not of its topic (after plural folding):
#: two surveys share them whatever they survey. STOP_WORDS already drops "approach",
#: "novel", "paper", "propose" and the like.
GENRE_WORDS = frozenset(
    """analysis analyze application area areas art benchmark challenge comprehensive
    categorization categorize conclude conclusion direction discuss discussion effective
    evaluate evaluation experiment experimental extensive extensively field finally framework
    future highlight insight introduce issue literature method methodology open outline
    overview perspective problem promising reader related research researcher result
    review roadmap spanning state study summarize summary survey systematic task
    taxonomy technique""".split()  # noqa: SIM905
)
#: Tags of a genre (data/tags.yaml): shared, they say nothing about the topic.
GENRE_TAGS = frozenset({"surveys"})
CANDIDATES = 3  # ranked candidates looked at per place in the list
_MATH = re.compile(r"\$[^$\n]+\$")
_WORD = re.compile(r"[a-z][a-z0-9]+")
STOP_WORDS = frozenset(
    """about above across after again against all also although among an and another
    any approach are around as at based be because been before being below between both
    but by can could demonstrate did do does doing done due during each either et etc
    even ever every existing few first for from further furthermore given has have having
    here hence how however if in including into is it its itself just large less like
    made make makes many may more moreover most much must new not novel now of often on
    once one only or other our ours out over paper per present propose proposed provide
    provides rather recent same several should show shows significant significantly
    since so some such than that the their them then there these they this those
    through thus to too toward towards two under up upon us use used uses using various
    very via was we well were what when where whether which while who whose why will
    with within without work would yet you your""".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Related:
    """One related paper of another: who, how close, and why."""

    slug: str
    score: float  # cosine over the query paper's heaviest terms, 0..1
    shared_tags: tuple[str, ...]  # tag slugs both papers carry, in the other's order
    shared_terms: tuple[str, ...]  # the words that weigh most in the score


@dataclass(frozen=True, slots=True)
class Doc:
    """What similarity is computed from."""

    slug: str
    title: str
    abstract: str  # plain text
    tags: tuple[str, ...]


def docs_of(archive: Archive, *, memo: Remembers = PLAIN) -> list[Doc]:
    """What similarity is computed from, for each paper (each remembered for the next
    build of the process, per entry, by ``memo``)."""
    return memo.per_item("related-docs-of", archive.entries, no_extra, _doc_of)


def _doc_of(e: Entry) -> Doc:
    return Doc(
        e.slug, e.paper.title, " ".join(html.unescape(e.paper.abstract).split()), e.paper.tags
    )


def content_key(docs: Sequence[Doc], *, k: int = K, memo: Remembers = PLAIN) -> str:
    """A hash of everything :func:`related_docs` reads, to cache its result by."""
    digest = hashlib.sha256(
        json.dumps(
            [
                FORMAT,
                k,
                QUERY_TERMS,
                POSTINGS,
                MAX_DF,
                MIN_SCORE,
                MIN_SHARED,
                CANDIDATES,
                TITLE_COUNT,
                TAG_COUNT,
                GENRE_WEIGHT,
                sorted(GENRE_WORDS),
                sorted(GENRE_TAGS),
            ]
        ).encode()
    )
    for part in memo.per_item("related-doc-json", docs, no_extra, _doc_json):
        digest.update(part)
    return digest.hexdigest()[:16]


def _doc_json(doc: Doc) -> bytes:
    return json.dumps([doc.slug, doc.title, doc.abstract, doc.tags]).encode()


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Plurals folded: ``networks`` -> ``network``, ``studies`` -> ``study``."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Lowercase ASCII words (accents folded, math dropped), stop words out, plurals in."""
    text = _MATH.sub(" ", text).lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stop = STOP_WORDS
    return [_stem(w) for w in _WORD.findall(text) if w not in stop]


def _counts(doc: Doc) -> Counter[str]:
    topics = [TAG_TERM + t for t in doc.tags if t not in GENRE_TAGS]
    return Counter(terms(doc.title) * TITLE_COUNT + terms(doc.abstract) + topics * TAG_COUNT)


def _genre(term: str) -> bool:
    return term in GENRE_WORDS


def _weights(count: Counter[str], n: int, df: Mapping[str, int]) -> dict[str, float]:
    """One document's L2-normalised tf-idf vector (terms of weight 0 left out); genre
    words weigh :data:`GENRE_WEIGHT` of theirs."""
    weights = {
        t: (1 + math.log(c)) * math.log(n / df[t]) * (GENRE_WEIGHT if _genre(t) else 1.0)
        for t, c in count.items()
    }
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items() if w > 0}


def vectors(docs: Sequence[Doc]) -> list[dict[str, float]]:
    """One L2-normalised tf-idf vector per document."""
    counts = [_counts(d) for d in docs]
    df: Counter[str] = Counter()
    for count in counts:
        df.update(count.keys())
    return [_weights(count, len(docs), df) for count in counts]


def related_docs(docs: Sequence[Doc], *, k: int = K) -> dict[str, list[Related]]:
    """Up to ``k`` related documents for each, best first (ties: archive order)."""
    return RelatedIndex(docs, k=k).lists()


def _postings(items: list[tuple[float, int]]) -> list[tuple[int, float]]:
    """A term's postings, impact-ordered and cut: a term links a paper to the papers
    where it weighs most (``items`` in document order)."""
    if len(items) > POSTINGS:
        items = heapq.nlargest(POSTINGS, items, key=_by_weight_then_first)
    return [(n, w) for w, n in items]


@dataclass(slots=True)
class _Answer:
    """One paper's list and what it was computed from (to know when to redo it)."""

    query: tuple[str, ...]  # its heaviest indexed terms
    ranked: tuple[int, ...]  # the candidates looked at, by number
    items: list[Related]


class RelatedIndex:
    """Everything :func:`related_docs` computes, kept so that an edit of a few papers
    is answered by redoing only the lists it can change (:meth:`update`), with exactly
    the result of computing them all again (tests/site/test_related.py compares them).

    A paper's vector changes when its own text does or when a term it holds changes
    its document frequency; a term's postings change when a vector in them does; a
    paper's list changes only when its vector, the postings of its query terms, the
    index's terms it holds, or a candidate it looked at changes. Adding or removing a
    paper changes every idf (``ln(N/df)``): :meth:`update` then starts over, as it does
    when the changed vectors are more than :data:`INCREMENTAL_SHARE` of the archive.
    """

    INCREMENTAL_SHARE = 0.25

    def __init__(
        self, docs: Sequence[Doc], *, k: int = K, answers: Sequence[_Answer] | None = None
    ) -> None:
        """The index of ``docs``; ``answers``: the lists and what each was computed from,
        as a computation of these very docs left them (read back from the cache by
        :func:`cached_index`), so that only the vectors and postings are made again."""
        self.k = k
        self.docs = list(docs)
        n = len(self.docs)
        counts = [_counts(d) for d in self.docs]  # not kept: an edit counts again
        self.df: Counter[str] = Counter()
        self.holders: dict[str, set[int]] = defaultdict(set)
        for number, count in enumerate(counts):
            self.df.update(count.keys())
            for term in count:
                self.holders[term].add(number)
        self.vecs = [_weights(count, n, self.df) for count in counts]
        del counts
        self.limit = max(2, int(MAX_DF * n))
        postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for number, vec in enumerate(self.vecs):
            for term, weight in vec.items():
                if self._indexed(term):
                    postings[term].append((weight, number))
        self.index = {term: _postings(items) for term, items in postings.items()}
        del postings
        if answers is not None and len(answers) != n:
            raise ValueError(f"{len(answers)} answers for {n} papers")
        self.answers = (
            list(answers) if answers is not None else [self._answer(number) for number in range(n)]
        )

    def _indexed(self, term: str) -> bool:
        """Whether ``term`` can link papers: not a genre word, in 2 papers or more, at
        most ``limit``, and of non-zero weight (not in every paper)."""
        df = self.df.get(term, 0)
        return 2 <= df <= self.limit and df < len(self.docs) and not _genre(term)

    def _answer(self, number: int) -> _Answer:
        vec, docs, index, k = self.vecs[number], self.docs, self.index, self.k
        query = heapq.nlargest(
            QUERY_TERMS, (item for item in vec.items() if item[0] in index), key=_by_weight
        )
        scores: dict[int, float] = {}
        get = scores.get
        for term, weight in query:
            for other, other_weight in index[term]:
                scores[other] = get(other, 0.0) + weight * other_weight
        scores.pop(number, None)
        ranked = heapq.nsmallest(
            CANDIDATES * k, ((-s, other) for other, s in scores.items() if s >= MIN_SCORE)
        )
        found = (
            _related(docs[number], docs[other], query, self.vecs[other], -negative)
            for negative, other in ranked
        )
        kept = list(itertools.islice((r for r in found if _shares_enough(r)), k))
        items = [
            Related(r.slug, r.score, r.shared_tags, _words(r.shared_terms)[:REASON_TERMS])
            for r in kept
        ]
        return _Answer(tuple(t for t, _ in query), tuple(o for _, o in ranked), items)

    def lists(self) -> dict[str, list[Related]]:
        return {doc.slug: answer.items for doc, answer in zip(self.docs, self.answers, strict=True)}

    def update(self, docs: Sequence[Doc]) -> RelatedIndex:
        """The index of ``docs``: this one updated in place when only some papers' text
        or tags changed (same papers, same order), a new one otherwise."""
        n = len(self.docs)
        if len(docs) != n or any(a.slug != b.slug for a, b in zip(docs, self.docs, strict=True)):
            return RelatedIndex(docs, k=self.k)
        changed = [i for i, (a, b) in enumerate(zip(docs, self.docs, strict=True)) if a != b]
        if not changed:
            return self
        retext = [  # what _counts reads: the text, and the tags (their "#slug" terms)
            i
            for i in changed
            if (docs[i].title, docs[i].abstract, docs[i].tags)
            != (self.docs[i].title, self.docs[i].abstract, self.docs[i].tags)
        ]
        df_moved: set[str] = set()
        counts: dict[int, Counter[str]] = {}
        for i in retext:
            old, new = _counts(self.docs[i]), counts.setdefault(i, _counts(docs[i]))
            for term in old.keys() - new.keys():
                self.df[term] -= 1
                self.holders[term].discard(i)
                if not self.df[term]:
                    del self.df[term], self.holders[term]
                df_moved.add(term)
            for term in new.keys() - old.keys():
                self.df[term] += 1
                self.holders[term].add(i)
                df_moved.add(term)
        self.docs = list(docs)
        moved_vecs = set(retext)
        for term in df_moved:
            moved_vecs.update(self.holders.get(term, ()))
        if len(moved_vecs) > self.INCREMENTAL_SHARE * n:
            return RelatedIndex(docs, k=self.k)
        touched: set[str] = set()
        for i in moved_vecs:
            touched.update(self.vecs[i])
            count = counts[i] if i in counts else _counts(self.docs[i])
            self.vecs[i] = _weights(count, n, self.df)
            touched.update(self.vecs[i])
        touched |= df_moved
        # A term joins or leaves the index only when its df moves: its holders are in
        # moved_vecs, redone with their new query.
        redo: set[int] = set(moved_vecs) | set(changed)
        reposted: set[str] = set()  # terms whose postings changed
        for term in touched:
            if self._indexed(term):
                items = [
                    (w, i) for i in sorted(self.holders[term]) if (w := self.vecs[i].get(term))
                ]
                new_postings = _postings(items)
            else:
                new_postings = None
            old_postings = self.index.get(term)
            if new_postings == old_postings:
                continue
            if new_postings is None:
                del self.index[term]
            else:
                self.index[term] = new_postings
            reposted.add(term)
        looked_at = moved_vecs.union(changed)  # candidates whose vector or tags changed
        for i, answer in enumerate(self.answers):
            if not reposted.isdisjoint(answer.query) or not looked_at.isdisjoint(answer.ranked):
                redo.add(i)
        for i in redo:
            self.answers[i] = self._answer(i)
        return self


def _words(shared: tuple[str, ...]) -> tuple[str, ...]:
    """The shared terms a reader is shown: words (topics are said as topics)."""
    return tuple(t for t in shared if not t.startswith(TAG_TERM))


def _by_weight(item: tuple[str, float]) -> tuple[float, str]:
    return item[1], item[0]


def _by_weight_then_first(item: tuple[float, int]) -> tuple[float, int]:
    return item[0], -item[1]


def _shares_enough(item: Related) -> bool:
    """At least :data:`MIN_SHARED` things in common: query words, and topics (a shared
    topic's ``#slug`` is one of the query terms when it weighs)."""
    return len(item.shared_terms) >= MIN_SHARED


def _related(
    doc: Doc,
    other: Doc,
    query: list[tuple[str, float]],
    other_vec: dict[str, float],
    score: float,
) -> Related:
    shared = sorted(((w * other_vec[t], t) for t, w in query if t in other_vec), reverse=True)
    tags = tuple(t for t in other.tags if t in doc.tags)
    # Every shared term is kept until the list is cut (MIN_SHARED counts them, topics'
    # "#slug" terms too), then the reason shows the REASON_TERMS heaviest words.
    return Related(other.slug, round(score, 6), tags, tuple(t for _, t in shared))


def related_papers(archive: Archive, k: int = K) -> dict[str, list[Related]]:
    """Slug -> up to ``k`` related papers, for every paper of the archive."""
    return related_docs(docs_of(archive), k=k)


# -- cache format ------------------------------------------------------------------


def dumps(related: Mapping[str, Sequence[Related]], *, index: RelatedIndex | None = None) -> str:
    """The lists as compact JSON: slugs once, lists as ``[index, score, tags, words]``
    (a third of the size of naming each slug, and as much faster to read back). With
    the ``index`` that made them, also each paper's query terms and the candidates it
    looked at, so that the index can be made again without its costliest part."""
    slugs = list(related)
    number = {slug: i for i, slug in enumerate(slugs)}
    for items in related.values():
        for r in items:
            if r.slug not in number:
                number[r.slug] = len(slugs)
                slugs.append(r.slug)
    lists = [
        [[number[r.slug], r.score, list(r.shared_tags), list(r.shared_terms)] for r in items]
        for items in related.values()
    ]
    data: dict[str, object] = {
        "format": FORMAT,
        "papers": len(related),
        "slugs": slugs,
        "lists": lists,
    }
    if index is not None:
        data["query"] = [list(answer.query) for answer in index.answers]
        data["ranked"] = [list(answer.ranked) for answer in index.answers]
    return json.dumps(data, separators=(",", ":"))


def loads(text: str, docs: Sequence[Doc] | None = None) -> dict[str, list[Related]]:
    """What :func:`dumps` wrote; ``ValueError`` naming what is wrong for anything else
    (a stale format, a cut file, a list that :func:`related_docs` cannot have made).
    With ``docs``, also that it is a list of each of them, in their order."""
    return _parse(text, docs)[0]


_INT, _STR = frozenset({int}), frozenset({str})  # type() of each item: C speed, not a loop


def _ints(value: object, what: str) -> list[int]:
    if not isinstance(value, list) or not set(map(type, value)) <= _INT:
        raise ValueError(f"{what}: not a list of whole numbers")
    return value


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not set(map(type, value)) <= _STR:
        raise ValueError(f"{what}: not a list of strings")
    return value


def _parse(
    text: str, docs: Sequence[Doc] | None
) -> tuple[dict[str, list[Related]], list[list[str]] | None, list[list[int]] | None]:
    """The lists, and the queries and candidates when the file has them, every value
    checked: types, bounds (a paper number names a paper of the file, not the list's
    own; at most :data:`K` items, best first; shared topics are exactly those both
    papers carry, when ``docs`` are given; reasons are words). A cache is read back
    only when it could be what a computation wrote."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a related-papers cache of this format")
    slugs = _strings(data.get("slugs"), "slugs")
    lists = data.get("lists")
    n = len(slugs)
    if type(data.get("papers")) is not int or data["papers"] != n or len(set(slugs)) != n:
        raise ValueError("papers: not the number of distinct slugs")
    if not isinstance(lists, list) or len(lists) != n:
        raise ValueError(f"lists: not one list for each of the {n} papers")
    if docs is not None and slugs != [doc.slug for doc in docs]:
        raise ValueError("slugs: not the papers of this build, in their order")
    out: dict[str, list[Related]] = {}
    for own, items in enumerate(lists):
        where = f"lists[{own}]"
        if not isinstance(items, list) or len(items) > K:
            raise ValueError(f"{where}: not a list of at most {K} items")
        row: list[Related] = []
        seen: set[int] = set()
        for item in items:
            if not isinstance(item, list) or len(item) != 4:
                raise ValueError(f"{where}: an item is not [paper, score, topics, words]")
            other, score, tags, words = item
            if type(other) is not int or not 0 <= other < n or other == own or other in seen:
                raise ValueError(f"{where}: {other!r} is not another paper's number")
            seen.add(other)
            if type(score) is not float or not MIN_SCORE <= score <= 1.0:
                raise ValueError(f"{where}: score {score!r} out of range")
            if row and score > row[-1].score:
                raise ValueError(f"{where}: not best first")
            tags = _strings(tags, f"{where} topics")
            words = _strings(words, f"{where} words")
            if docs is not None:
                shared = [t for t in docs[other].tags if t in docs[own].tags]
                if tags != shared:
                    raise ValueError(f"{where}: topics not those both papers carry")
            # a pair may qualify by shared topics, so its reason may show no word at all
            if len(words) > REASON_TERMS or len(set(words)) != len(words):
                raise ValueError(f"{where}: not at most {REASON_TERMS} distinct shared words")
            if not all(_WORD.fullmatch(w) for w in words):
                raise ValueError(f"{where}: a shared word is not a word")
            row.append(Related(slugs[other], score, tuple(tags), tuple(words)))
        out[slugs[own]] = row
    if "query" not in data and "ranked" not in data:
        return out, None, None
    query, ranked = data.get("query"), data.get("ranked")
    if not isinstance(query, list) or not isinstance(ranked, list):
        raise ValueError("query, ranked: not lists")
    if len(query) != n or len(ranked) != n:
        raise ValueError("query, ranked: not one for each paper")
    for own, (terms_, candidates) in enumerate(zip(query, ranked, strict=True)):
        if len(_strings(terms_, f"query[{own}]")) > QUERY_TERMS:
            raise ValueError(f"query[{own}]: more than {QUERY_TERMS} terms")
        candidates = _ints(candidates, f"ranked[{own}]")
        if len(candidates) > CANDIDATES * K or (
            candidates and not 0 <= min(candidates) <= max(candidates) < n
        ):
            raise ValueError(f"ranked[{own}]: not at most {CANDIDATES * K} paper numbers")
    return out, query, ranked


# -- HTML --------------------------------------------------------------------------


def reason(item: Related, names: Mapping[str, str]) -> str:
    """One line, plain text: ``Also in Large language models; abstracts share
    “pointer”, “attention”.``"""
    parts = []
    topics = [names[t] for t in item.shared_tags if t in names]
    if topics:
        parts.append("Also in " + ", ".join(topics))
    if item.shared_terms:
        words = ", ".join(f"“{t}”" for t in item.shared_terms)
        parts.append(f"similar abstract ({words})" if topics else f"Similar abstract ({words})")
    return "; ".join(parts) + "."


def related_html(
    items: Sequence[Related],
    *,
    entries: Mapping[str, Entry],
    names: Mapping[str, str],
    page_url: str,
) -> str:
    """The list on a paper page: linked titles, each with its one-line reason."""
    rows = []
    for item in items:
        entry = entries.get(item.slug)
        if entry is None:
            continue
        href = esc(relative_url(entry.url, page_url))
        rows.append(
            f'<li class="pa-related__item"><a href="{href}">{math_html(entry.paper.title)}</a>'
            f'<span class="pa-related__reason">{esc(reason(item, names))}</span></li>'
        )
    return f'<ul class="pa-related">{"".join(rows)}</ul>' if rows else ""


# -- cache -------------------------------------------------------------------------


def cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"related-{key}.json"


def max_cache_bytes(papers: int) -> int:
    """The largest cache file ``papers`` papers can make (~3 KB each, measured at
    10,000 papers, with room to spare): a larger one is refused unread."""
    return 1024 * 1024 + 64 * 1024 * papers


def _read(cache: CacheDir, key: str, docs: Sequence[Doc]) -> tuple[Path, str] | None:
    path = cache_file(cache.folder(CACHE_DIR), key)
    text = cache.read_text(path, max_bytes=max_cache_bytes(len(docs)))
    return None if text is None else (path, text)


def cached(cache: CacheDir, key: str, docs: Sequence[Doc]) -> dict[str, list[Related]] | None:
    """The lists of ``docs`` (whose :func:`content_key` is ``key``) from the cache, or
    ``None``: missing, or unusable (a link, too large, not what a computation of these
    docs can write: :func:`loads`), which is said at INFO and then computed again."""
    found = _read(cache, key, docs)
    if found is None:
        return None
    path, text = found
    try:
        return loads(text, docs)
    except ValueError as exc:
        cache.ignored(path, str(exc))
        return None


def cached_index(cache: CacheDir, key: str, docs: Sequence[Doc]) -> RelatedIndex | None:
    """The :class:`RelatedIndex` of ``docs`` (whose :func:`content_key` is ``key``) made
    from the cache file written with its answers, or ``None`` (no such file, one
    without them, or one :func:`loads` refuses). Making the answers is two thirds of
    the work at 10,000 papers."""
    found = _read(cache, key, docs)
    if found is None:
        return None
    path, text = found
    try:
        lists, query, ranked = _parse(text, docs)
    except ValueError as exc:
        cache.ignored(path, str(exc))
        return None
    if query is None or ranked is None:
        return None
    answers = [
        _Answer(tuple(q), tuple(r), items)
        for q, r, items in zip(query, ranked, lists.values(), strict=True)
    ]
    return RelatedIndex(docs, answers=answers)


def compute_and_cache(docs: Sequence[Doc], cache_dir: Path, key: str) -> None:
    """Compute, write ``related-<key>.json`` atomically, drop older cache files."""
    index = RelatedIndex(docs)
    write_cache(cache_dir, key, index.lists(), index=index)


def write_cache(
    cache_dir: Path,
    key: str,
    lists: Mapping[str, Sequence[Related]],
    *,
    index: RelatedIndex | None = None,
) -> None:
    """Write ``related-<key>.json`` atomically (with ``index``'s answers: see
    :func:`dumps`), drop older cache files."""
    target = cache_file(cache_dir, key)
    atomic_write(target, dumps(lists, index=index))  # replaces a link, never follows it
    for old in cache_dir.glob("related-*.json"):
        if old != target:
            old.unlink(missing_ok=True)


def write_input(path: Path, docs: Sequence[Doc], key: str) -> None:
    payload = {"key": key, "docs": [[d.slug, d.title, d.abstract, list(d.tags)] for d in docs]}
    atomic_write(path, json.dumps(payload, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    """``python -m paper_archive.site.related INPUT.json CACHE_DIR``: what the site
    build runs beside MkDocs; silent on success, a message and status 1 on failure."""

    def work(input_file: Path, cache_dir: Path) -> None:
        payload = json.loads(input_file.read_text(encoding="utf-8"))
        docs = [Doc(s, t, a, tuple(tags)) for s, t, a, tags in payload["docs"]]
        compute_and_cache(docs, cache_dir, payload["key"])

    usage = "usage: python -m paper_archive.site.related INPUT.json CACHE_DIR\n"
    return jobs.run(argv, work, usage=usage, label="related papers")


if __name__ == "__main__":
    sys.exit(main())
