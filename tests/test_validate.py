from __future__ import annotations

from pathlib import Path

import pytest
from paper_archive import cli
from paper_archive.project import Project
from paper_archive.tagging import Vocabulary
from paper_archive.validate import Diagnostic, check_archive, check_page

GOOD = """---
title: Pointer Networks
tags:
- sequence-models
added: 2026-11-23
published: 2015-06-09
sources:
- hf-listing-38e464cb
---

# Pointer Networks

We introduce a new neural architecture.
"""

# (description, page text, file stem, expected line, expected message fragment)
CASES = [
    (
        "invalid YAML",
        "---\ntitle: Pointer Networks\ntags: [unclosed\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        4,
        "invalid YAML",
    ),
    (
        "duplicate key",
        "---\ntitle: Pointer Networks\ntags: []\ntitle: Again\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        4,
        "duplicate key 'title'",
    ),
    (
        "list instead of mapping",
        "---\n- title\n- tags\n---\n",
        "pointer-networks",
        2,
        "must be a mapping",
    ),
    (
        "scalar instead of mapping",
        "---\nPointer Networks\n---\n",
        "pointer-networks",
        2,
        "must be a mapping",
    ),
    ("empty front matter", "---\n---\n\n# x\n", "pointer-networks", 2, "found empty"),
    ("no front matter", "# Pointer Networks\n", "pointer-networks", 1, "must start with a '---'"),
    ("unclosed front matter", "---\ntitle: x\n", "pointer-networks", 1, "not closed"),
    (
        "missing title",
        "---\ntags: []\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        1,
        "missing required key: 'title'",
    ),
    (
        "title is not a string",
        "---\ntitle: no\ntags: []\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        2,
        "title: False is not of type 'string'",
    ),
    (
        "title is a date",
        "---\ntitle: 2024-01-01\ntags: []\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        2,
        "is not of type 'string'",
    ),
    (
        "added is not a date",
        "---\ntitle: Pointer Networks\ntags: []\nadded: last week\n---\n",
        "pointer-networks",
        4,
        "added: 'last week' is not a 'date'",
    ),
    (
        "tags is a string",
        "---\ntitle: Pointer Networks\ntags: llms\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        3,
        "tags: 'llms' is not of type 'array'",
    ),
    (
        "author count wrong type",
        "---\ntitle: Pointer Networks\ntags: []\nadded: 2026-11-23\nauthor_count: three\n---\n",
        "pointer-networks",
        5,
        "author_count: 'three' is not of type 'integer'",
    ),
    (
        "unknown key",
        "---\ntitle: Pointer Networks\ntags: []\nadded: 2026-11-23\ntag: llms\n---\n",
        "pointer-networks",
        5,
        "unknown key 'tag'",
    ),
    (
        "unknown tag",
        "---\ntitle: Pointer Networks\ntags:\n- llms\n- transformer\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        5,
        "unknown tag 'transformer' (did you mean transformers",
    ),
    (
        "file name mismatch",
        GOOD,
        "pointers",
        2,
        "does not match the title; expected pointer-networks.md",
    ),
    (
        "raw HTML in body",
        GOOD + "\n<script>alert(1)</script>\n",
        "pointer-networks",
        15,
        "raw HTML",
    ),
]


