"""What may live in the theme's folder (``overrides/``, mkdocs.yml's ``custom_dir``): the
one statement of it, as data.

MkDocs publishes every file of ``custom_dir`` that is not a template (``*.html``) as a
static file of the site, unchecked, and follows symbolic links there: a pull request
adding ``overrides/evil.htm`` or ``overrides/assets/x.svg`` shipped script on the
site's own origin, and any ``overrides/partials/*.html`` would replace one of the
theme's templates on every page. So only the files in :data:`THEME_FILES` may be there;
adding one is a change to this file (CODEOWNERS gives ``scripts/`` and ``overrides/``
to the maintainers). `papers validate` reports anything else as ``path:1: error``, and
the build (``plugin/site_pages.py``) leaves an unlisted static file out of the site and
stops on an unlisted template or a link. Dot files are skipped, as MkDocs skips them.
"""

from __future__ import annotations

import os
from pathlib import Path

from .layout import Problem

THEME_DIR = "overrides"
#: Every file of the theme's folder, POSIX from the archive root.
THEME_FILES = frozenset(
    {
        "overrides/alike.html",
        "overrides/main.html",
        "overrides/paper.html",
        "overrides/search.html",
        "overrides/partials/actions.html",
        "overrides/partials/header.html",
        "overrides/partials/source.html",
        "overrides/partials/search-boot.js",
    }
)

UNLISTED = (
    "not one of the theme's files (paper_archive/themefiles.py THEME_FILES); MkDocs "
    "would publish it, or use it as a template, unchecked"
)
LINK = "symbolic link in the theme's folder: MkDocs would publish what it points to"


def is_theme_file(path: str) -> bool:
    return path in THEME_FILES


def scan(root: Path) -> list[Problem]:
    """Every symbolic link under ``overrides/`` (and the folder itself as a link), and
    every file there not in :data:`THEME_FILES`, sorted by path. Links are not followed."""
    base = root / THEME_DIR
    if base.is_symlink():
        return [Problem(THEME_DIR, LINK, is_link=True)]
    problems: list[Problem] = []
    for folder, dirs, files in os.walk(base, followlinks=False):
        here = Path(folder).relative_to(root).as_posix()
        hidden = any(part.startswith(".") for part in here.split("/"))
        for name in [*dirs, *files]:
            rel = f"{here}/{name}"
            if (Path(folder) / name).is_symlink():
                problems.append(Problem(rel, LINK, is_link=True))
            elif name in files and not (hidden or name.startswith(".") or is_theme_file(rel)):
                problems.append(Problem(rel, UNLISTED))
    return sorted(problems, key=lambda p: p.path)
