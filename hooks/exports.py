"""Feeds, BibTeX, JSON, robots.txt and the related-papers lists: thin glue.

Everything is computed by pure functions of paper_archive.site (feeds, exports,
related); this hook adds their output as generated files (no file is written into
docs/), names each page's feed for the theme's autodiscovery link, and puts the
related list on paper pages.

Related papers are cached by content in `.cache/related/` like the search bundle: a
build in which no paper changed reads the lists back (0.1 s at 10,000 papers). When
they must be computed, a separate process does it on the machine's other core while
MkDocs reads and converts every page; the first paper page to be rendered waits for it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from paper_archive.site import related
from paper_archive.site.exports import FEED, exports, public_base, tag_path
from paper_archive.site.feeds import EPOCH, atom, feeds
from paper_archive.site.generate import tag_names
from paper_archive.site.state import archive_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from paper_archive.site.collect import Entry

log = logging.getLogger("mkdocs.plugins.paper_archive.exports")
_KEY = "_paper_archive_exports"


@dataclass
class _Related:
    key: str
    cache_dir: Path
    process: subprocess.Popen[bytes] | None  # None: nothing left to wait for
    input_file: Path | None
    lists: dict[str, list[related.Related]] | None  # slug -> related, once known
    entries: dict[str, Entry]  # slug -> paper, for the titles and links of the lists
    names: dict[str, str]  # tag slug -> name

    def wait(self) -> dict[str, list[related.Related]]:
        if self.lists is not None:
            return self.lists
        if self.process is not None:
            try:
                _, errors = self.process.communicate()
            finally:
                if self.input_file is not None:
                    self.input_file.unlink(missing_ok=True)
            if self.process.returncode != 0:
                message = errors.decode("utf-8", "replace").strip()
                raise PluginError(f"computing related papers failed: {message}")
            self.process = None
        self.lists = related.cached(self.cache_dir, self.key)
        if self.lists is None:
            raise PluginError(f"related papers: {self.cache_dir} holds no list for {self.key}")
        return self.lists


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    archive = archive_of(config)
    base = public_base(config.site_url)
    names = tag_names(archive)
    latest = max((e.paper.added for e in archive.entries), default=EPOCH)
    for feed in feeds(archive, site_name=config.site_name):
        content = atom(feed, base=base, names=names, fallback_updated=latest)
        files.append(File.generated(config, feed.path, content=content))
    for export in exports(archive, base=base, names=names):
        files.append(File.generated(config, export.path, content=export.content))

    docs = related.docs_of(archive)
    key = related.content_key(docs)
    cache_dir = Path(config.config_file_path).parent / ".cache" / "related"
    lists = related.cached(cache_dir, key)
    process = input_file = None
    if lists is None:
        input_file = cache_dir / f".input-{key}-{os.getpid()}.json"
        related.write_input(input_file, docs, key)
        process = subprocess.Popen(
            [sys.executable, "-m", "paper_archive.site.related", str(input_file), str(cache_dir)],
            stderr=subprocess.PIPE,
        )
    by_slug = {e.slug: e for e in archive.entries}
    config[_KEY] = _Related(key, cache_dir, process, input_file, lists, by_slug, names)
    return files


def feed_of(src_uri: str, *, site_name: str, names: dict[str, str]) -> tuple[str, str] | None:
    """The feed a page announces, and its title: the archive's on the home and Topics
    pages, a topic's own on each of its pages."""
    if src_uri in {"index.md", "tags/index.md"}:
        return FEED, site_name
    parts = src_uri.split("/")
    if len(parts) >= 3 and parts[0] == "tags" and parts[-1] == "index.md" and parts[1] in names:
        return tag_path(parts[1], FEED), f"{site_name}: {names[parts[1]]}"
    return None


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
    state: _Related = config[_KEY]
    context["pa_related"] = related.related_html(
        state.wait().get(entry.slug, ()),
        entries=state.entries,
        names=state.names,
        page_url=page.url,
    )
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    config[_KEY].wait()  # a build without paper pages still reaps its process
