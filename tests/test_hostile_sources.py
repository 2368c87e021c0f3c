"""Hostile sources and unlucky operators (issue 13, items 8-11; issue 9's near-duplicate
warnings): papers lost on ingest, hostile upstream bodies, near duplicates, temp files
left by ``kill -9``, a closed stdout.

Where a user would run the CLI, these run the real ``papers`` in a subprocess and
assert that no command ends in a traceback. ``papers fetch`` needs the network, so its
cases go through the same ``cli.main`` in-process with the recorded responses served by
the fake API of ``tests/fetch/conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from paper_archive import cli
from paper_archive.disk import layout
from paper_archive.errors import FeedError
from paper_archive.fetch import http
from paper_archive.files.textfile import temp_path
from paper_archive.project import Project
from paper_archive.record import slugs
from paper_archive.record.accepted import AcceptedPairsError, parse_accepted_pairs
from paper_archive.record.slugs import (
    base_slug,
    confusable_key,
    edit_distance,
    near_duplicates,
    title_key,
)
from paper_archive.sources import arxiv, manifest_text
from paper_archive.sources import hf as hf_feed

from tests.fetch.conftest import FIXTURES, FakeApi, ok, tree

from . import CORPUS, REPO, codeowners

PAPERS = str(Path(sys.executable).with_name("papers"))
SOURCE_DATE_EPOCH = "1795392000"  # 2026-11-23


def papers(root: Path, *args: str, check_traceback: bool = True) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, on the archive at ``root``."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [PAPERS, "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if check_traceback:
        assert "Traceback" not in done.stderr, done.stderr
    return done


def add_source(project: Project, name: str, data: bytes, kind: str) -> Path:
    """A stored response with its manifest, as ``papers fetch`` writes them."""
    raw = project.sources_dir / name
    raw.write_bytes(data)
    stem = raw.name.rsplit(".", 1)[0]
    (project.sources_dir / f"{stem}.yaml").write_text(
        manifest_text(
            source_id=stem,
            file_name=raw.name,
            data=data,
            kind=kind,
            origin="test",
            added=dt.date(2026, 11, 23),
        ),
        encoding="utf-8",
    )
    return raw


def hf_body(*papers_: tuple[str, str | None]) -> bytes:
    """A Daily Papers response: (title, arXiv id) each, with an abstract."""
    items = [
        {"paper": {"id": ident, "title": title, "summary": f"The abstract of {title}."}}
        for title, ident in papers_
    ]
    return json.dumps(items, ensure_ascii=False).encode("utf-8")


def pages(project: Project) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(project.pages_dir.glob("*.md"))}


# --- 8. Papers lost on ingest ------------------------------------------------------

SYMBOL_TITLES = ["!!!???", "🔥🔥🔥", "∑∏∫", "→ ← ↔"]


def test_papers_lost_symbol_titles_have_distinct_nonempty_keys_and_stable_slugs() -> None:
    keys = [title_key(t) for t in SYMBOL_TITLES]
    assert all(keys) and len(set(keys)) == len(keys)
    assert title_key("🔥 🔥🔥") == title_key("🔥🔥🔥")  # spacing still folds
    assert title_key(" \t") != ""
    slug_list = [base_slug(t) for t in SYMBOL_TITLES]
    assert len(set(slug_list)) == len(slug_list)
    # Stable: these names are part of the archive once written.
    assert base_slug("🔥🔥🔥") == "paper-6b05e6bfa230"
    assert base_slug("!!!???") == "paper-6f5d923bb84f"
    # Titles with a letter or digit keep the key and slug they always had.
    assert title_key("CO$_2$ Plumes") == "co 2 plumes"
    assert base_slug("Attention Is All You Need") == "attention-is-all-you-need"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_papers_lost_no_title_has_an_empty_key_or_slug(title: str) -> None:
    assert title_key(title)
    assert base_slug(title) and "/" not in base_slug(title)


def test_papers_lost_ingest_writes_one_page_per_symbol_title(archive: Project) -> None:
    body = hf_body(*((t, None) for t in SYMBOL_TITLES))
    add_source(archive, "hf-daily-symbols.json", body, hf_feed.KIND)
    done = papers(archive.root, "ingest")
    assert done.returncode == 0, done.stderr
    assert "new 4," in done.stdout and "merged duplicates 0" in done.stdout
    titles = {text.split("title: ", 1)[1].split("\n", 1)[0] for text in pages(archive).values()}
    assert len(titles) == 4
    assert papers(archive.root, "validate").returncode == 0
    assert papers(archive.root, "ingest", "--check").returncode == 0  # stable on rerun


def test_papers_lost_add_takes_a_symbol_title_beside_another(
    archive: Project, tmp_path: Path
) -> None:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("An abstract.\n", encoding="utf-8")
    first = papers(archive.root, "add", "--title", "!!!???", "--abstract-file", str(abstract))
    assert first.returncode == 0, first.stderr
    second = papers(archive.root, "add", "--title", "🔥🔥🔥", "--abstract-file", str(abstract))
    assert second.returncode == 0, second.stderr
    assert len(pages(archive)) == 2
    again = papers(archive.root, "add", "--title", "🔥 🔥 🔥", "--abstract-file", str(abstract))
    assert again.returncode == 1 and "already" in again.stderr.lower()


def test_papers_lost_every_merge_under_another_title_is_named(archive: Project) -> None:
    body = hf_body(
        ("Pointer Networks", "1506.03134"),
        ("Pointer Networks (revised title)", "1506.03134"),
        ("Pointer networks!", None),
    )
    add_source(archive, "hf-daily-merges.json", body, hf_feed.KIND)
    done = papers(archive.root, "ingest")
    assert done.returncode == 0, done.stderr
    assert "merged duplicates 2" in done.stdout
    assert (
        "merged 'Pointer Networks (revised title)' (hf-daily-merges) into 'Pointer Networks': "
        "same arXiv id" in done.stderr
    )
    assert (
        "merged 'Pointer networks!' (hf-daily-merges) into 'Pointer Networks': same title key"
        in (done.stderr)
    )


@pytest.mark.archive
def test_papers_lost_seed_archive_keys_and_slugs_unchanged() -> None:
    done = papers(REPO, "ingest", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would be new 0, would be updated 0" in done.stdout


# --- 9. Hostile upstream bodies ----------------------------------------------------

HOSTILE_REFUSED = {
    "hf_hostile_deep.json": "nested too deep",
    "hf_hostile_huge_number.json": "more digits than can be read",
    "arxiv_hostile_late_doctype.xml": "DOCTYPE",
    "arxiv_hostile_utf16_entity.xml": "DOCTYPE",
    "arxiv_hostile_billion_laughs.xml": "DOCTYPE",
}


def _parse(name: str):
    parse = hf_feed.parse_daily_papers if name.endswith(".json") else arxiv.parse_feed
    return parse((FIXTURES / name).read_bytes(), path=name)


@pytest.mark.parametrize(("name", "reason"), sorted(HOSTILE_REFUSED.items()))
def test_hostile_upstream_body_is_a_feed_error(name: str, reason: str) -> None:
    with pytest.raises(FeedError, match=reason) as caught:
        _parse(name)
    assert str(caught.value).startswith(f"{name}:")
    assert len(str(caught.value)) < 200  # no unbounded quote of the body


def test_hostile_upstream_wrong_types_skip_entries_with_reasons() -> None:
    feed = _parse("hf_hostile_wrong_types.json")
    assert [(e.title, e.arxiv, e.published, e.authors) for e in feed.entries] == [
        ("A Number as Identifier", None, None, ()),
        ("A Year-One Date", "2403.99006", None, ("Eve",)),
    ]
    assert dict(feed.skipped) == {
        1: "no title",
        2: "paper 'A List as Abstract' has no abstract",
        5: "no title",
        6: "expected an object, found str",
        7: "expected an object, found NoneType",
    }
    huge = _parse("arxiv_hostile_huge_total.xml")  # a 5,000-digit total, a year-1 date
    assert huge.total is None and [e.published for e in huge.entries] == [None]


@pytest.mark.parametrize("name", sorted(HOSTILE_REFUSED))
def test_hostile_upstream_stored_source_is_skipped_not_fatal(archive: Project, name: str) -> None:
    """A hostile response already stored (kept before this fix, or by hand) is skipped
    with its reason; the other sources are still ingested."""
    kind = hf_feed.KIND if name.endswith(".json") else arxiv.KIND
    bad = add_source(archive, f"bad-{name}", (FIXTURES / name).read_bytes(), kind)
    add_source(archive, "good.json", hf_body(("A Good Paper Title", "2403.99100")), hf_feed.KIND)
    done = papers(archive.root, "ingest")
    assert done.returncode == 0, done.stderr
    skipped = [line for line in done.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and bad.name in skipped[0] and HOSTILE_REFUSED[name] in skipped[0]
    written = pages(archive)
    assert list(written) == ["a-good-paper-title.md"]
    assert "EXPANDED" not in "".join(written.values())


def test_hostile_upstream_utf16_feed_without_entities_is_read_from_its_bytes(
    archive: Project,
) -> None:
    """Stored sources are parsed from their bytes: a UTF-16 feed is read by its own
    declaration, not refused as "not UTF-8" by every later ingest."""
    text = (FIXTURES / "arxiv_id_pointer.xml").read_text(encoding="utf-8")
    body = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    add_source(archive, "arxiv-utf16.xml", body, arxiv.KIND)
    done = papers(archive.root, "ingest")
    assert done.returncode == 0, done.stderr
    assert list(pages(archive)) == ["pointer-networks.md"]


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    """The recorded responses behind the real command; any real connection fails."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access is disabled in the tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fake = FakeApi()
    monkeypatch.setattr(http, "new_client", fake.client)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    yield fake


