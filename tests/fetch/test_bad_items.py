"""One bad upstream item must not stop the rest (issue 17, section 4).

A recorded response holds good papers and, one per item, a lone surrogate (the JSON
escape ``"\\ud800"``), a bidirectional control, a NUL, C1 controls, a noncharacter, a
DEL, an over-long title, a wrong type. ``papers fetch`` runs in-process on the fake API
(it needs the network); everything after it is the real ``papers`` in a subprocess, as
an operator or CI runs it: ``papers validate`` must pass on what fetch wrote, and
``papers ingest --check`` must read the stored response without a traceback, printing
the same ``skipped:`` lines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.project import Project
from paper_archive.sources import manifest_text
from paper_archive.sources.hf import KIND as HF_KIND
from paper_archive.text.safe import unsafe_characters

from tests.papers_cli import papers as run_papers

from .conftest import FIXTURES, TODAY, FakeApi, Reply, ok, run

SKIPPED = re.compile(r"^skipped: (?P<file>.+?): item (?P<item>\d+): (?P<reason>.+)$", re.MULTILINE)
GOOD = ["quiet-gradients-for-loud-models.md", "sparse-lanterns-for-dense-retrieval.md"]

HF_SKIPPED = {
    2: "title holds U+D800 (a lone surrogate)",
    3: "title holds U+202E (a bidirectional control)",
    4: "title holds U+0000 (a control character)",
    5: "abstract holds U+009B (a control character)",
    6: "title is 408 characters long, over the limit of 300",
    7: "no title",
    8: "abstract holds U+FFFF (a noncharacter)",
    9: "author 2 holds U+2067 (a bidirectional control), U+2069 (a bidirectional control)",
    10: "title holds U+007F (a control character)",
}
ARXIV_SKIPPED = {
    2: "2403.99302: title holds U+202E (a bidirectional control)",
    3: "2403.99303: abstract holds U+009B (a control character)",
    4: "2403.99304: title is 408 characters long, over the limit of 300",
    5: "2403.99305: author 2 holds U+2067 (a bidirectional control), "
    "U+2069 (a bidirectional control)",
    6: "2403.99306: title holds U+200E (a bidirectional control)",
    7: "'http://example.org/not-arxiv' is not an arXiv identifier",
}


def papers(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess; it never ends in a traceback."""
    return run_papers(root, *args, SOURCE_DATE_EPOCH=TODAY)


def skipped_lines(out: str) -> dict[int, tuple[str, str]]:
    return {int(m["item"]): (m["file"], m["reason"]) for m in SKIPPED.finditer(out)}


def page_names(project: Project) -> list[str]:
    return sorted(p.name for p in project.pages_dir.glob("*.md"))


def the_stored_response(project: Project, suffix: str) -> str:
    (raw,) = project.sources_dir.glob(f"*{suffix}")
    return raw.relative_to(project.root).as_posix()


