"""Related papers: tf-idf over title and abstract, cosine, top-k per paper (pure).

A paper's list: the papers whose sparse tf-idf vectors score highest against its
heaviest terms (an inverted index, no N×N matrix), with the topics and words they
share; :class:`RelatedIndex` redoes only the lists an edit can change.

Design notes: docs/modules.md, `site/related/score.py`.
"""

from __future__ import annotations

import functools
import heapq
import html
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from ...remembering import PLAIN, Remembers, no_extra
from ...settings import Settings
from ..collect import Archive, Entry

K = Settings().related_count  # the default; a build passes its settings.related_count
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


def _index(
    vecs: Sequence[dict[str, float]], indexed: Callable[[str], bool]
) -> dict[str, list[tuple[int, float]]]:
    """Every indexed term's postings, as :func:`_postings` cuts them, made a paper at
    a time: a term keeps its first :data:`POSTINGS` papers in archive order, then only
    the :data:`POSTINGS` heaviest (a min-heap of ``(weight, -number)``, the order
    :func:`_by_weight_then_first` gives), never every paper that holds it (at 30,000
    papers ~2.4 million pairs, ~0.2 GB, were held to be cut)."""
    kept: dict[str, list[tuple[float, int]]] = {}
    heaps: set[str] = set()  # terms past POSTINGS papers: their list is a heap
    for number, vec in enumerate(vecs):
        for term, weight in vec.items():
            if not indexed(term):
                continue
            items = kept.get(term)
            if items is None:
                kept[term] = [(weight, number)]
            elif term in heaps:
                heapq.heappushpop(items, (weight, -number))
            elif len(items) < POSTINGS:
                items.append((weight, number))
            else:  # the first past POSTINGS: a heap of the heaviest from now on
                heap = [(w, -n) for w, n in items]
                heapq.heapify(heap)
                heapq.heappushpop(heap, (weight, -number))
                kept[term] = heap
                heaps.add(term)
    return {
        term: (
            [(-negative, w) for w, negative in sorted(items, reverse=True)]
            if term in heaps
            else [(n, w) for w, n in items]
        )
        for term, items in kept.items()
    }


@dataclass(slots=True)
class _Answer:
    """One paper's list and what it was computed from (to know when to redo it)."""

    query: tuple[str, ...]  # its heaviest indexed terms
    ranked: tuple[int, ...]  # the candidates looked at, by number
    items: list[Related]


#: :meth:`RelatedIndex.parts`: document frequencies, each term's holders, the vectors,
#: the postings, and each paper's answer (query terms, candidates, its list's fields).
IndexParts = tuple[
    dict[str, int],
    dict[str, set[int]],
    list[dict[str, float]],
    dict[str, list[tuple[int, float]]],
    list[
        tuple[
            tuple[str, ...],
            tuple[int, ...],
            list[tuple[str, float, tuple[str, ...], tuple[str, ...]]],
        ]
    ],
]


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
        self,
        docs: Sequence[Doc],
        *,
        k: int = K,
        answers: Sequence[_Answer] | None = None,
        editable: bool = True,
    ) -> None:
        """The index of ``docs``; ``answers``: the lists and what each was computed from,
        as a computation of these very docs left them (read back from the cache by
        :func:`cached_index`), so that only the vectors and postings are made again.
        ``editable=False`` (a plain build's process, which only writes the lists): each
        term's holders, which only :meth:`update` reads, are left to be made if asked
        for (:attr:`holders`), not made with the index: at 10,000 papers they are ~50
        MB of the index's ~130 (sets of paper numbers)."""
        self.k = k
        self.docs = list(docs)
        n = len(self.docs)
        counts = [_counts(d) for d in self.docs]  # not kept: an edit counts again
        self.df: Counter[str] = Counter()
        self._holders: dict[str, set[int]] | None = None
        for count in counts:
            self.df.update(count.keys())
        if editable:
            self._holders = _holders(counts)
        counts.reverse()  # popped in archive order: each count let go once weighed
        self.vecs = []
        while counts:
            self.vecs.append(_weights(counts.pop(), n, self.df))
        self.limit = max(2, int(MAX_DF * n))
        self.index = _index(self.vecs, self._indexed)
        if answers is not None and len(answers) != n:
            raise ValueError(f"{len(answers)} answers for {n} papers")
        self.answers = (
            list(answers) if answers is not None else [self._answer(number) for number in range(n)]
        )

    @property
    def holders(self) -> dict[str, set[int]]:
        """Term -> the numbers of the papers holding it (made now if the index was
        made not ``editable``)."""
        if self._holders is None:
            self._holders = _holders([_counts(d) for d in self.docs])
        return self._holders

    def parts(self) -> IndexParts:
        """What :meth:`restored` makes the index again from, besides its docs and ``k``:
        plain dicts, lists and tuples (a list's items as tuples of their fields)."""
        answers = [
            (a.query, a.ranked, [(r.slug, r.score, r.shared_tags, r.shared_terms) for r in a.items])
            for a in self.answers
        ]
        return dict(self.df), dict(self.holders), self.vecs, self.index, answers

    @classmethod
    def restored(cls, docs: Sequence[Doc], parts: object, *, k: int = K) -> RelatedIndex:
        """The index whose :meth:`parts` these are, over the same ``docs`` and ``k``:
        nothing computed again (``ValueError`` if they are not an index's parts of as
        many papers)."""
        kinds = (dict, dict, list, dict, list)
        if not (
            isinstance(parts, tuple)
            and len(parts) == len(kinds)
            and all(isinstance(p, t) for p, t in zip(parts, kinds, strict=True))
        ):
            raise ValueError("not the parts of a related-papers index")
        df, holders, vecs, index, answers = cast("IndexParts", parts)
        if len(vecs) != len(docs) or len(answers) != len(docs):
            raise ValueError(f"an index of {len(vecs)} papers for {len(docs)}")
        self = cls.__new__(cls)
        self.k, self.docs = k, list(docs)
        self.df = Counter(df)
        self._holders = defaultdict(set, holders)
        self.vecs, self.index = vecs, index
        self.limit = max(2, int(MAX_DF * len(docs)))
        self.answers = [
            _Answer(query, ranked, [Related(*item) for item in items])
            for query, ranked, items in answers
        ]
        return self

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
        holders = self.holders  # of the docs before: made now if it was not
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
                holders[term].discard(i)
                if not self.df[term]:
                    del self.df[term], holders[term]
                df_moved.add(term)
            for term in new.keys() - old.keys():
                self.df[term] += 1
                holders[term].add(i)
                df_moved.add(term)
        self.docs = list(docs)
        moved_vecs = set(retext)
        for term in df_moved:
            moved_vecs.update(holders.get(term, ()))
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
                items = [(w, i) for i in sorted(holders[term]) if (w := self.vecs[i].get(term))]
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


def _holders(counts: Sequence[Counter[str]]) -> dict[str, set[int]]:
    holders: dict[str, set[int]] = defaultdict(set)
    for number, count in enumerate(counts):
        for term in count:
            holders[term].add(number)
    return holders


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