@pytest.mark.parametrize(("name", "reason"), sorted(HOSTILE_REFUSED.items()))
def test_hostile_upstream_fetch_fails_with_one_error_line_and_writes_nothing(
    archive: Project,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    name: str,
    reason: str,
) -> None:
    if name.endswith(".json"):
        api.add("huggingface.co", ok(name))
        args = ["hf-daily", "--date", "2024-03-12"]
    else:
        api.add("export.arxiv.org", ok(name))
        args = ["arxiv", "--id", "2403.99001"]
    before = tree(archive.pages_dir, archive.sources_dir)
    assert cli.main(["--root", str(archive.root), "-q", "fetch", *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and reason in err
    assert tree(archive.pages_dir, archive.sources_dir) == before


def test_hostile_upstream_fetch_keeps_the_good_entries_of_a_mistyped_body(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("huggingface.co", ok("hf_hostile_wrong_types.json"))
    assert cli.main(["--root", str(archive.root), "fetch", "hf-daily", "--date", "2024-03-12"]) == 0
    captured = capsys.readouterr()
    assert len(re.findall(r"^skipped: .*: item \d: ", captured.out, re.MULTILINE)) == 5
    assert sorted(pages(archive)) == ["a-number-as-identifier.md", "a-year-one-date.md"]


# --- 10. Near duplicates -----------------------------------------------------------


def test_near_duplicates_one_letter_homoglyph_and_prefix() -> None:
    titles = {
        "a.md": "Pointer Networks",
        "b.md": "Pointer Network",
        "c.md": "Pоinter Networks",  # Cyrillic о
        "d.md": "Densely Connected Convolutional Networks",
        "e.md": "Densely Connected Convolutional Networks for Speech Recognition",
        "f.md": "BERT",
        "g.md": "BART",  # short titles: one letter is another paper
        "h.md": "Pointer networks!",  # same title key: an error reported elsewhere
    }
    found = {(p.a, p.b): (p.kind, p.distance) for p in near_duplicates(titles)}
    assert found == {
        ("a.md", "b.md"): ("edit", 1),
        ("a.md", "c.md"): ("homoglyph", 0),
        ("b.md", "c.md"): ("edit", 1),
        ("b.md", "h.md"): ("edit", 1),
        ("c.md", "h.md"): ("homoglyph", 0),
        ("d.md", "e.md"): ("prefix", 23),
    }
    assert confusable_key("Pоinter Networks") == confusable_key("POINTER networks")
    assert slugs.confusable_characters("Pоinter") == ["'о' (CYRILLIC SMALL LETTER O)"]


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[:], i
        for j, cb in enumerate(b, start=1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
    return row[-1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["ab", "abc", "net", "nets", "deep", "x", "learning"]), max_size=6
        ),
        max_size=40,
    )
)
def test_near_duplicates_edit_blocking_finds_exactly_the_brute_force_pairs(
    word_lists: list[list[str]],
) -> None:
    keys = sorted({" ".join(words) for words in word_lists})
    found = {(min(i, j), max(i, j)) for i, j, _ in slugs._edit_pairs(keys, 2, 12)}
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(len(keys)), 2)
        if min(len(keys[i]), len(keys[j])) >= 12 and _levenshtein(keys[i], keys[j]) <= 2
    }
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc d", max_size=14), st.text(alphabet="abc d", max_size=14))
def test_near_duplicates_bounded_distance_matches_levenshtein(a: str, b: str) -> None:
    true = _levenshtein(a, b)
    assert edit_distance(a, b, 2) == (true if true <= 2 else None)


