"""Where one build keeps what its hooks share: one :class:`BuildState` on that build's
config object.

Hook modules are imported once per process and reused by every rebuild of
``mkdocs serve``, so no hook keeps anything at module level: what one event computes
for a later one (the layout scan, the archive, the generated pages' bodies, what paper
pages share, the search bundle's plan, what each page's output depends on) rides on
the config, which MkDocs creates anew for each build. The only process-wide fact is
how the process was started (``mkdocs serve``, ``--dirty``), which MkDocs tells the
hooks once, in ``on_startup``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mkdocs.exceptions import PluginError

from ..cachefiles import CacheDir
from ..errors import ArchiveError, os_error_text
from ..project import PAGES_DIR
from ..settings import Settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .collect import Archive
    from .incremental import Output

_KEY = "_paper_archive"
#: Where paper pages live, relative to docs/ (``papers/``): one definition for the hooks.
PAPERS_PREFIX = f"{PAGES_DIR.removeprefix('docs/')}/"


def is_paper(src_uri: str) -> bool:
    return src_uri.startswith(PAPERS_PREFIX)


@dataclass(frozen=True)
class Mode:
    """How this process runs the builds: ``mkdocs serve`` or not, ``--dirty`` or not."""

    serving: bool = False
    dirty: bool = False


_mode = Mode()


def set_mode(*, command: str, dirty: bool) -> None:
    """Called from ``on_startup`` (once per process, before any build)."""
    global _mode
    _mode = Mode(serving=command == "serve", dirty=dirty)


def mode() -> Mode:
    return _mode


#: What to undo if the build under way fails: the child processes it started and
#: their input files. ``on_build_error`` is given no config to find them on, and a
#: process is a process-wide thing; each entry goes once its build waited for it.
_PENDING: dict[int, Callable[[], None]] = {}


def pending(owner: object, cancel: Callable[[], None]) -> None:
    """Note that ``cancel`` undoes what ``owner`` started, until :func:`settled`."""
    _PENDING[id(owner)] = cancel


def settled(owner: object) -> None:
    _PENDING.pop(id(owner), None)


def cancel_pending() -> None:
    """End every child process of a failed build and remove its input files."""
    while _PENDING:
        _, cancel = _PENDING.popitem()
        cancel()


@dataclass
class BuildState:
    """Everything the hooks of one build share, created by the first hook to ask."""

    root: Path  # the project: the folder holding mkdocs.yml
    #: mkdocs.yml's ``extra.paper_archive``, read and checked in ``on_config``
    #: (hooks/collect_papers.py; paper_archive/settings.py).
    settings: Settings = field(default_factory=Settings)
    #: The project's cache, checked once per build (paper_archive/cachefiles.py): made
    #: by the first hook to ask (:meth:`cache_dir`).
    cache: CacheDir | None = None
    tree: Any = None  # paper_archive.layout.Tree, scanned in on_pre_build
    archive: Archive | None = None
    #: Generated page (src_uri) -> its HTML body, put in after Markdown rendering.
    bodies: dict[str, str] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)  # home page marker -> HTML
    #: What every paper page shares: source labels and citation keys (slug -> key).
    sources: dict[str, Any] = field(default_factory=dict)
    cite_keys: dict[str, str] = field(default_factory=dict)
    #: Tag slug -> display name, for paper pages: computed by the first one to render.
    tag_names: dict[str, str] | None = None
    #: paper_archive.search.build.BundlePlan, set by hooks/search_index.py (typed loosely:
    #: the site layer sits below search and does not import it).
    search: Any = None
    #: Page (src_uri) -> what its output depends on besides its own file and what
    #: every page shares; read by :mod:`.incremental` in dirty builds.
    inputs: dict[str, str] = field(default_factory=dict)
    #: What every page's output depends on (tag names, source labels), as text.
    shared_inputs: list[str] = field(default_factory=list)
    #: The pages' outputs and fingerprints of a dirty build, committed when it is done.
    outputs: list[Output] | None = None
    #: Inputs known only once pages are rendered (the first dirty build's related
    #: lists): called before the fingerprints are taken (hooks/dirty_rebuild.py).
    late_inputs: list[Callable[[], None]] = field(default_factory=list)
    files: Any = None  # the build's mkdocs Files, kept by hooks/dirty_rebuild.py
    #: Every output of a dirty build other than its pages' (absolute paths).
    others: frozenset[str] = frozenset()
    #: Files (site paths) a thread writes into the site once the build is done and
    #: that are not among its files (the serve search bundle): outputs all the same.
    written_after: list[str] = field(default_factory=list)
    #: What to start once the build is done (a serve rebuild's exports, hooks/exports.py).
    after_build: list[Callable[[], None]] = field(default_factory=list)

    def cache_dir(self) -> CacheDir:
        """The project's cache: its tracked files removed, its folder a real one."""
        if self.cache is None:
            self.cache = CacheDir.open(self.root, self.settings.cache_dir)
        return self.cache

    def depends(self, src_uri: str, *parts: str) -> None:
        """Note more of what page ``src_uri``'s output is made from."""
        self.inputs[src_uri] = "\0".join((self.inputs.get(src_uri, ""), *parts))


def state_of(config: MkDocsConfig) -> BuildState:
    state = config.get(_KEY)
    if state is None:
        state = BuildState(root=Path(config.config_file_path).parent)
        config[_KEY] = state
    return state


def store(config: MkDocsConfig, archive: Archive) -> None:
    state_of(config).archive = archive


def archive_of(config: MkDocsConfig) -> Archive:
    archive = state_of(config).archive
    if archive is None:
        raise PluginError(
            "paper archive not collected: hooks/collect_papers.py must be listed first "
            "under hooks: in mkdocs.yml"
        )
    return archive


Event = TypeVar("Event", bound=Callable[..., Any])


def plugin_errors(event: Event) -> Event:
    """A hook event whose own writes (caches, generated files, exports, the search
    bundle) fail on a full disk or a read-only folder ends the build with a PluginError
    naming the path and the reason (``…/feed.xml: No space left on device``), as
    ``mkdocs build`` reports any build error: one line, no traceback."""

    @functools.wraps(event)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return event(*args, **kwargs)
        except ArchiveError as exc:
            raise PluginError(str(exc)) from exc
        except OSError as exc:
            raise PluginError(os_error_text(exc)) from exc

    return run  # type: ignore[return-value]
