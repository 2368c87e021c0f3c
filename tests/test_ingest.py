from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from paper_archive import cli
from paper_archive.disk.pages import parse_page
from paper_archive.files import textfile, yamlio
from paper_archive.project import Project
from paper_archive.sources import manifest_text

FIXTURES = Path(__file__).parent / "fixtures" / "listings"


def run(project: Project, *args: str) -> int:
    return cli.main(["--root", str(project.root), *args])


def snapshot(project: Project) -> dict[str, tuple[str, int]]:
    return {
        p.name: (p.read_text(encoding="utf-8"), p.stat().st_mtime_ns)
        for p in sorted(project.pages_dir.glob("*"))
    }


def front(path: Path) -> dict:
    return yamlio.load(path.read_text(encoding="utf-8").split("---\n")[1])


def add_source(project: Project, name: str, text: str, **manifest: object) -> Path:
    raw = project.sources_dir / f"{name}.txt"
    raw.write_text(text, encoding="utf-8")
    import datetime as dt

    (project.sources_dir / f"{name}.yaml").write_text(
        manifest_text(
            source_id=name,
            file_name=raw.name,
            data=raw.read_bytes(),
            kind="test-listing",
            origin="test",
            added=dt.date(2026, 1, 2),
            fetched_at=manifest.get("fetched_at"),  # type: ignore[arg-type]
        ),
        encoding="utf-8",
    )
    return raw


def test_seed_ingest_writes_every_paper_once(
    seeded: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, "ingest") == 0
    out = capsys.readouterr().out
    assert "new 543" in out and "merged duplicates 72" in out
    pages = sorted(seeded.pages_dir.glob("*.md"))
    assert len(pages) == 543
    pointer = front(seeded.pages_dir / "pointer-networks.md")
    assert pointer["sources"] == ["hf-listing-38e464cb", "hf-listing-73f64d40"]
    assert pointer["published"].isoformat() == "2015-06-09"
    assert pointer["author_count"] == 3
    assert pointer["added"].isoformat() == "2026-11-23"  # from the manifests, not the clock
    maskllm = front(
        seeded.pages_dir / "maskllm-learnable-semi-structured-sparsity-for-large-language-models.md"
    )
    assert maskllm["code"] == ["https://github.com/NVlabs/MaskLLM"]
    # Near-duplicate titles are different papers: two pages.
    assert (seeded.pages_dir / "white-box-transformers-via-sparse-rate-reduction.md").exists()
    assert (
        seeded.pages_dir
        / "white-box-transformers-via-sparse-rate-reduction-compression-is-all-there-is.md"
    ).exists()


def _only_kept_hand_edits(produced: str, committed: str, *, path: str) -> bool:
    """The committed page is the produced one plus what README says hand edits may add
    and ingest keeps: more tags, notes after the abstract, and values no source gives
    (an arXiv id `papers enrich` added: ingest fills in only what a page lacks)."""
    made, kept = parse_page(produced, path=path), parse_page(committed, path=path)
    made_meta, kept_meta = dict(made.meta), dict(kept.meta)
    made_tags, kept_tags = made_meta.pop("tags", None) or [], kept_meta.pop("tags", None) or []
    if not isinstance(kept_tags, list):
        return False
    return (
        all(name in kept_meta and kept_meta[name] == value for name, value in made_meta.items())
        and set(made_tags) <= set(kept_tags)
        and (made.body.heading, made.body.abstract) == (kept.body.heading, kept.body.abstract)
    )


