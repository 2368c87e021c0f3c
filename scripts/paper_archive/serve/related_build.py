"""Getting the related-papers lists of one build: remembered, cached, or computed.

In order: the lists this process made last for the same content (the serve process's
:class:`~.memo.Memo`), the cache file of that content key in
``.paper-archive-cache/related/`` (checked before use, :func:`.related.cached`: a
poisoned file is ignored, never remembered), or a computation. A full build computes
them in a separate process while MkDocs converts pages (:meth:`RelatedJob.wait`: the
first paper page waits there); under ``mkdocs serve --dirty`` that process hands over
the index it made. A dirty rebuild needs the lists before any page is rendered (each
paper page's fingerprint includes its list: :mod:`.incremental`), so it computes them
here with the :class:`~.related.RelatedIndex` kept from the build before, redoing only
the lists an edit can change.

Design notes: docs/modules.md, `serve/related_build.py`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ArchiveError
from ..files.cachefiles import CacheDir
from ..jobs import Job, input_path
from ..remembering import key_of
from ..site import related
from ..site.collect import Archive, Entry
from .memo import Memo

log = logging.getLogger("mkdocs.plugins.paper_archive.related")
Lists = dict[str, list[related.Related]]


class RelatedError(ArchiveError):
    """Computing the related papers failed."""


@dataclass
class RelatedJob:
    key: str  # the lists' content key: the docs and k
    cache: CacheDir
    memo: Memo = field(repr=False)
    docs: list[related.Doc] = field(repr=False)
    k: int  # papers in each list at most (settings.related_count)
    lists: Lists | None = None
    job: Job | None = field(default=None, repr=False)
    #: The job's process hands over the index it made (for a serve's next save): read
    #: from its output, not made again from the cache file (:func:`prepare_next`).
    hand_over: bool = False

    @property
    def cache_dir(self) -> Path:
        return self.cache.folder(related.CACHE_DIR)

    def wait(self) -> Lists:
        """The lists; :class:`RelatedError` if their process failed."""
        if self.lists is not None:
            return self.lists
        failure = self.job.wait() if self.job is not None else None
        if failure is not None:
            raise RelatedError(f"computing related papers failed: {failure}")
        index = self._handed_over()
        if index is not None:  # the same lists as its cache file holds, not read again
            self.lists = index.lists()
        else:  # those its process wrote for this build, else the cache file's
            self.lists = (
                None
                if self.job is None
                else related.read_back(self.cache, self.job.input_file, self.docs, k=self.k)
            )
            if self.lists is None:
                self.lists = related.cached(self.cache, self.key, self.docs, k=self.k)
        if self.lists is None:
            raise RelatedError(f"related papers: {self.cache_dir} holds no list for {self.key}")
        self.memo.put("related-lists", self.key, self.lists)
        return self.lists

    def index(self) -> related.RelatedIndex | None:
        """The index the job's process hands over, waited for (on a serve's thread once
        its first build is done, when the lists came from the cache); None if none
        comes."""
        if self.job is not None and self.job.running and self.job.wait() is not None:
            return None  # failed: the index is made from the cache file instead
        return self._handed_over()

    def _handed_over(self) -> related.RelatedIndex | None:
        """The index the job's process handed over (once), remembered for the next
        save; None when none was asked for or what came is not one (said at INFO: the
        lists are then read from the cache file, the index made from it later)."""
        if not self.hand_over or self.job is None or not self.job.output:
            return None
        data, self.job.output = self.job.output, b""
        try:
            index = related.handed_over(data, self.docs, k=self.k)
        except ValueError as exc:
            log.info("%s", exc)
            return None
        self.memo.put("related-index", self.key, index)
        log.debug("related papers: the index of %s handed over", self.key)
        return index

    def cancel(self) -> None:
        """End the process, if any, and remove its input file and the lists it wrote
        for this build, if any (a failed build)."""
        if self.job is not None:
            self.job.cancel()
            related.lists_path(self.job.input_file).unlink(missing_ok=True)

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running


def _docs_and_key(archive: Archive, k: int, memo: Memo) -> tuple[list[related.Doc], str]:
    docs = related.docs_of(archive, memo=memo)
    return docs, related.content_key(docs, k=k, memo=memo)


def start(
    archive: Archive,
    cache: CacheDir,
    *,
    now: bool,
    memo: Memo,
    k: int = related.K,
    hand_over: bool = False,
) -> RelatedJob:
    """The related lists of ``archive``, ``k`` to a paper at most: known at once when
    remembered or cached (and valid: :func:`~.related.cached`), else computed here
    (``now``: a dirty rebuild) or started in a separate process. Every memo and cache
    file is keyed by the content key, which holds ``k``. ``hand_over`` (the first build
    of ``mkdocs serve --dirty``, which keeps an index for its next save): that process
    hands over the index it made, so the serve does not make it again once ready."""
    warming = memo.held("related-warming")
    if warming is not None:
        warming.join()  # the index of the build before: updated below, not redone
    docs, key = memo.latest(
        "related-docs", key_of(archive.key, k), lambda: _docs_and_key(archive, k, memo)
    )
    lists = memo.get("related-lists", key)
    if lists is None:
        lists = related.cached(cache, key, docs, k=k)
    if lists is None and now:
        index = memo.held("related-index")
        if index is None or index.k != k:  # another count: every list is made again
            index = related.RelatedIndex(docs, k=k)
        else:
            index = index.update(docs)
        memo.put("related-index", key, index)
        lists = index.lists()
    if lists is not None:
        memo.put("related-lists", key, lists)
        if hand_over and not now and memo.get("related-index", key) is None:
            # The lists from the cache (a serve started again), the index not held:
            # made beside the render all the same, handed over once the build is done.
            job = _started(cache, docs, key, k, hand_over=True)
            return RelatedJob(key, cache, memo, docs, k, lists, job, hand_over=True)
        return RelatedJob(key, cache, memo, docs, k, lists)
    job = _started(cache, docs, key, k, hand_over=hand_over)
    if hand_over:  # the index is over these docs: they are held anyway (memo)
        return RelatedJob(key, cache, memo, docs, k, None, job, hand_over=True)
    return RelatedJob(key, cache, memo, _checked_by(docs), k, None, job)


def _started(cache: CacheDir, docs: list[related.Doc], key: str, k: int, *, hand_over: bool) -> Job:
    """The process computing the lists of ``docs`` (and handing over its index)."""
    cache_dir = cache.folder(related.CACHE_DIR)
    input_file = input_path(cache_dir, key)
    related.write_input(input_file, docs, key, k=k, hand_over=hand_over)
    return Job.start(
        "paper_archive.site.related", input_file, str(cache_dir), output=hand_over, items=len(docs)
    )


def _checked_by(docs: list[related.Doc]) -> list[related.Doc]:
    """What reading the lists back checks them against: each paper's slug and tags
    (:func:`~.related.cached`), without its title and abstract, which the job waiting
    in the render need not hold (the process computing the lists read them from its
    input file)."""
    return [related.Doc(doc.slug, "", "", doc.tags) for doc in docs]


def prepare_next(archive: Archive, job: RelatedJob, *, memo: Memo) -> None:
    """After a build of ``mkdocs serve --dirty``, on a thread while the server waits:
    cache the lists if they were computed here (for the next start), and make the
    :class:`~.related.RelatedIndex` of this content if none is held (lists read from
    the cache at start, or computed beside the first build), so that the next save only
    updates it: read back from the cache file with the answers the computation wrote
    there (~1-2 s at 10,000 papers), else computed (~6 s). The first build of a serve
    has it already when the process that computed the lists handed it over
    (:func:`start`'s ``hand_over``)."""
    k = job.k
    docs, key = memo.latest(
        "related-docs", key_of(archive.key, k), lambda: _docs_and_key(archive, k, memo)
    )
    lists = job.lists
    if key != job.key or lists is None:
        return

    def run() -> None:
        index = memo.get("related-index", key)
        if index is None:  # handed over by the process started beside the build
            index = job.index()
        if index is None:  # read back with the cached lists (their answers), or made
            index = related.cached_index(job.cache, key, docs, k=k)
            if index is None:
                index = related.RelatedIndex(docs, k=k)
                related.write_cache(job.cache_dir, key, lists, index=index)
            memo.put("related-index", key, index)
        elif not related.cache_file(job.cache_dir, key).is_file():  # computed here
            related.write_cache(job.cache_dir, key, lists, index=index)

    thread = threading.Thread(target=run, name=f"related-{key}", daemon=True)
    memo.put("related-warming", key, thread)
    thread.start()


def fingerprints(
    lists: Mapping[str, Sequence[related.Related]], entries: Mapping[str, Entry], *, memo: Memo
) -> dict[str, str]:
    """Slug -> what its page's related list shows (the other papers' titles, URLs and
    the reasons), as text: a paper page's output depends on it."""
    # Each list's text is remembered by the list object (an unchanged paper's list is
    # the same object from one rebuild to the next: RelatedIndex keeps its answers) and
    # the entries it names (frozen: the same objects when those papers did not change).
    slugs = list(lists)
    texts = memo.per_item(
        "related-shown-rows",
        [lists[slug] for slug in slugs],
        lambda items: tuple(entries.get(item.slug) for item in items),
        lambda items: _shown(items, entries),
    )
    return dict(zip(slugs, texts, strict=True))


def _shown(items: Sequence[related.Related], entries: Mapping[str, Entry]) -> str:
    rows = []
    for item in items:
        entry = entries.get(item.slug)
        if entry is not None:
            rows.append(
                "\x1f".join(
                    (entry.url, entry.paper.title, *item.shared_tags, "|", *item.shared_terms)
                )
            )
    return "\x1e".join(rows)
