"""The site's own pages and the theme's files: only what the project lists reaches the site.

- Theme files (paper_archive/themefiles.py): MkDocs publishes every non-template file
  of the theme's folder (``custom_dir``) as a static file. One that is not listed is
  left out of the site with a warning naming it (``mkdocs build --strict`` fails); an
  unlisted template, which would change the pages it is part of, or a symbolic link
  there stops the build (PluginError naming each).
- Site pages' front matter (paper_archive/sitepages.py): plugin/papers.py leaves
  out a site page whose front matter is outside the allow-list, with a warning naming
  ``path:line`` (`papers validate` reports the same). Here each kept site page's
  ``page.meta`` is replaced by the front matter read with the project's strict loader
  and checked, with its values escaped: what MkDocs' own metadata reader found (its
  loader builds bytes from ``!!binary``, and reads ``key: value`` lines at the top of
  a page) never reaches the theme. Run after papers.py and before paper_pages.py,
  which escapes every page's title (plugin/archive.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from .. import layout, sitepages, themefiles
from ..errors import ArchiveError
from ..pages import read_page

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.paper_archive.site_pages")


def _theme_path(custom_dir: Path, abs_src_path: str | None) -> str | None:
    """``overrides/<path>`` for a file MkDocs took from the theme's folder, else None."""
    if not abs_src_path:
        return None
    try:
        rel = Path(abs_src_path).relative_to(custom_dir)
    except ValueError:
        return None
    return f"{themefiles.THEME_DIR}/{rel.as_posix()}"


def on_files(files: Files, *, config: MkDocsConfig, root: Path) -> None:
    custom_dir = Path(config.theme.custom_dir or root / themefiles.THEME_DIR)
    if custom_dir.resolve() != (root / themefiles.THEME_DIR).resolve():
        raise PluginError(
            f"mkdocs.yml: theme.custom_dir must be {themefiles.THEME_DIR}/ (the folder "
            "paper_archive/themefiles.py checks)"
        )
    problems = themefiles.scan(root)
    published = set()
    for file in list(files):
        path = _theme_path(custom_dir, file.abs_src_path)
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
