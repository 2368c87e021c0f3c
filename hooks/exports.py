"""Feeds, BibTeX, JSON, robots.txt and the related-papers lists: thin glue.

Everything is computed by pure functions of paper_archive.site (feeds, exports,
related); this hook adds their output as generated files (no file is written into
docs/), names each page's feed for the theme's autodiscovery link, and puts the
related list on paper pages.

The export files are kept in `.paper-archive-cache/exports/`, rewritten only when
their text changes, so a dirty rebuild copies only those that changed; their texts are
remembered by the archive's content key for the next rebuild of the process
(paper_archive/site/memo.py). A `mkdocs serve` rebuild does not wait for them: they are
made on a thread once it is done and copied into the served site (as the search bundle
is), a fraction of a second later; they are among its files all the same (not copied
by MkDocs), so that pages link to them as in any build (`feed.xml` from /about/ is
`../feed.xml`). The related lists come from paper_archive/site/
related_build.py: remembered, cached by content in `.paper-archive-cache/related/`, or
computed (beside the build in a separate process; in a dirty rebuild after the first,
here and incrementally, because each paper page's fingerprint includes what its list
shows and is compared before rendering: hooks/dirty_rebuild.py).
A failed build ends that process and removes its input file (collect_papers.py's
on_build_error).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from paper_archive.errors import ArchiveError
from paper_archive.site import incremental, memo, memory, related, related_build
from paper_archive.site.exports import export_paths, exports, feed_of, public_base
from paper_archive.site.feeds import EPOCH, atom, feeds
from paper_archive.site.generate import tag_names
from paper_archive.site.sitemap import page_dates, sitemaps
from paper_archive.site.state import (
    archive_of,
    mode,
    pending,
    plugin_errors,
    settled,
    state_of,
)
from paper_archive.textfile import atomic_copy

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from paper_archive.site.collect import Archive, Entry

log = logging.getLogger("mkdocs.plugins.paper_archive.exports")
_KEY = "_paper_archive_exports"
EXPORTS_CACHE = ".paper-archive-cache/exports"


@dataclass
class _Related:
    job: related_build.RelatedJob
    entries: dict[str, Entry]  # slug -> paper, for the titles and links of the lists
    names: dict[str, str]  # tag slug -> name

    def wait(self) -> dict[str, list[related.Related]]:
        try:
            return self.job.wait()
        except related_build.RelatedError as exc:
            raise PluginError(str(exc)) from exc
        finally:
            settled(self.job)


def _made(archive: Archive, *, base: str | None, site_name: str) -> list[tuple[str, str | bytes]]:
    """Every feed and export as (site path, text)."""
    names = tag_names(archive)
    named = tuple(sorted(names.items()))
    latest = max((e.paper.added for e in archive.entries), default=EPOCH)
    out = [
        (
            feed.path,
            memo.latest(  # each feed by what it is made of: its papers compare by value
                f"feed/{feed.path}",
                (feed, base, named, latest),
                lambda feed=feed: atom(feed, base=base, names=names, fallback_updated=latest),
            ),
        )
        for feed in feeds(archive, site_name=site_name)
    ]
    return out + [(e.path, e.content) for e in exports(archive, base=base, names=names)]


def _exports(config: MkDocsConfig, archive: Archive) -> list[tuple[str, Path]]:
    """Every feed and export as (site path, its file in the project's cache)."""
    base = public_base(config.site_url)
    made = memo.latest(
        "exports",
        memo.key_of(archive.key, base, config.site_name),
        lambda: _made(archive, base=base, site_name=config.site_name),
    )
    cache = state_of(config).cache_dir()
    return [
        (path, incremental.generated_source(cache, EXPORTS_CACHE, path, text))
        for path, text in made
    ]


class _WrittenAfter(File):
    """A feed or export of a serve rebuild: among the build's files, so that a page's
    link to it resolves as in any build (``feed.xml`` in about.md is ``../feed.xml``
    from /about/, and no "not found" warning), but not copied by MkDocs: the exports
    thread writes it once the build is done (:func:`_write_later`)."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


def _write_later(config: MkDocsConfig, archive: Archive) -> None:
    """After a serve rebuild, on a thread: the exports that changed, copied into the
    served site (the build before is waited for first: they land in order)."""
    before = memo.held("exports-writer")
    site_dir = Path(config.site_dir)

    def run() -> None:
        if before is not None:
            before.join()
        try:
            for path, source in _exports(config, archive):
                target = site_dir / path
                if not target.is_file() or source.stat().st_mtime_ns > target.stat().st_mtime_ns:
                    atomic_copy(source, target)
        except (OSError, ArchiveError) as exc:  # a WriteError names the file
            log.error("exports not written into the served site: %s", exc)
        memory.release_free_memory()  # the texts of the exports before, given back

    thread = threading.Thread(target=run, name="exports", daemon=True)
    memo.put("exports-writer", archive.key, thread)
    thread.start()


@plugin_errors  # the exports' cache: a full disk is a PluginError naming the file
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    archive = archive_of(config)
    state = state_of(config)
    names = tag_names(archive)
    dirty = mode().dirty
    # A dirty rebuild compares fingerprints before rendering; the first build of a
    # process has nothing to compare with (hooks/dirty_rebuild.py).
    rebuild = dirty and incremental.has_ledger(config.site_dir)
    if rebuild and mode().serving:
        # A serve rebuild: the feeds and exports land in the served site just after it
        # (on_post_build), as the search bundle does; the page is served sooner. Those
        # of the build before are in place first, so that an export this build no
        # longer makes, deleted now (hooks/dirty_rebuild.py), stays deleted.
        if (before := memo.held("exports-writer")) is not None:
            before.join()
        state.after_build.append(lambda: _write_later(config, archive))
        cache = state.root / EXPORTS_CACHE
        for path in export_paths(archive):
            files.append(_WrittenAfter.generated(config, path, abs_src_path=str(cache / path)))
    else:
        for path, source in _exports(config, archive):
            files.append(File.generated(config, path, abs_src_path=str(source)))

    _sitemap(files, config, archive)
    # A rebuild needs the related lists now; a first build computes them beside it.
    job = related_build.start(archive, state.cache_dir(), now=rebuild)
    if job.running:
        pending(job, job.cancel)
    by_slug = {e.slug: e for e in archive.entries}
    config[_KEY] = _Related(job, by_slug, names)

    def note_shown() -> None:  # a paper page shows other papers' titles
        shown = memo.latest(
            "related-shown",
            memo.key_of(archive.key, job.key),
            lambda: related_build.fingerprints(config[_KEY].wait(), by_slug),
        )
        for entry in archive.entries:
            state.depends(entry.src_uri, shown.get(entry.slug, ""))

    if rebuild:
        note_shown()
    elif dirty:
        state.late_inputs.append(note_shown)
    return files


def _sitemap(files: Files, config: MkDocsConfig, archive: Archive) -> None:
    """The archive's sitemap index and parts (paper_archive/site/sitemap.py) in place
    of MkDocs' single sitemap.xml (and its .gz); none without a public site_url."""
    config.theme.static_templates.discard("sitemap.xml")
    base = public_base(config.site_url)
    if base is None:
        return
    paths = [f.url.removeprefix("./") for f in files.documentation_pages()]
    for path, text in sitemaps(page_dates(archive, paths), base=base):
        files.append(File.generated(config, path, content=text))


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    feed = feed_of(page.file.src_uri, site_name=config.site_name, names=config[_KEY].names)
    if feed is not None:
        page.meta["pa_feed"], page.meta["pa_feed_title"] = feed
    return None


def on_page_context(
    context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Any
) -> dict[str, Any] | None:
    archive = archive_of(config)
    entry = archive.entry(page.file.src_uri)
    if entry is None:
        return None
    lists: _Related = config[_KEY]
    context["pa_related"] = related.related_html(
        lists.wait().get(entry.slug, ()),
        entries=lists.entries,
        names=lists.names,
        page_url=page.url,
    )
    return context


@plugin_errors
def on_post_build(*, config: MkDocsConfig) -> None:
    lists: _Related = config[_KEY]
    lists.wait()  # a build without paper pages still reaps its process
    for then in state_of(config).after_build:
        then()
    if mode().serving and mode().dirty:  # the next save's related lists, made ready
        related_build.prepare_next(archive_of(config), lists.job)
