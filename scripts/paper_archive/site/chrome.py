"""The theme's chrome of a page outside the nav (header, tabs, navigation, footer: a
paper's, a list's) in one file the pages alike share, written back in place by a script
as the page is parsed (pure).

Design notes: docs/modules.md, `site/chrome.py`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from .render import chrome_call
from .slim import asset_path

#: What ``SharedBlocks`` (site/shared_blocks.py) writes around a block that is chrome,
#: and around the page's own value in it: text no theme prints (NUL is not valid HTML).
OPEN = "\0pa-chrome:"  # then the block's name and a NUL
CLOSE = "\0/pa-chrome\0"
VALUE = "\0pa-chrome-value\0"
#: Where the page's own content ends (overrides/alike.html, after Material's
#: ``container`` block): the theme's text from there to the next block goes with it.
CONTENT_END = "\0pa-chrome-content-end\0"
_BLOCK = re.compile(f"{OPEN}([a-z_]+)\0(.*?){CLOSE}", re.DOTALL)
_MARK = re.compile("\0/?pa-chrome[^\0]*\0")
#: Material's blocks that are the page's chrome (overrides/alike.html wraps them):
#: the header, the tabs, the drawer and table of contents, the footer, the theme's
#: config and scripts. Not ``htmltitle`` and ``styles``: a page keeps its ``<title>``
#: and stylesheets, so without scripts its article is still set in the theme's type.
BLOCKS = frozenset({"header", "tabs", "site_nav", "footer", "config", "scripts"})
#: The theme's text after a block that goes with it, up to the next block: after the
#: footer, the end of the container and the dialog (on a paper or list page,
#: Material's base template prints nothing of the page's own there).
GLUED = frozenset({"footer"})
#: Chrome files one build makes at most; a page whose chrome would need another
#: (a table of contents of its own, past this many) keeps its blocks in place.
LIMIT = 32
#: The function each page calls (the chrome file defines it): a global of the page,
#: named apart from the theme's own ``__md_*`` ones.
FUNCTION = "__pa_chrome"
#: Material's inline script in ``<head>`` (partials/javascripts/base.html, outside any
#: block: ``__md_scope``, ``__md_get``...; ~310 bytes, the same on pages at one depth):
#: the chrome file's element takes its place and writes it back there.
HEAD_SCRIPT = re.compile(r"<script>__md_scope=.*?</script>", re.DOTALL)
#: The page's ``<title>`` (Material's, in ``<head>``): the header's title is read back
#: from it when it can be (:func:`split`), rather than written in the page a second time.
_TITLE = re.compile(r"<title>([^<]*)</title>")
_ASCII_SPACE = re.compile(r"[\t\n\f\r ]+")

#: A part: a block's HTML, or the two halves around the page's own value.
Part = str | tuple[str, str]


@dataclass(frozen=True, slots=True)
class Chrome:
    """The parts one page's chrome is made of, in page order, as the script ``text``
    at ``path`` (named by its content: pages with the same chrome share one file, and
    a browser's cached copy is never stale)."""

    parts: tuple[Part, ...]
    text: str
    path: str


@dataclass(frozen=True, slots=True)
class Split:
    """A page cut at its marked blocks: ``pieces`` the page's text before, between and
    after them (one more than the blocks), ``parts`` the blocks as :data:`Part` values,
    ``values`` each block's own value (``None`` for a block without one); ``head`` the
    :data:`HEAD_SCRIPT` cut from the first piece at ``head_at`` ("" when it has none)."""

    pieces: tuple[str, ...]
    parts: tuple[Part, ...]
    values: tuple[str | None, ...]
    head: str = ""
    head_at: int = -1
    #: What the page's ``document.title`` has after the header's title (`` - Paper
    #: Archive``), when the chrome file can read that title back from it: then the
    #: header's call carries no value (:func:`readable_title`).
    title_suffix: str | None = None

    @property
    def key(self) -> tuple[str, tuple[Part, ...], str | None]:
        """What the page's chrome file is made of: pages alike share one."""
        return self.head, self.parts, self.title_suffix


def opening(name: str) -> str:
    """The mark that opens block ``name`` (a block name: letters and underscores)."""
    return f"{OPEN}{name}\0"


def split(html: str) -> Split | None:
    """``html`` cut at the blocks ``SharedBlocks`` marked; ``None`` without any.

    Where a cut meets the page, whitespace is what slim.collapse_whitespace makes of
    the page without marks: after a line break, a run of whitespace goes (a mark stood
    between the two, so the pass over the marked page kept both). The body's text
    before its first block (the theme's toggles, skip link and announcement bar), the
    text from the content's end to the next block (a script, the back-to-top button)
    and the text after a :data:`GLUED` block go with the block: the same bytes."""
    if OPEN not in html:
        return None
    segments: list[str] = []  # piece, then (before, value, after) or (block,), ...
    shapes: list[int] = []  # 1 or 3 segments a block
    names: list[str] = []
    last = 0
    for match in _BLOCK.finditer(html):
        segments.append(html[last : match.start()])
        block = match[2].split(VALUE, 2) if VALUE in match[2] else [match[2]]
        segments += block
        shapes.append(len(block))
        names.append(match[1])
        last = match.end()
    segments.append(html[last:])
    for index in range(1, len(segments)):
        if _ends_line(segments[:index]):
            segments[index] = segments[index].lstrip(" \t\r\n")
    _glue(segments, shapes, names)
    pieces: list[str] = [segments[0]]
    parts: list[Part] = []
    values: list[str | None] = []
    at = 1
    for shape in shapes:
        if shape == 3:
            parts.append((segments[at], segments[at + 2]))
            values.append(segments[at + 1])
        else:
            parts.append(segments[at])
            values.append(None)
        pieces.append(segments[at + shape])
        at += shape + 1
    _merge_adjacent(pieces, parts, values)
    first = next((v for v in values if v is not None), None)
    suffix = None if first is None else readable_title(pieces[0], first)
    found = HEAD_SCRIPT.search(pieces[0], 0, max(0, pieces[0].find("</head>")))
    if found is None:
        return Split(tuple(pieces), tuple(parts), tuple(values), title_suffix=suffix)
    pieces[0] = pieces[0][: found.start()] + pieces[0][found.end() :]
    return Split(
        tuple(pieces), tuple(parts), tuple(values), found[0], found.start(), title_suffix=suffix
    )


def document_title(raw: str) -> str:
    """A ``<title>``'s text as a browser gives it (``document.title``): entities decoded,
    runs of ASCII whitespace one space, none at the ends."""
    return _ASCII_SPACE.sub(" ", html.unescape(raw)).strip("\t\n\f\r ")


def readable_title(head: str, value: str) -> str | None:
    """The end of the page's ``document.title`` after ``value`` (the header's title, as
    the theme printed it: escaped text) when the chrome file can give ``value`` back
    from ``document.title``: its text before that end, escaped as :func:`html.escape`
    does (the file's ``e``). ``None`` when it cannot (no ``<title>`` in ``head``, or
    one that does not start with ``value``, or whitespace the browser would fold):
    the call then carries the value. ~75 bytes a paper page (issue 20)."""
    found = _TITLE.search(head, 0, max(0, head.find("</head>")))
    if found is None or not found[1].startswith(value):
        return None
    full = document_title(found[1])
    suffix = document_title("x" + found[1][len(value) :])[1:]
    if not suffix or not full.endswith(suffix):
        return None
    return suffix if html.escape(full[: len(full) - len(suffix)]) == value else None


def _glue(segments: list[str], shapes: list[int], names: list[str]) -> None:
    """Move the body's text before its first block into it, the text from the end of
    the page's content (:data:`CONTENT_END`) to the next block into that one, and the
    text after each :data:`GLUED` block that another block follows into that one (see
    :func:`split`)."""
    at = 0  # the piece before block `index`
    for index, shape in enumerate([*shapes, 0]):  # 0: the piece after the last block
        piece = segments[at]
        body = piece.find("<body")
        end = piece.find(">", body) if body >= 0 else -1
        if end >= 0 and index < len(shapes):
            end += 1 + piece.startswith("\n", end + 1)  # its line break stays
            segments[at + 1] = piece[end:] + segments[at + 1]
            segments[at] = piece = piece[:end]
        before, found, rest = piece.partition(CONTENT_END)
        if found:
            if _ends_line([*segments[:at], before]):  # as the whitespace pass would
                rest = rest.lstrip(" \t\r\n")
            if index < len(shapes):
                segments[at], segments[at + 1] = before, rest + segments[at + 1]
            else:
                segments[at] = before + rest
        if index == len(shapes):
            break
        after = at + shape + 1  # the piece after this block
        if names[index] in GLUED and index + 1 < len(shapes):
            segments[after - 1] += segments[after]
            segments[after] = ""
        at = after


def _merge_adjacent(pieces: list[str], parts: list[Part], values: list[str | None]) -> None:
    """Blocks with nothing but whitespace between them as one part, the whitespace in
    it: one call a page less for each (the footer, config and scripts: ~60 bytes a
    paper page, issue 20). Two parts that each have a value of their own stay apart."""
    at = 0
    while at + 1 < len(parts):
        first, second, between = parts[at], parts[at + 1], pieces[at + 1]
        if between.strip(" \t\r\n") or (isinstance(first, tuple) and isinstance(second, tuple)):
            at += 1
            continue
        if isinstance(first, tuple):
            merged: Part = (first[0], first[1] + between + second)  # type: ignore[operator]
        elif isinstance(second, tuple):
            merged = (first + between + second[0], second[1])
        else:
            merged = first + between + second
        value = values[at] if values[at] is not None else values[at + 1]
        parts[at : at + 2], values[at : at + 2] = [merged], [value]
        del pieces[at + 1]


def _ends_line(segments: list[str]) -> bool:
    """Whether the text of ``segments`` ends with a line break (empty ones skipped)."""
    return next((s.endswith("\n") for s in reversed(segments) if s), False)


def unmarked(html: str) -> str:
    """``html`` as the theme wrote it: the marks out, every block in place."""
    return _MARK.sub("", html)


def chrome_file(parts: tuple[Part, ...], head: str = "", title_suffix: str | None = None) -> Chrome:
    """The script that defines :data:`FUNCTION` for ``parts``, writes ``head`` where its
    own element stands and removes that element. ``__pa_chrome(i)``
    (``__pa_chrome(i, value)`` for a part with two halves) writes part ``i`` with
    ``document.write`` where its inline script stands, which the parser reads as if it
    stood in the page, and removes that script element: the document is the one the
    page with its blocks in place makes. With ``title_suffix``, a part with two halves
    called without a value gets ``document.title`` less that end, escaped as
    :func:`html.escape` escapes (``e``; :func:`readable_title` checked it is the
    value)."""
    data = json.dumps([list(p) if isinstance(p, tuple) else p for p in parts])
    title = ""
    if title_suffix is not None:
        title = (
            f"if(v===undefined){{v=d.title.slice(0,-{len(title_suffix)})"
            ".replace(/[&<>\"']/g,function(c){return e[c]})}"
        )
    text = (
        "(function(){var d=document,p="
        + data
        + ',e={"&":"&amp;","<":"&lt;",">":"&gt;",\'"\':"&quot;","\'":"&#x27;"};'
        + (f"d.write({json.dumps(head)});" if head else "")
        + "d.currentScript.remove();"
        "window."
        + FUNCTION
        + "=function(i,v){var s=d.currentScript,x=p[i];"
        + title
        + 'd.write(typeof x==="string"?x:x[0]+v+x[1]);s.remove()}})();\n'
    )
    return Chrome(parts, text, asset_path("chrome", text, "js"))


def externalize(cut: Split, *, head_script: str) -> str:
    """The page of ``cut`` with each block a call of :data:`FUNCTION` and
    ``head_script`` (the chrome file's ``<script src>``) where its :data:`HEAD_SCRIPT`
    was, else before the first call, or last in ``<head>`` when the first call is in
    the body."""
    out = [cut.pieces[0]]
    first = next((i for i, v in enumerate(cut.values) if v is not None), None)
    for index, value in enumerate(cut.values):
        read_back = index == first and cut.title_suffix is not None
        out += (chrome_call(FUNCTION, index, None if read_back else value), cut.pieces[index + 1])
    head = cut.head_at if cut.head else cut.pieces[0].find("</head>")
    if head >= 0:
        return "".join([out[0][:head], head_script, out[0][head:], *out[1:]])
    return "".join([out[0], head_script, *out[1:]])


def join(cut: Split) -> str:
    """The page of ``cut`` with its blocks in place, unmarked."""
    first = cut.pieces[0]
    out = [first[: cut.head_at] + cut.head + first[cut.head_at :] if cut.head else first]
    for part, value, piece in zip(cut.parts, cut.values, cut.pieces[1:], strict=True):
        out.append(part if isinstance(part, str) else f"{part[0]}{value}{part[1]}")
        out.append(piece)
    return "".join(out)
