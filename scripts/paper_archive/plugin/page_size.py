"""Fewer bytes per page, the same page: glue over paper_archive/site/slim.py.

Reads the theme's icons that Material inlines in every page (named by the theme's
``icon`` settings, Material's defaults otherwise), its palette script and the page's
stylesheets (Material's ``styles`` block's, then ``extra_css``, as the build's files
hold them), adds them to the site as a sprite, a script and one stylesheet
(site/stylesheet.py), and rewrites each rendered page: indentation out, the generator
tag out, those icons as references to the sprite, the script as a reference to its
file, the run of stylesheet links as one. The 404 page (a theme template, not a page)
keeps them. Then the chrome of a page outside the nav (a paper's, a list's) becomes
calls of the chrome file it shares (site/chrome.py), written into the site when first
made.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import File

from ..files.textfile import atomic_write
from ..site import chrome, stylesheet
from ..site.render import relative_url, script_src
from ..site.slim import (
    Script,
    collapse_whitespace,
    external_script,
    script_file,
    sprite,
    use_icons,
    without_generator,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from .state import Build

log = logging.getLogger("mkdocs.plugins.paper_archive.page_size")


def _icon_names(theme: Any) -> list[str]:
    """The icons Material's partials inline (header, drawer, palette, actions, top)."""
    icon = theme.get("icon") or {}
    names = [
        icon.get("menu") or "material/menu",
        icon.get("top") or "material/arrow-up",
        icon.get("edit") or "material/file-edit-outline",
        icon.get("view") or "material/file-eye-outline",
        icon.get("repo") or "fontawesome/brands/git-alt",
        icon.get("previous") or "material/arrow-left",
        icon.get("next") or "material/arrow-right",
    ]
    if not theme.get("logo"):
        names.append(icon.get("logo") or "material/library")
    palette = theme.get("palette") or []
    for option in palette if isinstance(palette, list) else [palette]:
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if isinstance(toggle, dict) and toggle.get("icon"):
            names.append(toggle["icon"])
    return sorted(set(names))


def _theme_text(theme: Any, relative: str) -> str | None:
    """A theme file's text as the theme's template loader finds it (first theme folder
    that has it: overrides before Material); None when none has it."""
    for folder in theme.dirs:
        path = Path(folder) / relative
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def _read_icons(theme: Any, names: list[str]) -> dict[str, str]:
    """Each icon's SVG, for the icons the theme has."""
    found = {name: _theme_text(theme, f".icons/{name}.svg") for name in names}
    return {name: svg for name, svg in found.items() if svg is not None}


def _palette_script(theme: Any) -> Script | None:
    """Material's palette script (``partials/javascripts/palette.html``, 700 bytes in
    every page's header)."""
    template = _theme_text(theme, "partials/javascripts/palette.html")
    return None if template is None else script_file(template, "palette")


def _stylesheet(files: Files, config: MkDocsConfig) -> stylesheet.Stylesheet | None:
    """The page's stylesheets joined (site/stylesheet.py): Material's ``styles`` block's
    then ``extra_css``, each as the file the site serves at its path. None when one is
    not a file of the site (a URL elsewhere), is not UTF-8 or cannot be joined, or the
    joined file's path is taken: the pages then keep their links."""
    base = _theme_text(config.theme, "base.html") or ""
    paths = [*stylesheet.theme_stylesheets(base), *config.extra_css]
    sheets: list[tuple[str, str]] = []
    for path in paths:
        file = files.get_file_from_path(path)
        if file is None:
            return None
        try:
            sheets.append((path, file.content_string))
        except (OSError, UnicodeDecodeError):
            return None
    if len(sheets) < 2:
        return None
    if files.get_file_from_path(stylesheet.PATH) is not None:
        log.warning("%s: a file of the site has the joined stylesheet's path", stylesheet.PATH)
        return None
    return stylesheet.combine(sheets)


def on_files(files: Files, *, config: MkDocsConfig, build: Build) -> None:
    icons = sprite(_read_icons(config.theme, _icon_names(config.theme)))
    build.sprite = icons
    files.append(File.generated(config, icons.path, content=icons.text))
    build.palette = _palette_script(config.theme)
    if build.palette is not None:
        files.append(File.generated(config, build.palette.path, content=build.palette.text))
    joined = build.stylesheet = _stylesheet(files, config)
    if joined is not None:
        files.append(File.generated(config, joined.path, content=joined.text))
    # Whether pages link one stylesheet, and which: a dirty rebuild re-renders every
    # page when that changes (a save of archive.css alone changes no page).
    build.shared_inputs.append(repr((joined.path, joined.sheets) if joined else None))


def on_post_page(output: str, *, page: Page, build: Build) -> str:
    icons = build.sprite
    if icons is None:
        return output
    href = html.escape(relative_url(icons.path, page.url))
    output = use_icons(without_generator(collapse_whitespace(output)), icons, href=href)
    joined = build.stylesheet
    if joined is not None:  # after collapse_whitespace: the links one a line
        sheets = [relative_url(path, page.url) for path in joined.sheets]
        output = stylesheet.one_link(output, sheets, relative_url(joined.path, page.url))
    palette = build.palette
    if palette is None:
        return output
    return external_script(output, palette, src=relative_url(palette.path, page.url))


def shared_chrome(output: str, *, page: Page, config: MkDocsConfig, build: Build) -> str:
    """A page's marked chrome (site/chrome.py) as calls of the chrome file its blocks
    make, written into the site the first time a build makes it (before the page that
    loads it); in place, unmarked, past ``chrome.LIMIT`` files. A page without marked
    blocks is returned as it is."""
    cut = chrome.split(output)
    if cut is None:
        return output
    made = build.chromes.get(cut.key)
    if made is None and len(build.chromes) < chrome.LIMIT:
        made = chrome.chrome_file(cut.parts, cut.head, cut.title_suffix)
        atomic_write(Path(config.site_dir) / made.path, made.text)
        build.chromes[cut.key] = made
    if made is None:
        return chrome.join(cut)
    return chrome.externalize(cut, head_script=script_src(relative_url(made.path, page.url)))
