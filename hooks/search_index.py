"""The prebuilt search index: planned in on_files, built beside the render, written last.

A thin adapter over :mod:`paper_archive.search.build` (the bundle's names, its cache in
``.paper-archive-cache/search/``, the process that builds it). Under
``mkdocs serve --dirty`` the rebuild does not wait for the bundle: it is written into
the served site when ready.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from paper_archive.search.build import SITE_DIR, SearchBuildError, plan_bundle
from paper_archive.site.state import (
    archive_of,
    mode,
    pending,
    plugin_errors,
    settled,
    state_of,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.paper_archive.search")


def _live() -> bool:
    return mode().serving and mode().dirty


@plugin_errors  # the bundle's input and files: a full disk is a PluginError naming the file
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    state = state_of(config)
    plan = plan_bundle(
        archive_of(config),
        Path(config.docs_dir),
        state.cache_dir(),
        serve=_live(),
        boosts=state.settings.search_boosts,
    )
    plan.start()
    pending(plan, plan.cancel)  # until on_post_build: a failed build ends the process
    state.search = plan
    # The pages' <meta name="pa-search"> (theme main.html): file names and their folder.
    config.extra["pa_search"] = {**plan.names, "dir": f"{SITE_DIR}/"}
    if _live():  # written after the build: outputs all the same (hooks/dirty_rebuild.py)
        state.written_after += [f"{SITE_DIR}/{name}" for name in plan.names.values()]
    return None


@plugin_errors
def on_post_build(*, config: MkDocsConfig) -> None:
    plan = state_of(config).search
    if plan is None:
        return
    settled(plan)
    if _live():
        plan.finish_in_background(Path(config.site_dir))
        return
    try:
        plan.finish(Path(config.site_dir))
    except SearchBuildError as exc:
        raise PluginError(str(exc)) from exc
    log.debug("search bundle %s written", plan.key)
