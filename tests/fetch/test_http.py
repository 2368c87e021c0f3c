"""The HTTP client: retries, backoff, Retry-After, pauses, errors; never the network."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from paper_archive.fetch import http
from paper_archive.fetch.errors import FetchError, HttpStatusError

from .conftest import FETCHED_AT, FakeApi, Reply, fixture_bytes, ok

HF = "https://huggingface.co/api/daily_papers?date=2024-03-12"
ARXIV = "https://export.arxiv.org/api/query"


def test_429_then_success_honours_retry_after() -> None:
    api = FakeApi()
    api.add("huggingface.co", Reply(429, b"slow down", {"Retry-After": "7"}))
    api.add("huggingface.co", ok("hf_daily_2024-03-12.json"))
    with api.client() as client:
        response = client.get(HF)
    assert response.status == 200
    assert response.content == fixture_bytes("hf_daily_2024-03-12.json")  # byte for byte
    assert response.fetched_at == FETCHED_AT
    assert response.content_type == "application/json"
    assert api.sleeps == [7.0]
    assert len(api.requests) == 2
    agent = api.requests[0].headers["User-Agent"]
    assert agent.startswith("paper-archive/") and "research-paper archive" in agent


def test_retry_after_as_an_http_date() -> None:
    api = FakeApi()
    when = "Mon, 23 Nov 2026 06:00:30 GMT"  # 30 s after FETCHED_AT
    api.add("huggingface.co", Reply(503, b"", {"Retry-After": when}), ok("hf_daily_empty.json"))
    with api.client() as client:
        assert client.get(HF).content == b"[]"
    assert api.sleeps == [30.0]


def test_5xx_backs_off_exponentially_then_gives_up() -> None:
    api = FakeApi()
    api.add("huggingface.co", Reply(500, b"Internal Server Error"))
    with api.client() as client, pytest.raises(FetchError, match="HTTP 500 after 4 attempts"):
        client.get(HF)
    assert api.sleeps == [2.0, 4.0, 8.0]
    assert len(api.requests) == 4


def test_a_long_retry_after_is_not_waited_for() -> None:
    api = FakeApi()
    api.add("huggingface.co", Reply(429, b"", {"Retry-After": "3600"}))
    with api.client() as client, pytest.raises(FetchError, match="retry after 3600 s"):
        client.get(HF)
    assert api.sleeps == [] and len(api.requests) == 1


def test_timeout_is_retried() -> None:
    api = FakeApi()
    api.add("huggingface.co", Reply(error=httpx.ReadTimeout("read timed out")))
    api.add("huggingface.co", ok("hf_daily_empty.json"))
    with api.client() as client:
        assert client.get(HF).status == 200
    assert api.sleeps == [2.0]


def test_offline_is_one_clear_error_without_retries() -> None:
    api = FakeApi()
    api.add("huggingface.co", Reply(error=httpx.ConnectError("[Errno -3] name resolution")))
    with api.client() as client, pytest.raises(FetchError) as info:
        client.get(HF)
    assert "cannot connect to huggingface.co" in str(info.value)
    assert "needs network access" in str(info.value)
    assert len(api.requests) == 1 and api.sleeps == []


def test_client_error_status_is_not_retried() -> None:
    api = FakeApi()
    api.add("huggingface.co", Reply(400, b'{"error":"Invalid date"}'))
    with api.client() as client, pytest.raises(HttpStatusError) as info:
        client.get(HF)
    assert info.value.status == 400
    assert 'HTTP 400 Bad Request: {"error":"Invalid date"}' in str(info.value)
    assert len(api.requests) == 1


def test_arxiv_requests_are_three_seconds_apart() -> None:
    api = FakeApi()
    api.add("export.arxiv.org", ok("arxiv_empty.xml"))
    api.add("huggingface.co", ok("hf_daily_empty.json"))
    with api.client() as client:
        client.get(ARXIV)
        client.get(HF)  # another host: no pause
        client.get(ARXIV)
        api.time += 10  # time passes between requests: no pause needed
        client.get(ARXIV)
    assert api.sleeps == [3.0]


def test_the_default_client_uses_the_real_transport_and_is_refused_offline() -> None:
    """The ``no_network`` guard makes any real connection fail: the error is ours."""
    with http.new_client() as client, pytest.raises(FetchError, match="needs network access"):
        client.get(HF)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("", None),
        ("12", 12.0),
        ("Mon, 23 Nov 2026 06:01:00 GMT", 60.0),
        ("Mon, 23 Nov 2026 05:00:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
    ],
)
def test_retry_after_seconds(value: str | None, seconds: float | None) -> None:
    now = dt.datetime(2026, 11, 23, 6, 0, 0, tzinfo=dt.UTC)
    assert http.retry_after_seconds(value, now=now) == seconds
