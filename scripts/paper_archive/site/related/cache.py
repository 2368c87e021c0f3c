"""The related-papers cache: its content key, its file format (checked on reading), its
files, and the process a full build runs to compute and write it (which, for a serve,
also hands the index it made to its parent: :func:`index_bytes`)."""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ... import jobs
from ...files.cachefiles import CacheDir
from ...files.textfile import atomic_write_json_list, atomic_write_parts
from ...remembering import PLAIN, Remembers, no_extra
from .score import (
    _WORD,
    CANDIDATES,
    GENRE_TAGS,
    GENRE_WEIGHT,
    GENRE_WORDS,
    MAX_DF,
    MIN_SCORE,
    MIN_SHARED,
    POSTINGS,
    QUERY_TERMS,
    REASON_TERMS,
    TAG_COUNT,
    TITLE_COUNT,
    Doc,
    K,
    Related,
    RelatedIndex,
    _Answer,
)

FORMAT = "paper-archive-related/4"
#: Where the lists are cached by content, in the project's cache (settings.cache_dir,
#: ``.paper-archive-cache/``; ``.cache/`` is not ours: ``zensical build --clean``
#: deletes it whole).
CACHE_DIR = "related"


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


# -- cache format ------------------------------------------------------------------


def dumps(related: Mapping[str, Sequence[Related]], *, index: RelatedIndex | None = None) -> str:
    """The lists as compact JSON: slugs once, lists as ``[index, score, tags, words]``
    (a third of the size of naming each slug, and as much faster to read back). With
    the ``index`` that made them, also each paper's query terms and the candidates it
    looked at, so that the index can be made again without its costliest part."""
    return "".join(dump_parts(related, index=index))


def dump_parts(
    related: Mapping[str, Sequence[Related]], *, index: RelatedIndex | None = None
) -> Iterator[str]:
    """:func:`dumps`' text, a paper at a time (``json.dumps(…, separators=(",", ":"))``
    of its object, the same bytes): the process writing the cache holds neither the
    whole text nor every list as JSON-ready lists at once (~0.1 GB at 30,000 papers)."""
    slugs = list(related)
    number = {slug: i for i, slug in enumerate(slugs)}
    for items in related.values():
        for r in items:
            if r.slug not in number:
                number[r.slug] = len(slugs)
                slugs.append(r.slug)

    def compact(value: object) -> str:
        return json.dumps(value, separators=(",", ":"))

    def array(rows: Iterator[object]) -> Iterator[str]:
        yield "["
        for at, row in enumerate(rows):
            yield ("," if at else "") + compact(row)
        yield "]"

    yield f'{{"format":{compact(FORMAT)},"papers":{compact(len(related))},'
    yield f'"slugs":{compact(slugs)},"lists":'
    yield from array(
        [[number[r.slug], r.score, list(r.shared_tags), list(r.shared_terms)] for r in items]
        for items in related.values()
    )
    if index is not None:
        yield ',"query":'
        yield from array(list(answer.query) for answer in index.answers)
        yield ',"ranked":'
        yield from array(list(answer.ranked) for answer in index.answers)
    yield "}"


def loads(text: str, docs: Sequence[Doc] | None = None, *, k: int = K) -> dict[str, list[Related]]:
    """What :func:`dumps` wrote; ``ValueError`` naming what is wrong for anything else
    (a stale format, a cut file, a list that :func:`related_docs` cannot have made).
    With ``docs``, also that it is a list of each of them, in their order."""
    return _parse(text, docs, k)[0]


_INT, _STR = frozenset({int}), frozenset({str})  # type() of each item: C speed, not a loop


def _ints(value: object, what: str) -> list[int]:
    if not isinstance(value, list) or not set(map(type, value)) <= _INT:
        raise ValueError(f"{what}: not a list of whole numbers")
    return value


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not set(map(type, value)) <= _STR:
        raise ValueError(f"{what}: not a list of strings")
    return value


class _Reader:
    """The cache file's text read a value at a time, in the order :func:`dump_parts`
    writes its keys (whitespace between tokens allowed, as JSON allows it). Parsing the
    whole file at once held every list twice, as parsed JSON and as :class:`Related`
    items, with each word a string of its own: at 30,000 papers a peak of 129 MB traced
    for 81 MB kept, the build process's peak at its render's start."""

    _DECODER = json.JSONDecoder()
    _SPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def _skip(self) -> None:
        match = self._SPACE.match(self.text, self.at)
        self.at = match.end() if match else self.at

    def value(self) -> object:
        self._skip()
        try:
            value, self.at = self._DECODER.raw_decode(self.text, self.at)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc.msg}, line {exc.lineno})") from None
        except RecursionError:  # arrays nested thousands deep: never what we wrote
            raise ValueError("not JSON this cache writes (nested too deeply)") from None
        return value

    def takes(self, token: str) -> bool:
        """Whether ``token`` (one character) is next; if so, it is read."""
        self._skip()
        if self.text.startswith(token, self.at):
            self.at += 1
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.takes(token):
            raise ValueError(f"not a related-papers cache of this format (at {self.at})")

    def key(self, name: str, *, first: bool = False) -> bool:
        """The next member is ``name`` (``False`` if the object ends first)."""
        if not first and not self.takes(","):
            self.expect("}")
            return False
        if self.value() != name:
            raise ValueError(f"not a related-papers cache of this format (no {name!r})")
        self.expect(":")
        return True

    def end(self) -> None:
        self._skip()
        if self.at != len(self.text):
            raise ValueError("not JSON (extra data after the cache's object)")


