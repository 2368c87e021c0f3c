"""layout.scan under `mkdocs serve`: the last scan is reused only while no folder
under docs/ or data/ changed, so a link or an unlisted file added between two saves is
still refused by the next build (tests/test_hostile_pages.py has the refusals)."""

from __future__ import annotations

import time
from pathlib import Path

from paper_archive.disk import layout


def _tree(root: Path) -> Path:
    (root / "docs/papers").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs/papers/a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    return root


def _later() -> None:
    time.sleep(0.01)  # a folder's modification time moves by more than its resolution


def test_a_scan_is_reused_until_a_folder_changes(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    first = layout.scan(root)
    assert first.paper_pages == ["docs/papers/a.md"] and not first.problems
    assert layout.scan(root, previous=first) is first

    (root / "docs/papers/a.md").write_text("---\ntitle: A, edited\n---\n", encoding="utf-8")
    assert layout.scan(root, previous=first) is first  # an edit changes no folder

    _later()
    (root / "docs/papers/b.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    second = layout.scan(root, previous=first)
    assert second is not first and second.paper_pages == ["docs/papers/a.md", "docs/papers/b.md"]

    _later()
    (root / "docs/papers/b.md").unlink()
    (root / "docs/papers/b.md").symlink_to(root / "docs/index.md")  # a file become a link
    third = layout.scan(root, previous=second)
    assert [p.path for p in third.problems if p.is_link] == ["docs/papers/b.md"]

    _later()
    (root / "data/nested").mkdir()
    (root / "data/nested/leak.md").symlink_to("/etc/hostname")  # deep in a new folder
    fourth = layout.scan(root, previous=third)
    assert "data/nested/leak.md" in [p.path for p in fourth.problems if p.is_link]
    assert layout.scan(root, previous=fourth) is fourth

    _later()
    (root / "data/nested/notes.txt").write_text("x", encoding="utf-8")  # a nested folder
    assert layout.scan(root, previous=fourth) is not fourth


def test_a_top_folder_turned_into_a_link_is_seen(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    first = layout.scan(root)
    (root / "data").rename(root / "elsewhere")
    (root / "data").symlink_to(root / "elsewhere")
    again = layout.scan(root, previous=first)
    assert [p.path for p in again.problems if p.is_link] == ["data"]