@pytest.mark.parametrize(
    ("text", "stem", "line", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_error_names_file_and_line(
    text: str, stem: str, line: int, fragment: str, vocabulary: Vocabulary
) -> None:
    path = f"docs/papers/{stem}.md"
    diagnostics, _ = check_page(text, path=path, vocabulary=vocabulary)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert errors, "expected an error"
    assert any(d.line == line and fragment in d.message for d in errors), [str(d) for d in errors]
    assert all(str(d).startswith(f"{path}:{d.line}: error: ") for d in errors)


def test_good_page_has_no_diagnostics(vocabulary: Vocabulary) -> None:
    assert check_page(GOOD, path="docs/papers/pointer-networks.md", vocabulary=vocabulary)[0] == []


def test_duplicate_and_near_duplicate_titles(vocabulary: Vocabulary) -> None:
    def page(title: str) -> str:
        return f"---\ntitle: '{title}'\ntags: []\nadded: 2026-11-23\n---\n\n# {title}\n\nText.\n"

    pages = {
        "docs/papers/pointer-networks.md": page("Pointer Networks"),
        "docs/papers/pointer-networks-1a2b3c.md": page("Pointer networks!"),
        "docs/papers/white-box-transformers-via-sparse-rate-reduction.md": page(
            "White-Box Transformers via Sparse Rate Reduction"
        ),
        "docs/papers/white-box-transformers-via-sparse-rate-reduction-compression-is-all-there-is.md": page(
            "White-Box Transformers via Sparse Rate Reduction: Compression Is All There Is?"
        ),
    }
    found = check_archive(pages, vocabulary=vocabulary)
    dup = [d for d in found if "same paper as" in d.message]
    assert {(d.path, d.line, d.severity) for d in dup} == {
        ("docs/papers/pointer-networks.md", 2, "error"),
        ("docs/papers/pointer-networks-1a2b3c.md", 2, "error"),
    }
    assert any("same paper as docs/papers/pointer-networks-1a2b3c.md" in d.message for d in dup)
    near = [d for d in found if "title is close to" in d.message]
    assert any(d.severity == "warning" and "white-box" in d.path for d in near)
    assert not any(d.severity == "error" and "white-box" in d.path for d in found)


def test_github_annotation_format() -> None:
    d = Diagnostic("docs/papers/a,b.md", 3, "error", "bad: 100%\nreally")
    assert d.github() == "::error file=docs/papers/a%2Cb.md,line=3::bad: 100%25%0Areally"


def _archive_with(project: Project, name: str, text: str) -> Path:
    path = project.pages_dir / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_reports_and_exits_1(archive: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _archive_with(archive, "pointer-networks.md", GOOD.replace("- sequence-models", "- nope"))
    assert cli.main(["--root", str(archive.root), "validate"]) == 1
    out = capsys.readouterr().out
    assert "docs/papers/pointer-networks.md:4: error: unknown tag 'nope'" in out
    assert "1 page(s) checked: 1 error(s)" in out


def test_cli_github_annotations(
    archive: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive_with(archive, "pointer-networks.md", "---\ntitle: x: y\n---\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["--root", str(archive.root), "validate"]) == 1
    assert (
        "::error file=docs/papers/pointer-networks.md,line=2::invalid YAML"
        in capsys.readouterr().out
    )


def test_cli_validates_only_given_paths(
    archive: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _archive_with(archive, "pointer-networks.md", GOOD)
    _archive_with(archive, "broken.md", "---\n[\n---\n")
    assert cli.main(["--root", str(archive.root), "validate", str(good)]) == 0
    assert "1 page(s) checked: 0 error(s)" in capsys.readouterr().out
    assert cli.main(["--root", str(archive.root), "validate"]) == 1


@pytest.mark.archive
def test_committed_archive_is_valid(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--root", str(repo), "validate"]) == 0
    assert "0 error(s)" in capsys.readouterr().out
    assert cli.main(["--root", str(repo), "ingest", "--check"]) == 0


# The file name, raw HTML and tags are checked by validate alone, not by the model.
MODEL_CASES = [
    c for c in CASES if c[0] not in ("file name mismatch", "raw HTML in body", "unknown tag")
]


@pytest.mark.parametrize(
    ("text", "stem", "line", "fragment"),
    [c[1:] for c in MODEL_CASES],
    ids=[c[0] for c in MODEL_CASES],
)
def test_the_model_refuses_what_the_schema_refuses(
    text: str, stem: str, line: int, fragment: str
) -> None:
    """Ingest reads pages through the typed model, validate through the JSON Schema:
    both must reject the same front matter."""
    from paper_archive.errors import FrontMatterError
    from paper_archive.model import Paper
    from paper_archive.pages import parse_page

    with pytest.raises((FrontMatterError, TypeError, ValueError)):
        parsed = parse_page(text, path=f"{stem}.md")
        Paper.from_front_matter(parsed.meta)