@pytest.mark.parametrize(
    ("fixture", "host", "args", "expected"),
    [
        (
            "hf_daily_bad_items.json",
            "huggingface.co",
            ["hf-daily", "--date", "2024-03-12"],
            HF_SKIPPED,
        ),
        (
            "arxiv_bad_items.xml",
            "export.arxiv.org",
            ["arxiv", "--query", "cat:cs.LG"],
            ARXIV_SKIPPED,
        ),
    ],
)
def test_a_bad_item_is_skipped_and_the_rest_land(
    archive: Project,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fixture: str,
    host: str,
    args: list[str],
    expected: dict[int, str],
) -> None:
    api.add(host, ok(fixture))
    report = tmp_path / "fetch-report.md"

    assert run(archive, "fetch", *args, "--report", str(report)) == 0

    out = capsys.readouterr().out
    stored = the_stored_response(archive, Path(fixture).suffix)
    assert skipped_lines(out) == {n: (stored, reason) for n, reason in expected.items()}
    assert page_names(archive) == GOOD
    # What the report (a fetch pull request's body) lists: every page added, every
    # item skipped with its reason.
    summary = report.read_text("utf-8")
    for name in GOOD:
        assert f"`docs/papers/{name}`" in summary
    for item, reason in expected.items():
        assert f"- item {item}: `{reason}`" in summary
    assert "New pages: 2," in summary and f"items skipped: {len(expected)}," in summary

    # The pages fetch wrote pass validation; every later ingest reads the stored
    # response, skips the same items with the same lines, and finds nothing to do.
    checked = papers(archive.root, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    again = papers(archive.root, "ingest", "--check")
    assert again.returncode == 0, again.stdout + again.stderr
    assert skipped_lines(again.stdout) == skipped_lines(out)
    assert papers(archive.root, "ingest").returncode == 0
    assert page_names(archive) == GOOD


def test_a_stored_response_with_bad_items_no_longer_stops_ingest(archive: Project) -> None:
    """A response stored before this fix (its items never checked) is read by every
    ingest: the bad items are skipped, the good ones become valid pages."""
    data = (FIXTURES / "hf_daily_bad_items.json").read_bytes()
    raw = archive.sources_dir / "hf-daily-2024-03-12-00000000.json"
    raw.write_bytes(data)
    (archive.sources_dir / "hf-daily-2024-03-12-00000000.yaml").write_text(
        a_manifest(raw, data), encoding="utf-8"
    )
    for args in (["ingest", "--check"], ["ingest"]):
        done = papers(archive.root, *args)
        shown = "data/sources/hf-daily-2024-03-12-00000000.json"
        assert skipped_lines(done.stdout) == {n: (shown, r) for n, r in HF_SKIPPED.items()}
    assert done.returncode == 0, done.stderr
    assert page_names(archive) == GOOD
    assert papers(archive.root, "validate").returncode == 0


def a_manifest(raw: Path, data: bytes) -> str:
    return manifest_text(
        source_id=raw.stem,
        file_name=raw.name,
        data=data,
        kind=HF_KIND,
        origin="test",
        added=dt.date(2026, 11, 23),
    )


ABSTRACT = "An abstract long enough to be one, with eight words or more in it."


def test_a_saved_listing_skips_the_bad_paper_naming_its_line(archive: Project) -> None:
    """A saved listing kept under data/sources/ with its manifest (every page names a
    source that exists): the bad papers are skipped naming their lines."""
    data = (
        "\n\n".join(
            [
                "Daily Papers",
                "Sparse Lanterns for Dense Retrieval",
                ABSTRACT,
                "Reversed \u202eeltit a Title",
                ABSTRACT,
                "A C1\u0090 Control",
                ABSTRACT,
                "Quiet Gradients for Loud Models",
                ABSTRACT,
            ]
        )
        + "\n"
    ).encode("utf-8")
    stem = "hf-listing-bad00001"
    sources = archive.root / "data/sources"
    sources.mkdir(parents=True, exist_ok=True)
    (sources / f"{stem}.txt").write_bytes(data)
    (sources / f"{stem}.yaml").write_text(
        manifest_text(
            source_id=stem,
            file_name=f"{stem}.txt",
            data=data,
            kind="hf-daily-papers-listing",  # the seed listings' kind
            origin="test",
            added=dt.date(2026, 11, 23),
        ),
        encoding="utf-8",
    )
    done = papers(archive.root, "ingest")
    assert done.returncode == 0, done.stderr
    where = f"data/sources/{stem}.txt"
    assert skipped_lines(done.stdout) == {
        2: (where, "line 7: title holds U+202E (a bidirectional control)"),
        3: (where, "line 11: title holds U+0090 (a control character)"),
    }
    assert page_names(archive) == GOOD
    assert papers(archive.root, "validate").returncode == 0


def hf_body(*papers_: dict[str, object]) -> bytes:
    return json.dumps([{"paper": p} for p in papers_]).encode("utf-8")


def json_reply(body: bytes) -> Reply:
    return Reply(200, body, {"Content-Type": "application/json"})


def test_an_item_whose_page_would_be_over_the_size_limit_is_skipped(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """A big collaboration's author list fits; one that would make the page larger than
    validate allows is skipped (before: written, then refused by validate)."""
    many = [{"name": f"Author Number {n:05d} of the Collaboration"} for n in range(3000)]
    some = many[:300]
    body = hf_body(
        {
            "id": "2403.99401",
            "title": "A Large Collaboration",
            "summary": ABSTRACT,
            "authors": some,
        },
        {"id": "2403.99402", "title": "A Huge Collaboration", "summary": ABSTRACT, "authors": many},
    )
    api.add("huggingface.co", json_reply(body))
    assert run(archive, "fetch", "hf-daily", "--date", "2024-03-12") == 0
    (item,) = skipped_lines(capsys.readouterr().out).items()
    assert item[0] == 2
    assert re.fullmatch(
        r"its page would take \d+ KB, over the limit of 64 KB \(3000 authors\)", item[1][1]
    )
    assert page_names(archive) == ["a-large-collaboration.md"]
    assert papers(archive.root, "validate").returncode == 0


def test_ingest_never_writes_a_page_validate_would_refuse(
    archive: Project,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Behind the parsers' checks: were an item to slip past them (here they are turned
    off), the page is still not written, and the plan names validate's reason."""
    monkeypatch.setattr("paper_archive.sources.checks.entry_problems", lambda entry: [])
    body = hf_body(
        {"id": "2403.99501", "title": "Sparse Lanterns for Dense Retrieval", "summary": ABSTRACT},
        {"id": "2403.99502", "title": "Reversed \u202eeltit a Title", "summary": ABSTRACT},
    )
    api.add("huggingface.co", json_reply(body))
    assert run(archive, "fetch", "hf-daily", "--date", "2024-03-12") == 0
    err = capsys.readouterr().err
    assert page_names(archive) == ["sparse-lanterns-for-dense-retrieval.md"]
    assert "warning: skipped docs/papers/reversed-eltit-a-title.md: not written: " in err
    assert "bidirectional control character U+202E" in err
    assert papers(archive.root, "validate").returncode == 0


def test_the_report_shows_upstream_text_as_code_never_as_markup(
    archive: Project, api: FakeApi, tmp_path: Path
) -> None:
    """A title is data in the pull request's body: no mention, link, image or HTML."""
    title = "`@octocat` <img src=x onerror=alert(1)> [click](javascript:alert(1)) ``#1``"
    api.add(
        "huggingface.co",
        json_reply(hf_body({"id": "2403.99601", "title": title, "summary": ABSTRACT})),
    )
    report = tmp_path / "report.md"
    assert (
        run(archive, "-q", "fetch", "hf-daily", "--date", "2024-03-12", "--report", str(report))
        == 0
    )
    html = markdown.markdown(report.read_text("utf-8"))
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)
    assert "<img" not in html and "<a " not in html
    assert "@octocat" not in outside_code and "javascript" not in outside_code
    assert "@octocat" in html


def test_the_report_of_a_response_with_nothing_to_add(
    archive: Project, api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add(
        "huggingface.co",
        json_reply(
            hf_body(
                {"id": "2403.99701", "title": "Reversed \u202eeltit a Title", "summary": ABSTRACT}
            )
        ),
    )
    report = tmp_path / "report.md"
    assert run(archive, "fetch", "hf-daily", "--date", "2024-03-12", "--report", str(report)) == 0
    url = "https://huggingface.co/api/daily_papers?date=2024-03-12"
    assert skipped_lines(capsys.readouterr().out) == {
        1: (url, "title holds U+202E (a bidirectional control)")
    }
    summary = report.read_text("utf-8")
    assert "Nothing stored" in summary
    assert "- item 1: `title holds U+202E (a bidirectional control)`" in summary
    assert page_names(archive) == [] and not any(archive.sources_dir.iterdir())


#: Every code point no page may hold, by class (the brief of issue 17, section 4).
UNSAFE = {
    "a control character": [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)],
    "a lone surrogate": [*range(0xD800, 0xE000)],
    # Unicode's 66: U+FDD0..U+FDEF, and the last two code points of each of the 17 planes
    "a noncharacter": [
        *range(0xFDD0, 0xFDF0),
        *(plane << 16 | low for plane in range(17) for low in (0xFFFE, 0xFFFF)),
    ],
    "a bidirectional control": [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)],
}
UNSAFE_POINTS = {point for points in UNSAFE.values() for point in points}


