"""Fewer bytes per page, the same page: indentation out, theme icons and script in files (pure).

Design notes: docs/modules.md, `site/slim.py`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .render import script_src

_KEEP = re.compile(r"<(pre|textarea|script)\b")  # as the theme and nh3 write them
_INDENT = re.compile(r"\n[ \t\r\n]+")
_SVG = re.compile(r"\A(<svg\b[^>]*>)(.*)</svg>\s*\Z", re.DOTALL)
_VIEWBOX = re.compile(r'\sviewBox="([^"]*)"')
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_INLINE_SCRIPT = re.compile(r"\A<script>([^<]*)</script>\Z")
SPRITE_DIR = "assets/"
#: The theme's generator tag, as a pattern that reads it (site/render.py alone holds
#: HTML literals: tests/test_architecture.py).
_GENERATOR = re.compile(re.escape('<meta name="generator" '))


def asset_path(stem: str, text: str, suffix: str) -> str:
    """``assets/<stem>.<hash>.<suffix>``: a file the site adds, named by its content, so
    a browser's cached copy is never stale."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{SPRITE_DIR}{stem}.{digest}.{suffix}"


def collapse_whitespace(html: str) -> str:
    """``html`` with the whitespace at the start of each line removed (blank lines
    with it), except inside ``<pre>``, ``<textarea>`` and ``<script>``.

    Run on every page: the elements kept are found by their opening tag and the next
    closing one (``str.find``), not by one lazy pattern over the page, which took twice
    as long. Tags are matched in lower case, as the theme and the sanitiser write them
    (lower-casing a page with non-ASCII text costs more than the rest together)."""
    out: list[str] = []
    last = 0
    for match in _KEEP.finditer(html):
        if match.start() < last:
            continue  # inside an element already kept
        end = html.find(f"</{match[1]}", match.end())
        end = len(html) if end < 0 else end
        out.append(_INDENT.sub("\n", html[last : match.start()]))
        out.append(html[match.start() : end])
        last = end
    out.append(_INDENT.sub("\n", html[last:]))
    return "".join(out)


def without_generator(html: str) -> str:
    """``html`` without the theme's ``<meta name="generator">`` in its ``<head>``: the
    MkDocs and Material versions, which no reader, crawler or link preview uses (~70
    bytes a page, 7 MB at 100,000 papers; issue 20)."""
    found = _GENERATOR.search(html, 0, max(html.find("</head>"), 0))
    if found is None:
        return html
    start = found.start()
    end = html.find(">", start) + 1
    return html[:start] + html[end + (html[end : end + 1] == "\n") :]


@dataclass(frozen=True, slots=True)
class Icon:
    name: str  # material/menu
    svg: str  # what the theme inlines: its .icons/<name>.svg file, stripped
    opening: str  # its <svg …> tag, kept on the page
    id: str  # the symbol's id in the sprite


@dataclass(frozen=True, slots=True)
class Sprite:
    """The theme's icons as one SVG file of ``<symbol>`` elements (``text``), at
    ``path``: named by its content, so a browser's cached copy is never stale. Made
    once per build by :func:`sprite`; nothing is recomputed per page."""

    icons: tuple[Icon, ...]  # sorted by name
    text: str
    path: str


def sprite(icons: Mapping[str, str]) -> Sprite:
    """The sprite of ``icons`` (name -> SVG text); SVG without an opening tag is skipped."""
    found: list[Icon] = []
    symbols: list[str] = []
    for name, text in sorted(icons.items()):
        match = _SVG.match(text.strip())
        if match is None:
            continue
        opening, inner = match[1], match[2]
        icon = Icon(name, text.strip(), opening, symbol_id(name))
        box = _VIEWBOX.search(opening)
        view_box = f' viewBox="{box[1]}"' if box else ""
        symbols.append(f'<symbol id="{icon.id}"{view_box}>{inner}</symbol>')
        found.append(icon)
    text = '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n"
    return Sprite(tuple(found), text, asset_path("icons", text, "svg"))


def symbol_id(name: str) -> str:
    """``material/menu`` -> ``material-menu`` (names are folder/file: no quote in them)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)


def use_icons(html: str, icons: Sprite, *, href: str) -> str:
    """``html`` with each icon of ``icons`` that appears inline replaced by a reference
    to it in the sprite, which is at ``href`` (relative to the page).

    One pass over the page: each ``<svg`` found (``str.find``) is matched against the
    icons that open with the same tag, instead of a search and a replace over the
    whole page for each icon (half the time: 0.064 -> 0.030 ms a paper page). SVG
    elements do not overlap, so the result is the same as replacing each icon in turn.
    """
    by_opening: dict[str, list[Icon]] = {}
    for icon in icons.icons:
        by_opening.setdefault(icon.opening, []).append(icon)
    out: list[str] = []
    last = 0
    start = html.find("<svg")
    while start >= 0:
        end = html.find(">", start)
        if end < 0:
            break
        after = start + 1  # no icon here: the next "<svg" may be inside this tag
        for icon in by_opening.get(html[start : end + 1], ()):
            if html.startswith(icon.svg, start):
                out += (html[last:start], f'{icon.opening}<use href="{href}#{icon.id}"/></svg>')
                last = after = start + len(icon.svg)
                break
        start = html.find("<svg", after)
    if not out:
        return html
    out.append(html[last:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Script:
    """An inline script the theme writes into every page (``inline``, the whole
    element), as a file of its own (``text`` at ``path``, named by its content)."""

    inline: str
    text: str
    path: str


def script_file(template: str, name: str) -> Script | None:
    """The script of a theme partial that holds one inline ``<script>`` and nothing
    else (Jinja comments aside), as a file ``assets/<name>.<hash>.js``; ``None`` when
    the partial holds more (template code, attributes, markup: another theme version),
    which then stays inline."""
    match = _INLINE_SCRIPT.match(_COMMENT.sub("", template).strip())
    if match is None or "{{" in match[1] or "{%" in match[1]:
        return None
    text = match[1] + "\n"
    return Script(match[0], text, asset_path(name, text, "js"))


def external_script(html: str, script: Script, *, src: str) -> str:
    """``html`` with the first copy of ``script``'s inline element replaced by a
    ``<script src>`` of its file at ``src`` (relative to the page). A classic script,
    neither ``async`` nor ``defer``: it runs where the inline one ran, before the parser
    goes on, so what it sets (the reader's palette, on ``<body>``) is set before the
    page is first painted, as before."""
    start = html.find(script.inline)
    if start < 0:
        return html
    end = start + len(script.inline)
    return html[:start] + script_src(src) + html[end:]
