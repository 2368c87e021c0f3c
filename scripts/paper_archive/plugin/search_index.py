"""The prebuilt search index: planned in on_files, built beside the render, written last.

A thin adapter over :mod:`paper_archive.search.build` (the bundle's names, its cache in
``.paper-archive-cache/search/``, the process that builds it). The pages name the
bundle through the theme's ``pa_search`` global (overrides/main.html), set in
``on_env``. Under ``mkdocs serve --dirty`` the rebuild does not wait for the bundle: it
is written into the served site when ready (paper_archive/serve/writers.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from ..search.build import SITE_DIR, SearchBuildError, plan_bundle

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig

    from ..remembering import Remembers
    from ..serve.process import Process
    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.search")


def on_files(*, config: MkDocsConfig, build: Build, process: Process, memo: Remembers) -> None:
    live = process.mode.live
    plan = plan_bundle(
        build.archive,
        Path(config.docs_dir),
        build.cache_dir(),
        serve=live,
        boosts=build.settings.search_boosts,
        memo=memo,
    )
    if live and process.writers.served(Path(config.site_dir), plan.key):
        plan.served = True  # a save that left the search documents as they were
    else:
        plan.start()
        process.pending(plan, plan.cancel)  # until on_post_build: a failed build ends it
    build.search = plan
    # The pages' <meta name="pa-search"> (theme main.html): file names and their folder.
    build.search_names = {**plan.names, "dir": f"{SITE_DIR}/"}
    build.shared_inputs.append(repr(sorted(build.search_names.items())))
    if live:  # written after the build: outputs all the same (plugin/dirty.py). The
        # shards are known once the bundle is (from the cache: now); those of the bundle
        # before stay listed (served until this one lands): the writer thread deletes
        # the ones this bundle does not make.
        names = plan.site_files() if plan.cached else {}
        before = process.writers.search_files(Path(config.site_dir))
        build.written_after += [
            f"{SITE_DIR}/{name}" for name in sorted({*plan.names.values(), *names, *before})
        ]


def on_env(env: jinja2.Environment, *, build: Build) -> None:
    if build.search_names is not None:
        env.globals["pa_search"] = build.search_names


def on_post_build(*, config: MkDocsConfig, build: Build, process: Process) -> None:
    plan = build.search
    if plan is None:
        return
    process.settled(plan)
    if process.mode.live:
        process.writers.finish_search(plan, Path(config.site_dir))
        return
    try:
        plan.finish(Path(config.site_dir))
    except SearchBuildError as exc:
        raise PluginError(str(exc)) from exc
    log.debug("search bundle %s written", plan.key)
