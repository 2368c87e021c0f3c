"""A dirty rebuild (`mkdocs serve --dirty`, the README's command) renders exactly the
pages whose inputs changed: glue over paper_archive/serve/incremental.py.

Its `on_files` runs last (plugin/archive.py): each page's inputs are fingerprinted and
compared with the ledger; outputs to redo and outputs no longer made are deleted, and
from the second serve build on the pages whose output is current are left out of the
files MkDocs gets. `on_env` keeps the compiled templates, `on_post_build` commits the
ledger and gives freed memory back; a failed build distrusts every output.

Design notes: docs/modules.md, `plugin/dirty.py`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..serve import incremental, memory

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    from ..serve.process import Process
    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.dirty")


def _outputs(
    config: MkDocsConfig, build: Build, pages: list[File], dests: dict[str, str]
) -> list[incremental.Output]:
    for late in build.late_inputs:
        late()
    build.late_inputs.clear()
    shared = incremental.fingerprint(
        Path(config.config_file_path).read_text(encoding="utf-8"),
        incremental.files_fingerprint(Path(d) for d in config.theme.dirs[:1]),  # custom_dir
        repr(sorted(config.extra.items())),
        *build.shared_inputs,  # the search bundle's names among them
    )
    return incremental.outputs_of(
        {f.src_uri: build.inputs.get(f.src_uri, "") for f in pages}, dests=dests, shared=shared
    )


def _others(config: MkDocsConfig, build: Build, files: Files) -> frozenset[str]:
    """Every file of the build that is not a page's output: static files, the theme's,
    feeds and exports (written after a serve rebuild, but among its files), and what a
    thread writes once the build is done (the serve search bundle)."""
    later = (str(Path(config.site_dir, path)) for path in build.written_after)
    return frozenset((*(f.abs_dest_path for f in files if not f.is_documentation_page()), *later))


def on_files(files: Files, *, config: MkDocsConfig, build: Build, process: Process) -> None:
    """After every hook's on_files: in a dirty build, delete the outputs to redo and
    those no longer made, and leave out of the build the pages whose output is current.

    A page's own text is among its inputs: MkDocs' rule alone (source newer than
    output) misses a save made while a build that had already read the page runs."""
    if not process.mode.dirty:
        return
    ledger = process.ledger
    pages = list(files.documentation_pages())
    build.others = _others(config, build, files)
    paths = process.file_paths  # MkDocs' output paths, as it worked them out last build
    dests = {f.src_uri: paths.of(f).abs_dest_path for f in pages}
    ledger.begin(config.site_dir, dests, build.others)
    if not ledger.has_ledger(config.site_dir):
        return
    outputs = _outputs(config, build, pages, dests)
    build.outputs = outputs
    stale = ledger.stale_outputs(config.site_dir, outputs)
    stale += ledger.gone_files(config.site_dir, build.others, outputs)
    log.debug("dirty build: %d outputs deleted", incremental.delete(stale))
    if not process.mode.serving:
        return
    skip = ledger.current(config.site_dir, outputs) - incremental.nav_pages(config.nav)
    if config.nav is None:  # every page is in the navigation MkDocs makes
        skip.clear()
    for file in pages:  # a link from a page kept must find its target among the files
        if file.src_uri not in skip and file.abs_src_path and file.src_uri.endswith(".md"):
            text = process.page_texts.known(file.abs_src_path)  # read by papers.py
            if text is None:  # a generated page's source, in the project's cache
                text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
            skip -= incremental.linked(file.src_uri, text)
    for file in pages:
        if file.src_uri in skip:
            files.remove(file)
    log.debug("dirty build: %d current pages left out", len(skip))


def on_post_build(*, config: MkDocsConfig, build: Build, process: Process) -> None:
    if not process.mode.dirty:
        return
    rebuild = build.outputs is not None  # compared with a build before (on_files)
    if build.outputs is None:  # the first build: every page was rendered
        pages = list(build.files.documentation_pages())
        build.outputs = _outputs(config, build, pages, {f.src_uri: f.abs_dest_path for f in pages})
    process.ledger.commit(config.site_dir, build.outputs, build.others)
    if process.mode.serving:  # the build's garbage, given back before the next one
        if rebuild:  # by now what lives for the serve is made (the related index)
            process.settling.settle()
        memory.release_free_memory()


def on_build_error(*, process: Process) -> None:
    # No output of this process is trusted, every one is still known.
    process.ledger.distrust_all()
