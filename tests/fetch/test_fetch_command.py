"""``papers fetch``: recorded responses in, raw sources with manifests and pages out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from paper_archive.files import yamlio
from paper_archive.project import Project
from paper_archive.sources import discover, sha256_of

from .conftest import FETCHED_AT, FakeApi, Reply, fixture_bytes, ok, run, tree

ORPO = "orpo-monolithic-preference-optimization-without-reference-model.md"
CHRONOS = "chronos-learning-the-language-of-time-series.md"
ATTENTION = "attention-is-all-you-need.md"
PERELMAN = "the-entropy-formula-for-the-ricci-flow-and-its-geometric-applications.md"
NODE = "neural-ordinary-differential-equations.md"


def front(path: Path) -> dict:
    return yamlio.load(path.read_text(encoding="utf-8").split("---\n")[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def only_source(project: Project, prefix: str) -> tuple[Path, dict]:
    manifests = sorted(project.sources_dir.glob(f"{prefix}*.yaml"))
    assert len(manifests) == 1, manifests
    return manifests[0], yamlio.load(manifests[0].read_text(encoding="utf-8"))


def test_hf_daily_stores_the_response_and_ingests_it(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("huggingface.co", ok("hf_daily_2024-03-12.json"))
    pointer = ingested.pages_dir / "pointer-networks.md"
    pointer_body = body(pointer)
    capsys.readouterr()

    assert run(ingested, "fetch", "hf-daily", "--date", "2024-03-12") == 0

    # One request, for the day asked, naming the project.
    (request,) = api.requests
    assert str(request.url) == "https://huggingface.co/api/daily_papers?date=2024-03-12"
    assert request.headers["User-Agent"].startswith("paper-archive/")

    # The raw response, byte for byte, beside its manifest.
    raw = fixture_bytes("hf_daily_2024-03-12.json")
    manifest_path, manifest = only_source(ingested, "hf-daily-")
    source_id = f"hf-daily-2024-03-12-{sha256_of(raw)[:8]}"
    assert manifest_path.name == f"{source_id}.yaml"
    assert (ingested.sources_dir / f"{source_id}.json").read_bytes() == raw
    assert manifest == {
        "id": source_id,
        "file": f"{source_id}.json",
        "kind": "hf-daily-api",
        "origin": "Hugging Face Daily Papers API",
        "url": "https://huggingface.co/api/daily_papers?date=2024-03-12",
        "fetched_at": FETCHED_AT,
        "added": dt.date(2026, 11, 23),
        "sha256": sha256_of(raw),
        "bytes": len(raw),
        "http_status": 200,
        "content_type": "application/json",
        "date": dt.date(2024, 3, 12),
        "entries": 3,
    }
    assert "fetched_at: 2026-11-23 06:00:00+00:00\n" in manifest_path.read_text("utf-8")

    # New papers get pages with the richer record.
    orpo = front(ingested.pages_dir / ORPO)
    assert orpo["arxiv"] == "2403.07691"
    assert orpo["authors"] == ["Jiwoo Hong", "Noah Lee", "James Thorne"]
    assert orpo["author_count"] == 3
    assert orpo["published"] == dt.date(2024, 3, 12)
    assert orpo["added"] == dt.date(2026, 11, 23)
    assert orpo["sources"] == [source_id]
    assert orpo["code"] == ["https://github.com/xfactlab/orpo"]
    assert front(ingested.pages_dir / CHRONOS)["author_count"] == 17
    assert len(list(ingested.pages_dir.glob("*.md"))) == 545  # the third paper is known
    assert "Withdrawn" not in " ".join(p.name for p in ingested.pages_dir.iterdir())

    # The known paper is merged by title: id and authors filled in, provenance added,
    # the page's own title, abstract and notes kept.
    merged = front(pointer)
    assert merged["arxiv"] == "1506.03134"
    assert merged["authors"] == ["Oriol Vinyals", "Meire Fortunato", "Navdeep Jaitly"]
    assert merged["sources"] == [source_id, "hf-listing-38e464cb", "hf-listing-73f64d40"]
    assert merged["published"] == dt.date(2015, 6, 9)
    assert body(pointer) == pointer_body  # the HF abstract is shorter: the page's stays

    out = capsys.readouterr()
    assert f"stored data/sources/{source_id}.json (+ manifest)" in out.out
    assert f"created docs/papers/{ORPO}" in out.out
    assert "updated docs/papers/pointer-networks.md (authors, arxiv, sources)" in out.out
    assert "new 2, updated 1, unchanged 0, conflicts 0" in out.out
    assert (
        f"skipped: data/sources/{source_id}.json: item 4: "
        "paper 'A Withdrawn Listing Without Its Abstract' has no abstract\n"
    ) in out.out

    # A full ingest reads the stored JSON through its own parser and agrees.
    assert run(ingested, "ingest", "--check") == 0
    assert run(ingested, "validate") == 0


def test_the_same_response_twice_changes_nothing(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("huggingface.co", ok("hf_daily_2024-03-12.json"))
    assert run(ingested, "fetch", "hf-daily", "--date", "2024-03-12") == 0
    before = tree(ingested.pages_dir, ingested.sources_dir)
    capsys.readouterr()
    assert run(ingested, "fetch", "hf-daily", "--date", "2024-03-12") == 0
    assert "already stored" in capsys.readouterr().out
    assert tree(ingested.pages_dir, ingested.sources_dir) == before


def test_arxiv_query_merges_by_id_then_title(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("huggingface.co", ok("hf_daily_2024-03-12.json"))
    assert run(ingested, "fetch", "hf-daily", "--date", "2024-03-12") == 0
    node_before = front(ingested.pages_dir / NODE)
    assert "arxiv" not in node_before and "published" not in node_before
    api.add("export.arxiv.org", ok("arxiv_query.xml"))
    capsys.readouterr()

    assert run(ingested, "fetch", "arxiv", "--query", "ti:networks", "--max", "50") == 0

    request = api.requests[-1]
    assert request.url.host == "export.arxiv.org"
    params = parse_qs(request.url.query.decode())
    assert params["search_query"] == ["ti:networks"] and params["max_results"] == ["50"]

    raw = fixture_bytes("arxiv_query.xml")
    _, manifest = only_source(ingested, "arxiv-query-")
    assert manifest["kind"] == "arxiv-atom"
    assert manifest["query"] == "ti:networks"
    assert manifest["sha256"] == sha256_of(raw)
    assert manifest["http_status"] == 200
    assert manifest["entries"] == 5 and manifest["total_results"] == 5
    arxiv_source = manifest["id"]

    # Pointer Networks and ORPO already carry their arXiv ids: merged by id.
    pointer = front(ingested.pages_dir / "pointer-networks.md")
    assert arxiv_source in pointer["sources"] and len(pointer["sources"]) == 4
    orpo = front(ingested.pages_dir / ORPO)
    assert arxiv_source in orpo["sources"]
    # cs.CL maps onto a tag the abstract alone does not give.
    assert "natural-language-processing" in orpo["tags"]
    # Neural ODEs had no id: merged by title, missing fields filled in.
    node = front(ingested.pages_dir / NODE)
    assert node["arxiv"] == "1806.07366"
    assert node["published"] == dt.date(2018, 6, 19)
    assert node["authors"][0] == "Ricky T. Q. Chen"
    assert node["tags"] == node_before["tags"]
    # New papers, the old-style id included, get pages; no "/" reaches a file name.
    assert front(ingested.pages_dir / ATTENTION)["arxiv"] == "1706.03762"
    assert front(ingested.pages_dir / PERELMAN)["arxiv"] == "math/0211159"
    assert len(list(ingested.pages_dir.glob("*.md"))) == 547
    assert "new 2, updated 3, unchanged 0" in capsys.readouterr().out

    assert run(ingested, "ingest", "--check") == 0
    assert run(ingested, "validate") == 0


def test_a_revised_title_merges_by_arxiv_id(ingested: Project, api: FakeApi) -> None:
    api.add("export.arxiv.org", ok("arxiv_query.xml"), ok("arxiv_revised_title.xml"))
    assert run(ingested, "fetch", "arxiv", "--query", "ti:networks") == 0
    count = len(list(ingested.pages_dir.glob("*.md")))
    assert run(ingested, "fetch", "arxiv", "--query", "ti:neural") == 0
    assert len(list(ingested.pages_dir.glob("*.md"))) == count  # no page for the new title
    node = front(ingested.pages_dir / NODE)
    assert node["title"] == "Neural Ordinary Differential Equations"  # the page's title stays
    kinds = {s.id: s.kind for s in discover(ingested.sources_dir)}
    fetched = [s for s in node["sources"] if s.startswith("arxiv-query-")]
    assert len(fetched) == 2 and {kinds[s] for s in fetched} == {"arxiv-atom"}
    assert run(ingested, "ingest", "--check") == 0


def test_fetch_by_old_style_id(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_id_old_style.xml"))
    assert run(archive, "fetch", "arxiv", "--id", "arXiv:hep-th/9711200v3") == 0
    params = parse_qs(api.requests[0].url.query.decode())
    assert params["id_list"] == ["hep-th/9711200"]
    raw = fixture_bytes("arxiv_id_old_style.xml")
    source_id = f"arxiv-hep-th-9711200-{sha256_of(raw)[:8]}"
    assert (archive.sources_dir / f"{source_id}.xml").read_bytes() == raw
    _, manifest = only_source(archive, "arxiv-")
    assert manifest["ids"] == ["hep-th/9711200"]
    page = (
        archive.pages_dir / "the-large-n-limit-of-superconformal-field-theories-and-supergravity.md"
    )
    meta = front(page)
    assert meta["arxiv"] == "hep-th/9711200"
    assert meta["published"] == dt.date(1997, 11, 27)
    assert meta["authors"] == ["Juan M. Maldacena"]
    assert all("/" not in p.name for p in archive.sources_dir.iterdir())
    assert "We show that the large $N$ limit" in body(page)
    assert run(archive, "validate") == 0


def test_an_id_arxiv_does_not_know_fails_and_writes_nothing(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_empty.xml"))
    assert run(archive, "fetch", "arxiv", "--id", "2403.99999") == 1
    assert "arXiv has no paper 2403.99999" in capsys.readouterr().err
    assert tree(archive.pages_dir, archive.sources_dir) == {}


def test_a_malformed_id_is_a_usage_error(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(archive, "fetch", "arxiv", "--id", "../../etc/passwd") == 2
    assert "not an arXiv identifier" in capsys.readouterr().err
    assert api.requests == []


@pytest.mark.parametrize(
    ("command", "host", "replies", "message"),
    [
        ("hf", "huggingface.co", [Reply(500, b"oops")], "HTTP 500 after 4 attempts"),
        (
            "hf",
            "huggingface.co",
            [Reply(429, b"", {"Retry-After": "86400"})],
            "asks to retry after 86400 s",
        ),
        ("hf", "huggingface.co", [ok("hf_daily_truncated.json")], "not JSON"),
        ("hf", "huggingface.co", [Reply(400, fixture_bytes("hf_daily_error.json"))], "HTTP 400"),
        (
            "hf",
            "huggingface.co",
            [Reply(error=httpx.ConnectError("[Errno -3] Temporary failure in name resolution"))],
            "cannot connect to huggingface.co",
        ),
        (
            "arxiv",
            "export.arxiv.org",
            [Reply(400, fixture_bytes("arxiv_error.xml"))],
            "arXiv API error (HTTP 400): incorrect id format for 2403.1234567",
        ),
        (
            "arxiv",
            "export.arxiv.org",
            [ok("arxiv_error.xml")],
            "arXiv API error: incorrect id format",
        ),
        ("arxiv", "export.arxiv.org", [ok("arxiv_truncated.xml")], "not XML"),
        ("arxiv", "export.arxiv.org", [Reply(503, b"")] * 3 + [Reply(502, b"")], "HTTP 502"),
    ],
)
def test_a_failed_response_writes_and_deletes_nothing(
    ingested: Project,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    command: str,
    host: str,
    replies: list[Reply],
    message: str,
) -> None:
    api.add(host, *replies)
    before = tree(ingested.pages_dir, ingested.sources_dir)
    capsys.readouterr()
    args = ["hf-daily", "--date", "2024-03-12"] if command == "hf" else ["arxiv", "--query", "x"]
    assert run(ingested, "-q", "fetch", *args) == 1
    err = capsys.readouterr().err
    assert message in err
    lines = [line for line in err.splitlines() if not line.startswith("WARNING:")]
    assert len(lines) == 1 and lines[0].startswith("error: ")  # one line, no traceback
    assert "Traceback" not in err
    assert tree(ingested.pages_dir, ingested.sources_dir) == before


@pytest.mark.parametrize(
    ("command", "host", "fixture"),
    [
        (["hf-daily", "--date", "2024-03-16"], "huggingface.co", "hf_daily_empty.json"),
        (["arxiv", "--query", 'ti:"no such paper"'], "export.arxiv.org", "arxiv_empty.xml"),
    ],
)
def test_an_empty_response_writes_nothing(
    ingested: Project,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    host: str,
    fixture: str,
) -> None:
    api.add(host, ok(fixture))
    before = tree(ingested.pages_dir, ingested.sources_dir)
    capsys.readouterr()
    assert run(ingested, "fetch", *command) == 0
    assert "no papers in the response; nothing stored" in capsys.readouterr().out
    assert tree(ingested.pages_dir, ingested.sources_dir) == before


def test_offline_with_the_real_client(
    ingested: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No fake API: the real transport meets the disabled network, as on a plane."""
    before = tree(ingested.pages_dir, ingested.sources_dir)
    capsys.readouterr()
    assert run(ingested, "-q", "fetch", "hf-daily", "--date", "2024-03-12") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot connect to huggingface.co")
    assert "needs network access" in err and err.count("\n") == 1
    assert tree(ingested.pages_dir, ingested.sources_dir) == before


