"""Check what may be published, read every paper page once, keep the archive for the
other hooks.

Before MkDocs walks docs/ (it follows symbolic links), a symlink under docs/ or data/
stops the build: PluginError naming each. Files the archive's layout does not allow
(paper_archive/layout.py), site pages with raw HTML where none may be, and paper pages
that fail validation are left out of the site with a warning naming path:line, in
`mkdocs serve` too; `mkdocs build --strict` (CI) turns the warnings into a failure. A
page that cannot be read or whose front matter does not parse stops the build
(PluginError naming the file and line).

Each page's text is noted among its inputs for a dirty rebuild (plugin/dirty.py); a
``mkdocs serve`` process reads again only the files that changed (serve/page_texts.py)
and parses again only the pages whose text changed (``Archive.parsed``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from ..disk import layout
from ..disk.validate import check_site_page
from ..errors import ArchiveError
from ..project import VOCABULARY
from ..record.tagging import load_vocabulary
from ..site.collect import collect

if TYPE_CHECKING:
    from mkdocs.structure.files import File, Files

    from ..serve.process import Process
    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.collect")


def on_pre_build(build: Build, process: Process) -> None:
    build.cache_dir()  # checked first: tracked files gone, no links (cachefiles.py)
    # A serve rebuild reuses the last scan when no folder under docs/ or data/ changed.
    tree = layout.scan(build.root, previous=process.memo.held("layout-tree"))
    if process.mode.serving:
        process.memo.put("layout-tree", "latest", tree)
    links = [p for p in tree.problems if p.is_link]
    if links:
        raise PluginError("\n".join(f"{p.path}: error: {p.message}" for p in links))
    build.tree = tree


def _leave_out(files: Files, file: File, reasons: list[str]) -> None:
    for reason in reasons:
        log.warning(reason)
    log.warning("docs/%s: left out of the site", file.src_uri)
    files.remove(file)


def on_files(files: Files, build: Build, process: Process) -> None:
    root = build.root
    tree = build.tree
    assert tree is not None  # on_pre_build
    refused = {p.path: p for p in tree.problems}
    try:
        vocabulary = load_vocabulary(root / VOCABULARY)
        pages: list[tuple[str, str, str]] = []
        digests: dict[str, bytes] = {}
        paths = process.file_paths
        for file in list(files):
            path = f"docs/{file.src_uri}"
            if path in refused:
                problem = refused[path]
                _leave_out(files, file, [f"{path}:{problem.line}: error: {problem.message}"])
            elif layout.is_paper_page(path) and (known := paths.of(file)).abs_src_path:
                # first: the most; MkDocs' paths as it worked them out last build
                text, digest = process.page_texts.read(known.abs_src_path, display=path)
                build.depends(file.src_uri, digest.hex())
                pages.append((file.src_uri, known.url, text))
                digests[file.src_uri] = digest
            elif layout.is_site_page(path) and file.abs_src_path:
                text, digest = process.page_texts.read(file.abs_src_path, display=path)
                build.depends(file.src_uri, digest.hex())
                problems = [str(d) for d in check_site_page(text, path=path)]
                if problems:
                    _leave_out(files, file, problems)
        archive = collect(pages, vocabulary, digests=digests, parsed=process.parsed)
    except ArchiveError as exc:
        raise PluginError(str(exc)) from exc
    finally:
        # remembered for the next build of a serve
        process.page_texts.done(keep=process.mode.serving)
    for warning in archive.warnings:
        log.warning(warning)
    for src_uri in archive.excluded:
        if (excluded := files.get_file_from_path(src_uri)) is not None:
            files.remove(excluded)
    process.parsed = archive.parsed
    build.archive_ = archive
