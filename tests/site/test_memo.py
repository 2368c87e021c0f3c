"""Results remembered across the rebuilds of one process (site/memo.py): never stale.

Each check builds what a rebuild builds after an edit twice, once with what the
previous build remembered and once with nothing remembered, and compares them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from paper_archive.model import Paper
from paper_archive.pages import render_page
from paper_archive.site import memo
from paper_archive.site.collect import Archive, collect
from paper_archive.site.exports import exports
from paper_archive.site.generate import generated_pages, home_blocks, tag_names
from paper_archive.tagging import parse_vocabulary

from .. import CORPUS
from ..sitebuild import paper


@pytest.fixture(autouse=True)
def empty_memo() -> Iterator[None]:
    memo._LATEST.clear()
    yield
    memo._LATEST.clear()


VOCABULARY = (CORPUS / "data" / "tags.yaml").read_text(encoding="utf-8")


def _archive(records: dict[str, Paper], vocabulary: str = VOCABULARY) -> Archive:
    pages = [
        (f"papers/{slug}.md", f"papers/{slug}/", render_page(r)) for slug, r in records.items()
    ]
    return collect(pages, parse_vocabulary(vocabulary))


BASE = {
    f"p{n}": paper(
        f"Paper {n}",
        tags=("llms",) if n % 2 else ("llms", "prototypes"),
        published=dt.date(2015 + n % 3, 1 + n % 12, 1) if n % 5 else None,
        abstract=f"Abstract number {n}.",
    )
    for n in range(1, 40)
}
EDITS = {
    "title": {**BASE, "p3": replace(BASE["p3"], title="Paper 3 Renamed")},
    "tags": {**BASE, "p4": replace(BASE["p4"], tags=("prototypes",))},
    "date": {**BASE, "p7": replace(BASE["p7"], published=dt.date(2024, 5, 5))},
    "added": {**BASE, "p40": paper("Paper 40", tags=("llms",), published=dt.date(2016, 2, 2))},
    "deleted": {k: v for k, v in BASE.items() if k != "p9"},
}


def _everything(archive: Archive) -> tuple[object, ...]:
    names = tag_names(archive)
    return (
        generated_pages(archive, per_page=5),
        home_blocks(archive),
        exports(archive, base="https://example.org/", names=names),
    )


@pytest.mark.parametrize("edit", [*sorted(EDITS), "topic renamed"])
def test_after_an_edit_remembered_equals_computed_afresh(edit: str) -> None:
    _everything(_archive(BASE))  # the build before: fills the memo
    if edit == "topic renamed":
        assert "name: Prototype-based models\n" in VOCABULARY
        renamed = VOCABULARY.replace("name: Prototype-based models\n", "name: Prototypes\n")
        edited = _archive(BASE, renamed)
    else:
        edited = _archive(EDITS[edit])
    assert edited.key != _archive(BASE).key
    warm = _everything(edited)
    memo._LATEST.clear()
    assert warm == _everything(edited)


def test_latest_keeps_one_key_per_name() -> None:
    calls: list[int] = []

    def compute(value: int) -> int:
        calls.append(value)
        return value

    assert memo.latest("n", "a", lambda: compute(1)) == 1
    assert memo.latest("n", "a", lambda: compute(2)) == 1  # remembered
    assert memo.latest("n", "b", lambda: compute(3)) == 3
    assert memo.latest("n", "a", lambda: compute(4)) == 4  # "a" was replaced by "b"
    assert memo.latest("n", None, lambda: compute(5)) == 5  # no key: not remembered
    assert memo.get("n", "a") == 4
    assert calls == [1, 3, 4, 5]
    assert len(memo._LATEST) == 1


@dataclass(frozen=True)
class Item:
    name: str


def test_per_item_reuses_by_identity_and_keeps_only_the_last_call() -> None:
    one, two = Item("x"), Item("y")
    seen: list[Item] = []

    def compute(item: Item) -> str:
        seen.append(item)
        return item.name.upper()

    assert memo.per_item("t", [one, two], lambda i: 0, compute) == ["X", "Y"]
    assert memo.per_item("t", [one, two], lambda i: 0, compute) == ["X", "Y"]
    assert seen == [one, two]  # nothing computed again
    assert memo.per_item("t", [one], lambda i: 1, compute) == ["X"]  # extra changed
    assert seen == [one, two, one]
    assert len(memo.held("t")) == 1  # two is no longer held
    assert memo.per_item("t", [Item("x")], lambda i: 1, compute) == ["X"]
    assert len(seen) == 4  # another object, even of equal value, is computed
