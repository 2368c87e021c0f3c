"""What may live under ``docs/`` and ``data/``: the one statement of it, as data.

`papers validate` and the build read these rules (:data:`SITE_FILES` and the checks
here) and refuse anything else: a symbolic link, a file in ``docs/papers/`` that is not
a paper page, raw HTML in a site page.

Design notes: docs/modules.md, `disk/layout.py`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ArchiveError
from .pages import read_page

DOCS_DIR = "docs"
DATA_DIR = "data"
#: Trees where no symbolic link may live.
NO_LINK_DIRS = (DOCS_DIR, DATA_DIR)
#: Paper pages: ``*.md`` directly in this folder, and nothing else in it.
PAPERS_DIR = "docs/papers"

#: The site's own files under docs/ (``*`` stays within one folder, ``**/`` spans any).
SITE_FILES = (
    "docs/index.md",
    "docs/about.md",
    "docs/search.md",
    "docs/contribute.md",
    "docs/benchmarks.md",
    "docs/security.md",
    "docs/architecture.md",
    "docs/modules.md",
    "docs/search-benchmarks.md",
    "docs/scale-benchmarks.md",
    "docs/settings.md",
    "docs/deploy.md",
    "docs/assets/archive.css",
    "docs/assets/favicon.svg",
    "docs/assets/math.js",
    "docs/assets/search/*.js",
    "docs/assets/vendor/**/*.css",
    "docs/assets/vendor/**/*.js",
    "docs/assets/vendor/**/*.woff2",
    "docs/assets/vendor/**/LICENSE",
)


def _pattern(glob: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*/|\*)", glob)
    regex = "".join(
        "(?:[^/]+/)*" if part == "**/" else "[^/]*" if part == "*" else re.escape(part)
        for part in parts
    )
    return re.compile(rf"\A{regex}\Z")


_SITE_RE = tuple(_pattern(p) for p in SITE_FILES)


def is_paper_page(path: str) -> bool:
    """``<slug>.md`` directly in docs/papers/ (``path`` POSIX, normalised; string
    operations: asked for every file of every build, 10,000+ times)."""
    parent, _, name = path.rpartition("/")
    return parent == PAPERS_DIR and name.endswith(".md") and name != ".md"


def is_site_file(path: str) -> bool:
    return any(regex.match(path) for regex in _SITE_RE)


def is_allowed_docs_file(path: str) -> bool:
    """``path`` (POSIX, from the archive root) may be a regular file under docs/."""
    return is_paper_page(path) or is_site_file(path)


def is_site_page(path: str) -> bool:
    return is_site_file(path) and path.endswith(".md")


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that may not be where it is; ``line`` 1 when the whole file is meant."""

    path: str
    message: str
    line: int = 1
    is_link: bool = False


