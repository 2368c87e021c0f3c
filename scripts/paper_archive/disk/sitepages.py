"""The front matter of the site's own pages (``docs/index.md``, ``docs/search.md``, …):
an allow-list of keys and types, as data, read with the project's strict loader.

A site page may hold only ``title``, ``description``, ``template`` and ``hide``, each of
its type; :func:`front_matter` reads the block as MkDocs does, with the strict loader,
and :func:`theme_meta` hands the theme escaped values.

Design notes: docs/modules.md, `disk/sitepages.py`.
"""

from __future__ import annotations

import html
import re
from typing import Any

import yaml

from ..errors import Problem
from ..files import yamlio

#: Theme templates a site page may name in ``template:`` (overrides/).
TEMPLATES = ("search.html",)
#: What Material hides for a page that lists it in ``hide:``.
HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")
TITLE_MAX = 300
#: Search engines show ~160 characters; the site's own description is ~170.
DESCRIPTION_MAX = 300
KEYS = ("title", "description", "template", "hide")

#: MkDocs' own rules (mkdocs/utils/meta.py, 1.6): the YAML block, and a MultiMarkdown line.
_YAML_BLOCK = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_MULTIMARKDOWN = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Markup in a decoded value: a tag, a comment, a closing tag (``<`` before a letter, ``/``, ``!``).
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


def _type_name(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _text_problem(key: str, value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return f"{key} must be text (a string), found {_type_name(value)}"
    if not value.strip():
        return f"{key} is empty"
    if _CONTROL.search(value):
        return f"{key} must be one line of text, without control characters"
    if len(value) > limit:
        return f"{key} is {len(value)} characters long, over the limit of {limit}"
    if _MARKUP.search(value):
        return f"{key} holds HTML markup (once YAML escapes are read); write plain text"
    return None


def _value_problems(key: str, value: object) -> list[tuple[int | None, str]]:
    """Problems of one known key's value; the int is the list item's index, if any."""
    if key == "title":
        problem = _text_problem(key, value, TITLE_MAX)
        return [] if problem is None else [(None, problem)]
    if key == "description":
        problem = _text_problem(key, value, DESCRIPTION_MAX)
        return [] if problem is None else [(None, problem)]
    if key == "template":
        if isinstance(value, str) and value in TEMPLATES:
            return []
        shown = yamlio.shorten(repr(value))
        return [(None, f"template {shown} is not one a site page may use ({', '.join(TEMPLATES)})")]
    # hide
    if not isinstance(value, list):
        return [(None, f"hide must be a list of {', '.join(HIDE)}; found {_type_name(value)}")]
    out: list[tuple[int | None, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in HIDE:
            shown = yamlio.shorten(repr(item))
            out.append((index, f"hide: {shown} is not one of {', '.join(HIDE)}"))
        elif item in seen:
            out.append((index, f"hide: {item!r} is listed twice"))
        else:
            seen.add(item)
    return out


def front_matter(text: str) -> tuple[dict[str, Any], list[Problem]]:
    """A site page's front matter, read as MkDocs finds it and loaded strictly, and every
    problem with its line (1-based, in ``text``). The mapping is empty when the page has
    none or when anything is wrong with it: a page with a problem has no metadata."""
    # MkDocs reads pages with universal newlines and without a byte-order mark.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block = _YAML_BLOCK.match(text)
    if block is None:
        first = text.split("\n", 1)[0]
        if _MULTIMARKDOWN.match(first):
            return {}, [
                Problem(
                    1,
                    "a 'key: value' line at the top of a page is read by MkDocs as "
                    "metadata; start the page with its heading, or put front matter "
                    "between '---' lines",
                )
            ]
        return {}, []
    first_line = 2  # the YAML starts under the opening fence
    try:
        loaded = yamlio.load_with_lines(block.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + first_line if mark is not None else first_line
        return {}, [
            Problem(line, f"invalid YAML in front matter: {yamlio.shorten(str(problem), 200)}")
        ]
    if not isinstance(loaded.data, dict):
        found = "nothing" if loaded.data is None else type(loaded.data).__name__
        return {}, [Problem(first_line, f"front matter must be a mapping of keys, found {found}")]
    problems: list[Problem] = []
    for key, value in loaded.data.items():
        line = loaded.key_lines.get(key, 0) + first_line if isinstance(key, str) else first_line
        if key not in KEYS:
            problems.append(
                Problem(
                    line,
                    f"unknown key {yamlio.shorten(repr(key))} in a site page's front matter; "
                    f"allowed: {', '.join(KEYS)} (paper_archive/sitepages.py)",
                )
            )
            continue
        items = loaded.item_lines.get(key, [])
        for index, message in _value_problems(key, value):
            at = line
            if index is not None and index < len(items):
                at = items[index] + first_line
            problems.append(Problem(at, message))
    problems.sort(key=lambda p: p.line or 0)
    return ({} if problems else dict(loaded.data)), problems


def theme_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """What the theme is given as ``page.meta`` for a checked front matter: the same keys,
    the description escaped (Material prints it into an attribute as it is). The title
    is escaped, as every page's, by ``plugin/paper_pages.py``."""
    out = dict(meta)
    if "description" in out:
        out["description"] = html.escape(out["description"])
    if "hide" in out:
        out["hide"] = list(out["hide"])
    return out
