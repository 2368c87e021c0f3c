from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paper_archive import cli
from paper_archive.disk.validate import Diagnostic, check_archive, check_page
from paper_archive.files.yamlio import QUOTE_MAX, shorten
from paper_archive.project import Project
from paper_archive.record.model import (
    FIELD_ORDER,
    FieldProblem,
    InvalidFrontMatter,
    Paper,
    front_matter_problems,
    json_ready,
    paper_schema,
)
from paper_archive.record.tagging import Vocabulary

from tests import CORPUS

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
        "`title` must be the title as text on one line (quote it if it looks like a date",
    ),
    (
        "title is a date",
        "---\ntitle: 2024-01-01\ntags: []\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        2,
        "like:\n  title: 'Attention Is All You Need'\n(found 2024-01-01)",
    ),
    (
        "added is not a date",
        "---\ntitle: Pointer Networks\ntags: []\nadded: last week\n---\n",
        "pointer-networks",
        4,
        "`added` must be the date the paper was added, written YYYY-MM-DD, like:\n"
        "  added: 2026-11-23\n(found 'last week')",
    ),
    (
        "tags is a string",
        "---\ntitle: Pointer Networks\ntags: llms\nadded: 2026-11-23\n---\n",
        "pointer-networks",
        3,
        "`tags` must be a list of topic slugs from data/tags.yaml",
    ),
    (
        "author count wrong type",
        "---\ntitle: Pointer Networks\ntags: []\nadded: 2026-11-23\nauthor_count: three\n---\n",
        "pointer-networks",
        5,
        "`author_count` must be the number of authors, a whole number of at least 1",
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
    """``text`` as page ``name``, with the seed source GOOD names (validate checks that
    each source a page names has its manifest)."""
    for part in ("hf-listing-38e464cb.yaml", "hf-listing-38e464cb.txt"):
        shutil.copy(CORPUS / "data" / "sources" / part, project.sources_dir / part)
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
    from paper_archive.disk.pages import parse_page
    from paper_archive.errors import FrontMatterError
    from paper_archive.record.model import Paper

    with pytest.raises((FrontMatterError, TypeError, ValueError)):
        parsed = parse_page(text, path=f"{stem}.md")
        Paper.from_front_matter(parsed.meta)


# --- one validator: the checks compiled from paper.schema.json give jsonschema's verdicts


def _ecma_patterns(cls: Any) -> Any:
    """``cls`` with JSON Schema's own ``pattern``: an ECMA-262 regex, whose ``$`` is the
    end of the text (``jsonschema`` runs Python's ``re.search``, whose ``$`` also
    matches before a final newline). No pattern of the schema has a literal ``$``."""

    def pattern(validator: Any, regex: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not re.search(
            regex.replace("$", r"\Z"), instance
        ):
            yield jsonschema.ValidationError(f"{instance!r} does not match {regex!r}")

    return jsonschema.validators.extend(cls, {"pattern": pattern})


def test_no_schema_pattern_has_a_literal_dollar() -> None:
    """What :func:`_ecma_patterns`' plain replace relies on."""
    found = re.findall(r'"pattern": "([^"]*)"', json.dumps(paper_schema()))
    assert found and all("\\$" not in p and "[$" not in p for p in found)


def _jsonschema_problems(meta: dict[str, Any]) -> list[FieldProblem]:
    """The reference: ``jsonschema`` itself on the published schema, its errors named
    as ``papers validate`` has always named them."""
    schema = paper_schema()
    cls = _ecma_patterns(jsonschema.validators.validator_for(schema))
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    out: list[FieldProblem] = []
    errors = validator.iter_errors(json_ready(dict(meta)))
    for error in sorted(errors, key=lambda e: [str(p) for p in e.path]):
        path = list(error.path)
        key = str(path[0]) if path else None
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        if error.validator == "required":
            missing = error.message.split(" ")[0]
            out.append(FieldProblem(None, None, f"missing required key: {missing}"))
        elif error.validator == "additionalProperties":
            extra = sorted(set(meta) - set(schema["properties"]))
            out.extend(FieldProblem(k, None, f"unknown key {k!r}") for k in extra)
        else:
            where = shorten(".".join(str(p) for p in path), QUOTE_MAX) or "front matter"
            message = error.message
            value = repr(error.instance)
            if len(value) > QUOTE_MAX:
                message = message.replace(value, shorten(value))
            out.append(FieldProblem(key, index, f"{where}: {shorten(message, 300)}"))
    return out


def _meta_of(text: str) -> dict[str, Any] | None:
    from paper_archive.disk.pages import parse_page
    from paper_archive.errors import FrontMatterError

    try:
        return parse_page(text, path="x.md").meta
    except FrontMatterError:
        return None


@pytest.mark.parametrize(
    "text", [GOOD, *(c[1] for c in CASES)], ids=["good", *(c[0] for c in CASES)]
)
def test_the_checks_give_what_jsonschema_gives_on_each_case(text: str) -> None:
    meta = _meta_of(text)
    if meta is not None:
        assert front_matter_problems(meta) == _jsonschema_problems(meta)


_scalars = st.one_of(
    st.sampled_from(
        [
            "llms",
            "Pointer Networks",
            "",
            "  ",
            "a\nb",
            "UPPER",
            "2403.12345",
            "hep-th/9901001",
            "https://x.org/a",
            "ftp://x",
            "2024-01-01",
            "2024-02-30",
            "20240101",
            "x" * 200,
        ]
    ),
    st.text(max_size=12),
    st.integers(-3, 5),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-2, max_value=4),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=6,
)
_front_matter = st.dictionaries(
    st.sampled_from([*FIELD_ORDER, "tag", "description"]), _values, max_size=len(FIELD_ORDER) + 1
)


#: Where JSON Schema's notions differ from Python's: 3.0 is an integer, True is not 1.
EDGES = [
    {"title": "T", "tags": [], "added": "2024-01-01", "author_count": 3.0},
    {"title": "T", "tags": [], "added": "2024-01-01", "author_count": True},
    {"title": "T", "tags": [], "added": "2024-01-01", "author_count": 0.5},
    {"title": "T", "tags": [], "added": "2024-01-01", "sources": ["a", 1, True]},
    {"title": "T", "tags": [], "added": "2024-01-01", "sources": [1, 1.0]},
    {"title": "T", "tags": [], "added": "2024-01-01", "sources": [[1], [True]]},
    {"title": "T", "tags": [], "added": "2024-01-01", "sources": [{"a": 1}, {"a": 1}]},
    {"title": "T", "tags": [], "added": dt.datetime(2024, 1, 1, 10, 0)},
    {"title": "T\n", "tags": [], "added": dt.date(2024, 1, 1)},
    {"title": None, "tags": None, "added": None, "published": None},
]


@pytest.mark.parametrize("meta", EDGES, ids=[repr(m)[-40:] for m in EDGES])
def test_the_checks_give_what_jsonschema_gives_on_the_edges(meta: dict[str, Any]) -> None:
    assert front_matter_problems(meta) == _jsonschema_problems(meta)


@settings(max_examples=600)
@given(meta=_front_matter)
def test_the_checks_give_what_jsonschema_gives_on_any_front_matter(meta: dict[str, Any]) -> None:
    """Same problems, same messages, same order: the hand checks are the schema."""
    assert front_matter_problems(meta) == _jsonschema_problems(meta)


@settings(max_examples=300)
@given(meta=_front_matter)
def test_a_record_loads_exactly_when_the_schema_passes(meta: dict[str, Any]) -> None:
    if _jsonschema_problems(meta):
        with pytest.raises(InvalidFrontMatter):
            Paper.from_front_matter(meta)
    else:
        assert Paper.from_front_matter(meta).title == meta["title"]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (
            "authors: Ada Lovelace",
            "`authors` must be a list of names, one per line (leave the key out when "
            "unknown), like:\n  authors:\n  - Ada Lovelace\n(found 'Ada Lovelace')",
        ),
        (
            "authors:\n- Ada Lovelace\n- ''",
            "`authors` item 2 must be a name, not ''",
        ),
        (
            "published: June 2017",
            "`published` must be the publication date, written YYYY-MM-DD (leave the key "
            "out when unknown), like:\n  published: 2017-06-12\n(found 'June 2017')",
        ),
        ("arxiv: arXiv:1706.03762", "`arxiv` must be an arXiv id without prefix or version"),
        ("code:\n- ftp://x", "`code` item 1 must be an http(s) link, not 'ftp://x'"),
    ],
)
def test_validate_says_problems_in_the_contributors_terms(
    archive: Project, field: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`papers validate` (the real CLI) says what the field must be and shows YAML that
    is right, never JSON Schema's words (``is not of type 'array'``)."""
    text = f"---\ntitle: Pointer Networks\ntags: []\nadded: 2026-11-23\n{field}\n---\n\n"
    _archive_with(archive, "pointer-networks.md", text + "# Pointer Networks\n\nText.\n")
    code = cli.main(["--root", str(archive.root), "validate"])
    shown = capsys.readouterr().out
    assert code == 1, shown
    assert expected in shown
    for jargon in ("is not of type", "does not match '^", "is not a 'date'", "non-empty"):
        assert jargon not in shown


def test_every_problem_of_a_page_has_its_line(vocabulary: Vocabulary) -> None:
    """load_paper raises one error holding each problem with the line it is on, and
    validate reports exactly those."""
    from paper_archive.disk.pages import load_paper
    from paper_archive.errors import FrontMatterError

    text = (
        "---\ntitle: ''\ntags:\n- llms\n- Bad Tag\nadded: last week\nwhat: 1\n---\n\n# x\n\nText.\n"
    )
    with pytest.raises(FrontMatterError) as caught:
        load_paper(text, path="docs/papers/x.md")
    assert {(p.line, p.message.split(" must")[0]) for p in caught.value.problems} == {
        (7, "unknown key 'what'"),
        (6, "`added`"),
        (5, "`tags` item 2"),
        (2, "`title`"),
    }
    assert str(caught.value).startswith("docs/papers/x.md:7: unknown key 'what'")
    diagnostics, _ = check_page(text, path="docs/papers/x.md", vocabulary=vocabulary)
    shown = {(d.line, d.message) for d in diagnostics if d.severity == "error"}
    assert {(p.line, p.message) for p in caught.value.problems} <= shown


def test_a_schema_keyword_without_a_check_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    from paper_archive.record import model

    schema = {**paper_schema(), "properties": {"title": {"type": "string", "maxLength": 3}}}
    monkeypatch.setattr(model, "paper_schema", lambda: schema)
    model._property_checks.cache_clear()
    try:
        with pytest.raises(ValueError, match="maxLength"):
            front_matter_problems({"title": "x"})
    finally:
        monkeypatch.undo()
        model._property_checks.cache_clear()
