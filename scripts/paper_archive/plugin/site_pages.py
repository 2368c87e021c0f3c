"""The site's own pages and the theme's files: only what the project lists reaches the site.

Theme files (paper_archive/themefiles.py) not listed are left out with a warning; an
unlisted template or a link stops the build. Each kept site page's ``page.meta`` is
replaced by its front matter read with the project's strict loader, checked and
escaped (paper_archive/sitepages.py). Run after papers.py and before paper_pages.py
(plugin/archive.py).

Design notes: docs/modules.md, `plugin/site_pages.py`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from ..disk import layout, sitepages, themefiles
from ..disk.pages import read_page
from ..errors import ArchiveError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from ..serve.file_paths import FilePaths

log = logging.getLogger("mkdocs.plugins.paper_archive.site_pages")


def _theme_path(custom_dir: Path, abs_src_path: str | None) -> str | None:
    """``overrides/<path>`` for a file MkDocs took from the theme's folder, else None.
    MkDocs normalises its files' paths: one outside the folder does not even start with
    it (asked of every file, every build: no Path made for the 10,000 papers)."""
    if not abs_src_path or not abs_src_path.startswith(str(custom_dir)):
        return None
    try:
        rel = Path(abs_src_path).relative_to(custom_dir)
    except ValueError:
        return None
    return f"{themefiles.THEME_DIR}/{rel.as_posix()}"


def on_files(
    files: Files, *, config: MkDocsConfig, root: Path, paths: FilePaths | None = None
) -> None:
    """Leave out what overrides/ may not publish. ``paths``: each file's source path as
    MkDocs worked it out last build (paper_archive/serve/file_paths.py)."""
    custom_dir = Path(config.theme.custom_dir or root / themefiles.THEME_DIR)
    if custom_dir.resolve() != (root / themefiles.THEME_DIR).resolve():
        raise PluginError(
            f"mkdocs.yml: theme.custom_dir must be {themefiles.THEME_DIR}/ (the folder "
            "paper_archive/themefiles.py checks)"
        )
    problems = themefiles.scan(root)
    published = set()
    for file in list(files):
        source = paths.of(file).abs_src_path if paths is not None else file.abs_src_path
        path = _theme_path(custom_dir, source)
        if path is not None and not themefiles.is_theme_file(path):
            published.add(path)
            files.remove(file)
    # A link, or an unlisted file MkDocs did not publish (a template): nothing to leave out.
    fatal = [p for p in problems if p.is_link or p.path not in published]
    if fatal:
        raise PluginError("\n".join(f"{p.path}:{p.line}: error: {p.message}" for p in fatal))
    for path in sorted(published):
        log.warning("%s:1: error: %s", path, themefiles.UNLISTED)
        log.warning("%s: left out of the site", path)


def on_page_markdown(page: Page) -> None:
    path = f"docs/{page.file.src_uri}"
    if not layout.is_site_page(path) or not page.file.abs_src_path:
        return None
    try:
        text = read_page(Path(page.file.abs_src_path), display=path)
    except ArchiveError as exc:
        raise PluginError(str(exc)) from exc
    meta, problems = sitepages.front_matter(text)
    if problems:  # changed since collect_papers.py checked it (mkdocs serve)
        raise PluginError("\n".join(f"{path}:{p.line}: error: {p.message}" for p in problems))
    page.meta = sitepages.theme_meta(meta)