@pytest.mark.archive
def test_ingest_matches_the_committed_archive(
    archive: Project, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every page the committed sources produce is in docs/papers, byte for byte (or
    with only the hand edits ingest keeps). Pages no source produces (added by hand or
    by `papers add`) are a normal part of the archive: they must pass validation."""
    shutil.copytree(repo / "data" / "sources", archive.sources_dir, dirs_exist_ok=True)
    shutil.copy(repo / "data" / "tags.yaml", archive.vocabulary_path)
    assert run(archive, "ingest") == 0, capsys.readouterr().err
    produced = {p.name: p.read_text(encoding="utf-8") for p in archive.pages_dir.glob("*.md")}
    pages = repo / "docs" / "papers"
    committed = {p.name: p.read_text(encoding="utf-8") for p in pages.glob("*.md")}
    assert produced, "the committed sources produce pages"

    missing = sorted(produced.keys() - committed.keys())
    assert not missing, f"pages the sources produce are missing from docs/papers: {missing}"
    changed = sorted(
        name
        for name, text in produced.items()
        if committed[name] != text
        and not _only_kept_hand_edits(text, committed[name], path=f"docs/papers/{name}")
    )
    assert not changed, f"pages that differ from what their sources produce: {changed}"

    unsourced = sorted(committed.keys() - produced.keys())
    hand_edited = sorted(n for n in produced if committed[n] != produced[n])
    capsys.readouterr()
    to_check = [str(pages / name) for name in unsourced + hand_edited]
    if to_check:
        code = cli.main(["--root", str(repo), "validate", *to_check])
        out = capsys.readouterr().out
        assert code == 0, out


def test_second_run_changes_nothing(ingested: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(ingested)
    capsys.readouterr()
    assert run(ingested, "ingest") == 0
    assert "new 0, updated 0, unchanged 543" in capsys.readouterr().out
    assert snapshot(ingested) == before  # same text and same mtimes
    assert run(ingested, "ingest", "--check") == 0


def test_dry_run_and_check_write_nothing(
    seeded: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(seeded, "ingest", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would create docs/papers/pointer-networks.md" in out
    assert "would be new 543" in out
    assert list(seeded.pages_dir.iterdir()) == []
    assert run(seeded, "ingest", "--check") == 1
    assert "543 page(s) out of date" in capsys.readouterr().err
    assert list(seeded.pages_dir.iterdir()) == []


def test_hand_edits_survive_reingest(ingested: Project, capsys: pytest.CaptureFixture[str]) -> None:
    page = ingested.pages_dir / "pointer-networks.md"
    text = page.read_text(encoding="utf-8")
    edited = text.replace("tags:\n- sequence-models\n", "tags:\n- sequence-models\n- surveys\n")
    edited += "\n> Note: the first pointer-network paper.\n"
    page.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert run(ingested, "ingest") == 0
    assert page.read_text(encoding="utf-8") == edited
    assert "unchanged 543" in capsys.readouterr().out


def test_abstract_typo_fix_is_a_conflict_kept_unless_forced(
    ingested: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    page = ingested.pages_dir / "pointer-networks.md"
    original = page.read_text(encoding="utf-8")
    fixed = original.replace("We introduce a new neural", "We introduce a novel neural")
    page.write_text(fixed + "\nA note.\n", encoding="utf-8")
    capsys.readouterr()
    assert run(ingested, "ingest") == 0
    captured = capsys.readouterr()
    assert "docs/papers/pointer-networks.md: conflict on abstract" in captured.err
    assert "conflicts 1" in captured.out
    assert page.read_text(encoding="utf-8") == fixed + "\nA note.\n"
    assert run(ingested, "ingest", "--check") == 0  # a conflict is reported, not a change

    assert run(ingested, "ingest", "--force") == 0
    forced = page.read_text(encoding="utf-8")
    assert "We introduce a new neural" in forced
    assert forced.endswith("A note.\n")  # the human's addition is kept


def test_hand_added_tag_and_missing_field_are_merged(ingested: Project) -> None:
    page = ingested.pages_dir / "pointer-networks.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("author_count: 3\n", "").replace("- hf-listing-73f64d40\n", "")
    page.write_text(text, encoding="utf-8")
    assert run(ingested, "ingest") == 0
    meta = front(page)
    assert meta["author_count"] == 3  # filled in: the page had no value
    assert meta["sources"] == ["hf-listing-38e464cb", "hf-listing-73f64d40"]


def test_duplicates_across_sources_merge_with_both_recorded(archive: Project) -> None:
    add_source(archive, "one", (FIXTURES / "blocks.txt").read_text(encoding="utf-8"))
    add_source(archive, "two", (FIXTURES / "compact.txt").read_text(encoding="utf-8"))
    assert run(archive, "ingest") == 0
    meta = front(archive.pages_dir / "pointer-networks.md")
    assert meta["sources"] == ["one", "two"]
    assert meta["title"] == "Pointer Networks"  # first source by id wins the spelling
    assert meta["published"].isoformat() == "2015-06-09"
    assert len(list(archive.pages_dir.glob("*.md"))) == 6


def test_explicit_path_without_manifest(
    archive: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = tmp_path / "saved.txt"
    shutil.copy(FIXTURES / "blocks.txt", listing)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert run(archive, "ingest", str(listing)) == 0
    meta = front(archive.pages_dir / "nesy-a-possibilistic-neuro-symbolic-approach.md")
    assert meta["sources"] == ["saved.txt"]
    assert "published" not in meta  # "Aug 20" without a fetch date is never guessed
    assert meta["added"].isoformat() == "2026-01-01"
    assert meta["code"] == ["https://github.com/example/pi-nesy"]


def test_hostile_abstract_is_stored_inert(archive: Project) -> None:
    add_source(archive, "one", (FIXTURES / "blocks.txt").read_text(encoding="utf-8"))
    assert run(archive, "ingest") == 0
    page = archive.pages_dir / "joint-inversion-of-3d-co-2-plumes-mask-tokens.md"
    text = page.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert front(page)["title"] == "Joint inversion of 3D CO$_2$ Plumes & [MASK] tokens"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "source is empty"),
        ("<!DOCTYPE html><html><body>Too Many Requests</body></html>", "HTML page"),
        ("Subscribe\n\nA Title\n\n" + "word " * 20 + "\n\nCut Off Here\n", "truncated"),
    ],
)
def test_malformed_source_aborts_and_deletes_nothing(
    ingested: Project, content: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(ingested)
    add_source(ingested, "zz-broken", content)
    capsys.readouterr()
    assert run(ingested, "ingest") == 0  # the other sources still ingest
    err = capsys.readouterr().err
    assert "skipped zz-broken" in err and reason in err
    assert "zz-broken.txt" in err
    assert snapshot(ingested) == before


def test_edited_raw_file_is_refused(seeded: Project, capsys: pytest.CaptureFixture[str]) -> None:
    raw = seeded.sources_dir / "hf-listing-38e464cb.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run(seeded, "ingest") == 0
    err = capsys.readouterr().err
    assert "hf-listing-38e464cb.txt: contents do not match the sha256" in err


def test_interrupted_write_leaves_the_old_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text("old\n", encoding="utf-8")

    def boom(src: str, dst: object) -> None:
        raise KeyboardInterrupt  # killed between writing the temp file and the rename

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        textfile.atomic_write(page, "new\n" * 1000)
    assert page.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temp file left


def test_an_interrupted_copy_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """textfile.atomic_copy (the served site's search bundle and exports) as atomic_write."""
    source, target = tmp_path / "new.json", tmp_path / "site" / "papers.json"
    source.write_text("new\n", encoding="utf-8")
    textfile.atomic_copy(source, target)  # the folder is made
    assert target.read_text(encoding="utf-8") == "new\n"
    source.write_text("newer\n", encoding="utf-8")

    def boom(src: str, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        textfile.atomic_copy(source, target)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in target.parent.iterdir()] == ["papers.json"]  # no temp file


def test_broken_existing_page_is_left_alone(
    ingested: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    page = ingested.pages_dir / "pointer-networks.md"
    page.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    capsys.readouterr()
    assert run(ingested, "ingest") == 0
    assert "skipped docs/papers/pointer-networks.md" in capsys.readouterr().err
    assert page.read_text(encoding="utf-8") == "---\ntitle: [unclosed\n---\n"
    assert not any(p.name.startswith("pointer-networks-") for p in ingested.pages_dir.iterdir())


def test_no_sources_is_an_error(archive: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(archive, "ingest") == 1
    assert "no sources" in capsys.readouterr().err


def test_hand_edits_ingest_keeps_are_allowed_other_differences_are_not(corpus: Path) -> None:
    produced = (corpus / "docs" / "papers" / "pointer-networks.md").read_text(encoding="utf-8")
    path = "docs/papers/pointer-networks.md"
    edited = produced.replace("tags:\n", "tags:\n- surveys\n", 1) + "\nA note of mine.\n"
    assert _only_kept_hand_edits(produced, edited, path=path)
    retitled = produced.replace("title: Pointer Networks", "title: Pointer Nets", 1)
    assert not _only_kept_hand_edits(produced, retitled, path=path)
    dropped = produced.replace("- sequence-models\n", "", 1)
    assert not _only_kept_hand_edits(produced, dropped, path=path)
    enriched = produced.replace("sources:\n", "arxiv: '1506.03134'\nsources:\n", 1)
    assert enriched != produced and _only_kept_hand_edits(produced, enriched, path=path)
    redated = produced.replace("published: 2015-06-09", "published: 2015-06-10", 1)
    assert redated != produced and not _only_kept_hand_edits(produced, redated, path=path)
