"""Names and fences (issue 17, section 6), through the real CLI and a real build.

A title chooses a file name (Windows' reserved ``con.md``, MkDocs' ``index.md``), a title
key decides whether two papers are one (``C++`` and ``C``), a fence decides whether
MkDocs sees the front matter at all (``---`` then U+00A0), a schema pattern decides
whether ``2403.12345\\n`` is an id, and ``sources`` names files under ``data/``. Each
test plays the contributor with ``papers add``/``validate``/``ingest`` in a subprocess
on a tmp copy of the site, and ``mkdocs build --strict`` where the build is involved.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort
from mkdocs.utils.meta import YAML_RE
from paper_archive.disk.pages import FRONT_MATTER
from paper_archive.record.slugs import RESERVED_NAMES, allowed_slugs, is_reserved_name, title_key
from paper_archive.sources import manifest_text

from tests.papers_cli import papers
from tests.sitebuild import build_site, make_site, paper

PAGE = "---\ntitle: {title}\ntags: []\nadded: 2026-11-23\n{extra}---\n\n# {heading}\n\nText.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the real site (config, hooks, theme, data/) with one good paper."""
    return make_site(tmp_path / "site", [paper("Pointer Networks", tags=("llms",))])


def page_names(root: Path) -> set[str]:
    return {p.name for p in (root / "docs/papers").glob("*.md")}


