"""Our copies of Material's templates stay in step with the installed Material.

``partials/header.html`` is Material's partial with its search dialog replaced by our
search form (between the ``paper-archive: begin`` and ``end`` markers). pyproject.toml
allows any Material 9.x, so a release that changes its header would otherwise be
silently undone by our copy: this fails then, naming the first differing line.
"""

from __future__ import annotations

import re
from pathlib import Path

import material

from . import REPO

THEME = REPO / "overrides"
MATERIAL = Path(material.__file__).parent / "templates"

#: Our block, from its begin marker to its end marker (each a Jinja comment line).
OURS = re.compile(
    r"^[ \t]*\{#- paper-archive: begin.*?#\}\n.*?^[ \t]*\{#- paper-archive: end -#\}\n",
    re.S | re.M,
)
#: What our block replaces in Material's header: its search button and dialog.
THEIRS = re.compile(
    r'^[ \t]*\{% if "material/search" in config\.plugins %\}\n.*?\{% include "partials/search\.html" %\}\n'
    r"[ \t]*\{% endif %\}\n[ \t]*\{% endif %\}\n",
    re.S | re.M,
)
#: The leading comment of each file (Material's "automatically generated", ours).
LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)
BLOCK = "<<search block>>\n"


def comparable(text: str, block: re.Pattern[str]) -> str:
    """``text`` without its leading comment, with ``block`` (found once) as a placeholder."""
    text = LEADING_COMMENT.sub("", text, count=1)
    found = block.findall(text)
    assert len(found) == 1, f"the search block is not found once: {block.pattern!r}"
    return block.sub(BLOCK, text)


def first_difference(ours: str, theirs: str) -> str | None:
    a, b = ours.splitlines(), theirs.splitlines()
    for number, (x, y) in enumerate(zip(a, b, strict=False), 1):
        if x != y:
            return f"line {number} (placeholder counted as one line): ours {x!r}, Material's {y!r}"
    if len(a) != len(b):
        return f"ours has {len(a)} lines, Material's {len(b)} (placeholder counted as one)"
    return None


def test_header_is_materials_outside_the_marked_block() -> None:
    ours = comparable((THEME / "partials/header.html").read_text(encoding="utf-8"), OURS)
    theirs = comparable((MATERIAL / "partials/header.html").read_text(encoding="utf-8"), THEIRS)
    assert first_difference(ours, theirs) is None, first_difference(ours, theirs)


def test_header_comparison_sees_a_changed_line_outside_the_block() -> None:
    """The check compares what it should: one changed line of Material's header (an
    upgrade) is a difference, and our block itself is not."""
    ours = comparable((THEME / "partials/header.html").read_text(encoding="utf-8"), OURS)
    original = (MATERIAL / "partials/header.html").read_text(encoding="utf-8")
    upgraded = original.replace('data-md-component="header-title"', 'data-md-component="title"')
    assert upgraded != original
    assert first_difference(ours, comparable(upgraded, THEIRS)) is not None
    assert "pa-header-q" not in ours and "pa-header-q" in (
        THEME / "partials/header.html"
    ).read_text(encoding="utf-8")


#: The keys of Material's ``__config`` (``base.html``'s ``config`` block) that our copy
#: in ``main.html`` leaves out: what only Material's search and its version selector
#: read. The archive has its own search and no versions (``extra.version`` unset).
DROPPED = {"search"}
DROPPED_STRINGS = ("search.", "select.")
_CONFIG_BLOCK = re.compile(r"\{% block config -?%\}(.*?)\{%-? endblock %\}", re.S)
_TRANSLATIONS = re.compile(r'"translations": \{(.*?)\}', re.S)
_KEY = re.compile(r'^\s*"([\w.]+)":', re.M)


def _config_keys(template: str) -> tuple[set[str], set[str]]:
    """The top-level keys and the translation keys of a ``config`` block's JSON."""
    (block,) = _CONFIG_BLOCK.findall(template)
    (strings,) = _TRANSLATIONS.findall(block)
    top = _TRANSLATIONS.sub('"translations": {}', block)
    return set(_KEY.findall(top)), set(_KEY.findall(strings))


def test_our_config_block_is_materials_less_its_search() -> None:
    """A Material release that adds a key to ``__config`` (or a string its script
    reads) would otherwise be left out of every page by our copy, silently."""
    ours, our_strings = _config_keys((THEME / "main.html").read_text(encoding="utf-8"))
    theirs, their_strings = _config_keys((MATERIAL / "base.html").read_text(encoding="utf-8"))
    assert {"base", "features", "translations", "search"} <= theirs  # the block was parsed
    assert ours == theirs - DROPPED, theirs ^ ours
    kept = {key for key in their_strings if not key.startswith(DROPPED_STRINGS)}
    assert our_strings == kept == {"clipboard.copy", "clipboard.copied"}, their_strings
    settings = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^\s+version:", settings, re.M)  # no versions: "version" is null
