"""The prebuilt search index: planned in on_files, built beside the render, written last.

The bundle's names are fixed by a hash of its inputs as soon as the papers are known,
so every page can point at them; the bundle itself is built in a separate process
while MkDocs renders pages (the machine's second core), or found in `.cache/search/`
when no paper changed since the last build.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paper_archive.search.bundle import (
    KINDS,
    bundle_name,
    cached_or_built,
    content_key,
    documents,
    worker_bundle,
)
from paper_archive.site.generate import tag_names
from paper_archive.site.state import archive_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.paper_archive.search")
_KEY = "_paper_archive_search"
SITE_DIR = "assets/search"
#: Served as one file each (one request): lunr.js and the engine for the page's first
#: stage on /search/, and the same plus the worker adapter for the worker.
ENGINE_PARTS = ("assets/vendor/lunr/lunr.min.js", "assets/search/engine.js")
WORKER_PARTS = (*ENGINE_PARTS, "assets/search/worker.js")


@dataclass
class _Pending:
    key: str
    result: Future[Path] | Path
    pool: ProcessPoolExecutor | None
    scripts: dict[str, bytes]  # file name -> content


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    archive = archive_of(config)
    docs = documents(archive)
    names = tag_names(archive)
    key = content_key(docs, names)
    cache_dir = Path(config.config_file_path).parent / ".cache" / "search"
    config.extra["pa_search"] = {kind: bundle_name(kind, key) for kind in KINDS}
    scripts: dict[str, bytes] = {}
    for role, parts in (("engine", ENGINE_PARTS), ("worker", WORKER_PARTS)):
        content = worker_bundle([Path(config.docs_dir) / part for part in parts])
        name = f"{role}.{hashlib.sha256(content).hexdigest()[:12]}.js"
        config.extra["pa_search"][role] = name
        scripts[name] = content
    if all((cache_dir / key / bundle_name(kind, key)).is_file() for kind in KINDS):
        config[_KEY] = _Pending(key, cache_dir / key, None, scripts)
        return None
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("forkserver"))
    future = pool.submit(cached_or_built, docs, names, key, cache_dir)
    config[_KEY] = _Pending(key, future, pool, scripts)
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    pending: _Pending = config[_KEY]
    try:
        source = pending.result if isinstance(pending.result, Path) else pending.result.result()
    finally:
        if pending.pool is not None:
            pending.pool.shutdown()
    target = Path(config.site_dir) / SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        shutil.copyfile(
            source / bundle_name(kind, pending.key), target / bundle_name(kind, pending.key)
        )
    for name, content in pending.scripts.items():
        (target / name).write_bytes(content)
    log.debug("search bundle %s written to %s", pending.key, target)


def on_build_error(*, error: Exception) -> None:
    # The pool, if any, dies with its build: its futures are never awaited.
    return None
