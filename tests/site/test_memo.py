"""Results remembered across the rebuilds of one process (serve/memo.py): never stale.

Each check builds what a rebuild builds after an edit twice, once with the memo the
previous build filled and once with nothing remembered (paper_archive.remembering.PLAIN),
and compares them. :func:`test_no_memo_key_leaves_out_an_input` is the generic one: it
perturbs every input the memoised renderers read (each field of a paper record, each
field of a topic, each renderer setting) and finds every memoised kind in the source, so
a key that forgets an input, or a new memoised kind left unchecked, fails it.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from paper_archive.disk.pages import render_page
from paper_archive.plugin.exports import _made
from paper_archive.record.model import Paper
from paper_archive.record.tagging import parse_vocabulary
from paper_archive.remembering import PLAIN, Remembers
from paper_archive.search import bundle
from paper_archive.serve import related_build
from paper_archive.serve.memo import Memo
from paper_archive.site import related
from paper_archive.site.collect import Archive, collect
from paper_archive.site.exports import citation_keys, exports
from paper_archive.site.generate import generated_pages, home_blocks, tag_names

from .. import CORPUS
from ..sitebuild import paper

T = TypeVar("T")
V = TypeVar("V")
PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "paper_archive"
VOCABULARY = (CORPUS / "data" / "tags.yaml").read_text(encoding="utf-8")


def _archive(
    records: dict[str, Paper], vocabulary: str = VOCABULARY, *, before: Archive | None = None
) -> Archive:
    """The archive of ``records``; its unchanged entries the same objects as those of
    the archive ``before``, as a serve rebuild's are (plugin/papers.py)."""
    pages = [
        (f"papers/{slug}.md", f"papers/{slug}/", render_page(r)) for slug, r in records.items()
    ]
    parsed = before.parsed if before is not None else None
    return collect(pages, parse_vocabulary(vocabulary), parsed=parsed)