def _parse(
    text: str, docs: Sequence[Doc] | None, k: int
) -> tuple[dict[str, list[Related]], list[list[str]] | None, list[list[int]] | None]:
    """The lists, and the queries and candidates when the file has them, every value
    checked: types, bounds (a paper number names a paper of the file, not the list's
    own; at most ``k`` items, best first; shared topics are exactly those both
    papers carry, when ``docs`` are given; reasons are words). A cache is read back
    only when it could be what a computation wrote. Read a paper's list at a time
    (:class:`_Reader`); the words and topics of the lists are one string each."""
    reader = _Reader(text)
    reader.expect("{")
    if not reader.key("format", first=True) or reader.value() != FORMAT:
        raise ValueError("not a related-papers cache of this format")
    if not reader.key("papers"):
        raise ValueError("papers: missing")
    papers = reader.value()
    if not reader.key("slugs"):
        raise ValueError("slugs: missing")
    slugs = _strings(reader.value(), "slugs")
    n = len(slugs)
    if type(papers) is not int or papers != n or len(set(slugs)) != n:
        raise ValueError("papers: not the number of distinct slugs")
    if docs is not None and slugs != [doc.slug for doc in docs]:
        raise ValueError("slugs: not the papers of this build, in their order")
    if not reader.key("lists") or not reader.takes("["):
        raise ValueError(f"lists: not one list for each of the {n} papers")
    words_of: dict[str, str] = {}  # each word and topic one string, however often named
    out: dict[str, list[Related]] = {}
    for own in range(n):
        if own and not reader.takes(","):
            raise ValueError(f"lists: not one list for each of the {n} papers")
        out[slugs[own]] = _row(reader.value(), own, slugs, docs, k, words_of)
    if not reader.takes("]"):
        raise ValueError(f"lists: not one list for each of the {n} papers")
    if not reader.key("query"):
        reader.end()
        return out, None, None
    query = reader.value()
    if not reader.key("ranked"):
        raise ValueError("query, ranked: not lists")
    ranked = reader.value()
    reader.expect("}")
    reader.end()
    if not isinstance(query, list) or not isinstance(ranked, list):
        raise ValueError("query, ranked: not lists")
    if len(query) != n or len(ranked) != n:
        raise ValueError("query, ranked: not one for each paper")
    for own, (terms_, candidates) in enumerate(zip(query, ranked, strict=True)):
        if len(_strings(terms_, f"query[{own}]")) > QUERY_TERMS:
            raise ValueError(f"query[{own}]: more than {QUERY_TERMS} terms")
        candidates = _ints(candidates, f"ranked[{own}]")
        if len(candidates) > CANDIDATES * k or (
            candidates and not 0 <= min(candidates) <= max(candidates) < n
        ):
            raise ValueError(f"ranked[{own}]: not at most {CANDIDATES * k} paper numbers")
    return out, query, ranked


def _row(
    items: object,
    own: int,
    slugs: list[str],
    docs: Sequence[Doc] | None,
    k: int,
    words_of: dict[str, str],
) -> list[Related]:
    """Paper ``own``'s list, checked (see :func:`_parse`)."""
    where, n = f"lists[{own}]", len(slugs)
    if not isinstance(items, list) or len(items) > k:
        raise ValueError(f"{where}: not a list of at most {k} items")
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
        row.append(
            Related(
                slugs[other],
                score,
                tuple(words_of.setdefault(t, t) for t in tags),
                tuple(words_of.setdefault(w, w) for w in words),
            )
        )
    return row


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


def cached(
    cache: CacheDir, key: str, docs: Sequence[Doc], *, k: int = K
) -> dict[str, list[Related]] | None:
    """The lists of ``docs`` (whose :func:`content_key` is ``key``) from the cache, or
    ``None``: missing, or unusable (a link, too large, not what a computation of these
    docs can write: :func:`loads`), which is said at INFO and then computed again."""
    found = _read(cache, key, docs)
    if found is None:
        return None
    path, text = found
    try:
        return loads(text, docs, k=k)
    except ValueError as exc:
        cache.ignored(path, str(exc))
        return None


