"""An HTTP client that is a good citizen of the APIs it calls.

* a descriptive User-Agent naming the project;
* timeouts on every request;
* retries with exponential backoff on 429 and 5xx, honouring ``Retry-After`` (seconds
  or an HTTP date), and giving up when the server asks for a longer wait than
  :attr:`HttpClient.max_delay`;
* a minimum pause between two requests to the same host (arXiv asks for 3 seconds);
* one clear :class:`FetchError` for every failure, offline included, so the command
  line prints a line, not a traceback.

Time is injectable (``sleep``, ``clock``, ``now``) and so is the transport: tests run
with ``httpx.MockTransport`` and never sleep.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from .. import __version__
from .errors import FetchError, HttpStatusError

log = logging.getLogger(__name__)

__all__ = ["FetchError", "HttpClient", "HttpStatusError", "Response", "new_client"]

USER_AGENT = (
    f"paper-archive/{__version__} (static research-paper archive; "
    "daily metadata fetch, one request at a time; python-httpx)"
)
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Minimum seconds between two requests to a host (arXiv API terms of use).
HOST_PAUSES: Mapping[str, float] = {"export.arxiv.org": 3.0}


@dataclass(frozen=True, slots=True)
class Response:
    """A successful response: the body's bytes exactly as received."""

    url: str
    status: int
    content: bytes
    content_type: str
    fetched_at: dt.datetime


def utc_now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def retry_after_seconds(value: str | None, *, now: dt.datetime) -> float | None:
    """``Retry-After`` as seconds from ``now``: delta-seconds or an HTTP date.
    ``None`` when absent or unreadable; never negative."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


class HttpClient:
    """GET with retries and pauses. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = utc_now,
        attempts: int = 4,
        backoff: float = 2.0,
        max_delay: float = 120.0,
        pauses: Mapping[str, float] = HOST_PAUSES,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
        )
        self._sleep = sleep
        self._clock = clock
        self._now = now
        self.attempts = attempts
        self.backoff = backoff
        self.max_delay = max_delay
        self.pauses = dict(pauses)
        self._last: dict[str, float] = {}

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _pause(self, host: str) -> None:
        pause = self.pauses.get(host)
        last = self._last.get(host)
        if pause is None or last is None:
            return
        wait = pause - (self._clock() - last)
        if wait > 0:
            self._sleep(wait)

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            asked = retry_after_seconds(response.headers.get("Retry-After"), now=self._now())
            if asked is not None:
                return asked
        return self.backoff * 2 ** (attempt - 1)

    def get(self, url: str, *, params: Mapping[str, str] | None = None) -> Response:
        """GET ``url``; raises :class:`FetchError` (:class:`HttpStatusError` for an
        error status) once the attempts are used up or the failure is not transient."""
        host = urlsplit(url).hostname or url
        problem = ""
        for attempt in range(1, self.attempts + 1):
            self._pause(host)
            try:
                response = self._client.get(url, params=params)
            except httpx.ConnectError as exc:
                raise FetchError(
                    f"cannot connect to {host} ({exc or type(exc).__name__}): fetching "
                    "needs network access"
                ) from exc
            except httpx.TimeoutException as exc:
                response, problem = None, f"timed out ({type(exc).__name__})"
            except httpx.HTTPError as exc:
                raise FetchError(f"request to {host} failed: {exc}") from exc
            finally:
                self._last[host] = self._clock()
            if response is not None:
                if response.status_code not in RETRY_STATUSES:
                    return self._result(response)
                problem = f"HTTP {response.status_code}"
            if attempt == self.attempts:
                break
            delay = self._delay(attempt, response)
            if delay > self.max_delay:
                raise FetchError(
                    f"{host} answered {problem} and asks to retry after {delay:.0f} s; "
                    "giving up (try again later)"
                )
            log.warning(
                "%s: %s; retry %d of %d in %.1f s", host, problem, attempt, self.attempts - 1, delay
            )
            self._sleep(delay)
        raise FetchError(f"{url}: {problem} after {self.attempts} attempts; giving up")

    def _result(self, response: httpx.Response) -> Response:
        url = str(response.request.url)
        if response.status_code >= 400:
            said = " ".join(response.content[:600].decode("utf-8", "replace").split())[:160]
            raise HttpStatusError(
                f"{url}: HTTP {response.status_code} {response.reason_phrase}"
                + (f": {said}" if said else ""),
                status=response.status_code,
                content=response.content,
            )
        return Response(
            url=url,
            status=response.status_code,
            content=response.content,
            content_type=response.headers.get("Content-Type", ""),
            fetched_at=self._now(),
        )


def new_client() -> HttpClient:
    """The client the commands use (tests replace this function)."""
    return HttpClient()
