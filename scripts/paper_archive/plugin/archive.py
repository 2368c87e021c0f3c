"""One object for the whole archive build: its methods are MkDocs' events.

MkDocs loads the hook module (hooks/paper_archive_site.py) once per process and binds
its ``on_*`` names, which are this object's methods: the object lives as long as the
process, as Material's plugins do. It holds two things:

- ``self.process`` (paper_archive/serve/process.py): how the process runs (``mkdocs
  serve``, ``--dirty``) and the serve layer, kept from build to build;
- ``self.build`` (:class:`~.state.Build`): one build's state, made anew in
  :meth:`on_config` and dropped with the build.

Each event calls the parts in the order written in its method, so the order is read
here, not from a list in mkdocs.yml. ``docs/architecture.md`` draws it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from ..remembering import PLAIN, Remembers
from ..serve import template_code, watching
from ..serve.process import Mode, Process
from ..settings import SettingsError, load_settings
from ..site import plain_pages
from ..site.generate import tag_names
from ..text import plain_paragraphs
from . import (
    dirty,
    exports,
    index_pages,
    page_memory,
    page_size,
    paper_pages,
    papers,
    search_index,
    site_pages,
)
from .state import Build, plugin_errors

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.paper_archive")


class PaperArchive:
    """The archive's build: one per process, its events in a written order."""

    def __init__(
        self, process: Process | None = None, *, slim: bool = True, plain: bool = True
    ) -> None:
        self.process = process if process is not None else Process()
        #: Pages rewritten smaller (plugin/page_size.py); off only to compare with.
        self.slim = slim
        #: Plain paragraphs kept out of Markdown's inline pass (text/plain_paragraphs.py),
        #: and pages that are a title and plain paragraphs out of Markdown
        #: (site/plain_pages.py); off only to compare with.
        self.plain = plain
        self._build: Build | None = None

    @property
    def build(self) -> Build:
        if self._build is None:
            raise RuntimeError("no build under way: on_config starts one")
        return self._build

    @property
    def memo(self) -> Remembers:
        """What the pure functions remember through: the serve layer's memo, or none."""
        return self.process.memo if self.process.remember else PLAIN

    # -- process ---------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.process.mode = Mode(serving=command == "serve", dirty=dirty)
        if self.process.mode.serving:  # the watcher's variable, before the first build
            try:
                watching.setting(os.environ)
            except watching.WatcherError as exc:
                raise PluginError(str(exc)) from exc
        else:
            # `mkdocs build` and `gh-deploy` build once: nothing is remembered for a
            # next build, so no result is held past its use (at 10,000 papers the memo
            # kept every export, search and related document twice: ~90 MB).
            self.process.remember = False

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # a save heard from the kernel, not from polling every file (serve/watching.py)
        watching.use_native(server, later=config.watch)
        return server

    def on_shutdown(self) -> None:
        # `mkdocs serve` removes the served folder next: nothing is written into it now
        self.process.writers.close()
        self._build = None

    # -- one build, in MkDocs' order -------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> None:
        self.process.forget()  # only without the serve layer
        try:  # once per build: every part reads self.build.settings
            settings = load_settings(config.extra, config_file=config.config_file_path)
        except SettingsError as exc:
            raise PluginError(str(exc)) from exc
        self._build = Build(
            root=Path(config.config_file_path).parent,
            settings=settings,
            noting_inputs=not page_memory.releases(self.process),  # a plain build: none
            plain_paragraphs=self.plain and plain_paragraphs.applies(config.markdown_extensions),
            plain_pages=(
                plain_pages.settings(config.markdown_extensions, config.mdx_configs)
                if self.plain
                else None
            ),
        )

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        papers.on_pre_build(self.build, self.process)

    @plugin_errors  # the caches and generated files: a full disk names the file
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        build, process, memo = self.build, self.process, self.memo
        build.files = files  # the build's files, as the events after this one see them
        # 1. what may be published, every paper read once: the archive
        papers.on_files(files, build, process)
        build.tag_names = tag_names(build.archive)
        # 2. the theme's files and the site's own pages: listed ones only
        site_pages.on_files(files, config=config, root=build.root, paths=process.file_paths)
        # 3. what every paper page shares (source labels, citation keys)
        paper_pages.on_files(build, memo)
        # 4. topic, year and undated pages, the home page's blocks
        defer = page_memory.releases(process)  # a plain build: list bodies as they render
        index_pages.on_files(
            files, config=config, build=build, memo=memo, defer=defer, known=process.sources
        )
        # 5. feeds, BibTeX, JSON, robots.txt; the related lists started
        exports.on_files(files, config=config, build=build, process=process, memo=memo)
        # 6. the search bundle planned and started (its names go on every page)
        search_index.on_files(config=config, build=build, process=process, memo=memo)
        # 7. the theme's inline icons as one sprite file (each page rewritten: on_post_page)
        if self.slim:
            page_size.on_files(files, config=config, build=build)
        # 8. last, once every page and input is known: what a dirty rebuild renders
        dirty.on_files(files, config=config, build=build, process=process)
        if not self.process.remember:
            # Nothing of it is asked for again in this build (a serve rebuild would):
            # the documents of the search bundle and the related lists, the exports.
            self.process.memo.clear()
        page_memory.hand_back(self.process)  # what collecting the archive let go of
        return files

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        exports.on_env(build=self.build, process=self.process)  # before MkDocs copies them
        paper_pages.on_env(env, chrome=self.build.settings.shared_chrome)
        search_index.on_env(env, build=self.build)
        # the theme's compiled templates, kept for the process's next builds
        env.bytecode_cache = template_code.for_environment(env)
        page_memory.hand_back(self.process)  # last: the reading's free memory handed back
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        site_pages.on_page_markdown(page)  # first: the front matter read strictly
        markdown = paper_pages.on_page_markdown(markdown, page=page) or markdown
        exports.on_page_markdown(page=page, config=config, build=self.build)
        # a plain build converts a paper page as it renders (on_page_context)
        markdown = page_memory.on_page_markdown(
            markdown, page=page, process=self.process, build=self.build
        )
        return self._last_markdown_events(markdown, page=page)

    def _last_markdown_events(self, markdown: str, *, page: Page) -> str:
        """Last, right before MkDocs converts the page (or a plain build does, as it
        renders): its plain paragraphs set apart, then a page that is its title and
        plain paragraphs converted without Markdown."""
        markdown = paper_pages.stash_plain(markdown, page=page, build=self.build)
        paper_pages.convert_plain(markdown, page=page, build=self.build)
        return markdown

    def on_page_content(
        self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if page_memory.unconverted(page, self.build):  # converted as it renders
            return content
        # first: the plain paragraphs put back (or the page converted again without)
        content = paper_pages.restore_plain(content, page=page, config=config, build=self.build)
        content = paper_pages.on_page_content(content, page=page) or content
        content = index_pages.on_page_content(content, page=page, build=self.build) or content
        page_memory.on_page_content(page, self.process)  # last: its Markdown let go
        return content

    def on_page_context(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        # first: a paper page a plain build left unconverted, converted as MkDocs would
        page_memory.convert_deferred(
            page,
            config=config,
            files=self.build.files,
            build=self.build,
            markdown_events=lambda markdown: self._last_markdown_events(
                paper_pages.body_markdown(markdown, page=page) or markdown, page=page
            ),
            content_events=lambda content: self.on_page_content(
                content, page=page, config=config, files=self.build.files
            ),
        )
        paper_pages.on_page_context(context, page=page, config=config, build=self.build)
        index_pages.on_page_context(page, build=self.build)
        exports.on_page_context(context, page=page, build=self.build)
        return context

    @plugin_errors  # a chrome file written: a full disk names the file
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        # indentation out, the sprite's icons as references to it
        output = page_size.on_post_page(output, page=page, build=self.build)
        # then the chrome as calls of the file it shares with pages alike (papers, lists)
        output = page_size.shared_chrome(output, page=page, config=config, build=self.build)
        page_memory.on_post_page(page, self.process, self.build)  # last: its body let go
        return output

    @plugin_errors  # the exports and the search bundle written: a full disk names the file
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build, process = self.build, self.process
        exports.on_post_build(build=build, process=process)
        search_index.on_post_build(config=config, build=build, process=process)
        dirty.on_post_build(config=config, build=build, process=process)
        process.file_paths.done(keep=process.mode.serving)  # for the next build's files
        process.sources.done(keep=process.mode.serving)

    def on_build_error(self, *, error: Exception) -> None:
        # the related and search processes of the failed build, their input files
        self.process.cancel_pending()
        dirty.on_build_error(process=self.process)