BASE = {
    f"p{n}": paper(
        f"Paper {n}",
        tags=("llms",) if n % 2 else ("llms", "prototypes"),
        published=dt.date(2015 + n % 3, 1 + n % 12, 1) if n % 5 else None,
        abstract=f"Abstract number {n}.",
        arxiv=f"2101.{n:05d}",
        authors=(f"Author {n}",),
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


@dataclass(frozen=True)
class Settings:
    """The renderers' own parameters (besides the archive)."""

    per_page: int = 5
    base: str | None = "https://example.org/"
    site_name: str = "Archive"
    feed_length: int = 3
    related_count: int = 4


class Recording(Memo):
    """A memo that notes the name of every memoised kind asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def latest(self, name: str, key: Hashable | None, compute: Callable[[], T]) -> T:
        self.names.add(name)
        return super().latest(name, key, compute)

    def per_item(
        self,
        name: str,
        items: Iterable[T],
        extra: Callable[[T], Hashable],
        compute: Callable[[T], V],
    ) -> list[V]:
        self.names.add(name)
        return super().per_item(name, items, extra, compute)


def _everything(archive: Archive, memo: Remembers, s: Settings = Settings()) -> tuple[Any, ...]:
    """Every memoised computation of a build, as the plugin calls it."""
    names = tag_names(archive)
    docs = related.docs_of(archive, memo=memo)
    search_docs = bundle.documents(archive, memo=memo)
    labels = {tag.slug: tag.name for tag in archive.vocabulary.tags}
    lists = related.related_docs(docs, k=s.related_count)
    by_slug = {e.slug: e for e in archive.entries}
    return (
        generated_pages(archive, per_page=s.per_page, memo=memo),
        home_blocks(archive),
        exports(archive, base=s.base, names=names, memo=memo),
        _made(
            archive, base=s.base, site_name=s.site_name, names=names, limit=s.feed_length, memo=memo
        ),
        citation_keys(archive, memo=memo),
        docs,
        related.content_key(docs, k=s.related_count, memo=memo),
        search_docs,
        bundle.content_key(search_docs, labels, memo=memo),
        related_build.fingerprints(lists, by_slug, memo=memo),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("edit", [*sorted(EDITS), "topic renamed"])
def test_after_an_edit_remembered_equals_computed_afresh(edit: str) -> None:
    memo = Memo()
    before = _archive(BASE)
    _everything(before, memo)  # the build before: fills the memo
    if edit == "topic renamed":
        assert "name: Prototype-based models\n" in VOCABULARY
        renamed = VOCABULARY.replace("name: Prototype-based models\n", "name: Prototypes\n")
        edited = _archive(BASE, renamed, before=before)
    else:
        edited = _archive(EDITS[edit], before=before)
    assert edited.key != _archive(BASE).key
    assert _everything(edited, memo) == _everything(edited, PLAIN)


def _changed(value: object) -> object:
    """Another value of the same kind (a generic perturbation of one input)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return f"{value} zq"
    if isinstance(value, dt.date):
        return value - dt.timedelta(days=400)
    if isinstance(value, tuple):
        return (*value[:-1], _changed(value[-1])) if value else ("zq",)
    raise TypeError(f"no perturbation for {value!r}")


def _perturbations() -> dict[str, tuple[dict[str, Paper], str, Settings]]:
    """One input changed at a time: every field of a paper record (``Paper``'s fields,
    read from the dataclass, so a new field is perturbed too), every field of a topic
    in the vocabulary, every renderer setting."""
    out: dict[str, tuple[dict[str, Paper], str, Settings]] = {}
    for f in dataclasses.fields(Paper):
        record = BASE["p4"]
        value = getattr(record, f.name)
        if f.name == "tags":
            new: object = ("prototypes",)
        elif f.name in ("published", "author_count") and value is None:
            new = dt.date(2011, 3, 3) if f.name == "published" else 7
        elif f.name == "sources":
            continue  # a paper's sources are labels checked against data/ (not in a unit)
        else:
            new = _changed(value)
        out[f"paper.{f.name}"] = (
            {**BASE, "p4": replace(record, **{f.name: new})},
            VOCABULARY,
            Settings(),
        )
    for field_name, old, new in (
        ("name", "name: Prototype-based models\n", "name: Prototypes\n"),
        ("description", "description: ", "description: Changed. "),
    ):
        assert old in VOCABULARY
        out[f"topic.{field_name}"] = (BASE, VOCABULARY.replace(old, new, 1), Settings())
    for f in dataclasses.fields(Settings):
        setting = getattr(Settings(), f.name)
        out[f"setting.{f.name}"] = (
            BASE,
            VOCABULARY,
            replace(Settings(), **{f.name: _changed(setting)}),
        )
    return out


PERTURBATIONS = _perturbations()

#: Memoised kinds whose key is the archive's content hash (:attr:`Archive.key`, every
#: page's text and every topic) plus their other arguments: no input can be left out.
WHOLE_ARCHIVE_KEYS = {
    "generated-pages",  # plugin/index_pages.py: key_of(archive.key)
    "home-blocks",
    "exports",  # plugin/exports.py: key_of(archive.key, base, site_name)
    "related-shown",  # key_of(archive.key, job.key)
    "related-docs",  # serve/related_build.py
    "related-lists",  # by the related content key
    "related-index",
    "related-warming",
    "layout-tree",  # not a result: the scan before, updated (layout.scan's previous)
}


def _is_memo(node: ast.expr) -> bool:
    """``memo``, ``self.memo``, ``process.memo``: a memo by the project's naming."""
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name == "memo"


def _memoised_kinds() -> set[str]:
    """Every name passed to a memo's ``latest``/``per_item``/``put`` in the package (an
    f-string name by its constant prefix): what a build memoises."""
    kinds: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("latest", "per_item", "put", "get", "held")
                and _is_memo(node.func.value)
                and node.args
            ):
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    kinds.add(first.value)
                elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                    kinds.add(str(first.values[0].value))
    return kinds


def test_every_memoised_kind_is_checked() -> None:
    """A new memoised kind must be in :func:`_everything` (perturbed below), or keyed by
    the whole archive."""
    recording = Recording()
    _everything(_archive(BASE), recording)
    seen = {name if "/" not in name else name.split("/")[0] + "/" for name in recording.names}
    assert _memoised_kinds() - WHOLE_ARCHIVE_KEYS <= seen


@pytest.mark.parametrize("perturbed", sorted(PERTURBATIONS))
def test_no_memo_key_leaves_out_an_input(perturbed: str) -> None:
    """The memo filled by the unchanged inputs, then asked with one input changed,
    gives what is computed afresh: every memoised result's key names that input."""
    records, vocabulary, settings = PERTURBATIONS[perturbed]
    memo = Memo()
    before = _archive(BASE)
    _everything(before, memo, Settings())
    edited = _archive(records, vocabulary, before=before)
    assert edited.entries[-1] is before.entries[-1] or perturbed.startswith("paper.")
    fresh = _everything(edited, PLAIN, settings)
    assert fresh != _everything(_archive(BASE), PLAIN, Settings()), "not an input at all"
    assert _everything(edited, memo, settings) == fresh


def test_latest_keeps_one_key_per_name() -> None:
    memo = Memo()
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
    assert len(memo) == 1


@dataclass(frozen=True)
class Item:
    name: str


def test_per_item_reuses_by_identity_and_keeps_only_the_last_call() -> None:
    memo = Memo()
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
