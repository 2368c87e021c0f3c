"""Hostile pull requests against the pages and the build (issue 13), one class per test.

Every case goes through the real components: the `papers` CLI in a subprocess (with a
timeout, so a hang or a crash is a failure, not a stuck suite) on a copy of the site,
and a real MkDocs build of it (tests/sitebuild.py). On each input a command ends with
`path:line: …` lines and exit 1, never a Python traceback, and writes nothing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from paper_archive.disk.pages import render_page
from paper_archive.text.sanitize import BODY_ID_PREFIX

from tests.sitebuild import build_site, make_site, paper

BIN = Path(sys.executable).parent
TIMEOUT = 60
GOOD = "pointer-networks.md"
PAGE = "---\ntitle: {title}\ntags: []\nadded: 2026-11-23\n---\n\n# {heading}\n\n{abstract}\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A command of the venv, killed after TIMEOUT seconds (a hang fails the test)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    result = subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
        cwd=cwd,
        env=env,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    return result


def papers(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("papers", "--root", str(root), *args)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under docs/ and data/ (links as their target's name): to check that
    a refused command wrote and deleted nothing."""
    out: dict[str, bytes] = {}
    for top in ("docs", "data"):
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = str(path.readlink()).encode()
            elif path.is_file():
                out[rel] = path.read_bytes()
    return out


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the real site (config, hooks, theme, site pages) with one good paper."""
    return make_site(tmp_path / "site", [paper("Pointer Networks", tags=("llms",))])


def write_page(root: Path, name: str, *, title: str = "A Page", abstract: str = "Text.") -> Path:
    path = root / "docs" / "papers" / name
    path.write_text(PAGE.format(title=title, heading=title, abstract=abstract), encoding="utf-8")
    return path


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line]


def build_fails(root: Path, caplog: pytest.LogCaptureFixture, *, strict: bool) -> list[str]:
    """Build ``root``; it must fail. Returns the warnings and errors logged."""
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_site(root, strict=strict)
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def build_warns(root: Path, caplog: pytest.LogCaptureFixture) -> tuple[Path, list[str]]:
    """A non-strict build (what `mkdocs serve` does): the site and the warnings."""
    with caplog.at_level(logging.WARNING):
        out = build_site(root, strict=False)
    return out, [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def site_text(out: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in sorted(out.rglob("*")) if p.is_file())


# --- 1. symlinks ---------------------------------------------------------------------


def test_symlinks_are_refused_by_validate_and_the_build(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = site.parent / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE\n", encoding="utf-8")
    (site / "docs/papers/env.txt").symlink_to("/proc/self/environ")
    (site / "docs/papers/secret.md").symlink_to(secret)
    (site / "docs/assets/linked").symlink_to(site.parent)
    (site / "data/sources/linked.yaml").symlink_to(secret)
    before = snapshot(site)

    result = papers(site, "validate")
    assert result.returncode == 1
    errors = error_lines(result.stdout)
    for path in (
        "docs/papers/env.txt",
        "docs/papers/secret.md",
        "docs/assets/linked",
        "data/sources/linked.yaml",
    ):
        assert any(line.startswith(f"{path}:1: error: symbolic link") for line in errors), errors

    for strict in (True, False):
        messages = build_fails(site, caplog, strict=strict)
        assert any("docs/papers/env.txt: error: symbolic link" in m for m in messages), messages
        assert not (site / "site").exists()  # refused before anything is copied
    assert snapshot(site) == before


# --- 2. unchecked files --------------------------------------------------------------


def test_unchecked_files_are_refused_by_validate_and_left_out_of_the_site(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (site / "docs/papers/evil.html").write_text("<script>alert('evil')</script>", "utf-8")
    (site / "docs/papers/sub").mkdir()
    nested = paper("Nested Page", tags=("llms",))
    (site / "docs/papers/sub/nested-page.md").write_text(render_page(nested), "utf-8")
    (site / "docs/extra.md").write_text("# Extra\n\nA page nobody listed.\n", "utf-8")
    contribute = site / "docs/contribute.md"
    contribute.write_text(
        contribute.read_text("utf-8")
        + "\n<script>alert('contribute')</script>\n\n"
        + "[click](javascript:alert('link'))\n\nA `<script>` in code is fine.\n",
        "utf-8",
    )
    before = snapshot(site)

    result = papers(site, "validate")
    assert result.returncode == 1, result.stdout
    errors = error_lines(result.stdout)
    assert any(e.startswith("docs/papers/evil.html:1: error: only paper pages") for e in errors)
    assert any(e.startswith("docs/papers/sub/nested-page.md:1: error: only paper") for e in errors)
    assert any(e.startswith("docs/extra.md:1: error: not one of the site's own") for e in errors)
    script_line = (
        contribute.read_text("utf-8").splitlines().index("<script>alert('contribute')</script>")
    )
    assert any(
        e.startswith(f"docs/contribute.md:{script_line + 1}: error: raw HTML") for e in errors
    )
    assert any(
        e.startswith(f"docs/contribute.md:{script_line + 3}: error: raw HTML") for e in errors
    )
    assert len([e for e in errors if e.startswith("docs/contribute.md")]) == 2  # not the code
    # Only the file asked about is reported when paths are given.
    one = papers(site, "validate", str(site / "docs/papers/evil.html"))
    assert one.returncode == 1 and len(error_lines(one.stdout)) == 1

    assert any("evil.html" in m for m in build_fails(site, caplog, strict=True))
    caplog.clear()
    out, warnings = build_warns(site, caplog)
    for name in ("papers/evil.html", "papers/sub/nested-page.md", "extra.md", "contribute.md"):
        assert any(f"docs/{name}: left out of the site" in w for w in warnings), warnings
    assert not (out / "papers/evil.html").exists()
    assert not (out / "papers/sub").exists()
    assert not (out / "extra").exists() and not (out / "contribute").exists()
    assert "alert(" not in site_text(out)
    assert "Nested Page" not in (out / "tags/llms/index.html").read_text("utf-8")
    assert snapshot(site) == before


def test_unchecked_files_no_site_page_may_hold_raw_html_not_even_search(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The search page's form and scripts are a theme template (search.html): its
    Markdown page holds front matter and a heading, and raw HTML there is refused like
    anywhere else."""
    search = site / "docs/search.md"
    assert "<" not in search.read_text("utf-8")
    search.write_text(search.read_text("utf-8") + "\n<script>alert('search')</script>\n", "utf-8")
    line = search.read_text("utf-8").splitlines().index("<script>alert('search')</script>") + 1

    result = papers(site, "validate")
    assert result.returncode == 1, result.stdout
    assert any(
        e.startswith(f"docs/search.md:{line}: error: raw HTML") for e in error_lines(result.stdout)
    )
    out, warnings = build_warns(site, caplog)
    assert any("docs/search.md: left out of the site" in w for w in warnings), warnings
    assert "alert(" not in site_text(out)


