"""A dirty rebuild (`mkdocs serve --dirty`, the README's command) renders exactly the
pages whose inputs changed: thin glue over paper_archive/site/incremental.py.

Listed last under `hooks:`: its `on_files` fingerprints every page once the other hooks
have noted their inputs, deletes stale outputs and leaves current pages out;
`on_post_build` commits the fingerprints.

Design notes: docs/architecture.md, `hooks/dirty_rebuild.py`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from paper_archive.site import incremental, memory
from paper_archive.site.collect import PAGE_TEXTS
from paper_archive.site.state import mode, state_of
from paper_archive.site.template_code import TEMPLATE_CODE

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.paper_archive.dirty")


def _outputs(config: MkDocsConfig, pages: list[File]) -> list[incremental.Output]:
    state = state_of(config)
    for late in state.late_inputs:
        late()
    state.late_inputs.clear()
    shared = incremental.fingerprint(
        Path(config.config_file_path).read_text(encoding="utf-8"),
        incremental.files_fingerprint(Path(d) for d in config.theme.dirs[:1]),  # custom_dir
        repr(sorted(config.extra.items())),  # the search bundle's names among them
        *state.shared_inputs,
    )
    return incremental.outputs_of(
        {f.src_uri: state.inputs.get(f.src_uri, "") for f in pages},
        dests={f.src_uri: f.abs_dest_path for f in pages},
        shared=shared,
    )


def _others(config: MkDocsConfig, files: Files) -> frozenset[str]:
    """Every file of the build that is not a page's output: static files, the theme's,
    feeds and exports (written after a serve rebuild, but among its files), and what a
    thread writes once the build is done (the serve search bundle)."""
    later = (str(Path(config.site_dir, path)) for path in state_of(config).written_after)
    return frozenset((*(f.abs_dest_path for f in files if not f.is_documentation_page()), *later))


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """After every hook's on_files: in a dirty build, delete the outputs to redo and
    those no longer made, and leave out of the build the pages whose output is current.

    A page's own text is among its inputs: MkDocs' rule alone (source newer than
    output) misses a save made while a build that had already read the page runs."""
    if not mode().dirty:
        return None
    state = state_of(config)
    state.files = files
    pages = list(files.documentation_pages())
    state.others = _others(config, files)
    incremental.begin(config.site_dir, {f.src_uri: f.abs_dest_path for f in pages}, state.others)
    if not incremental.has_ledger(config.site_dir):
        return None
    outputs = _outputs(config, pages)
    state.outputs = outputs
    stale = incremental.stale_outputs(config.site_dir, outputs)
    stale += incremental.gone_files(config.site_dir, state.others, outputs)
    log.debug("dirty build: %d outputs deleted", incremental.delete(stale))
    if not mode().serving:
        return None
    skip = incremental.current(config.site_dir, outputs) - incremental.nav_pages(config.nav)
    if config.nav is None:  # every page is in the navigation MkDocs makes
        skip.clear()
    for file in pages:  # a link from a page kept must find its target among the files
        if file.src_uri not in skip and file.abs_src_path and file.src_uri.endswith(".md"):
            text = PAGE_TEXTS.known(file.abs_src_path)  # read by collect_papers.py
            if text is None:  # a generated page's source, in the project's cache
                text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
            skip -= incremental.linked(file.src_uri, text)
    for file in pages:
        if file.src_uri in skip:
            files.remove(file)
    log.debug("dirty build: %d current pages left out", len(skip))
    return files


def on_env(env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> None:
    """Under `mkdocs serve`, the theme's templates compiled once per process, not once
    per build (paper_archive/site/template_code.py: an edited template compiles again)."""
    if mode().serving:
        env.bytecode_cache = TEMPLATE_CODE


def on_post_build(*, config: MkDocsConfig) -> None:
    if not mode().dirty:
        return
    state = state_of(config)
    rebuild = state.outputs is not None  # compared with a build before (on_files)
    if state.outputs is None:  # the first build: every page was rendered
        state.outputs = _outputs(config, list(state.files.documentation_pages()))
    incremental.commit(config.site_dir, state.outputs, state.others)
    if mode().serving:  # the build's garbage, given back before the next one
        if rebuild:  # by now what lives for the serve is made (the related index)
            memory.settle()
        memory.release_free_memory()


def on_build_error(*, error: Exception) -> None:
    # No config here: no output of this process is trusted, every one is still known.
    incremental.distrust_all()
