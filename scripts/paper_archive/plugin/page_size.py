"""Fewer bytes per page, the same page: glue over paper_archive/site/slim.py.

Reads the theme's icons that Material inlines in every page (named by the theme's
``icon`` settings, Material's defaults otherwise), adds them to the site as one sprite
file, and rewrites each rendered page: indentation out, those icons as references to
the sprite. The 404 page (a theme template, not a page) keeps its inline icons.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import File

from ..site.render import relative_url
from ..site.slim import collapse_whitespace, sprite, use_icons

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from .state import Build


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


def _read_icons(theme: Any, names: list[str]) -> dict[str, str]:
    """Each icon's SVG as the theme's template loader finds it (first theme folder)."""
    found: dict[str, str] = {}
    for name in names:
        for folder in theme.dirs:
            path = Path(folder) / ".icons" / f"{name}.svg"
            if path.is_file():
                found[name] = path.read_text(encoding="utf-8")
                break
    return found


def on_files(files: Files, *, config: MkDocsConfig, build: Build) -> None:
    icons = sprite(_read_icons(config.theme, _icon_names(config.theme)))
    build.sprite = icons
    files.append(File.generated(config, icons.path, content=icons.text))


def on_post_page(output: str, *, page: Page, build: Build) -> str:
    icons = build.sprite
    if icons is None:
        return output
    href = html.escape(relative_url(icons.path, page.url))
    return use_icons(collapse_whitespace(output), icons, href=href)
