"""Where things live in a checkout of the archive."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import ArchiveError

PAGES_DIR = "docs/papers"
SOURCES_DIR = "data/sources"
VOCABULARY = "data/tags.yaml"


@dataclass(frozen=True, slots=True)
class Project:
    root: Path

    @property
    def pages_dir(self) -> Path:
        return self.root / PAGES_DIR

    @property
    def sources_dir(self) -> Path:
        return self.root / SOURCES_DIR

    @property
    def vocabulary_path(self) -> Path:
        return self.root / VOCABULARY

    def relative_paths(self, paths: Iterable[Path]) -> tuple[set[str], list[Path]]:
        """The given paths relative to the root (POSIX), and those outside the archive."""
        inside: set[str] = set()
        outside: list[Path] = []
        root = self.root.resolve()
        for given in paths:
            try:
                inside.add(given.resolve().relative_to(root).as_posix())
            except ValueError:
                outside.append(given)
        return inside, outside


def find_root(start: Path) -> Project:
    """The nearest directory at or above ``start`` holding ``mkdocs.yml`` and ``data/``."""
    for candidate in (start.resolve(), *start.resolve().parents):
        if (candidate / "mkdocs.yml").is_file() and (candidate / "data").is_dir():
            return Project(candidate)
    raise ArchiveError(
        "not inside a paper archive (no mkdocs.yml with a data/ folder above this directory); "
        "use --root",
        path=start,
    )


def today() -> dt.date:
    """Today in UTC, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()
