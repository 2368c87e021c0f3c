"""The /search/ page over a sharded bundle in Chromium: a postings shard is fetched only
when a query asks for its terms (the browser's network log), and the page shows the
same results as the engine does in Node."""

from __future__ import annotations

import bisect
import json
from pathlib import Path

import pytest
from paper_archive.record.tagging import Vocabulary
from paper_archive.search.bundle import documents
from paper_archive.search.shards import file_name
from paper_archive.site.collect import collect

from ..browser import Page, serve
from .shard_site import write_site

pytestmark = pytest.mark.browser

KEY = "fedcba9876543210"


def _shard_of(files: dict[str, bytes], manifest_name: str) -> dict[str, str]:
    """Index term -> the postings shard holding it."""
    manifest = json.loads(files[manifest_name])
    out = {}
    for number in range(len(manifest["shards"])):
        name = file_name("post", KEY, number)
        for term in json.loads(files[name])["terms"]:
            out[term] = name
    return out


def test_a_shard_is_fetched_only_when_its_terms_are_queried(
    corpus: Path, vocabulary: Vocabulary, tmp_path: Path, page: Page
) -> None:
    pages = sorted((corpus / "docs" / "papers").glob("*.md"))
    archive = collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        vocabulary,
    )
    names = {tag.slug: tag.name for tag in vocabulary.tags}
    bundle = write_site(tmp_path, documents(archive), names, KEY, shard_postings=300)
    shard_of = _shard_of(bundle.files, bundle.manifest)
    assert len(set(shard_of.values())) > 20
    requested: list[str] = []
    page.page.on("request", lambda request: requested.append(request.url.rsplit("/", 1)[-1]))

    def search(query: str) -> list[str]:
        requested.clear()
        page.page.fill("#search-query", query)
        page.wait_full_results(query)
        return [name for name in requested if name.startswith("post.")]

    with serve(tmp_path) as base_url:
        page.page.goto(f"{base_url}search/")
        page.page.wait_for_function(
            "() => /Type to search/.test(document.querySelector('#search-status').textContent)"
        )
        assert not [name for name in requested if name.startswith(("post.", "frag."))]
        assert bundle.manifest in requested
        assert search("graph") == [shard_of["graph"]]
        first = page.page.text_content("#search-results .pa-result__title") or ""
        assert "graph" in first.lower()
        # The first results come first, then the rest of the page: 20, as unsharded.
        page.page.wait_for_function(
            """() => { const total = parseInt(document.querySelector('#search-status').textContent);
                       return total > 20
                         && document.querySelectorAll('#search-results .pa-result').length === 20; }"""
        )
        fetched = set(search("pointer networks"))
        # Its words, their pair side by side and close in a title, and the two closed up
        # (query.js; "pointernetwork" is no term: the shard where it would be).
        firsts = [shard[1] for shard in json.loads(bundle.files[bundle.manifest])["shards"]]
        closed = file_name("post", KEY, bisect.bisect_right(firsts, "pointernetwork") - 1)
        wanted = {shard_of[t] for t in ("pointer", "network", "pointer network", "network pointer")}
        assert fetched == (wanted | {closed}) - {shard_of["graph"]}
        assert search("graph") == []  # fetched once
        assert page.errors == []


def test_the_header_box_searches_a_sharded_bundle_in_the_worker(
    corpus: Path, vocabulary: Vocabulary, tmp_path: Path, page: Page
) -> None:
    """On any other page the worker loads the manifest and fetches what each query
    needs; the header box lists the top results and the count."""
    pages = sorted((corpus / "docs" / "papers").glob("*.md"))
    archive = collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        vocabulary,
    )
    names = {tag.slug: tag.name for tag in vocabulary.tags}
    write_site(tmp_path, documents(archive), names, KEY, shard_postings=300)
    with serve(tmp_path) as base_url:
        page.page.goto(f"{base_url}about/")
        page.page.fill("#pa-header-q", "pointer networks")
        page.page.wait_for_selector("#pa-header-results .pa-result__link")
        titles = page.page.eval_on_selector_all(
            "#pa-header-results .pa-result__title", "els => els.map(e => e.textContent)"
        )
        assert titles and titles[0].startswith("Pointer Networks")
        status = page.page.text_content("#pa-header-status") or ""
        assert "match" in status
        page.page.fill("#pa-header-q", "transfromer")  # the corrected pass: every chunk
        page.page.wait_for_function(
            "() => /Showing results for/.test(document.querySelector("
            "'#pa-header-results .pa-result--all a')?.textContent)"
        )
        assert page.errors == []