@dataclass(slots=True)
class Tree:
    """What a walk of docs/ and data/ found, paths POSIX from the archive root."""

    problems: list[Problem] = field(default_factory=list)
    paper_pages: list[str] = field(default_factory=list)
    site_pages: list[str] = field(default_factory=list)
    #: Every folder walked, and each top folder (docs/, data/), with what its lstat
    #: said (None: absent): see :func:`scan`'s ``previous``.
    folders: dict[str, tuple[int, int, int, int] | None] = field(default_factory=dict)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _folder_state(path: str) -> tuple[int, int, int, int] | None:
    """Mode, inode, modification and change times of ``path`` itself (not followed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_mode, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


def scan(root: Path, *, previous: Tree | None = None) -> Tree:
    """Walk ``docs/`` and ``data/`` without following links: every symlink, and every
    file under docs/ that the rules above do not allow, is a problem.

    ``previous``: a tree this process scanned before (``mkdocs serve``), given back
    when none of its folders changed. A folder's modification time moves whenever an
    entry is added, removed or renamed in it (a file turned into a link is one of
    those), so equal folders hold the same entries of the same kinds; a page's edit
    changes no folder. ~20 lstat calls instead of 10,000."""
    if (
        previous is not None
        and previous.folders
        and all(
            _folder_state(str(root / folder)) == state for folder, state in previous.folders.items()
        )
    ):
        return previous
    tree = Tree()
    for top in NO_LINK_DIRS:
        base = root / top
        tree.folders[top] = _folder_state(str(base))
        if base.is_symlink():
            tree.problems.append(Problem(top, _LINK, is_link=True))
            continue
        if base.is_dir():
            _scan_folder(tree, top, top, base)
    tree.problems.sort(key=lambda p: p.path)
    return tree


def _scan_folder(tree: Tree, top: str, here: str, folder: Path) -> None:
    """One folder of :func:`scan` (``here`` its POSIX path from the root), then its
    subfolders: files before folders, each in name order, links not followed. String
    paths and the directory entries' own type bits: 10,000 files in ~0.1 s."""
    tree.folders[here] = _folder_state(str(folder))  # before reading: a change after shows
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    hidden = any(map(_hidden, here.split("/")))
    folders = []
    for entry in entries:
        rel = f"{here}/{entry.name}"
        if entry.is_symlink():
            tree.problems.append(Problem(rel, _LINK, is_link=True))
        elif entry.is_dir(follow_symlinks=False):
            folders.append(entry)
        elif top == DOCS_DIR and not hidden and not _hidden(entry.name):
            if not is_allowed_docs_file(rel):
                tree.problems.append(Problem(rel, _unexpected_message(rel)))
            elif is_paper_page(rel):
                tree.paper_pages.append(rel)
            elif is_site_page(rel):
                tree.site_pages.append(rel)
    for entry in folders:
        _scan_folder(tree, top, f"{here}/{entry.name}", Path(entry.path))


_LINK = (
    "symbolic link: links under docs/ and data/ are refused (MkDocs would publish what "
    "it points to); commit the file itself"
)


def _unexpected_message(path: str) -> str:
    if path.startswith(f"{PAPERS_DIR}/"):
        return (
            "only paper pages (<slug>.md directly in docs/papers/) may live in docs/papers/; "
            "this file would be published without being checked"
        )
    return (
        "not one of the site's own files (paper_archive/layout.py SITE_FILES); this file "
        "would be published without being checked"
    )


# --- raw HTML in the site's own pages --------------------------------------------------

_FENCED = re.compile(r"^( {0,3})(```|~~~).*?^\1\2[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ACTIVE = re.compile(
    r"<\s*/?\s*[a-zA-Z!?]"  # a tag (comments are removed first)
    r"|(?:\]\(|\]:)\s*(?:javascript|vbscript|data)\s*:"  # a script or data URL as a link
    r"|\bon[a-z]+\s*=",  # an event handler, e.g. in an attribute list {onclick=…}
    re.IGNORECASE,
)


def _blank(match: re.Match[str]) -> str:
    """The matched text with everything but newlines blanked (keeps line numbers)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def active_content(text: str) -> list[int]:
    """Lines (1-based) of a site page that hold raw HTML, a script URL or an event
    handler outside code blocks and code spans; HTML comments are allowed."""
    plain = _FENCED.sub(_blank, text)
    plain = _CODE_SPAN.sub(_blank, plain)
    plain = _COMMENT.sub(_blank, plain)
    return sorted({plain.count("\n", 0, m.start()) + 1 for m in _ACTIVE.finditer(plain)})


def read_texts(root: Path, paths: Iterable[str]) -> tuple[dict[str, str], list[Problem]]:
    """The text of each page at ``paths`` (POSIX, from ``root``), read strictly, and a
    problem for each that cannot be read (not UTF-8, a NUL, too large, a link)."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            texts[path] = read_page(root / path, display=path)
        except ArchiveError as exc:
            line = exc.location.line if exc.location and exc.location.line else 1
            problems.append(Problem(path, exc.message, line))
    return texts, problems
