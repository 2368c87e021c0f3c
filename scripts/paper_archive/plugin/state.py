"""What one build keeps between its events: one :class:`Build`, made in ``on_config``.

The :class:`~paper_archive.plugin.archive.PaperArchive` object holds the build under
way (``self.build``) beside the process's serve layer (``self.process``,
paper_archive/serve/process.py): what one event computes for a later one (the layout
scan, the archive, the generated pages' bodies, what paper pages share, the search
bundle's plan, the related lists, what each page's output depends on) lives here and is
dropped with the build. Nothing rides on MkDocs' config.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mkdocs.exceptions import PluginError

from ..errors import ArchiveError, os_error_text
from ..files.cachefiles import CacheDir
from ..project import PAGES_DIR
from ..serve import related_build
from ..settings import Settings
from ..site import related

if TYPE_CHECKING:
    from ..disk.layout import Tree
    from ..search.build import BundlePlan
    from ..serve.incremental import Output
    from ..serve.process import Process
    from ..site.chrome import Chrome, Part
    from ..site.collect import Archive, Entry
    from ..site.plain_pages import Settings as PlainPages
    from ..site.slim import Script, Sprite
    from ..site.stylesheet import Stylesheet
    from ..text.plain_paragraphs import Stash
    from .beside import Beside

#: Where paper pages live, relative to docs/ (``papers/``): one definition for the parts.
PAPERS_PREFIX = f"{PAGES_DIR.removeprefix('docs/')}/"


def is_paper(src_uri: str) -> bool:
    return src_uri.startswith(PAPERS_PREFIX)


@dataclass
class RelatedLists:
    """The related lists of one build, waited for by the first paper page."""

    job: related_build.RelatedJob
    entries: dict[str, Entry]  # slug -> paper, for the titles and links of the lists
    process: Process

    def wait(self) -> dict[str, list[related.Related]]:
        try:
            return self.job.wait()
        except related_build.RelatedError as exc:
            raise PluginError(str(exc)) from exc
        finally:
            if not self.job.running:  # else it makes the index: settled after the build
                self.process.settled(self.job)


@dataclass
class Build:
    """Everything the events of one build share."""

    root: Path  # the project: the folder holding mkdocs.yml
    #: mkdocs.yml's ``extra.paper_archive``, read and checked in ``on_config``
    #: (paper_archive/settings.py).
    settings: Settings = field(default_factory=Settings)
    #: The project's cache, checked once per build (paper_archive/cachefiles.py): made
    #: by the first part to ask (:meth:`cache_dir`).
    cache: CacheDir | None = None
    tree: Tree | None = None  # scanned in on_pre_build
    archive_: Archive | None = None
    #: Generated page (src_uri) -> its HTML body, put in after Markdown rendering.
    bodies: dict[str, str] = field(default_factory=dict)
    #: Generated list page (src_uri) -> what makes its body, as it renders (a plain
    #: build: paper_archive/plugin/index_pages.py).
    deferred: dict[str, Callable[[], str]] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)  # home page marker -> HTML
    #: What every paper page shares: source labels and citation keys (slug -> key).
    sources: dict[str, Any] = field(default_factory=dict)
    cite_keys: dict[str, str] = field(default_factory=dict)
    #: Tag slug -> display name (paper pages, feeds' titles).
    tag_names: dict[str, str] = field(default_factory=dict)
    search: BundlePlan | None = None
    #: The theme's inline icons as one file (plugin/page_size.py).
    sprite: Sprite | None = None
    #: The theme's palette script as a file (plugin/page_size.py).
    palette: Script | None = None
    #: The page's stylesheets as one file (plugin/page_size.py, site/stylesheet.py).
    stylesheet: Stylesheet | None = None
    #: The chrome files this build wrote, by what they hold (``Split.key``:
    #: plugin/page_size.py, site/chrome.py).
    chromes: dict[tuple[str, tuple[Part, ...], str | None], Chrome] = field(default_factory=dict)
    #: The theme's ``pa_search`` global: the bundle's file names and their folder.
    search_names: dict[str, str] | None = None
    related: RelatedLists | None = None
    #: The feeds and exports of a plain build, made in a child beside the render
    #: (plugin/beside.py), waited for in on_env.
    exports_child: Beside | None = None
    #: Page (src_uri) -> what its output depends on besides its own file and what
    #: every page shares; read by paper_archive/serve/incremental.py in dirty builds.
    inputs: dict[str, str] = field(default_factory=dict)
    #: Whether :attr:`inputs` are noted: not in a plain build, which compares nothing
    #: with a build before (~0.5 KB a paper: ~50 MB at 100,000 papers).
    noting_inputs: bool = True
    #: Pages whose text a plain build has let go (plugin/page_memory.py).
    released_pages: int = 0
    read_pages: int = 0  # pages a plain build has read (plugin/page_memory.py)
    #: Paper pages whose Markdown a plain build converts as they render
    #: (plugin/page_memory.py), by ``src_uri``.
    unconverted: set[str] = field(default_factory=set)
    #: Whether paper pages' plain paragraphs skip Markdown's inline pass (mkdocs.yml's
    #: extensions are those text/plain_paragraphs.py knows), and each page's, by
    #: src_uri, from its Markdown events to its content event.
    plain_paragraphs: bool = False
    stashed: dict[str, Stash] = field(default_factory=dict)
    #: How a paper page that is its title and plain paragraphs is converted without
    #: Markdown (site/plain_pages.py); None: every page is converted by MkDocs.
    plain_pages: PlainPages | None = None
    #: What every page's output depends on (tag names, source labels), as text.
    shared_inputs: list[str] = field(default_factory=list)
    #: The pages' outputs and fingerprints of a dirty build, committed when it is done.
    outputs: list[Output] | None = None
    #: Inputs known only once pages are rendered (the first dirty build's related
    #: lists): called before the fingerprints are taken (plugin/dirty.py).
    late_inputs: list[Callable[[], None]] = field(default_factory=list)
    #: The build's mkdocs Files (set in on_files): what a deferred conversion resolves
    #: a page's links in (page_memory.py), the pages a first dirty build fingerprints.
    files: Any = None
    #: Every output of a dirty build other than its pages' (absolute paths).
    others: frozenset[str] = frozenset()
    #: Files (site paths) a thread writes into the site once the build is done and
    #: that are not among its files (the serve search bundle): outputs all the same.
    written_after: list[str] = field(default_factory=list)
    #: What to start once the build is done (a serve rebuild's exports).
    after_build: list[Callable[[], None]] = field(default_factory=list)

    def cache_dir(self) -> CacheDir:
        """The project's cache: its tracked files removed, its folder a real one."""
        if self.cache is None:
            self.cache = CacheDir.open(self.root, self.settings.cache_dir)
        return self.cache

    def depends(self, src_uri: str, *parts: str) -> None:
        """Note more of what page ``src_uri``'s output is made from."""
        if not self.noting_inputs:
            return
        self.inputs[src_uri] = "\0".join((self.inputs.get(src_uri, ""), *parts))

    @property
    def archive(self) -> Archive:
        if self.archive_ is None:
            raise PluginError("paper archive not collected: on_files runs papers.py first")
        return self.archive_


Event = TypeVar("Event", bound=Callable[..., Any])


def plugin_errors(event: Event) -> Event:
    """An event whose own writes (caches, generated files, exports, the search bundle)
    fail on a full disk or a read-only folder ends the build with a PluginError naming
    the path and the reason (``…/feed.xml: No space left on device``), as ``mkdocs
    build`` reports any build error: one line, no traceback."""

    @functools.wraps(event)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return event(*args, **kwargs)
        except ArchiveError as exc:
            raise PluginError(str(exc)) from exc
        except OSError as exc:
            raise PluginError(os_error_text(exc)) from exc

    return run  # type: ignore[return-value]
