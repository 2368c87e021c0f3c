"""``papers add --arxiv``: one paper by its id, through ``papers add``'s checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from paper_archive.fetch import arxiv
from paper_archive.files import yamlio
from paper_archive.project import Project
from paper_archive.sources import sha256_of

from .conftest import FakeApi, Reply, fixture_bytes, ok, run, tree

MALDACENA = "the-large-n-limit-of-superconformal-field-theories-and-supergravity.md"


def front(path: Path) -> dict:
    return yamlio.load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_add_by_old_style_id(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_id_old_style.xml"))
    capsys.readouterr()
    assert run(ingested, "add", "--arxiv", "hep-th/9711200v3", "--tag", "surveys") == 0

    (request,) = api.requests
    assert parse_qs(request.url.query.decode())["id_list"] == ["hep-th/9711200"]
    raw = fixture_bytes("arxiv_id_old_style.xml")
    source_id = f"arxiv-hep-th-9711200-{sha256_of(raw)[:8]}"
    assert (ingested.sources_dir / f"{source_id}.xml").read_bytes() == raw
    manifest = yamlio.load((ingested.sources_dir / f"{source_id}.yaml").read_text("utf-8"))
    assert (manifest["kind"], manifest["ids"], manifest["http_status"]) == (
        "arxiv-atom",
        ["hep-th/9711200"],
        200,
    )

    meta = front(ingested.pages_dir / MALDACENA)
    assert meta["arxiv"] == "hep-th/9711200"
    assert meta["authors"] == ["Juan M. Maldacena"] and meta["author_count"] == 1
    assert meta["published"] == dt.date(1997, 11, 27)
    assert meta["added"] == dt.date(2026, 11, 23)
    assert "surveys" in meta["tags"]  # the --tag given
    assert meta["sources"] == [source_id]
    out = capsys.readouterr().out
    assert f"wrote docs/papers/{MALDACENA}" in out and f"stored data/sources/{source_id}" in out

    assert run(ingested, "ingest", "--check") == 0  # the stored source agrees with the page
    assert run(ingested, "validate") == 0

    # The same id again is refused before any request.
    before = tree(ingested.pages_dir, ingested.sources_dir)
    capsys.readouterr()
    assert run(ingested, "add", "--arxiv", "arXiv:hep-th/9711200") == 1
    assert f"docs/papers/{MALDACENA}: the archive already has arXiv" in capsys.readouterr().err
    assert len(api.requests) == 1
    assert tree(ingested.pages_dir, ingested.sources_dir) == before


def test_a_title_the_archive_has_is_refused_and_nothing_is_stored(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_id_pointer.xml"))
    before = tree(ingested.pages_dir, ingested.sources_dir)
    capsys.readouterr()
    assert run(ingested, "add", "--arxiv", "1506.03134") == 1
    assert "already has this paper" in capsys.readouterr().err
    assert tree(ingested.pages_dir, ingested.sources_dir) == before


def test_an_unknown_tag_is_refused_and_nothing_is_stored(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_id_pointer.xml"))
    assert run(archive, "add", "--arxiv", "1506.03134", "--tag", "sequence-model") == 1
    assert "unknown tag 'sequence-model' (did you mean sequence-models" in capsys.readouterr().err
    assert tree(archive.pages_dir, archive.sources_dir) == {}


def test_an_unknown_id_writes_nothing(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_empty.xml"))
    assert run(archive, "add", "--arxiv", "2403.99999") == 1
    assert "arXiv has no paper 2403.99999; nothing written" in capsys.readouterr().err
    assert tree(archive.pages_dir, archive.sources_dir) == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--arxiv", "not-an-id"], "not an arXiv identifier"),
        (["--arxiv", "1506.03134", "--title", "X"], "--arxiv takes the title"),
    ],
)
def test_usage_errors_make_no_request(
    archive: Project,
    api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert run(archive, "add", *args) == 2
    assert message in capsys.readouterr().err
    assert api.requests == []


def test_offline_is_one_error_line(
    archive: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add(
        "export.arxiv.org", Reply(error=httpx.ConnectError("[Errno 101] Network is unreachable"))
    )
    assert run(archive, "add", "--arxiv", "1506.03134") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot connect to export.arxiv.org") and err.count("\n") == 1
    assert tree(archive.pages_dir, archive.sources_dir) == {}


def test_fetch_arxiv_ids_for_other_front_ends(api: FakeApi) -> None:
    api.add("export.arxiv.org", ok("arxiv_id_pointer.xml"))
    with api.client() as client:
        (entry,) = arxiv.fetch_arxiv_ids(["arXiv:1506.03134v2"], client=client)
    assert (entry.arxiv, entry.title, entry.author_count) == ("1506.03134", "Pointer Networks", 3)
    assert parse_qs(api.requests[0].url.query.decode())["id_list"] == ["1506.03134"]


def test_plain_add_still_works_without_arxiv(
    archive: Project, api: FakeApi, tmp_path: Path
) -> None:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("We write an abstract long enough to be one, by hand, for a test.\n")
    assert (
        run(archive, "add", "--title", "A Hand-Written Paper", "--abstract-file", str(abstract))
        == 0
    )
    assert (archive.pages_dir / "a-hand-written-paper.md").is_file()
    assert api.requests == []