@pytest.mark.archive
def test_unchecked_files_the_committed_site_is_within_the_layout(repo: Path) -> None:
    """Every site page the nav lists is allowed, and the seed tree has nothing else."""
    from paper_archive.disk import layout

    tree = layout.scan(repo)
    assert tree.problems == []
    assert {"docs/index.md", "docs/search.md", "docs/contribute.md"} <= set(tree.site_pages)
    assert len(tree.paper_pages) > 500


# --- 3. preview is not CI -----------------------------------------------------------


def test_preview_never_renders_a_page_that_fails_validation(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    listed = site / "docs/papers/listed-title.md"
    listed.write_text(
        "---\ntitle:\n- <script>alert('title')</script>\ntags: []\nadded: 2026-11-23\n---\n\n"
        "# Listed Title\n\nText.\n",
        "utf-8",
    )
    described = site / "docs/papers/described.md"
    described.write_text(
        "---\ntitle: Described\ntags: []\nadded: 2026-11-23\n"
        "description: <script>alert('description')</script>\n---\n\n# Described\n\nText.\n",
        "utf-8",
    )
    result = papers(site, "validate")
    assert result.returncode == 1
    assert any(
        e.startswith("docs/papers/described.md:5: error:") for e in error_lines(result.stdout)
    )

    assert build_fails(site, caplog, strict=True)  # CI
    caplog.clear()
    out, warnings = build_warns(site, caplog)  # mkdocs serve, a non-strict build
    assert any(
        w.startswith("docs/papers/listed-title.md:2: error: `title` must be") for w in warnings
    ), warnings
    assert any(w.startswith("docs/papers/described.md:5: error:") for w in warnings), warnings
    assert "docs/papers/described.md: left out of the site until `papers validate` passes" in (
        warnings
    )
    assert not (out / "papers/listed-title").exists()
    assert not (out / "papers/described").exists()
    text = site_text(out)
    assert "<script>alert(" not in text and "alert('description')" not in text
    assert (out / "papers/pointer-networks/index.html").is_file()  # the good page stays


# --- 4. deep nesting and aliases ----------------------------------------------------


def _front(root: Path, name: str, yaml_text: str) -> Path:
    path = root / "docs" / "papers" / name
    path.write_text(f"---\n{yaml_text}\n---\n\n# Title\n\nText.\n", "utf-8")
    return path


def _assert_refused_everywhere(site: Path, name: str, line: int, fragment: str) -> None:
    before = snapshot(site)
    result = papers(site, "validate")
    assert result.returncode == 1
    errors = error_lines(result.stdout)
    assert any(
        e.startswith(f"docs/papers/{name}:{line}: error:") and fragment in e for e in errors
    ), errors
    assert all(len(e) < 400 for e in result.stdout.splitlines()), "an unbounded value printed"
    for strict in ("--strict", "--no-strict"):
        built = run("mkdocs", "build", strict, "--site-dir", str(site.parent / "out"), cwd=site)
        assert built.returncode == 1, built.stderr
        assert f"docs/papers/{name}:{line}:" in built.stderr and fragment in built.stderr
    assert snapshot(site) == before


def test_deep_nesting_is_refused_with_file_and_line(site: Path) -> None:
    deep = (
        "title: A\ntags: []\nadded: 2026-11-23\nx:\n"
        + "".join(f"{'  ' * (depth + 1)}k{depth}:\n" for depth in range(40))
        + "  " * 41
        + "leaf: 1"
    )
    _front(site, "deep.md", deep)
    _assert_refused_everywhere(site, "deep.md", 25, "nested more than 20 levels deep")

    flow = "title: " + "[" * 30_000 + "]" * 30_000 + "\ntags: []\nadded: 2026-11-23"
    _front(site, "deep.md", flow)
    _assert_refused_everywhere(site, "deep.md", 2, "nest")


def test_aliases_billion_laughs_is_refused_at_once(site: Path) -> None:
    laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    # authors: 9**10 strings once expanded (the schema walks every one of them).
    text = "title: Laughs\ntags: []\nadded: 2026-11-23\n" + "\n".join(laughs) + "\nauthors: *a9"
    assert len(text) < 1200
    _front(site, "laughs.md", text)
    _assert_refused_everywhere(site, "laughs.md", 5, "anchors and aliases")


# --- 5. encodings --------------------------------------------------------------------


def test_encodings_every_command_names_the_file_and_line(site: Path, tmp_path: Path) -> None:
    pages = site / "docs/papers"
    (pages / "latin.md").write_bytes(
        b"---\ntitle: Caf\xe9 Networks\ntags: []\nadded: 2026-11-23\n---\n\n# Caf\xe9\n\nText.\n"
    )
    before = snapshot(site)
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("An abstract about a new method.", "utf-8")
    for args in (
        ("validate",),
        ("ingest",),
        ("ingest", "--check"),
        ("add", "--title", "A New Method", "--abstract-file", str(abstract)),
        ("enrich",),
    ):
        result = papers(site, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "docs/papers/latin.md:2:" in result.stdout + result.stderr, args
        assert "not UTF-8" in result.stdout + result.stderr, args
    assert snapshot(site) == before
    built = run("mkdocs", "build", "--site-dir", str(tmp_path / "out"), cwd=site)
    assert built.returncode == 1 and "docs/papers/latin.md:2: not UTF-8" in built.stderr

    (pages / "latin.md").unlink()
    (site / "data/sources/bad.yaml").write_bytes(b"id: x\nfile: x.txt\nnote: \xff\n")
    result = papers(site, "ingest")
    assert result.returncode == 1
    assert "data/sources/bad.yaml:3: not UTF-8" in result.stderr


def test_encodings_nul_and_bidi_controls(site: Path) -> None:
    pages = site / "docs/papers"
    (pages / "nul.md").write_bytes(
        b"---\ntitle: Nul\ntags: []\nadded: 2026-11-23\n---\n\n# Nul\n\nText\x00hidden.\n"
    )
    write_page(site, "bidi-title.md", title="Bidi \u202etxt.exe\u202c Title")
    write_page(site, "bidi-body.md", title="Bidi Body", abstract="Mark \u200f in text.")
    result = papers(site, "validate")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("docs/papers/nul.md:9: error: NUL byte") for line in lines), lines
    assert any(
        line.startswith(
            "docs/papers/bidi-title.md:2: error: bidirectional control character U+202E"
        )
        for line in lines
    ), lines
    assert any(
        line.startswith(
            "docs/papers/bidi-body.md:9: warning: bidirectional control character U+200F"
        )
        for line in lines
    ), lines


def test_encodings_pr_summary_reads_a_non_utf8_page(site: Path) -> None:
    def git(*args: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e.invalid"}
        env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e.invalid"}
        subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    git("checkout", "-q", "-b", "pr")
    (site / "docs/papers/latin.md").write_bytes(b"---\ntitle: Caf\xe9\ntags: []\n---\n")
    (site / "hooks/extra.py").write_text("print('hi')\n", "utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "pr")
    result = papers(site, "pr-summary", "--base", "main")
    assert result.returncode == 0, result.stderr
    assert "front matter does not parse" in result.stdout
    assert "hooks/extra\\.py: outside docs/papers/" in result.stdout


# --- 6. size -------------------------------------------------------------------------


def test_size_limits_in_validate_add_and_the_build(
    site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_page(site, "huge.md", title="Huge", abstract="word " * 2_000_000)  # 10 MB
    long_title = "Long " * 70 + "Title"
    write_page(site, "long.md", title=long_title)
    write_page(site, "wordy.md", title="Wordy", abstract="a " * 6_000)  # 12 KB, 6,000 words
    result = papers(site, "validate")
    assert result.returncode == 1
    errors = error_lines(result.stdout)
    assert "docs/papers/huge.md:1: error: file is larger than the limit of 64 KB" in errors
    assert any(
        e.startswith("docs/papers/long.md:2: error: title is 355 characters") for e in errors
    )
    assert any(
        e.startswith("docs/papers/wordy.md:9: error: abstract is 6000 words") for e in errors
    )

    (site / "docs/papers/huge.md").unlink()
    out, warnings = build_warns(site, caplog)
    assert any(w.startswith("docs/papers/long.md:2: error: title is 355") for w in warnings)
    assert not (out / "papers/long").exists() and not (out / "papers/wordy").exists()

    before = snapshot(site)
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("An abstract.", "utf-8")
    refused = papers(
        site, "add", "--title", "Long " * 70 + "Paper", "--abstract-file", str(abstract)
    )
    assert refused.returncode == 1 and "title is 355 characters" in refused.stderr
    abstract.write_text("many " * 9_000, "utf-8")  # 45 KB
    refused = papers(site, "add", "--title", "A Fine Title", "--abstract-file", str(abstract))
    assert refused.returncode == 1 and "over the limit of 5000 words" in refused.stderr
    assert snapshot(site) == before


# --- 7. attr_list ids ----------------------------------------------------------------


def test_attr_list_ids_cannot_take_the_pages_own_ids(site: Path) -> None:
    page = site / "docs/papers/pointer-networks.md"
    page.write_text(
        page.read_text("utf-8")
        + "\n## Notes {#search-more}\n\nA note.\n{#search-query}\n\n"
        + "## Cite\n\nSee [the note](#search-more).\n",
        "utf-8",
    )
    out = build_site(site)
    html = (out / "papers/pointer-networks/index.html").read_text("utf-8")
    assert 'id="search-more"' not in html and 'id="search-query"' not in html
    assert f'id="{BODY_ID_PREFIX}search-more"' in html
    assert f'href="#{BODY_ID_PREFIX}search-more"' in html  # links and the toc follow
    assert html.count('id="cite"') == 1  # the template's own; the heading's is prefixed
    assert f'id="{BODY_ID_PREFIX}cite"' in html


def test_size_limits_are_the_ones_contributing_documents(repo: Path) -> None:
    from paper_archive.disk import pages
    from paper_archive.files import yamlio

    text = (repo / "CONTRIBUTING.md").read_text("utf-8")
    section = text.split("## What a pull request may contain")[1].split("\n## ")[0]
    section = " ".join(section.split())
    assert f"a page over {pages.PAGE_MAX_BYTES // 1024} KB" in section
    assert f"a title over {pages.TITLE_MAX_CHARS} characters" in section
    assert f"an abstract over {pages.ABSTRACT_MAX_WORDS:,} words" in section
    assert f"or {pages.ABSTRACT_MAX_BYTES // 1024} KB" in section
    assert f"nested more than {yamlio.MAX_DEPTH} levels" in section
    assert f"at most {yamlio.QUOTE_MAX} characters" in section
