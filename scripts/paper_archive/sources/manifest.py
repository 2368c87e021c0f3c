"""Raw sources under ``data/sources/``: each raw file with a small YAML manifest.

A manifest says where its raw file came from and pins its bytes by sha256, so raw files
are never edited in place. ``papers ingest`` reads every manifest under ``data/sources``;
a listing file given on the command line without a manifest is an ad-hoc source whose
fetch date is unknown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import SourceError
from ..files import yamlio
from ..files.textfile import read_text
from ..record.model import as_date

MANIFEST_SUFFIX = ".yaml"
#: Manifests are a few hundred bytes; anything this large is not one.
MANIFEST_MAX_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    """One raw source. ``added`` is when it entered the archive (``None``: today)."""

    id: str
    path: Path
    kind: str = "listing"
    fetched: dt.date | None = None
    added: dt.date | None = None
    sha256: str | None = None
    manifest: Path | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _optional_date(value: object, *, key: str, path: Path) -> dt.date | None:
    if value is None:
        return None
    try:
        return as_date(value)
    except (TypeError, ValueError) as exc:
        raise SourceError(f"'{key}' must be a date (YYYY-MM-DD), not {value!r}", path=path) from exc


def load_manifest(path: Path) -> Source:
    try:
        data = yamlio.load(read_text(path, max_bytes=MANIFEST_MAX_BYTES))
    except (OSError, yaml.YAMLError) as exc:
        raise SourceError(f"cannot read manifest: {exc}", path=path) from exc
    if not isinstance(data, dict):
        raise SourceError("manifest must be a mapping", path=path)
    for key in ("id", "file", "sha256"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise SourceError(f"manifest needs a '{key}' string", path=path)
    raw = (path.parent / data["file"]).resolve()
    if raw.parent != path.parent.resolve():
        raise SourceError("'file' must name a file beside the manifest", path=path)
    fetched_at = data.get("fetched_at")
    return Source(
        id=data["id"],
        path=raw,
        kind=str(data.get("kind", "listing")),
        fetched=_optional_date(fetched_at, key="fetched_at", path=path),
        added=_optional_date(data.get("added"), key="added", path=path),
        sha256=data["sha256"],
        manifest=path,
    )


def discover(sources_dir: Path) -> list[Source]:
    """Every manifest under ``sources_dir``, sorted by source id."""
    if not sources_dir.is_dir():
        return []
    found = [load_manifest(p) for p in sorted(sources_dir.glob(f"*{MANIFEST_SUFFIX}"))]
    ids = [s.id for s in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SourceError(f"source ids used twice: {', '.join(duplicates)}", path=sources_dir)
    return sorted(found, key=lambda s: s.id)


def resolve_paths(paths: list[Path], *, sources_dir: Path, root: Path) -> list[Source]:
    """Sources for explicit command-line paths: a manifest, a raw file with a manifest,
    or any listing file (an ad-hoc source, fetch date unknown)."""
    by_file = {s.path: s for s in discover(sources_dir)}
    out: list[Source] = []
    for given in paths:
        path = given.resolve()
        if path.suffix == MANIFEST_SUFFIX and path.is_file():
            out.append(load_manifest(path))
        elif path in by_file:
            out.append(by_file[path])
        else:
            try:
                ident = path.relative_to(root.resolve()).as_posix()
            except ValueError:
                ident = path.name
            out.append(Source(id=ident, path=path))
    return out


def read_source_bytes(source: Source) -> bytes:
    """The raw bytes, checked against the manifest's sha256. Raises :class:`SourceError`.

    API responses are parsed from these bytes: an XML document names its own encoding,
    and a JSON body may be UTF-16; decoding them as UTF-8 first would misread both."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read source: {exc.strerror}", path=source.path) from exc
    if source.sha256 is not None and sha256_of(data) != source.sha256:
        raise SourceError(
            f"contents do not match the sha256 in {source.manifest}: raw files are never "
            "edited; add a new source instead",
            path=source.path,
        )
    return data


def read_source(source: Source) -> str:
    """The raw text, checked against the manifest's sha256. Raises :class:`SourceError`."""
    data = read_source_bytes(source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text (byte {exc.start})", path=source.path) from exc


def manifest_text(
    *,
    source_id: str,
    file_name: str,
    data: bytes,
    kind: str,
    origin: str,
    added: dt.date,
    url: str | None = None,
    fetched_at: str | dt.datetime | None = None,
    extra: dict[str, object] | None = None,
) -> str:
    """A manifest's YAML (dumped, never string-built)."""
    record: dict[str, object] = {
        "id": source_id,
        "file": file_name,
        "kind": kind,
        "origin": origin,
        "url": url,
        "fetched_at": fetched_at,
        "added": added,
        "sha256": sha256_of(data),
        "bytes": len(data),
    }
    record.update(extra or {})
    return yamlio.dump(record)