def test_near_duplicates_accepted_pairs_file_is_strict() -> None:
    good = "accepted:\n  - pages: [a, b]\n    reason: Two papers.\n"
    assert parse_accepted_pairs(good) == {frozenset({"a", "b"})}
    bad = "accepted:\n  - pages: [a, b]\n    reason: ok\n  - pages: [a]\n    reason: x\n"
    with pytest.raises(AcceptedPairsError, match=r"accepted-near-duplicates.yaml:4: "):
        parse_accepted_pairs(bad)


@pytest.mark.archive
def test_near_duplicates_clean_main_prints_no_warnings() -> None:
    done = papers(REPO, "validate")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith("0 error(s), 0 warning(s)"), done.stdout
    assert "warning" not in done.stdout.replace("0 warning(s)", "")


def _checkout(tmp_path: Path) -> Project:
    """The frozen corpus (pages, sources, tags, accepted pairs) in a scratch folder
    (validate checks that each source a page names has its manifest)."""
    root = tmp_path / "checkout"
    shutil.copytree(CORPUS / "docs" / "papers", root / "docs" / "papers")
    shutil.copytree(CORPUS / "data" / "sources", root / "data" / "sources")
    for name in ("tags.yaml", "accepted-near-duplicates.yaml"):
        shutil.copy(CORPUS / "data" / name, root / "data" / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return Project(root)


def _page(title: str) -> str:
    return f"---\ntitle: '{title}'\ntags: []\nadded: 2026-11-23\n---\n\n# {title}\n\nText.\n"


def test_near_duplicates_reported_only_for_the_files_given(tmp_path: Path) -> None:
    project = _checkout(tmp_path)
    (project.root / "data" / "accepted-near-duplicates.yaml").unlink()
    close = project.pages_dir / "pointer-network.md"
    close.write_text(_page("Pointer Network"), encoding="utf-8")
    everything = papers(project.root, "validate")
    assert everything.returncode == 0  # warnings only
    assert "docs/papers/pointer-network.md:2: warning: title is close to" in everything.stdout
    assert "densely-connected-convolutional-networks.md:2: warning" in everything.stdout

    given = papers(project.root, "validate", str(close))
    assert given.returncode == 0
    warned = [line for line in given.stdout.splitlines() if ": warning: " in line]
    assert warned == [
        "docs/papers/pointer-network.md:2: warning: title is close to "
        "docs/papers/pointer-networks.md's (1 edit(s) away): the same paper? If not, record "
        "the pair in data/accepted-near-duplicates.yaml"
    ]
    other = project.pages_dir / "attention-is-all-you-need.md"
    assert "warning" not in papers(project.root, "validate", str(other)).stdout.replace(
        "0 warning(s)", ""
    )


def test_near_duplicates_homoglyph_title_is_an_error_naming_the_character(
    tmp_path: Path,
) -> None:
    project = _checkout(tmp_path)
    fake = project.pages_dir / f"{base_slug('Pоinter Networks')}.md"
    fake.write_text(_page("Pоinter Networks"), encoding="utf-8")
    done = papers(project.root, "validate", str(fake))
    assert done.returncode == 1
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"docs/papers/{fake.name}:2: error: title looks the same as ")
    assert "docs/papers/pointer-networks.md" in errors[0]
    assert "CYRILLIC SMALL LETTER O" in errors[0]