def test_unsafe_characters_names_every_code_point_of_each_class() -> None:
    for kind, points in UNSAFE.items():
        for point in points:
            found = unsafe_characters(f"a {chr(point)} b {chr(point)}")
            assert found == [f"U+{point:04X} ({kind})"]
    assert unsafe_characters("tab\tand\nnewline, é, 😀, no\u00a0break, \u200b") == []


@given(st.text(st.characters(exclude_characters=[chr(p) for p in UNSAFE_POINTS])))
def test_unsafe_characters_passes_every_other_text(text: str) -> None:
    assert unsafe_characters(text) == []


def test_unsafe_characters_refuses_exactly_the_table_above_among_all_code_points() -> None:
    """Every code point, one at a time: the table is the rule, whole (a random text
    found U+FDD0 once, when the table held only two of the 66 noncharacters)."""
    every = "".join(map(chr, range(0x110000)))
    found = {int(name[2:].split()[0], 16) for name in unsafe_characters(every)}
    assert found == UNSAFE_POINTS


def test_a_title_that_is_another_pages_in_look_alike_letters_is_not_written(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """``papers validate`` refuses a homoglyph pair (both pages): a fetched title that is
    an existing page's with a Cyrillic 'о' is left out, the rest of the response lands."""
    first = hf_body({"id": "2403.99801", "title": "Pointer Networks", "summary": ABSTRACT})
    second = hf_body(
        {"id": "2403.99802", "title": "Pointer Netw\u043erks", "summary": ABSTRACT},
        {"id": "2403.99803", "title": "Quiet Gradients for Loud Models", "summary": ABSTRACT},
    )
    api.add("huggingface.co", json_reply(first), json_reply(second))
    assert run(archive, "fetch", "hf-daily", "--date", "2024-03-12") == 0
    assert run(archive, "fetch", "hf-daily", "--date", "2024-03-13") == 0
    err = capsys.readouterr().err
    assert page_names(archive) == ["pointer-networks.md", "quiet-gradients-for-loud-models.md"]
    assert "looks the same as docs/papers/pointer-networks.md's" in err
    assert "CYRILLIC SMALL LETTER O" in err
    done = papers(archive.root, "validate")
    assert done.returncode == 0, done.stdout + done.stderr


def test_add_arxiv_of_a_record_that_cannot_be_a_page_says_why_and_writes_nothing(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_bad_items.xml"))
    before = sorted(p.name for p in archive.root.rglob("*"))
    assert run(archive, "-q", "add", "--arxiv", "2403.99302") == 1
    err = capsys.readouterr().err
    assert err == (
        "error: arXiv's record of 2403.99302 cannot be a page: "
        "title holds U+202E (a bidirectional control)\n"
    )
    assert sorted(p.name for p in archive.root.rglob("*")) == before


def test_a_bulk_ingest_never_writes_a_page_holding_a_character_validate_refuses(
    archive: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``papers ingest`` checks each planned page's text (the characters, the size)
    behind the parsers, here turned off; the rest of validate's checks run in fetch."""
    monkeypatch.setattr("paper_archive.sources.checks.entry_problems", lambda entry: [])
    data = hf_body(
        {"id": "2403.99901", "title": "Sparse Lanterns for Dense Retrieval", "summary": ABSTRACT},
        {"id": "2403.99902", "title": "A C1\u009b Control", "summary": ABSTRACT},
    )
    raw = archive.sources_dir / "hf-daily-2024-03-12-11111111.json"
    raw.write_bytes(data)
    raw.with_suffix(".yaml").write_text(a_manifest(raw, data), encoding="utf-8")
    assert run(archive, "-q", "ingest") == 0
    err = capsys.readouterr().err
    assert page_names(archive) == ["sparse-lanterns-for-dense-retrieval.md"]
    assert "not written: `papers validate` would refuse it: the page holds U+009B" in err
