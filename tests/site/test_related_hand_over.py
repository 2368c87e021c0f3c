"""The first build of ``mkdocs serve --dirty`` computes the related lists in another
process, which hands over the index it made: the serve keeps it for its next save
instead of making it again from the cache file once it is ready
(serve/related_build.py, site/related/cache.py ``index_bytes``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from paper_archive.files.cachefiles import CacheDir
from paper_archive.serve import related_build
from paper_archive.serve.memo import Memo
from paper_archive.site import related
from paper_archive.site.collect import Archive
from paper_archive.site.related import RelatedIndex, docs_of, related_docs

from .archives import corpus_archive, with_word_added


@pytest.fixture(scope="module")
def seed() -> Archive:
    return corpus_archive()


def test_the_serve_keeps_the_index_its_first_build_computed(
    seed: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = Memo()
    try:
        cache = CacheDir.open(tmp_path)
        job = related_build.start(seed, cache, now=False, memo=memo, hand_over=True)
        assert job.running  # nothing cached: computed in another process
        lists = job.wait()
        index = memo.get("related-index", job.key)
        assert isinstance(index, RelatedIndex)  # handed over, before the build ends
        computed = RelatedIndex(docs_of(seed))
        assert lists == computed.lists() == related.cached(cache, job.key, index.docs)
        assert index.answers == computed.answers
        assert (index.vecs, index.index, index.df) == (computed.vecs, computed.index, computed.df)
        assert index.holders == computed.holders

        # Once the build is done, nothing is made again: neither from the cache file nor
        # from scratch.
        def never(*args: object, **kwargs: object) -> None:
            raise AssertionError("the index was made again")

        monkeypatch.setattr(related, "cached_index", never)
        monkeypatch.setattr(related, "RelatedIndex", never)
        related_build.prepare_next(seed, job, memo=memo)
        memo.held("related-warming").join()
        assert memo.get("related-index", job.key) is index
        monkeypatch.undo()

        # The next save updates that very index into the lists of the edited archive.
        edited = with_word_added(seed, 6)
        again = related_build.start(edited, cache, now=True, memo=memo, hand_over=True)
        assert not again.running
        assert memo.held("related-index") is index
        assert again.wait() == related_docs(docs_of(edited))
    finally:
        memo.clear()


def test_what_is_not_an_index_is_not_taken_for_one(seed: Archive, tmp_path: Path) -> None:
    """Bytes that are not the parts of an index of these papers: a ValueError (the
    lists are then read from the cache file and the index made later, as before)."""
    docs = docs_of(seed)
    index = RelatedIndex(docs)
    data = related.index_bytes(index)
    assert related.handed_over(data, docs).lists() == index.lists()
    with pytest.raises(ValueError, match="papers"):
        related.handed_over(data, docs[1:])
    for bad in (b"", b"not a pickle", data[: len(data) // 2]):
        with pytest.raises(ValueError):
            related.handed_over(bad, docs)


def test_a_serve_started_on_cached_lists_is_handed_the_index_too(
    seed: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A serve started again on the same papers finds the lists in the cache (no wait
    in its first build); the index is made beside that build all the same and handed
    over once it is done, not made from the cache file by the serve."""
    cache = CacheDir.open(tmp_path)
    docs = docs_of(seed)
    related.compute_and_cache(docs, cache.folder(related.CACHE_DIR), related.content_key(docs))
    memo = Memo()
    try:
        job = related_build.start(seed, cache, now=False, memo=memo, hand_over=True)
        assert job.lists is not None and job.running  # the lists known, the index coming
        assert job.wait() == RelatedIndex(docs).lists()
        assert memo.get("related-index", job.key) is None

        def never(*args: object, **kwargs: object) -> None:
            raise AssertionError("the index was made in the serve's process")

        monkeypatch.setattr(related, "cached_index", never)
        monkeypatch.setattr(related, "RelatedIndex", never)
        related_build.prepare_next(seed, job, memo=memo)
        memo.held("related-warming").join()
        monkeypatch.undo()
        index = memo.get("related-index", job.key)
        assert isinstance(index, RelatedIndex) and not job.running
        assert index.answers == RelatedIndex(docs).answers

        # A plain build (no serve) starts no process for lists it has.
        plain = related_build.start(seed, cache, now=False, memo=Memo())
        assert not plain.running
    finally:
        memo.clear()
