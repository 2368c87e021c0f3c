"""Read every paper page once per build, validate it, keep the archive for other hooks.

A front matter that does not parse stops the build (PluginError naming the file and
line); unknown tags and schema problems are warnings, which `mkdocs build --strict`
turns into a failure.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from paper_archive.errors import ArchiveError
from paper_archive.project import PAGES_DIR, VOCABULARY
from paper_archive.site.collect import collect
from paper_archive.site.state import store
from paper_archive.tagging import load_vocabulary

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.paper_archive.collect")
PAPERS_PREFIX = PAGES_DIR.removeprefix("docs/") + "/"


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    root = Path(config.config_file_path).parent
    try:
        vocabulary = load_vocabulary(root / VOCABULARY)
        pages = (
            (f.src_uri, f.url, Path(f.abs_src_path).read_text(encoding="utf-8"))
            for f in files.documentation_pages()
            if f.src_uri.startswith(PAPERS_PREFIX) and f.abs_src_path
        )
        archive = collect(pages, vocabulary)
    except ArchiveError as exc:
        raise PluginError(str(exc)) from exc
    for warning in archive.warnings:
        log.warning(warning)
    store(config, archive)
    return None
