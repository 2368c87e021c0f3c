"""``papers enrich``: only an exact normalised-title match is ever written."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sys
from pathlib import Path

import httpx
import pytest
from paper_archive.fetch import arxiv
from paper_archive.files import yamlio
from paper_archive.project import Project

from .conftest import FakeApi, Reply, ok, run, tree

NODE = "docs/papers/neural-ordinary-differential-equations.md"
CLOSE = "docs/papers/post-hoc-concept-bottleneck-models.md"
AMBIGUOUS = "docs/papers/densely-connected-convolutional-networks.md"
MISSING = "docs/papers/pointer-networks.md"
PAGES = (NODE, CLOSE, AMBIGUOUS, MISSING)


def front(path: Path) -> dict:
    return yamlio.load(path.read_text(encoding="utf-8").split("---\n")[1])


def searching(phrase: str):  # type: ignore[no-untyped-def]
    def when(request: httpx.Request) -> bool:
        return request.url.params.get("search_query") == f'ti:"{phrase}"'

    return when


PHRASES = (
    "densely connected convolutional networks",
    "neural ordinary differential equations",
    "pointer networks",
    "post hoc concept bottleneck models",
)


def clauses(request: httpx.Request) -> list[str]:
    """The phrases of a title search, OR-ed or alone."""
    query = request.url.params.get("search_query", "")
    return [c.removeprefix('ti:"').removesuffix('"') for c in query.split(" OR ")]


def searching_all(*phrases: str):  # type: ignore[no-untyped-def]
    """A batched search for exactly these phrases (in any order)."""

    def when(request: httpx.Request) -> bool:
        return sorted(clauses(request)) == sorted(phrases)

    return when


@pytest.fixture
def searches(api: FakeApi) -> FakeApi:
    api.route(searching("neural ordinary differential equations"), ok("arxiv_search_exact.xml"))
    api.route(searching("post hoc concept bottleneck models"), ok("arxiv_search_close.xml"))
    api.route(
        searching("densely connected convolutional networks"), ok("arxiv_search_ambiguous.xml")
    )
    api.route(searching("pointer networks"), ok("arxiv_empty.xml"))
    return api


@pytest.fixture
def batched(searches: FakeApi) -> FakeApi:
    """The four titles in one request: arXiv's answer to their OR-ed phrases."""
    searches.route(searching_all(*PHRASES), ok("arxiv_search_batch.xml"))
    return searches


