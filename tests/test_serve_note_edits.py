"""A save that leaves every paper's record as it was keeps the archive's key, and what
is remembered by that key is never stale (paper_archive/site/collect.py, ``origin``).

A note after a paper's abstract, or a page's layout, changes the page's text but not
its record: the rebuild keeps the entry it had (the same object, so every result
remembered per entry is found again) and the archive's key, so the topic and year
lists, the exports and the related lists are not made again. An edit to the record
itself (its abstract, its title) must change both.

Unit checks on :func:`collect` over the frozen corpus, then one project built through
MkDocs' API as ``mkdocs serve --dirty`` rebuilds it (as tests/test_serve_layer.py does):
a note saved, then the abstract, then the note removed, each a dirty rebuild with what
the builds before remembered; the site then equals, byte for byte, a build of the same
tree by an object that remembers nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from paper_archive.record.tagging import load_vocabulary
from paper_archive.serve.process import Mode, Process
from paper_archive.site.collect import Archive, collect

from . import CORPUS
from .sitebuild import config_with, make_site, site_files

NOTE = "\n\nA note after the abstract: zyxwvut.\n"


def _pages() -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted((CORPUS / "docs" / "papers").glob("*.md"))[::20]
    }


def _collect(pages: dict[str, str], before: Archive | None = None) -> Archive:
    return collect(
        [(f"papers/{name}", f"papers/{name[:-3]}/", text) for name, text in pages.items()],
        load_vocabulary(CORPUS / "data" / "tags.yaml"),
        parsed=before.parsed if before is not None else None,
    )


def _with_abstract_word(text: str, word: str) -> str:
    """``text`` with ``word`` at the end of its abstract: the paragraph after its title."""
    head, heading, rest = text.partition("\n# ")
    title, _, body = rest.partition("\n\n")
    abstract, gap, after = body.partition("\n\n")
    return f"{head}{heading}{title}\n\n{abstract.rstrip()} {word}{gap}{after}"


def test_a_note_keeps_the_entry_and_the_key_an_abstract_edit_changes_both() -> None:
    pages = _pages()
    name = sorted(pages)[2]
    before = _collect(pages)
    entry = next(e for e in before.entries if e.src_uri == f"papers/{name}")

    noted = _collect({**pages, name: pages[name].rstrip("\n") + NOTE}, before)
    assert noted.key == before.key
    assert next(e for e in noted.entries if e.src_uri == f"papers/{name}") is entry
    assert noted.entries == before.entries

    edited = _collect({**pages, name: _with_abstract_word(pages[name], "zyxwvut")}, noted)
    changed = next(e for e in edited.entries if e.src_uri == f"papers/{name}")
    assert changed.paper.abstract.endswith("zyxwvut")
    assert edited.key != before.key

    # Back to the first text: the entry equals the first one again, under its own origin.
    back = _collect(pages, edited)
    assert back.entries == before.entries
    assert back.key == _collect(pages).key


def test_the_key_still_follows_every_page_and_every_topic() -> None:
    """Apart from an equal record, what named the archive before still does: a page
    removed, a page left out (its own text). (The vocabulary: tests/site/test_memo.py.)"""
    pages = _pages()
    base = _collect(pages)
    first = sorted(pages)[0]
    assert _collect({k: v for k, v in pages.items() if k != first}, base).key != base.key
    broken = {**pages, first: pages[first].replace("---\n", "---\ndescription: a\n", 1)}
    left_out = _collect(broken, base)
    assert f"papers/{first}" in left_out.excluded and left_out.key != base.key
    other = {**broken, first: broken[first].replace("description: a", "description: b", 1)}
    assert _collect(other, left_out).key != left_out.key  # a left-out page's own text


@pytest.mark.slow  # four builds of ~40 pages
def test_note_and_abstract_saves_rebuild_what_a_fresh_build_makes(tmp_path: Path) -> None:
    served_root = make_site(tmp_path / "served", with_seed=True, sample=13)
    site = tmp_path / "served-site"
    process = Process(mode=Mode(serving=False, dirty=True))
    build(config_with(served_root, site, process))
    page = sorted((served_root / "docs" / "papers").glob("*.md"))[3]
    original = page.read_text(encoding="utf-8")
    url = f"papers/{page.stem}/index.html"

    def rebuild() -> Archive:
        config = config_with(served_root, site, process, strict=False)  # a dirty build warns
        build(config, dirty=True)
        (hook,) = config["hooks"].values()
        return hook.ARCHIVE.build.archive

    first = rebuild()
    page.write_text(original.rstrip("\n") + NOTE, encoding="utf-8")
    noted = rebuild()
    assert noted.key == first.key  # the lists, exports and related lists: remembered
    assert "zyxwvut" in (site / url).read_text(encoding="utf-8")  # the page: rendered

    page.write_text(_with_abstract_word(original, "qwertzu") + NOTE, encoding="utf-8")
    edited = rebuild()
    assert edited.key != noted.key
    assert "qwertzu" in (site / url).read_text(encoding="utf-8")

    page.write_text(_with_abstract_word(original, "qwertzu"), encoding="utf-8")
    rebuild()

    plain_root = make_site(tmp_path / "plain", with_seed=True, sample=13)
    (plain_root / "docs" / "papers" / page.name).write_text(
        _with_abstract_word(original, "qwertzu"), encoding="utf-8"
    )
    plain = tmp_path / "plain-site"
    build(config_with(plain_root, plain, Process(remember=False)))

    served, fresh = site_files(site), site_files(plain)
    old = {p for p in set(served) - set(fresh) if p.startswith("assets/search/")}
    assert sorted(set(served) - old) == sorted(fresh)
    assert [path for path in fresh if served[path] != fresh[path]] == []
    assert "zyxwvut" not in (site / url).read_text(encoding="utf-8")  # the note: gone