def errors_of(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [row for row in done.stdout.splitlines() if ": error: " in row]


# --- reserved names -------------------------------------------------------------------

RESERVED_TITLES = ["CON", "Aux", "NUL", "com1", "LPT9", "prn", "COM0", "Index", "README"]


def test_add_never_writes_a_reserved_file_name(site: Path) -> None:
    """One ``papers add`` per reserved title, into one archive, then one ``validate``
    of them all (one CLI run less per title; issue 18)."""
    for title in RESERVED_TITLES:
        before = page_names(site)
        done = papers(site, "add", "--title", title, "--abstract-file", "-", stdin="An abstract.\n")
        assert done.returncode == 0, (title, done.stdout + done.stderr)
        (new,) = page_names(site) - before
        assert not is_reserved_name(new), (title, new)
        assert new == f"{title.lower()}-paper.md", title
    done = papers(site, "validate")
    assert done.returncode == 0, done.stdout


def test_validate_refuses_reserved_file_names(site: Path) -> None:
    """A pull request that adds ``con.md`` (its title says CON), ``Aux.md`` or
    ``index.md`` by hand is refused, naming each file."""
    for name, title in [("con", "CON"), ("aux", "Aux"), ("lpt9", "LPT9"), ("index", "Index")]:
        page = PAGE.format(title=title, heading=title, extra="")
        (site / "docs/papers" / f"{name}.md").write_text(page, encoding="utf-8")
    done = papers(site, "validate")
    assert done.returncode == 1
    for name in ("con", "aux", "lpt9", "index"):
        assert any(
            row.startswith(f"docs/papers/{name}.md:1: error: file name '{name}.md' is reserved")
            for row in errors_of(done)
        ), done.stdout


@given(
    st.sampled_from(sorted(RESERVED_NAMES)),
    st.sampled_from(["", " ", ".", "!", " ...", "  —"]),
    st.booleans(),
)
def test_no_title_gets_a_reserved_slug(name: str, tail: str, upper: bool) -> None:
    title = (name.upper() if upper else name) + tail
    for slug in allowed_slugs(title):
        assert not is_reserved_name(f"{slug}.md"), (title, slug)


# --- + and # in titles ------------------------------------------------------------------


def _hf_source(root: Path, stem: str, titles: list[str]) -> None:
    items = [{"paper": {"title": t, "summary": f"The abstract of {t}."}} for t in titles]
    data = json.dumps(items).encode()
    sources = root / "data/sources"
    (sources / f"{stem}.json").write_bytes(data)
    (sources / f"{stem}.yaml").write_text(
        manifest_text(
            source_id=stem,
            file_name=f"{stem}.json",
            data=data,
            kind="hf-daily-api",
            origin="test",
            added=dt.date(2026, 11, 23),
        ),
        encoding="utf-8",
    )


def test_ingest_keeps_c_plus_plus_and_c_apart(site: Path) -> None:
    titles = ["C++ Networks", "C Networks", "C# Networks", "Flow++ Models", "Flow Models"]
    for seed in (site / "data/sources").iterdir():  # only this test's source
        seed.unlink()
    _hf_source(site, "hf-daily-2026-11-23-0badc0de", titles)
    done = papers(site, "ingest")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "new 5," in done.stdout and "merged duplicates 0" in done.stdout, done.stdout
    written = {
        re.search(r"^title: (.*)$", p.read_text("utf-8"), re.M)[1]  # type: ignore[index]
        for p in (site / "docs/papers").glob("*.md")
    }
    assert {t.strip("'") for t in written} >= set(titles)
    assert papers(site, "validate").returncode == 0  # neither a duplicate nor a homoglyph
    assert papers(site, "ingest", "--check").returncode == 0


def test_add_takes_c_plus_plus_beside_c(site: Path) -> None:
    first = papers(site, "add", "--title", "C Networks", "--abstract-file", "-", stdin="One.\n")
    assert first.returncode == 0, first.stdout + first.stderr
    second = papers(site, "add", "--title", "C++ Networks", "--abstract-file", "-", stdin="Two.\n")
    assert second.returncode == 0, second.stdout + second.stderr
    assert len(page_names(site)) == 3
    assert papers(site, "validate").returncode == 0
    again = papers(site, "add", "--title", "c++ networks!", "--abstract-file", "-", stdin="x\n")
    assert again.returncode != 0  # the same paper is still refused


def test_title_keys_spell_meaningful_symbols() -> None:
    assert title_key("C++ Networks") != title_key("C Networks") != title_key("C# Networks")
    assert title_key("C++  networks") == title_key("c++ Networks")
    assert title_key("Pointer Networks!") == title_key("pointer networks")


# --- fences -------------------------------------------------------------------------------

ODD_SPACES = ["\u00a0", "\u2003", "\u3000", "\ufeff", "\x0b", "\x0c", "\u200b"]


@pytest.mark.parametrize("space", ODD_SPACES, ids=[f"U+{ord(c):04X}" for c in ODD_SPACES])
def test_a_fence_mkdocs_does_not_see_is_an_error(
    site: Path, space: str, caplog: pytest.LogCaptureFixture
) -> None:
    page = site / "docs/papers/pointer-networks.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace("---\n", f"---{space}\n", 1), encoding="utf-8")
    assert YAML_RE.match(page.read_text("utf-8")) is None  # MkDocs sees no front matter
    done = papers(site, "validate")
    assert done.returncode == 1
    assert any(
        row.startswith("docs/papers/pointer-networks.md:1: error: the opening '---'")
        for row in errors_of(done)
    ), done.stdout
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_site(site, strict=True)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "docs/papers/pointer-networks.md:1:" in logged


def test_a_closing_fence_mkdocs_does_not_see_is_an_error(site: Path) -> None:
    page = site / "docs/papers/pointer-networks.md"
    lines = page.read_text("utf-8").split("\n")
    closing = lines.index("---", 1)
    lines[closing] = "---\u00a0"
    page.write_text("\n".join(lines), encoding="utf-8")
    done = papers(site, "validate")
    assert done.returncode == 1
    assert f"docs/papers/pointer-networks.md:{closing + 1}: error: this '---' line" in done.stdout


_FENCE_TEXT = st.lists(
    st.sampled_from(["---", "...", "--", "----", " ", "\t", "\u00a0", "\n", "\r\n", "a: 1", "x"]),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_FENCE_TEXT)
def test_front_matter_is_found_exactly_where_mkdocs_finds_it(text: str) -> None:
    """MkDocs reads pages with universal newlines, so it sees CRLF as LF."""
    ours = FRONT_MATTER.match(text)
    theirs = (
        YAML_RE.match(text.replace("\r\n", "\n")) if "\r" not in text.replace("\r\n", "") else None
    )
    if "\r" in text.replace("\r\n", ""):
        return  # a lone CR: MkDocs reads a line break, we refuse the page (stricter)
    assert (ours is None) == (theirs is None), text
    if ours and theirs:
        assert ours[1].replace("\r\n", "\n") == theirs[1]
        assert (
            text[ours.end() :].replace("\r\n", "\n") == text.replace("\r\n", "\n")[theirs.end() :]
        )


# --- schema patterns ------------------------------------------------------------------------


TRAILING_NEWLINES = [
    ("arxiv", '"2403.12345\\n"'),
    ("arxiv", '"hep-th/9901001\\n"'),
    ("code", '["https://github.com/x/y\\n"]'),
    ("tags", '["llms\\n"]'),
]


def test_a_trailing_newline_fails_the_schema(site: Path, caplog: pytest.LogCaptureFixture) -> None:
    """One page per value, in one archive: one ``papers validate`` names each page's
    error, one build leaves each page out (one CLI run and one build for all; issue 18)."""
    pages = {}
    for number, (key, value) in enumerate(TRAILING_NEWLINES):
        title = f"Pointer Networks {number}"
        page = site / "docs/papers" / f"pointer-networks-{number}.md"
        extra = "" if key == "tags" else f"{key}: {value}\n"
        text = PAGE.format(title=title, heading=title, extra=extra)
        if key == "tags":
            text = text.replace("tags: []", f"tags: {value}")
        page.write_text(text, encoding="utf-8")
        pages[f"docs/papers/{page.name}"] = (key, title)
    done = papers(site, "validate")
    assert done.returncode == 1, done.stdout
    for path, (key, _) in pages.items():
        rows = [row for row in errors_of(done) if row.startswith(f"{path}:")]
        assert any(key in row and "must" in row for row in rows), (path, key, done.stdout)
    with caplog.at_level(logging.WARNING):
        out = build_site(site, strict=False)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    bib = gzip.decompress((out / "papers.bib.gz").read_bytes()).decode("utf-8")
    for path, (key, title) in pages.items():
        assert f"{path}: left out of the site" in logged, (path, key)
        assert title not in bib, (path, key)
    assert "Pointer Networks" in bib  # the good page is in


# --- sources ----------------------------------------------------------------------------------


BAD_SOURCES = [
    ("../../etc/passwd", "is not a source id"),
    ("/etc/passwd", "is not a source id"),
    ("hf-listing-..", "is not a source id"),
    ("data/sources/hf-listing-38e464cb", "is not a source id"),
    ("hf-listing-00000000", "names no source"),
]


def test_sources_must_name_a_manifest_under_data_sources(site: Path) -> None:
    """One page per bad ``sources`` item, each beside the real seed source, in one
    archive: one ``papers validate`` names each (issue 18: one CLI run for all)."""
    for number, (source, _) in enumerate(BAD_SOURCES):
        title = f"Pointer Networks {number}"
        extra = f"sources:\n- {json.dumps(source)}\n- hf-listing-38e464cb\n"
        (site / "docs/papers" / f"pointer-networks-{number}.md").write_text(
            PAGE.format(title=title, heading=title, extra=extra), encoding="utf-8"
        )
    done = papers(site, "validate")
    assert done.returncode == 1
    for number, (source, reason) in enumerate(BAD_SOURCES):
        path = f"docs/papers/pointer-networks-{number}.md"
        (error,) = [row for row in errors_of(done) if row.startswith(f"{path}:")] or [done.stdout]
        assert error.startswith(f"{path}:6: error: source "), (source, error)
        assert reason in error, (source, error)
    # The real seed source is fine.
    for number in range(len(BAD_SOURCES)):
        title = f"Pointer Networks {number}"
        (site / "docs/papers" / f"pointer-networks-{number}.md").write_text(
            PAGE.format(title=title, heading=title, extra="sources:\n- hf-listing-38e464cb\n"),
            encoding="utf-8",
        )
    assert papers(site, "validate").returncode == 0
