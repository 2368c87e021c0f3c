"""Keep a fetched response as a raw source: the bytes and their manifest.

A response is parsed before anything is written: a failed, malformed or empty one
leaves the archive as it was. A good one is stored byte for byte under
``data/sources/`` beside a manifest (kind, URL, fetch time in UTC, sha256, HTTP status,
``added``); the command that fetched it then ingests it like any other source
(:func:`paper_archive.ingest.plan_source`). Nothing here makes a request: a response
is anything shaped like :class:`Fetched` (:class:`paper_archive.fetch.http.Response` is).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import SourceError
from ..files.textfile import temp_path, writing
from . import arxiv, hf
from .feed import Feed
from .manifest import MANIFEST_SUFFIX, Source, load_manifest, manifest_text, sha256_of

log = logging.getLogger(__name__)


class Fetched(Protocol):
    """What is kept of a response (the fields of :class:`~paper_archive.fetch.http.Response`)."""

    @property
    def content(self) -> bytes: ...
    @property
    def url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def content_type(self) -> str: ...
    @property
    def fetched_at(self) -> dt.datetime: ...


@dataclass(frozen=True, slots=True)
class RawSpec:
    """How to keep one response: its source id, kind, file suffix, and manifest extras."""

    source_id: str
    kind: str
    suffix: str
    origin: str
    extra: Mapping[str, object]


def source_id(prefix: str, label: str, data: bytes) -> str:
    """``<prefix>-<label>-<first 8 hex of sha256>``: the same bytes, the same id."""
    return f"{prefix}-{label}-{sha256_of(data)[:8]}"


def hf_daily_spec(day: dt.date, data: bytes, feed: Feed) -> RawSpec:
    """How to keep the Daily Papers response of ``day``."""
    return RawSpec(
        source_id=source_id("hf-daily", day.isoformat(), data),
        kind=hf.KIND,
        suffix=".json",
        origin=hf.ORIGIN,
        extra={"date": day, "entries": len(feed.entries)},
    )


def arxiv_spec(label: str, data: bytes, feed: Feed, **extra: object) -> RawSpec:
    """How to keep an arXiv response; ``extra`` says what was asked (ids or query)."""
    return RawSpec(
        source_id=source_id("arxiv", label, data),
        kind=arxiv.KIND,
        suffix=".xml",
        origin=arxiv.ORIGIN,
        extra={**extra, "entries": len(feed.entries), "total_results": feed.total},
    )


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` atomically; never replaces an existing file.
    Raises :class:`~paper_archive.errors.WriteError` naming ``path``."""
    tmp = temp_path(path)  # a kill -9 leaves it behind: the next ingest removes it
    with writing(path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.link(tmp, path)  # fails if path exists: no silent replacement
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()


def planned_source(spec: RawSpec, *, sources_dir: Path, added: dt.date) -> Source:
    """The source a response would become, for a dry run (nothing is written)."""
    return Source(
        id=spec.source_id,
        path=sources_dir / f"{spec.source_id}{spec.suffix}",
        kind=spec.kind,
        added=added,
    )


def store_response(
    response: Fetched, spec: RawSpec, *, sources_dir: Path, added: dt.date
) -> tuple[Source, bool]:
    """Write the raw bytes and then the manifest; returns the source and whether it is
    new (``False``: these exact bytes were stored before under this id).

    Raises :class:`SourceError` if a different file already holds the name. If the
    manifest cannot be written the raw file just created is removed again.
    """
    raw = sources_dir / f"{spec.source_id}{spec.suffix}"
    manifest = sources_dir / f"{spec.source_id}{MANIFEST_SUFFIX}"
    if manifest.exists():
        existing = load_manifest(manifest)
        if existing.sha256 == sha256_of(response.content) and existing.path == raw.resolve():
            return existing, False
        raise SourceError("a different source already has this id", path=manifest)
    if raw.exists():
        raise SourceError("file exists without a manifest; not overwriting it", path=raw)
    text = manifest_text(
        source_id=spec.source_id,
        file_name=raw.name,
        data=response.content,
        kind=spec.kind,
        origin=spec.origin,
        added=added,
        url=response.url,
        fetched_at=response.fetched_at,
        extra={
            "http_status": response.status,
            "content_type": response.content_type or None,
            **spec.extra,
        },
    )
    _write_new(raw, response.content)
    try:
        _write_new(manifest, text.encode("utf-8"))
    except BaseException:
        raw.unlink(missing_ok=True)  # our own file of a moment ago: no raw without manifest
        raise
    log.info("stored %s (%d bytes) with %s", raw, len(response.content), manifest.name)
    return load_manifest(manifest), True
