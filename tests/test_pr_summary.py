"""``papers pr-summary``: the job summary listing the papers a pull request touches."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from paper_archive import cli
from paper_archive.commands.pr_summary import (
    PageChange,
    configured_site_url,
    md_text,
    parse_name_status,
    parse_other_changes,
    render_summary,
    site_page_url,
)
from paper_archive.disk.pages import render_page

from .sitebuild import paper

GOOD_FRONT = (
    "---\ntitle: {title}\ntags:\n- {tag}\nadded: 2026-11-23\n---\n\n# {title}\n\n{abstract}\n"
)


def test_parse_name_status_keeps_only_pages() -> None:
    output = "\0".join(
        [
            *("A", "docs/papers/a.md"),
            *("M", "docs/papers/b.md"),
            *("D", "docs/papers/c.md"),
            *("R100", "docs/papers/d.md", "docs/papers/e.md"),
            *("M", "docs/index.md"),
            *("A", "docs/papers/sub/x.md"),
            *("A", "docs/papers/notes.txt"),
            *("R090", "docs/papers/f.md", "elsewhere/f.md"),
            *("R100", "notes/g.md", "docs/papers/g.md"),
            *("C075", "docs/papers/a.md", "docs/papers/h.md"),
            *("T", "docs/papers/i.md"),
            "",
        ]
    )
    assert parse_name_status(output) == [
        PageChange("docs/papers/a.md", "added"),
        PageChange("docs/papers/b.md", "changed"),
        PageChange("docs/papers/c.md", "removed"),
        PageChange("docs/papers/e.md", "renamed", old_path="docs/papers/d.md"),
        PageChange("docs/papers/f.md", "removed"),
        PageChange("docs/papers/g.md", "added"),
        PageChange("docs/papers/h.md", "added"),
        PageChange("docs/papers/i.md", "changed"),
    ]
    assert parse_name_status("") == []


def test_unchecked_files_every_other_path_is_listed_for_review() -> None:
    output = "\0".join(
        [
            *("A", "docs/papers/a.md"),
            *("M", "docs/contribute.md"),
            *("A", "docs/papers/sub/x.md"),
            *("A", "docs/papers/evil.html"),
            *("M", "hooks/collect_papers.py"),
            *("D", ".github/workflows/ci.yml"),
            *("R100", "docs/papers/f.md", "elsewhere/f.md"),
            *("R100", "tests/a.py", "tests/b.py"),
            "",
        ]
    )
    others = parse_other_changes(output)
    assert others == [
        PageChange(".github/workflows/ci.yml", "removed"),
        PageChange("docs/contribute.md", "changed"),
        PageChange("docs/papers/evil.html", "added"),
        PageChange("docs/papers/sub/x.md", "added"),
        PageChange("elsewhere/f.md", "added"),
        PageChange("hooks/collect_papers.py", "changed"),
        PageChange("tests/b.py", "renamed", old_path="tests/a.py"),
    ]
    text = render_summary(parse_name_status(output), titles={}, others=others)
    assert "No paper pages" not in text
    assert "- ⚠️ **added** docs/papers/evil\\.html: not a paper page" in text
    assert "- ⚠️ **changed** hooks/collect\\_papers\\.py: outside docs/papers/" in text
    assert "- ⚠️ **renamed** tests/b\\.py, was tests/a\\.py" in text
    assert "docs/contribute\\.md: outside docs/papers/: part of the published site" in text


def test_render_summary_lists_and_links_each_paper() -> None:
    changes = [
        PageChange("docs/papers/pointer-networks.md", "added"),
        PageChange("docs/papers/old.md", "removed"),
        PageChange("docs/papers/b.md", "changed"),
        PageChange("docs/papers/new-name.md", "renamed", old_path="docs/papers/old-name.md"),
    ]
    titles = {
        "docs/papers/pointer-networks.md": "Pointer Networks",
        "docs/papers/b.md": "Bee",
        "docs/papers/new-name.md": "New Name",
    }
    text = render_summary(
        changes,
        titles=titles,
        file_url="https://github.com/o/r/blob/abc123",
        site_url="https://o.github.io/r/",
    )
    lines = text.splitlines()
    assert lines[0] == "## Papers in this pull request"
    assert lines[2] == "1 added, 1 changed, 1 renamed, 1 removed."
    assert lines[4] == (
        "- **added** [Pointer Networks](https://github.com/o/r/blob/abc123/docs/papers/"
        "pointer-networks.md) (docs/papers/pointer\\-networks\\.md) · "
        "[on the site](https://o.github.io/r/papers/pointer-networks/) (after merge)"
    )
    assert lines[5].startswith(
        "- **changed** [Bee](https://github.com/o/r/blob/abc123/docs/papers/b.md)"
    )
    assert lines[5].endswith("(https://o.github.io/r/papers/b/) (now)")
    assert "was docs/papers/old\\-name\\.md" in lines[6]
    assert lines[7] == "- **removed** docs/papers/old\\.md"


def test_render_summary_without_links_or_changes() -> None:
    assert "No paper pages are added" in render_summary([], titles={})
    text = render_summary(
        [PageChange("docs/papers/x.md", "added")], titles={"docs/papers/x.md": None}
    )
    assert "- **added** *(front matter does not parse: see `papers validate`)*" in text
    assert "](" not in text


def test_hostile_titles_stay_text() -> None:
    title = "[click](javascript:alert(1)) <img src=x onerror=alert(2)> *bold* | `code`"
    text = render_summary(
        [PageChange("docs/papers/x.md", "added")],
        titles={"docs/papers/x.md": title},
        file_url="https://github.com/o/r/blob/abc",
    )
    assert "<img" not in text and "](javascript" not in text
    assert md_text(title) in text
    assert md_text("a\nb  c") == "a b c"
    assert md_text("<b>&") == "&lt;b&gt;&amp;"


def test_site_page_url() -> None:
    assert site_page_url("https://o.github.io/r", "docs/papers/x-y.md") == (
        "https://o.github.io/r/papers/x-y/"
    )


@pytest.mark.parametrize(
    ("config", "env", "expected"),
    [
        ("site_name: x\n", {}, None),
        ("site_url: https://example.org/archive/\n", {}, "https://example.org/archive/"),
        ('site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n', {}, None),
        (
            'site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n',
            {"SITE_URL": "https://o.github.io/r"},
            "https://o.github.io/r",
        ),
        ('site_url: !ENV [A, B, "https://x.org/"]\n', {"B": "https://b.org/"}, "https://b.org/"),
        (
            "site_url: https://x.org/\nmarkdown_extensions:\n"
            "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
            {},
            "https://x.org/",
        ),
        ("site_url: [unclosed\n", {}, None),
    ],
)
def test_configured_site_url(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    env: dict[str, str],
    expected: str | None,
) -> None:
    for name in ("SITE_URL", "A", "B"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert configured_site_url(tmp_path / "mkdocs.yml") == expected


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_pr_summary_on_a_branch(
    tmp_path: Path,
    corpus: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    root = tmp_path / "clone"
    (root / "docs" / "papers").mkdir(parents=True)
    shutil.copytree(corpus / "data", root / "data")
    (root / "mkdocs.yml").write_text("site_url: https://o.github.io/r/\n", encoding="utf-8")
    pages = root / "docs" / "papers"
    (pages / "kept.md").write_text(
        GOOD_FRONT.format(title="Kept", tag="surveys", abstract="Text."), encoding="utf-8"
    )
    (pages / "edited.md").write_text(
        GOOD_FRONT.format(title="Edited", tag="surveys", abstract="Text."), encoding="utf-8"
    )
    (pages / "gone.md").write_text(
        GOOD_FRONT.format(title="Gone", tag="surveys", abstract="Text."), encoding="utf-8"
    )
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    _git(root, "checkout", "-q", "-b", "contribution")
    (pages / "edited.md").write_text(
        GOOD_FRONT.format(title="Edited", tag="surveys", abstract="Better text."), encoding="utf-8"
    )
    (pages / "gone.md").unlink()
    added = paper("A <New> Paper")
    (pages / "a-new-paper.md").write_text(render_page(added), encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")  # not a paper
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "contribution")
    (pages / "uncommitted.md").write_text("not in the diff\n", encoding="utf-8")

    code = cli.main(
        [
            "--root",
            str(root),
            "pr-summary",
            "--base",
            "main",
            "--file-url",
            "https://github.com/o/r/blob/abc",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "1 added, 1 changed, 1 removed." in out
    assert (
        "- **added** [A &lt;New&gt; Paper](https://github.com/o/r/blob/abc/docs/papers/a-new-paper.md)"
        in out
    )
    assert "[on the site](https://o.github.io/r/papers/a-new-paper/) (after merge)" in out
    assert "- **changed** [Edited]" in out
    assert "- **removed** docs/papers/gone\\.md" in out
    assert "kept" not in out and "uncommitted" not in out
    papers, others = out.split("## Other files in this pull request")
    assert "index" not in papers
    assert "- ⚠️ **added** docs/index\\.md: outside docs/papers/" in others

    assert cli.main(["--root", str(root), "pr-summary", "--base", "no-such-branch"]) == 1
    assert "git diff" in capsys.readouterr().err