def test_near_duplicates_add_refuses_a_homoglyph_title(tmp_path: Path) -> None:
    project = _checkout(tmp_path)
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("An abstract.\n", encoding="utf-8")
    before = sorted(p.name for p in project.pages_dir.iterdir())
    done = papers(
        project.root, "add", "--title", "Pоinter Networks", "--abstract-file", str(abstract)
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: docs/papers/pointer-networks.md: not added: ")
    assert "CYRILLIC SMALL LETTER O" in done.stderr and done.stderr.count("\n") == 1
    assert sorted(p.name for p in project.pages_dir.iterdir()) == before


# --- 11. Temp files and a closed stdout --------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_temp_files_left_by_an_interrupted_write_are_reported_then_removed(
    ingested: Project,
) -> None:
    page = next(iter(sorted(ingested.pages_dir.glob("*.md"))))
    name = temp_path(page).name.replace(f".{os.getpid()}.", f".{_dead_pid()}.")
    leftover = ingested.pages_dir / name
    leftover.write_text("---\ntitle: half a pa", encoding="utf-8")
    source_leftover = ingested.sources_dir / f".raw.json.{_dead_pid()}.tmp"
    source_leftover.write_bytes(b"[")
    live = temp_path(ingested.pages_dir / "being-written.md")  # this process is running
    live.write_text("", encoding="utf-8")

    check = papers(ingested.root, "ingest", "--check")
    assert check.returncode == 0
    assert f"docs/papers/{name}: left by an interrupted write" in check.stderr
    assert leftover.exists() and source_leftover.exists()  # a check deletes nothing

    done = papers(ingested.root, "ingest")
    assert done.returncode == 0
    assert f"warning: removed docs/papers/{name}, left by an interrupted write" in done.stderr
    assert f"removed data/sources/{source_leftover.name}" in done.stderr
    assert not leftover.exists() and not source_leftover.exists()
    assert live.exists()  # another writer's file is left alone
    assert "left by an interrupted write" not in papers(ingested.root, "ingest").stderr


