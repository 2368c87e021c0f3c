"""Check what may be published, read every paper page once, keep the archive for the
other hooks.

Before MkDocs walks docs/ (it follows symbolic links), a symlink under docs/ or data/
stops the build: PluginError naming each. Files the archive's layout does not allow
(paper_archive/layout.py), site pages with raw HTML where none may be, and paper pages
that fail validation are left out of the site with a warning naming path:line, in
`mkdocs serve` too; `mkdocs build --strict` (CI) turns the warnings into a failure. A
page that cannot be read or whose front matter does not parse stops the build
(PluginError naming the file and line).

This hook also owns the build's shared state (paper_archive/site/state.py) and reads
the settings into it (paper_archive/settings.py). Each page's text is noted among its
inputs for a dirty rebuild (hooks/dirty_rebuild.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from paper_archive import layout
from paper_archive.errors import ArchiveError
from paper_archive.project import VOCABULARY
from paper_archive.settings import SettingsError, load_settings
from paper_archive.site import memo
from paper_archive.site.collect import PAGE_TEXTS, collect
from paper_archive.site.state import cancel_pending, mode, set_mode, state_of, store
from paper_archive.tagging import load_vocabulary
from paper_archive.validate import check_site_page

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.paper_archive.collect")


def on_startup(*, command: str, dirty: bool) -> None:
    set_mode(command=command, dirty=dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    try:  # once per build: every hook reads state_of(config).settings
        settings = load_settings(config.extra, config_file=config.config_file_path)
    except SettingsError as exc:
        raise PluginError(str(exc)) from exc
    state_of(config).settings = settings
    return None


def on_pre_build(*, config: MkDocsConfig) -> None:
    state = state_of(config)
    state.cache_dir()  # checked first: tracked files gone, no links (cachefiles.py)
    # A serve rebuild reuses the last scan when no folder under docs/ or data/ changed.
    tree = layout.scan(state.root, previous=memo.held("layout-tree"))
    if mode().serving:
        memo.put("layout-tree", "latest", tree)
    links = [p for p in tree.problems if p.is_link]
    if links:
        raise PluginError("\n".join(f"{p.path}: error: {p.message}" for p in links))
    state.tree = tree


def _leave_out(files: Files, file: File, reasons: list[str]) -> None:
    for reason in reasons:
        log.warning(reason)
    log.warning("docs/%s: left out of the site", file.src_uri)
    files.remove(file)


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    state = state_of(config)
    root = state.root
    tree: layout.Tree = state.tree
    refused = {p.path: p for p in tree.problems}
    try:
        vocabulary = load_vocabulary(root / VOCABULARY)
        pages: list[tuple[str, str, str]] = []
        digests: dict[str, bytes] = {}
        for file in list(files):
            path = f"docs/{file.src_uri}"
            if path in refused:
                problem = refused[path]
                _leave_out(files, file, [f"{path}:{problem.line}: error: {problem.message}"])
            elif layout.is_paper_page(path) and file.abs_src_path:  # first: the most
                text, digest = PAGE_TEXTS.read(file.abs_src_path, display=path)
                state.depends(file.src_uri, digest.hex())
                pages.append((file.src_uri, file.url, text))
                digests[file.src_uri] = digest
            elif layout.is_site_page(path) and file.abs_src_path:
                text, digest = PAGE_TEXTS.read(file.abs_src_path, display=path)
                state.depends(file.src_uri, digest.hex())
                problems = [str(d) for d in check_site_page(text, path=path)]
                if problems:
                    _leave_out(files, file, problems)
        archive = collect(pages, vocabulary, digests=digests)
    except ArchiveError as exc:
        raise PluginError(str(exc)) from exc
    finally:
        PAGE_TEXTS.done(keep=mode().serving)  # remembered for the next build of a serve
    for warning in archive.warnings:
        log.warning(warning)
    for src_uri in archive.excluded:
        if (excluded := files.get_file_from_path(src_uri)) is not None:
            files.remove(excluded)
    store(config, archive)
    return None


def on_build_error(*, error: Exception) -> None:
    cancel_pending()  # the related and search processes of the failed build, their inputs
