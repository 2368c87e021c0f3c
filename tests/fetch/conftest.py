"""Offline fetch tests: recorded responses served through ``httpx.MockTransport``.

Every test here runs with real network access disabled (``no_network``): a test that
forgets to inject the fake API fails with a connection error instead of calling out.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from paper_archive import cli
from paper_archive.fetch import http
from paper_archive.project import Project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fetch"
#: What the fake clock says when a response arrives.
FETCHED_AT = dt.datetime(2026, 11, 23, 6, 0, 0, tzinfo=dt.UTC)
TODAY = "1795392000"  # SOURCE_DATE_EPOCH of 2026-11-23


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    """One canned answer: a status, a body, headers; or an exception to raise."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: Exception | None = None


def ok(name: str, **headers: str) -> Reply:
    kind = "application/json" if name.endswith(".json") else "application/atom+xml"
    return Reply(200, fixture_bytes(name), {"Content-Type": kind, **headers})


@dataclass
class FakeApi:
    """Serves queued replies per host (the last one repeats) and records every request,
    every sleep and a clock that only sleeping moves."""

    queues: dict[str, list[Reply]] = field(default_factory=dict)
    routes: list[tuple[Callable[[httpx.Request], bool], Reply]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)
    time: float = 1000.0

    def add(self, host: str, *replies: Reply) -> None:
        self.queues.setdefault(host, []).extend(replies)

    def route(self, when: Callable[[httpx.Request], bool], reply: Reply) -> None:
        self.routes.append((when, reply))

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = next((r for when, r in self.routes if when(request)), None)
        if reply is None:
            queue = self.queues.get(request.url.host)
            if not queue:
                raise AssertionError(f"unexpected request: {request.url}")
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if reply.error is not None:
            raise reply.error
        return httpx.Response(reply.status, content=reply.body, headers=reply.headers)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.time += seconds

    def clock(self) -> float:
        return self.time

    def client(self) -> http.HttpClient:
        return http.HttpClient(
            transport=httpx.MockTransport(self.handle),
            sleep=self.sleep,
            clock=self.clock,
            now=lambda: FETCHED_AT,
        )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any real connection attempt fails, as it would offline."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access is disabled in the tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    """The fake API, installed as the client every command uses; a fixed 'today'."""
    fake = FakeApi()
    monkeypatch.setattr(http, "new_client", fake.client)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY)
    yield fake


def run(project: Project, *args: str) -> int:
    return cli.main(["--root", str(project.root), *args])


def tree(*dirs: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``dirs`` with its bytes and mtime: a snapshot to compare."""
    out: dict[str, tuple[bytes, int]] = {}
    for directory in dirs:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                out[str(path)] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


@pytest.fixture(scope="session")
def ingested_template(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The five seed listings ingested once per session (543 pages), to be copied."""
    root = tmp_path_factory.mktemp("ingested") / "archive"
    (root / "docs" / "papers").mkdir(parents=True)
    (root / "data" / "sources").mkdir(parents=True)
    for seed in (corpus / "data" / "sources").glob("hf-listing-*"):  # not later fetches
        shutil.copy(seed, root / "data" / "sources" / seed.name)
    shutil.copy(corpus / "data" / "tags.yaml", root / "data" / "tags.yaml")
    (root / "mkdocs.yml").write_text("site_name: Test archive\n", encoding="utf-8")
    assert cli.main(["--root", str(root), "-q", "ingest"]) == 0
    return root


@pytest.fixture
def ingested(ingested_template: Path, tmp_path: Path) -> Project:
    """The seed archive with its 543 pages written: a fresh copy for each test."""
    root = tmp_path / "archive"
    shutil.copytree(ingested_template, root)
    return Project(root)