def cached_index(
    cache: CacheDir, key: str, docs: Sequence[Doc], *, k: int = K
) -> RelatedIndex | None:
    """The :class:`RelatedIndex` of ``docs`` (whose :func:`content_key` is ``key``) made
    from the cache file written with its answers, or ``None`` (no such file, one
    without them, or one :func:`loads` refuses). Making the answers is two thirds of
    the work at 10,000 papers."""
    found = _read(cache, key, docs)
    if found is None:
        return None
    path, text = found
    try:
        lists, query, ranked = _parse(text, docs, k)
    except ValueError as exc:
        cache.ignored(path, str(exc))
        return None
    if query is None or ranked is None:
        return None
    answers = [
        _Answer(tuple(q), tuple(r), items)
        for q, r, items in zip(query, ranked, lists.values(), strict=True)
    ]
    return RelatedIndex(docs, k=k, answers=answers)


def compute_and_cache(
    docs: Sequence[Doc], cache_dir: Path, key: str, *, k: int = K, editable: bool = True
) -> RelatedIndex:
    """Compute, write ``related-<key>.json`` atomically, drop older cache files; the
    index that made the lists (``editable``: one that :meth:`~.RelatedIndex.update`
    can change at once, as a serve keeps it)."""
    index = RelatedIndex(docs, k=k, editable=editable)
    write_cache(cache_dir, key, index.lists(), index=index)
    return index


def index_bytes(index: RelatedIndex) -> bytes:
    """``index`` for the process that started this one (:func:`handed_over`): what a
    ``mkdocs serve`` keeps for its next save, which would otherwise make it again from
    the cache file (~3.5 s of its CPU at 10,000 papers, against ~0.5 s to load this)."""
    return pickle.dumps(index.parts(), protocol=pickle.HIGHEST_PROTOCOL)


def handed_over(data: bytes, docs: Sequence[Doc], *, k: int = K) -> RelatedIndex:
    """The index :func:`index_bytes` made, over ``docs`` (those of the input it was
    given); ``ValueError`` if ``data`` is not one of as many papers. ``data`` is only
    ever what that child process wrote to the pipe its parent reads (pickle runs code:
    never a file, never the cache)."""
    try:
        parts = pickle.loads(data)  # our own child's pipe only (see above)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise ValueError(f"related papers: no index handed over ({exc})") from exc
    return RelatedIndex.restored(docs, parts, k=k)


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
    atomic_write_parts(target, dump_parts(lists, index=index))  # a link there: replaced
    for old in cache_dir.glob("related-*.json"):
        if old != target:
            old.unlink(missing_ok=True)


def lists_path(input_file: Path) -> Path:
    """Where the process given ``input_file`` writes the lists alone for the build
    that started it, beside its input (:func:`read_back`)."""
    return input_file.with_suffix(".lists.json")


def read_back(
    cache: CacheDir, input_file: Path, docs: Sequence[Doc], *, k: int = K
) -> dict[str, list[Related]] | None:
    """The lists the process given ``input_file`` wrote for its build, checked as the
    cache file is (:func:`loads`), the file removed; ``None`` if there is none or it is
    refused (said at INFO). The cache file holds each paper's query terms and
    candidates too, which only a serve's index reads: parsing them at the render's start
    held ~2.5 KB a paper more in the build process (at 100,000 papers, ~0.25 GB)."""
    path = lists_path(input_file)
    try:
        text = cache.read_text(path, max_bytes=max_cache_bytes(len(docs)))
    finally:
        path.unlink(missing_ok=True)
    if text is None:
        return None
    try:
        return loads(text, docs, k=k)
    except ValueError as exc:
        cache.ignored(path, str(exc))
        return None


def write_input(
    path: Path, docs: Sequence[Doc], key: str, *, k: int = K, hand_over: bool = False
) -> None:
    """The process's input; ``hand_over``: it writes the index it made to its standard
    output too (:func:`index_bytes`)."""
    atomic_write_json_list(
        path,
        {"key": key, "k": k, "hand_over": hand_over},
        "docs",
        ([d.slug, d.title, d.abstract, list(d.tags)] for d in docs),
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m paper_archive.site.related INPUT.json CACHE_DIR``: what the site
    build runs beside MkDocs; silent on success, a message and status 1 on failure."""

    def work(input_file: Path, cache_dir: Path) -> None:
        payload = json.loads(input_file.read_text(encoding="utf-8"))
        docs = [Doc(s, t, a, tuple(tags)) for s, t, a, tags in payload.pop("docs")]
        hand_over = bool(payload.get("hand_over"))
        # A plain build's process only writes the lists: no index kept for edits.
        index = compute_and_cache(
            docs, cache_dir, payload["key"], k=payload["k"], editable=hand_over
        )
        if hand_over:
            sys.stdout.buffer.write(index_bytes(index))
        else:  # for the build that started it: the lists alone (read_back)
            atomic_write_parts(lists_path(input_file), dump_parts(index.lists()))

    usage = "usage: python -m paper_archive.site.related INPUT.json CACHE_DIR\n"
    return jobs.run(argv, work, usage=usage, label="related papers")
