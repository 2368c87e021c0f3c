"""Feeds, BibTeX, JSON, robots.txt and the related-papers lists: thin glue.

Everything is computed by pure functions of paper_archive.site (feeds, exports,
related); this part adds their output as generated files (no file is written into
docs/), names each page's feed for the theme's autodiscovery link, and puts the related
list on paper pages. A serve rebuild does not wait for the exports: they are written by
a thread once it is done (paper_archive/serve/writers.py).

Design notes: docs/modules.md, `plugin/exports.py`.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import File

from ..remembering import Remembers, key_of
from ..serve import incremental, related_build
from ..site import render
from ..site.exports import export_paths, exports, feed_of, gzip_text, public_base
from ..site.feeds import EPOCH, atom, feeds
from ..site.sitemap import page_dates, sitemaps
from .beside import Beside, can_fork
from .state import RelatedLists

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from ..serve.process import Process
    from ..site.collect import Archive
    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.exports")
EXPORTS_CACHE = "exports"  # in the project's cache (settings.cache_dir)


def _made(
    archive: Archive,
    *,
    base: str | None,
    site_name: str,
    names: dict[str, str],
    limit: int,
    memo: Remembers,
) -> list[tuple[str, str | bytes]]:
    """Every feed and export as (site path, text)."""
    named = tuple(sorted(names.items()))
    latest = max((e.paper.added for e in archive.entries), default=EPOCH)
    out = [
        (
            feed.path,
            memo.latest(  # each feed by what it is made of: its papers compare by value
                f"feed/{feed.path}",
                (feed, base, named, latest),
                partial(atom, feed, base=base, names=names, fallback_updated=latest),
            ),
        )
        for feed in feeds(archive, site_name=site_name, limit=limit)
    ]
    return out + [(e.path, e.content) for e in exports(archive, base=base, names=names, memo=memo)]


def _exports(config: MkDocsConfig, build: Build, memo: Remembers) -> list[tuple[str, Path]]:
    """Every feed and export as (site path, its file in the project's cache)."""
    archive = build.archive
    base = public_base(config.site_url)
    limit = build.settings.feed_length
    made = memo.latest(
        "exports",
        key_of(archive.key, base, config.site_name, limit),
        lambda: _made(
            archive,
            base=base,
            site_name=config.site_name,
            names=build.tag_names,
            limit=limit,
            memo=memo,
        ),
    )
    cache = build.cache_dir()
    return [
        (path, incremental.generated_source(cache, EXPORTS_CACHE, path, text))
        for path, text in made
    ]


class _WrittenAfter(File):
    """A feed or export of a serve rebuild: among the build's files, so that a page's
    link to it resolves as in any build (``feed.xml`` in about.md is ``../feed.xml``
    from /about/, and no "not found" warning), but not copied by MkDocs: the exports
    thread writes it once the build is done (paper_archive/serve/writers.py)."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


def on_files(
    files: Files, *, config: MkDocsConfig, build: Build, process: Process, memo: Remembers
) -> None:
    archive = build.archive
    dirty = process.mode.dirty
    # A dirty rebuild compares fingerprints before rendering; the first build of a
    # process has nothing to compare with (plugin/dirty.py).
    rebuild = dirty and process.ledger.has_ledger(config.site_dir)
    if rebuild and process.mode.serving:
        # A serve rebuild: the feeds and exports land in the served site just after it
        # (on_post_build), as the search bundle does; the page is served sooner. Those
        # of the build before are in place first, so that an export this build no
        # longer makes, deleted now (plugin/dirty.py), stays deleted.
        process.writers.wait_for_exports()
        site_dir = Path(config.site_dir)
        build.after_build.append(
            lambda: process.writers.write_exports(site_dir, lambda: _exports(config, build, memo))
        )
        cache = build.cache_dir().path / EXPORTS_CACHE
        for path in export_paths(archive):
            files.append(_WrittenAfter.generated(config, path, abs_src_path=str(cache / path)))
    elif not process.mode.serving and not dirty and can_fork():
        # A plain build: made in a child beside MkDocs' reading and Markdown, into the
        # cache files MkDocs copies once on_env has waited for it (plugin/beside.py).
        worker = Beside.start("exports", lambda: _exports(config, build, memo))
        build.exports_child = worker
        process.pending(worker, worker.cancel)
        cache = build.cache_dir().folder(EXPORTS_CACHE)
        for path in export_paths(archive):
            files.append(File.generated(config, path, abs_src_path=str(cache / path)))
    else:
        for path, source in _exports(config, build, memo):
            files.append(File.generated(config, path, abs_src_path=str(source)))

    _sitemap(files, config, archive)
    # A rebuild needs the related lists now; a first build computes them beside it.
    job = related_build.start(
        archive,
        build.cache_dir(),
        now=rebuild,
        memo=process.memo,
        k=build.settings.related_count,
        hand_over=process.mode.live,  # its index kept for the next save (prepare_next)
    )
    if job.running:
        process.pending(job, job.cancel)
    by_slug = {e.slug: e for e in archive.entries}
    lists = build.related = RelatedLists(job, by_slug, process)
    if job.lists is None:  # computed beside the build: other pages render meanwhile
        papers_last(files, {entry.src_uri for entry in archive.entries})

    def note_shown() -> None:  # a paper page shows other papers' titles
        shown = process.memo.latest(
            "related-shown",
            key_of(archive.key, job.key),
            lambda: related_build.fingerprints(lists.wait(), by_slug, memo=process.memo),
        )
        for entry in archive.entries:
            build.depends(entry.src_uri, shown.get(entry.slug, ""))

    if rebuild:
        note_shown()
    elif dirty:
        build.late_inputs.append(note_shown)


def papers_last(files: Files, papers: set[str]) -> None:
    """Move the paper pages after every other file: MkDocs renders pages in the files'
    order, and the first paper page waits for the related lists (a first build computes
    them in a process beside it), so the topic, date and site pages render meanwhile.
    The pages and the site are the same; only the order they are rendered in moves."""
    moved = [file for file in files if file.src_uri in papers]
    for file in moved:
        files.remove(file)
    for file in moved:
        files.append(file)


def _sitemap(files: Files, config: MkDocsConfig, archive: Archive) -> None:
    """The archive's sitemap index and parts (paper_archive/site/sitemap.py) in place
    of MkDocs' single sitemap.xml (and its .gz); none without a public site_url."""
    config.theme.static_templates.discard("sitemap.xml")
    base = public_base(config.site_url)
    if base is None:
        return
    paths = [f.url.removeprefix("./") for f in files.documentation_pages()]
    for path, text in sitemaps(page_dates(archive, paths), base=base):
        content = gzip_text(text) if path.endswith(".gz") else text  # as named
        files.append(File.generated(config, path, content=content))


def on_env(*, build: Build, process: Process) -> None:
    """The exports made beside the render are in the cache before MkDocs copies them."""
    worker = build.exports_child
    if worker is not None:
        process.settled(worker)
        worker.join()


def on_page_markdown(*, page: Page, config: MkDocsConfig, build: Build) -> None:
    feed = feed_of(page.file.src_uri, site_name=config.site_name, names=build.tag_names)
    if feed is not None:
        page.meta["pa_feed"], page.meta["pa_feed_title"] = feed


def on_page_context(context: dict[str, Any], *, page: Page, build: Build) -> None:
    entry = build.archive.entry(page.file.src_uri)
    if entry is None or build.related is None:
        return
    lists = build.related
    context["pa_related"] = render.related_html(
        lists.wait().get(entry.slug, ()),
        entries=lists.entries,
        names=build.tag_names,
        page_url=page.url,
    )


def on_post_build(*, build: Build, process: Process) -> None:
    lists = build.related
    if lists is None:
        return
    lists.wait()  # a build without paper pages still reaps its process
    for then in build.after_build:
        then()
    if process.mode.live:  # the next save's related lists, made ready
        related_build.prepare_next(build.archive, lists.job, memo=process.memo)
    process.settled(lists.job)  # a process making the index: waited for by that thread
