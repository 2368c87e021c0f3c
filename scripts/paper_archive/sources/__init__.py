"""The sources layer: raw sources in, :class:`SourceEntry` records out.

Below :mod:`paper_archive.ingest`, and importing nothing above the package's core:

* :mod:`.manifest`: the raw files under ``data/sources/`` and their manifests;
* :mod:`.entry`: :class:`SourceEntry`, what every source yields;
* :mod:`.listing`, :mod:`.hf`, :mod:`.arxiv` (with :mod:`.feed`): pure parsers of a
  saved listing page and of stored API responses;
* :mod:`.load`: each source read by the parser of its kind;
* :mod:`.store`: a fetched response kept as a new source.

The network client that fetches responses is :mod:`paper_archive.fetch`, beside this
layer; the commands compose the two.
"""

from __future__ import annotations

from .entry import SourceEntry
from .manifest import (
    MANIFEST_MAX_BYTES,
    MANIFEST_SUFFIX,
    Source,
    discover,
    load_manifest,
    manifest_text,
    read_source,
    read_source_bytes,
    resolve_paths,
    sha256_of,
)

__all__ = [
    "MANIFEST_MAX_BYTES",
    "MANIFEST_SUFFIX",
    "Source",
    "SourceEntry",
    "discover",
    "load_manifest",
    "manifest_text",
    "read_source",
    "read_source_bytes",
    "resolve_paths",
    "sha256_of",
]
