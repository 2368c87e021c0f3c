"""The prebuilt search index: planned in on_files, built beside the render, written last.

The bundle's names are fixed by a hash of its inputs as soon as the papers are known,
so every page can point at them; the bundle itself is built by a separate Python
process (`python -m paper_archive.search.build`) while MkDocs renders pages (the
machine's second core), or found in `.cache/search/` when no paper changed since the
last build. A plain subprocess, not multiprocessing: nothing is forked from a threaded
`mkdocs serve`, and no `__main__` module is re-imported.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from paper_archive.search.build import write_input
from paper_archive.search.bundle import KINDS, bundle_name, content_key, documents, worker_bundle
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
    cache_dir: Path
    process: subprocess.Popen[bytes] | None  # None: the bundle is in the cache
    input_file: Path | None
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
        config[_KEY] = _Pending(key, cache_dir, None, None, scripts)
        return None
    input_file = cache_dir / f".input-{key}-{os.getpid()}.json"
    write_input(input_file, docs, names, key)
    process = subprocess.Popen(
        [sys.executable, "-m", "paper_archive.search.build", str(input_file), str(cache_dir)],
        stderr=subprocess.PIPE,
    )
    config[_KEY] = _Pending(key, cache_dir, process, input_file, scripts)
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    pending: _Pending = config[_KEY]
    if pending.process is not None:
        try:
            _, errors = pending.process.communicate()
        finally:
            if pending.input_file is not None:
                pending.input_file.unlink(missing_ok=True)
        if pending.process.returncode != 0:
            message = errors.decode("utf-8", "replace").strip()
            raise PluginError(f"building the search index failed: {message}")
    source = pending.cache_dir / pending.key
    target = Path(config.site_dir) / SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        shutil.copyfile(
            source / bundle_name(kind, pending.key), target / bundle_name(kind, pending.key)
        )
    for name, content in pending.scripts.items():
        (target / name).write_bytes(content)
    log.debug("search bundle %s written to %s", pending.key, target)
