"""Where a paper came from, said in words: the source manifests as readable labels.

A page's front matter names its sources by id (``hf-listing-73f64d40``), which tells a
reader nothing. Each id has a manifest under ``data/sources/`` (``kind``, ``url``,
``fetched_at``, ``page_date`` for a saved listing page); :func:`source_info` turns one
into "Hugging Face Daily Papers listing for Mar 11, fetch date not recorded", linked
when the manifest has an ``http(s)`` URL. An id with
no manifest (an ad-hoc listing given to ``papers ingest``) is shown as "Listing
file …" with its id.

:func:`source_info` is pure; :func:`load_sources` reads the manifests (a few hundred
bytes each, once per build).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError
from ..files import yamlio
from ..files.textfile import read_text
from ..sources import MANIFEST_SUFFIX

#: What each kind of source is, as a reader would name it. ``fetch/`` writes the
#: ``*-api``/``*-atom`` kinds; the seed listings are ``hf-daily-papers-listing``.
KIND_LABELS = {
    "hf-daily-papers-listing": "Hugging Face Daily Papers listing",
    "hf-daily-api": "Hugging Face Daily Papers API",
    "arxiv-atom": "arXiv API",
    "listing": "Listing file",
}
_MANIFEST_MAX_BYTES = 64 * 1024
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    id: str
    label: str  # plain text: "Hugging Face Daily Papers listing, fetched 2024-03-11"
    url: str | None = None  # only http(s)


def kind_label(kind: str) -> str:
    """A known kind's name, else the kind made readable (``my-feed`` -> ``My feed``)."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    words = re.sub(r"[-_]+", " ", kind).strip()
    return words[:1].upper() + words[1:] if words else KIND_LABELS["listing"]


def fetched_day(value: object) -> str | None:
    """``fetched_at`` (a date, a datetime, or ISO text) as ``YYYY-MM-DD``."""
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str) and (match := _DAY.match(value.strip())):
        return match[0]
    return None


def source_info(manifest: Mapping[str, Any]) -> SourceInfo:
    """The label of one manifest (its YAML as loaded)."""
    ident = str(manifest.get("id", ""))
    kind = manifest.get("kind")
    name = kind_label(kind) if isinstance(kind, str) else KIND_LABELS["listing"]
    page_date = manifest.get("page_date")  # what a saved listing page said its day was
    if isinstance(page_date, str) and page_date.strip():
        name = f"{name} for {' '.join(page_date.split())}"
    day = fetched_day(manifest.get("fetched_at"))
    when = f"fetched {day}" if day else "fetch date not recorded"
    url = manifest.get("url")
    link = url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
    return SourceInfo(id=ident, label=f"{name}, {when}", url=link)


def unknown_source(source_id: str) -> SourceInfo:
    """A source id without a manifest: say so, and keep the id (it is all there is)."""
    return SourceInfo(id=source_id, label=f"{KIND_LABELS['listing']} {source_id}")


def load_sources(sources_dir: Path) -> dict[str, SourceInfo]:
    """Every manifest under ``sources_dir`` by source id (empty when there is none).

    Raises :class:`SourceError` naming a manifest that cannot be read or is not a
    mapping with an ``id``.
    """
    if not sources_dir.is_dir():
        return {}
    found: dict[str, SourceInfo] = {}
    for path in sorted(sources_dir.glob(f"*{MANIFEST_SUFFIX}")):
        try:
            data = yamlio.load(read_text(path, max_bytes=_MANIFEST_MAX_BYTES))
        except yaml.YAMLError as exc:
            raise SourceError(f"cannot read manifest: {exc}", path=path) from exc
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise SourceError("manifest must be a mapping with an 'id' string", path=path)
        found[data["id"]] = source_info(data)
    return found
