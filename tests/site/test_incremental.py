"""What a dirty rebuild renders again and what it may leave out (serve/incremental.py).

The served path is tests/test_serve.py; these pin the pieces, and compare the pages
named by ``nav:`` with the navigation MkDocs itself makes from the real mkdocs.yml.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from paper_archive.serve import incremental
from paper_archive.serve.incremental import Ledger, Output

from ..conftest import REPO

#: The ledger of these tests' process (the serve process's object holds its own).
LEDGER = Ledger()


@pytest.fixture(autouse=True)
def _no_ledger() -> Iterator[None]:
    LEDGER.forget_all()
    yield
    LEDGER.forget_all()


def _outputs(tmp_path: Path, **fingerprints: str) -> list[Output]:
    return [Output(f"{name}.md", str(tmp_path / name), fp) for name, fp in fingerprints.items()]


def test_a_new_process_trusts_no_output(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path, a="1", b="2")
    assert not LEDGER.has_ledger(str(tmp_path))
    assert sorted(LEDGER.stale_outputs(str(tmp_path), outputs)) == [
        str(tmp_path / "a"),
        str(tmp_path / "b"),
    ]
    assert LEDGER.current(str(tmp_path), outputs) == set()


def test_current_pages_have_their_fingerprint_and_their_file(tmp_path: Path) -> None:
    site = str(tmp_path)
    for name in ("a", "b", "c"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    LEDGER.commit(site, _outputs(tmp_path, a="1", b="2", c="3", gone="4"))
    now = _outputs(tmp_path, a="1", b="changed", c="3")
    (tmp_path / "c").unlink()  # its output went: it must be written again
    assert LEDGER.has_ledger(site)
    assert LEDGER.current(site, now) == {"a.md"}
    assert sorted(LEDGER.stale_outputs(site, now)) == [
        str(tmp_path / "b"),
        str(tmp_path / "gone"),
    ]
    LEDGER.forget_all()
    assert LEDGER.current(site, now) == set()


def test_linked_pages_are_resolved_from_the_linking_page() -> None:
    text = (
        "See [x](other.md#results), [up](../about.md), ![fig](plot.png),\n"
        "[web](https://example.org/readme.md), [root](/papers/third.md) and\n"
        "[ref]: ../tags/index.md 'Topics'\n"
    )
    assert incremental.linked("papers/pointer-networks.md", text) == {
        "papers/other.md",
        "about.md",
        "papers/third.md",
        "tags/index.md",
    }
    assert incremental.linked("index.md", "No links here.") == set()


def test_nav_pages_are_the_pages_mkdocs_puts_in_the_navigation() -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        config = load_config(config_file=str(REPO / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        files = get_files(config)
        # The generated pages in the nav (tags/index.md, archive/index.md) are added by
        # hooks; MkDocs' own navigation of the files on disk names the rest.
        nav = get_navigation(files, config)
    finally:
        os.chdir(cwd)
    on_disk = {page.file.src_uri for page in nav.pages}
    named = incremental.nav_pages(config.nav)
    assert on_disk <= named
    assert named - on_disk == {"tags/index.md", "archive/index.md"}
    assert incremental.nav_pages(None) == set()


def test_page_texts_are_read_again_after_any_write(tmp_path: Path) -> None:
    """A rebuild opens only the files that changed: same inode, size, modification and
    change times. A write of the same size with the old modification time put back
    (as some editors and `touch -d` do) still moves the change time."""
    from paper_archive.errors import TextFileError
    from paper_archive.serve.page_texts import PageTexts
    from paper_archive.site.collect import text_digest

    texts = PageTexts()
    page = tmp_path / "a.md"
    page.write_text("first", encoding="utf-8")
    assert texts.read(str(page), display="docs/a.md")[0] == "first"
    texts.done()
    assert texts.read(str(page), display="docs/a.md")[0] == "first"
    texts.done()

    before = page.stat()
    page.write_text("secnd", encoding="utf-8")  # same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_mtime_ns == before.st_mtime_ns
    assert texts.read(str(page), display="docs/a.md")[0] == "secnd"
    texts.done()

    other = tmp_path / "b.md"
    other.write_text("third", encoding="utf-8")
    other.replace(page)  # an editor's save: a new file renamed over the old
    assert texts.read(str(page), display="docs/a.md")[0] == "third"
    assert texts.read(str(page), display="docs/a.md")[1] == text_digest("third")
    texts.done()

    assert texts.known(str(page)) == "third"  # as the last build read it
    texts.read(str(page), display="docs/a.md")
    texts.done(keep=False)  # a process that builds once keeps nothing
    assert texts.known(str(page)) is None

    page.unlink()
    page.symlink_to(other.with_name("elsewhere.md"))
    with pytest.raises(TextFileError, match="symbolic link"):
        texts.read(str(page), display="docs/a.md")


def test_files_no_longer_made_are_gone(tmp_path: Path) -> None:
    """A static file deleted from docs/, a deleted topic's feed: named by the last
    completed build, not by this one, so deleted (a page's output is not among them)."""
    site = str(tmp_path)
    old = [str(tmp_path / n) for n in ("feed.xml", "tags/x/feed.xml", "assets/a.js")]
    LEDGER.commit(site, _outputs(tmp_path, a="1"), old)
    now = _outputs(tmp_path, a="1", b="2")
    assert LEDGER.gone_files(site, old[:1], now) == sorted(old[1:])
    assert LEDGER.gone_files(site, [*old[:1], str(tmp_path / "b")], now) == sorted(old[1:])
    assert LEDGER.gone_files(str(tmp_path / "other"), [], now) == []


def test_a_failed_build_leaves_every_output_known_and_none_current(tmp_path: Path) -> None:
    """A failed build may have written or deleted any output it was making: the next
    build renders every page again, and still deletes the outputs of pages (and the
    files) gone since the last completed build or since the failed one."""
    site = str(tmp_path)
    for name in ("a", "b", "new"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    LEDGER.commit(site, _outputs(tmp_path, a="1", b="2"), [str(tmp_path / "old.xml")])
    pages = {"a.md": str(tmp_path / "a"), "new.md": str(tmp_path / "new")}
    LEDGER.begin(site, pages, [str(tmp_path / "new.xml")])
    LEDGER.distrust_all()  # the build failed (b.md was deleted meanwhile)

    assert LEDGER.has_ledger(site)
    later = _outputs(tmp_path, a="1")  # b.md and new.md are gone by the next build
    assert LEDGER.current(site, later) == set()
    assert sorted(LEDGER.stale_outputs(site, later)) == [
        str(tmp_path / n) for n in ("a", "b", "new")
    ]
    assert LEDGER.gone_files(site, [], later) == [
        str(tmp_path / "new.xml"),
        str(tmp_path / "old.xml"),
    ]

    LEDGER.commit(site, later)  # a completed build: trusted again
    assert LEDGER.current(site, later) == {"a.md"}
