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

from .plain_varints import packed, packed_weights, unpacked, weights

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


def _postings(change: Callable[[list[int], list[list[int]]], None]) -> Callable[[object], None]:
    """An edit of the first field's postings of a shard as plain lists: its document
    deltas and each term's weights, packed again as the build packs them."""

    def edit(data: object) -> None:
        field = data["fields"][0]  # type: ignore[index]
        d, w = unpacked(field["d"]), weights(field["t"][1::2], field["w"])
        change(d, w)
        field["d"], field["w"] = packed(d), packed_weights(w)

    return edit


def _member(member: str, text: Callable[[dict], object]) -> Callable[[object], None]:
    """An edit setting the first field's ``d`` or ``w`` to ``text(field)``."""

    def edit(data: object) -> None:
        field = data["fields"][0]  # type: ignore[index]
        field[member] = text(field)

    return edit


def _more(field: dict, member: str, more: str) -> str:
    """The first field's ``d`` or ``w`` with ``more`` characters after its varints."""
    return str(field[member]) + more


def _least_not_least(field: dict) -> str:
    """The first term's weights in ``w`` written from one below its least weight."""
    values, count = unpacked(field["w"]), field["t"][1]
    values[0] -= 1
    values[1 : 1 + count] = [rise + 1 for rise in values[1 : 1 + count]]
    return packed(values)


POST, TERMS, FRAG = f"post.{KEY}.1.json", f"terms.{KEY}.0.json", f"frag.{KEY}.0.json"
MANIFEST, FACETS = f"manifest.{KEY}.json", f"facets.{KEY}.json"
#: What is changed, and the name (or its start) of the file refused for it.
CHANGES: dict[str, tuple[Callable[[dict], None], str]] = {
    "a wrong weight": (_edit(POST, _postings(lambda d, w: w[0].__setitem__(0, 10**7))), POST),
    "a document not there": (_edit(POST, _postings(lambda d, w: d.__setitem__(0, 10**6))), POST),
    "documents out of order": (_edit(POST, _postings(lambda d, w: d.__setitem__(1, 0))), POST),
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


#: Postings as the format does not write them: the edit of a shard and the reason given.
POSTINGS: dict[str, tuple[Callable[[object], None], str]] = {
    "weights a list of numbers (format 2)": (_set(("fields", 0, "w"), [1, 2]), "w not a string"),
    "documents not of the alphabet": (
        _member("d", lambda f: "A*"),
        "d not varints (a character not of the alphabet)",
    ),
    "base64's padding": (_member("d", lambda f: packed([1]) + "=="), "not of the alphabet"),
    "a varint cut short": (_member("d", lambda f: _more(f, "d", "g")), "cut short"),
    "a varint longer than its value": (
        _member("d", lambda f: _more(f, "d", "gA")),
        "longer than its value needs",
    ),
    "a posting more than t counts": (
        _member("d", lambda f: packed([*unpacked(f["d"]), 1])),
        "t counts",
    ),
    "a weight fewer than t counts": (
        _member("w", lambda f: packed(unpacked(f["w"])[:-1])),
        "t counts",
    ),
    "a least weight not the least": (_member("w", _least_not_least), "least weight not"),
}


@pytest.mark.parametrize("what", POSTINGS)
def test_postings_not_as_the_build_writes_them_are_refused(built: tuple, what: str) -> None:
    docs, names, files = built
    change, reason = POSTINGS[what]
    changed = dict(files)
    _edit(POST, change)(changed)
    with pytest.raises(Refused) as refused:
        read_checked(changed.get, docs, names, KEY, FIELDS_FULL)
    assert refused.value.name == POST and reason in refused.value.reason, refused.value


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