def test_dry_run_writes_nothing(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("huggingface.co", ok("hf_daily_2024-03-12.json"))
    before = tree(ingested.pages_dir, ingested.sources_dir)
    capsys.readouterr()
    assert run(ingested, "fetch", "hf-daily", "--date", "2024-03-12", "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"would create docs/papers/{ORPO}" in out
    assert "would be new 2, would be updated 1" in out
    assert tree(ingested.pages_dir, ingested.sources_dir) == before


def test_default_day_is_yesterday(archive: Project, api: FakeApi) -> None:
    api.add("huggingface.co", ok("hf_daily_empty.json"))
    assert run(archive, "fetch", "hf-daily") == 0
    assert api.requests[0].url.params["date"] == "2026-11-22"


def test_ingest_skips_a_stored_response_that_went_bad(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stored response is pinned by its sha256 and parsed by its kind's parser."""
    api.add("huggingface.co", ok("hf_daily_2024-03-12.json"))
    assert run(archive, "fetch", "hf-daily", "--date", "2024-03-12") == 0
    raw = next(archive.sources_dir.glob("*.json"))
    raw.write_bytes(raw.read_bytes()[:500])
    capsys.readouterr()
    assert run(archive, "ingest") == 1  # the only source is unreadable
    err = capsys.readouterr().err
    assert f"{raw.name}: contents do not match the sha256" in err
