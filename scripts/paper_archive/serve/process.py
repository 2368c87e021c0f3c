"""What one MkDocs process keeps for all its builds: how it runs, and the serve layer.

MkDocs loads a hook module once per process (``mkdocs serve`` reuses it for every
rebuild), so the one :class:`~paper_archive.plugin.archive.PaperArchive` that the hook
module holds lives as long as the process, and with it this :class:`Process`. What a
single build computes lives on that build's own object
(:class:`~paper_archive.plugin.state.Build`), made anew in ``on_config``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..site.collect import Entry, ParsedKey
from .file_paths import FilePaths
from .incremental import Ledger, SourceFiles
from .memo import Memo
from .memory import Settling
from .page_texts import PageTexts
from .writers import LateWriters


@dataclass(frozen=True)
class Mode:
    """How this process runs the builds: ``mkdocs serve`` or not, ``--dirty`` or not."""

    serving: bool = False
    dirty: bool = False

    @property
    def live(self) -> bool:
        """``mkdocs serve --dirty``: rebuilds that do not wait for the search bundle
        nor the exports."""
        return self.serving and self.dirty


@dataclass
class Process:
    """The serve layer's state, one per process. ``remember=False`` turns it off: every
    result computed afresh, no page text kept (a plain build, and the comparison in
    tests/test_serve_layer.py). Compiled templates are the interpreter's, whatever the
    mode (serve/template_code.py): the same source gives the same code."""

    mode: Mode = field(default_factory=Mode)
    remember: bool = True
    memo: Memo = field(default_factory=Memo)
    ledger: Ledger = field(default_factory=Ledger)
    page_texts: PageTexts = field(default_factory=PageTexts)
    #: MkDocs' paths of each file (plugin/papers.py, plugin/dirty.py).
    file_paths: FilePaths = field(default_factory=FilePaths)
    #: The generated pages' sources in the cache, as written (plugin/index_pages.py).
    sources: SourceFiles = field(default_factory=SourceFiles)
    settling: Settling = field(default_factory=Settling)
    writers: LateWriters = field(default_factory=LateWriters)
    #: The entries the last archive parsed (paper_archive/site/collect.py ``known``).
    parsed: Mapping[ParsedKey, Entry] = field(default_factory=dict)
    #: What to undo if the build under way fails: the child processes it started and
    #: their input files, by owner; each entry goes once its build waited for it.
    _pending: dict[int, Callable[[], None]] = field(default_factory=dict)

    def forget(self) -> None:
        """Without ``remember``: nothing of a build before is used by the next."""
        if not self.remember:
            self.memo, self.page_texts, self.parsed = Memo(), PageTexts(), {}
            self.file_paths, self.sources = FilePaths(), SourceFiles()

    def pending(self, owner: object, cancel: Callable[[], None]) -> None:
        """Note that ``cancel`` undoes what ``owner`` started, until :meth:`settled`."""
        self._pending[id(owner)] = cancel

    def settled(self, owner: object) -> None:
        self._pending.pop(id(owner), None)

    def cancel_pending(self) -> None:
        """End every child process of a failed build and remove its input files."""
        while self._pending:
            _, cancel = self._pending.popitem()
            cancel()