def test_temp_files_of_a_real_kill_9_mid_ingest(seeded: Project) -> None:
    """Kill a real ingest as it writes; the next run leaves no temp file and no half page."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    child = subprocess.Popen(
        [PAPERS, "--root", str(seeded.root), "-q", "ingest"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while child.poll() is None and not any(seeded.pages_dir.iterdir()):
        time.sleep(0.002)
    child.kill()
    child.wait()
    done = papers(seeded.root, "ingest")
    assert done.returncode == 0
    assert not list(seeded.pages_dir.glob(".*"))
    assert papers(seeded.root, "ingest", "--check").returncode == 0


@pytest.mark.parametrize("args", [["validate"], ["ingest", "--dry-run"], ["--help"]])
def test_closed_stdout_ends_quietly(seeded: Project, args: list[str]) -> None:
    """The reader is gone before the first line: no traceback, SIGPIPE's status."""
    child = subprocess.Popen(
        [PAPERS, "--root", str(seeded.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    err = child.stderr.read().decode()
    child.wait(timeout=120)
    assert err == ""
    assert child.returncode in (0, cli.EXIT_PIPE)


def test_closed_stdout_through_head_in_a_shell(seeded: Project) -> None:
    """``papers ingest --dry-run | head -1`` as typed: 615 lines, one read."""
    script = f'"{PAPERS}" --root "{seeded.root}" ingest --dry-run | head -1; echo "status=${{PIPESTATUS[0]}}"'
    done = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        timeout=120,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("would create docs/papers/")
    # 141 when the write met the closed pipe; 0 when all of it fit the pipe's buffer first.
    assert lines[1] in (f"status={cli.EXIT_PIPE}", "status=0")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


# --- Threat model ------------------------------------------------------------------


def test_threat_model_page_is_published_and_names_real_paths() -> None:
    """docs/security.md is in the nav, allowed by the layout rules, and every file it
    names exists; the accepted-pairs file it relies on needs a maintainer's review."""
    text = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    assert layout.is_site_file("docs/security.md")
    nav = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[1])
    assert {"Security": "security.md"} in next(i["About"] for i in nav if "About" in i)
    named = set(re.findall(r"`((?:docs|data|tests|scripts|hooks|\.github)/[^`*<> ]+)`", text))
    assert "data/accepted-near-duplicates.yaml" in named
    missing = [p for p in sorted(named) if not (REPO / p.rstrip("/")).exists()]
    assert missing == []
    rules = codeowners.load(REPO / ".github" / "CODEOWNERS")
    assert codeowners.owners_of(rules, "data/accepted-near-duplicates.yaml")
