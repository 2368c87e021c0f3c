"""The request to the Hugging Face Daily Papers API (the parser of its JSON is
:mod:`paper_archive.sources.hf`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .http import HttpClient, Response

API_URL = "https://huggingface.co/api/daily_papers"


def daily_url(day: dt.date) -> str:
    return f"{API_URL}?date={day.isoformat()}"


def fetch_daily(client: HttpClient, day: dt.date) -> Response:
    """The raw response for ``day`` (raises ``FetchError`` when the API fails)."""
    return client.get(daily_url(day))