def test_enrich_fills_only_exact_matches(
    ingested: Project, batched: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    node = ingested.root / NODE
    text = node.read_text(encoding="utf-8")
    text = text.replace("tags:\n", "tags:\n- bayesian-methods\n", 1)
    text += "\n> Note: read alongside the adjoint-method tutorial.\n"
    node.write_text(text, encoding="utf-8")
    others = {p: (ingested.root / p).read_bytes() for p in PAGES if p != NODE}
    capsys.readouterr()

    assert run(ingested, "enrich", *(str(ingested.root / p) for p in PAGES)) == 0

    meta = front(node)
    assert meta["arxiv"] == "1806.07366"
    assert meta["authors"] == [
        "Ricky T. Q. Chen",
        "Yulia Rubanova",
        "Jesse Bettencourt",
        "David Duvenaud",
    ]
    assert meta["author_count"] == 4
    assert meta["published"] == dt.date(2018, 6, 19)
    assert "bayesian-methods" in meta["tags"]  # the hand-added tag stays
    enriched = node.read_text(encoding="utf-8")
    assert enriched.endswith("\n> Note: read alongside the adjoint-method tutorial.\n")
    assert enriched.split("---\n", 2)[2] == text.split("---\n", 2)[2]  # body untouched
    for path, before in others.items():
        assert (ingested.root / path).read_bytes() == before, path

    out = capsys.readouterr().out
    assert f"enriched {NODE}: arXiv 1806.07366 (arxiv, authors, author_count, published)" in out
    assert (
        f"check {CLOSE}: no exact title match on arXiv; close: "
        "2205.15480 'Post-hoc Concept Bottleneck Model'" in out
    )
    assert f"check {AMBIGUOUS}: several arXiv papers have this title: 1608.06993" in out
    assert f"check {MISSING}: not found on arXiv by title" in out
    assert "4 page(s) looked up: enriched 1, for a human 2, not found 1, failed 0" in out
    (request,) = batched.requests  # four titles, one request
    assert request.url.params["max_results"] == "20"
    assert request.headers["User-Agent"].startswith("paper-archive/")

    assert run(ingested, "ingest", "--check") == 0  # a re-ingest keeps what enrich added
    assert run(ingested, "validate") == 0


def test_a_disagreeing_page_value_is_reported_not_overwritten(
    ingested: Project, searches: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    node = ingested.root / NODE
    node.write_text(
        node.read_text(encoding="utf-8").replace(
            "added: 2026-11-23\n", "added: 2026-11-23\npublished: 2018-06-01\n"
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert run(ingested, "enrich", str(node)) == 0
    meta = front(node)
    assert meta["published"] == dt.date(2018, 6, 1)
    assert meta["arxiv"] == "1806.07366"
    out = capsys.readouterr().out
    assert "kept the page's published: the page has 2018-06-01, arXiv 2018-06-19" in out


def test_an_id_already_on_another_page_is_not_written_twice(
    ingested: Project, searches: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    other = ingested.root / MISSING
    other.write_text(
        other.read_text(encoding="utf-8").replace(
            "author_count: 3\n", "author_count: 3\narxiv: '1806.07366'\n"
        ),
        encoding="utf-8",
    )
    before = (ingested.root / NODE).read_bytes()
    capsys.readouterr()
    assert run(ingested, "enrich", str(ingested.root / NODE)) == 0
    assert (ingested.root / NODE).read_bytes() == before
    assert f"arXiv 1806.07366 matches, but {MISSING} has it" in capsys.readouterr().out


def test_dry_run_writes_nothing(
    ingested: Project, searches: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(ingested.pages_dir)
    capsys.readouterr()
    assert run(ingested, "enrich", "--dry-run", str(ingested.root / NODE)) == 0
    assert f"would enrich {NODE}: arXiv 1806.07366" in capsys.readouterr().out
    assert tree(ingested.pages_dir) == before


def test_a_bad_response_for_one_page_spares_the_others(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch whose answer does not parse is asked again title by title."""
    both = ("post hoc concept bottleneck models", "neural ordinary differential equations")
    api.route(searching_all(*both), ok("arxiv_truncated.xml"))
    api.route(searching("post hoc concept bottleneck models"), ok("arxiv_truncated.xml"))
    api.route(searching("neural ordinary differential equations"), ok("arxiv_search_exact.xml"))
    capsys.readouterr()
    assert run(ingested, "enrich", str(ingested.root / CLOSE), str(ingested.root / NODE)) == 1
    assert [len(clauses(r)) for r in api.requests] == [2, 1, 1]
    captured = capsys.readouterr()
    assert f"{CLOSE}: lookup failed" in captured.err and "not XML" in captured.err
    assert "enriched 1, for a human 0, not found 0, failed 1" in captured.out
    assert front(ingested.root / NODE)["arxiv"] == "1806.07366"


def test_offline_enrich_is_one_error_line(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add(
        "export.arxiv.org", Reply(error=httpx.ConnectError("[Errno 101] Network is unreachable"))
    )
    before = tree(ingested.pages_dir)
    capsys.readouterr()
    assert run(ingested, "-q", "enrich", "--limit", "5") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot connect to export.arxiv.org") and err.count("\n") == 1
    assert tree(ingested.pages_dir) == before


def test_limit_and_pages_with_ids_are_skipped(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_empty.xml"))
    capsys.readouterr()
    assert run(ingested, "-q", "enrich", "--limit", "2") == 0
    (request,) = api.requests
    assert len(clauses(request)) == 2
    assert "2 page(s) looked up: enriched 0, for a human 0, not found 2" in capsys.readouterr().out


# -- several titles a request ------------------------------------------------------------


def outcome(project: Project, out: str) -> tuple[dict[str, tuple[bytes, int]], list[str]]:
    """The pages' bytes and the result lines, whichever archive copy ran."""
    pages = {
        Path(k).relative_to(project.root).as_posix(): v[0]
        for k, v in tree(project.pages_dir).items()
    }
    return pages, sorted(out.replace(str(project.root), "ROOT").splitlines())


def test_batched_lookups_equal_one_request_per_title(
    ingested: Project,
    searches: FakeApi,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same pages written and the same lines said, from one request instead of four."""
    alone = Project(tmp_path / "alone")
    shutil.copytree(ingested.root, alone.root)
    capsys.readouterr()
    with monkeypatch.context() as patched:
        patched.setattr(arxiv, "TITLES_PER_REQUEST", 1)
        assert run(alone, "enrich", *(str(alone.root / p) for p in PAGES)) == 0
    one_each = outcome(alone, capsys.readouterr().out)
    assert [clauses(r) for r in searches.requests] == [[p] for p in PHRASES]
    assert searches.sleeps == [3.0, 3.0, 3.0]  # arXiv's pause between requests

    searches.requests.clear()
    searches.sleeps.clear()
    searches.route(searching_all(*PHRASES), ok("arxiv_search_batch.xml"))
    assert run(ingested, "enrich", *(str(ingested.root / p) for p in PAGES)) == 0
    assert outcome(ingested, capsys.readouterr().out) == one_each
    assert [sorted(clauses(r)) for r in searches.requests] == [list(PHRASES)]
    assert one_each[1][0].startswith("4 page(s) looked up: enriched 1, for a human 2")


def test_a_batch_arxiv_cut_short_is_asked_again_title_by_title(
    ingested: Project, searches: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """totalResults above what came back: every title without an exact match in the
    batch gets a request of its own, so the cut cannot hide its match."""
    cut = ok("arxiv_search_batch.xml")
    cut.body = cut.body.replace(b">5</opensearch:totalResults>", b">80</opensearch:totalResults>")
    searches.route(searching_all(*PHRASES), cut)
    capsys.readouterr()
    assert run(ingested, "enrich", *(str(ingested.root / p) for p in PAGES)) == 0
    asked = [clauses(r) for r in searches.requests]
    assert sorted(asked[0]) == list(PHRASES)
    # The two with an exact match in the batch are not asked again.
    assert asked[1:] == [["pointer networks"], ["post hoc concept bottleneck models"]]
    assert "enriched 1, for a human 2, not found 1, failed 0" in capsys.readouterr().out


def test_many_pages_go_ten_to_a_request_with_the_pause_between(
    ingested: Project, api: FakeApi, capsys: pytest.CaptureFixture[str]
) -> None:
    api.add("export.arxiv.org", ok("arxiv_empty.xml"))
    capsys.readouterr()
    assert run(ingested, "enrich", "--limit", "25") == 0
    assert [len(clauses(r)) for r in api.requests] == [10, 10, 5]
    assert api.sleeps == [3.0, 3.0]
    captured = capsys.readouterr()
    assert "looking up 25 page(s) on arXiv in 3 request(s)" in captured.err
    assert "\r" not in captured.err and "page/s" not in captured.err  # not a terminal: no bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_shows_progress_and_the_time_left(
    ingested: Project,
    api: FakeApi,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api.add("export.arxiv.org", ok("arxiv_empty.xml"))
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert run(ingested, "enrich", "--limit", "25") == 0
    drawn = terminal.getvalue()
    for done in (10, 20):  # after each request: pages done of 25, elapsed<left
        assert re.search(
            rf"\rlooking up: +{done * 4}%\|.*\| {done}/25 \[\d\d:\d\d<\d\d:\d\d", drawn
        )
    out = capsys.readouterr().out
    assert out.count("check ") == 25 and "25 page(s) looked up" in out

    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert run(ingested, "-q", "enrich", "--limit", "5") == 0
    assert "looking up" not in quiet.getvalue()


def test_a_title_of_symbols_is_asked_alone_in_its_place() -> None:
    """Its key keeps its symbols (a quote could end the phrase): never OR-ed."""
    titles = ["A b", "C d", '"""', "E f", "🔥🔥🔥", *(f"T {i}" for i in range(11))]
    assert arxiv.title_batches(titles, size=10) == [
        [0, 1],
        [2],
        [3],
        [4],
        [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
        [15],
    ]
    assert arxiv.titles_query(["Neural ODEs: a study", "Pointer Networks"]) == (
        'ti:"neural odes a study" OR ti:"pointer networks"'
    )
