"""A cached sharded bundle is checked file by file (search/shardcheck.py): the bundle as
built passes, and each kind of file changed is refused, naming the file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from paper_archive.record.tagging import Vocabulary
from paper_archive.search.bundle import FIELDS_FULL, SearchDoc, documents
from paper_archive.search.shardcheck import Refused, read_checked
from paper_archive.search.shards import build_sharded
from paper_archive.site.collect import collect

KEY = "0123456789abcdef"


@pytest.fixture(scope="module")
def built(corpus: Path, vocabulary: Vocabulary) -> tuple[list[SearchDoc], dict[str, str], dict]:
    pages = sorted((corpus / "docs" / "papers").glob("*.md"))[:40]
    archive = collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        vocabulary,
    )
    docs = documents(archive)
    names = {tag.slug: tag.name for tag in archive.vocabulary.tags}
    bundle = build_sharded(docs, names, KEY, FIELDS_FULL, shard_postings=300)
    assert sum(1 for name in bundle.files if name.startswith("post.")) > 2
    return docs, names, bundle.files


def _edit(name: str, change: Callable[[object], None]) -> Callable[[dict], None]:
    def edit(files: dict) -> None:
        data = json.loads(files[name])
        change(data)
        files[name] = json.dumps(data).encode()

    return edit


def _set(path: tuple, value: object) -> Callable[[object], None]:
    def change(data: object) -> None:
        for step in path[:-1]:
            data = data[step]  # type: ignore[index]
        data[path[-1]] = value  # type: ignore[index]

    return change


POST, TERMS, FRAG = f"post.{KEY}.1.json", f"terms.{KEY}.0.json", f"frag.{KEY}.0.json"
MANIFEST, FACETS = f"manifest.{KEY}.json", f"facets.{KEY}.json"
#: What is changed, and the name (or its start) of the file refused for it.
CHANGES: dict[str, tuple[Callable[[dict], None], str]] = {
    "a wrong weight": (_edit(POST, _set(("fields", 0, "w", 0), 10**7)), POST),
    "a negative weight": (_edit(POST, _set(("fields", 0, "w", 0), -1)), POST),
    "a document not there": (_edit(POST, _set(("fields", 0, "d", 0), 10**6)), POST),
    "a weight a string": (_edit(POST, _set(("fields", 0, "w", 0), "1")), POST),
    "a term renamed in a shard": (_edit(POST, _set(("terms", 0), "zzz")), POST),
    "a shard missing": (lambda files: files.pop(POST), MANIFEST),
    "a shard not JSON": (lambda files: files.update({POST: b"{"}), POST),
    "a shard nested too deep": (
        lambda files: files.update({POST: b"[" * 100_000 + b"]" * 100_000}),
        POST,
    ),
    "a number too long to read": (lambda files: files.update({POST: b"9" * 5_000}), POST),
    "a dictionary term out of order": (_edit(TERMS, _set(("terms", 1), "")), TERMS),
    "a word pair in the dictionary": (
        _edit(TERMS, lambda c: c["terms"].insert(1, c["terms"][0] + " zzz")),  # type: ignore[index]
        TERMS,
    ),
    "a word's frequency changed": (
        _edit(TERMS, lambda c: c["df"].__setitem__(0, c["df"][0] + 1)),  # type: ignore[index]
        TERMS,
    ),
    "a word count off by one": (
        _edit(MANIFEST, lambda m: m.update(wordCount=m["wordCount"] - 1)),  # type: ignore[attr-defined,index]
        MANIFEST,
    ),
    "a script URL in a fragment": (_edit(FRAG, _set((0, 1), "javascript:alert(1)")), FRAG),
    "a wrong year in the facets": (_edit(FACETS, _set(("years", 0), 1)), FACETS),
    "a manifest with other boosts": (_edit(MANIFEST, _set(("boosts", 0), 99)), MANIFEST),
    "a manifest naming one shard more": (  # the last shard's range cut short: refused
        _edit(MANIFEST, lambda m: m["shards"].append([m["termCount"] - 1, "zzz"])),  # type: ignore[index]
        "post.",
    ),
}


def test_the_bundle_as_built_passes(built: tuple) -> None:
    docs, names, files = built
    assert read_checked(files.get, docs, names, KEY, FIELDS_FULL) == files
    assert read_checked({}.get, docs, names, KEY, FIELDS_FULL) is None  # nothing cached


@pytest.mark.parametrize("what", CHANGES)
def test_a_changed_file_is_refused_naming_it(built: tuple, what: str) -> None:
    docs, names, files = built
    change, named = CHANGES[what]
    changed = dict(files)
    change(changed)
    with pytest.raises(Refused) as refused:
        read_checked(changed.get, docs, names, KEY, FIELDS_FULL)
    assert refused.value.name.startswith(named), refused.value
