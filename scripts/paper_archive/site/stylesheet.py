"""A page's stylesheets as one file, one ``<link>`` in its head, the same cascade (pure).

Material's (``main``, ``palette``) and mkdocs.yml's ``extra_css`` are joined in page
order into :data:`PATH`: ``@charset`` first, source-map comments out, each relative
``url()`` rewritten to reach the same file from there. A sheet that cannot be joined
unchanged in meaning (``@import``, ``image-set()``, a ``url()`` not understood, an
unclosed block, comment or string, a statement left open) leaves pages as they are.

:data:`PATH` is a stable name, not one by content as the sprite's: archive.css is in
it, and a save of archive.css under ``mkdocs serve --dirty`` re-renders no page, so
with a hashed name every page kept would link a file no longer made. Browsers
revalidate it as they did archive.css (never hashed either).

Design notes: docs/modules.md, `site/slim.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .render import relative_url, stylesheet_link

#: Where the joined file goes: beside Material's, whose own url()s are all data: URLs.
PATH = "assets/stylesheets/site.css"
_CHARSET = re.compile(r'@charset "([^"]*)";')  # the one form CSS reads (CSS Syntax §3.2)
_SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=.*?\*/\n?", re.DOTALL)
#: What the scan stops at: a comment, a string, an escape, a brace, an at-keyword, a
#: function that takes a URL (``url(`` and ``src(``; ``image-set(``, whose bare strings
#: are URLs too) where it is not the end of a longer name.
_NEXT = re.compile(
    r"""/\*|["'\\{}]|@[\w-]*|(?<![\w\\-])(?:url|src|(?:-webkit-)?image-set)\(""",
    re.IGNORECASE,
)
_ORDERED = frozenset({"@import", "@namespace"})  # only valid before every other rule
_STRING_END = {'"': re.compile(r'["\\\n]'), "'": re.compile(r"['\\\n]")}
_SPACE = " \t\n\r\f"
_NAME_WITH_ESCAPES = re.compile(r"(?:\\(?:[0-9A-Fa-f]{1,6}(?:\r\n|[ \t\n\r\f])?|[^\n\r\f])|[\w-])+")
#: A url()'s unquoted argument (escapes allowed) and its closing parenthesis.
_UNQUOTED = re.compile(
    r"""((?:\\(?:[0-9A-Fa-f]{1,6}(?:\r\n|[ \t\n\r\f])?|[^\n\r\f0-9A-Fa-f])"""
    r"""|[^)"'(\\ \t\n\r\f\x00-\x08\x0b\x0e-\x1f\x7f])*)[ \t\n\r\f]*\)"""
)
_NEEDS_QUOTES = re.compile(r"""[)"'(\\ \t\n\r\f\x00-\x08\x0b\x0e-\x1f\x7f]""")
_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})(?:\r\n|[ \t\n\r\f])?|(\r\n|.))", re.DOTALL)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_URL_SPACE = "".join(map(chr, range(0x21)))  # what a URL parser strips from its ends
_URL_TABS = re.compile(r"[\t\n\r]")  # and from everywhere
_BASE = "http://site.invalid/"  # any absolute base: only the path is kept


#: Material's ``styles`` block (base.html) and each stylesheet it links, in its order.
_STYLES_BLOCK = re.compile(r"\{%-?\s*block styles\s*-?%\}(.*?)\{%-?\s*endblock", re.DOTALL)
_TEMPLATE_SHEET = re.compile(r"""href="\{\{\s*'([^'"{}]+\.css)'\s*\|\s*url\s*\}\}\"""")


@dataclass(frozen=True, slots=True)
class Stylesheet:
    """The stylesheets at ``sheets`` (site paths, in the page's order) joined as
    ``text``, the file at ``path``."""

    sheets: tuple[str, ...]
    text: str
    path: str


def theme_stylesheets(template: str) -> tuple[str, ...]:
    """The stylesheets the ``styles`` block of a base template (Material's base.html)
    links, as ``{{ 'assets/….css' | url }}``, in its order; none without that block."""
    block = _STYLES_BLOCK.search(template)
    return tuple(_TEMPLATE_SHEET.findall(block[1])) if block else ()


class NotJoined(ValueError):
    """A sheet holds something :func:`combine` does not join unchanged in meaning."""


def combine(sheets: Sequence[tuple[str, str]], *, path: str = PATH) -> Stylesheet | None:
    """``sheets`` (each its site path and text, in cascade order) as one file at
    ``path``: ``@charset "UTF-8";`` first when a sheet declares it (each sheet's own is
    dropped: the texts are read as UTF-8), then each sheet without its source-map
    comments and with its relative ``url()``\\ s rewritten from its folder to
    ``path``'s (:func:`rebase_urls`), a line apart. ``None`` when a sheet cannot be
    joined unchanged in meaning (:class:`NotJoined`) or declares another encoding."""
    charset = False
    parts: list[str] = []
    for where, text in sheets:
        text = text.removeprefix("\ufeff")
        declared = _CHARSET.match(text)
        if declared is not None:
            if declared[1].lower() not in ("utf-8", "utf8"):
                return None
            charset = True
            text = text[declared.end() :]
        try:
            parts.append(rebase_urls(_SOURCE_MAP.sub("", text), where, path).rstrip("\n"))
        except NotJoined:
            return None
    text = ('@charset "UTF-8";' if charset else "") + "\n".join(parts) + "\n"
    return Stylesheet(tuple(where for where, _ in sheets), text, path)


def rebase_urls(css: str, sheet: str, target: str) -> str:
    """``css``, a sheet at site path ``sheet``, with each relative ``url()`` rewritten
    (:func:`rebase_url`) to reach the same file from a sheet at ``target``; the rest
    byte for byte, comments and strings included.

    Raises :class:`NotJoined` where a sheet joined after others, or followed by one,
    could read otherwise: ``@import`` and ``@namespace`` (valid only before every
    other rule), ``src()`` and ``image-set()`` (URLs this does not rewrite), a function
    name with an escape, a ``url()`` not understood, a comment, string or block left
    open, or text after the last block that is not a finished at-rule (``@layer a;``):
    it would take the next sheet's first rule in."""
    out: list[str] = []
    last = depth = closed = 0  # closed: where the last block at the top level ended
    at = _NEXT.search(css)
    while at is not None:
        found, start, end = at[0], at.start(), at.end()
        if found == "/*":
            end = css.find("*/", end) + 2
            if end < 2:
                raise NotJoined(f"{sheet}: a comment left open")
        elif found in _STRING_END:
            end = _string_end(css, end, found, sheet)
        elif found == "\\":
            name = _NAME_WITH_ESCAPES.match(css, start)
            end = name.end() if name is not None else end + 1
            if css.startswith("(", end):
                raise NotJoined(f"{sheet}: a function name with an escape")
        elif found == "{":
            depth += 1
        elif found == "}":
            depth -= 1
            if depth < 0:
                raise NotJoined(f"{sheet}: a '}}' that closes no block")
            closed = end if depth == 0 else closed
        elif found[0] == "@":
            if found.lower() in _ORDERED or css.startswith("\\", end):
                raise NotJoined(f"{sheet}: {found}")
        elif found[:4].lower() != "url(":
            raise NotJoined(f"{sheet}: {found})")
        else:
            end, url, quote = _url(css, end, sheet)
            rebased = rebase_url(url, sheet, target)
            if rebased != url:
                out += (css[last:start], f"url({_serialise(rebased, quote)})")
                last = end
        at = _NEXT.search(css, end)
    rest = _COMMENT.sub("", css[closed:]).strip()
    if depth or (rest and not (rest.startswith("@") and rest.endswith(";"))):
        raise NotJoined(f"{sheet}: a block or statement left open")
    out.append(css[last:])
    return "".join(out)


def rebase_url(url: str, sheet: str, target: str) -> str:
    """``url`` as written in the sheet at site path ``sheet``, as written in one at
    ``target`` (``fonts/a.woff2`` in ``assets/vendor/katex/katex.min.css`` is
    ``../vendor/katex/fonts/a.woff2`` in ``assets/stylesheets/site.css``); its query
    and fragment kept, and what a URL parser drops (space and controls at its ends, tabs
    and line breaks) dropped. A URL with a scheme (``data:``), from the root (``/``,
    ``//``), fragment-only or empty is kept as it is. Raises :class:`NotJoined` for a
    relative URL with a backslash or an encoded dot (``%2e``), which a browser reads
    as ``/`` or ``.`` in a path."""
    clean = _URL_TABS.sub("", url.strip(_URL_SPACE))
    if not clean or clean.startswith(("/", "#")) or _SCHEME.match(clean):
        return url
    path, hash_mark, fragment = clean.partition("#")
    path, question_mark, query = path.partition("?")
    if "\\" in path or "%2e" in path.lower():
        raise NotJoined(f"a relative URL read apart by browsers: {url!r}")
    where = urlsplit(urljoin(_BASE + sheet, path)).path  # "": the sheet itself
    rebased = relative_url(where.removeprefix("/"), target)  # from the file's folder
    if ":" in rebased.split("/", 1)[0]:
        rebased = "./" + rebased  # a first part with a colon would read as a scheme
    return rebased + question_mark + query + hash_mark + fragment


def _string_end(css: str, start: int, quote: str, sheet: str) -> int:
    """Where the string whose text starts at ``start`` ends (after its quote)."""
    at = start
    while (stop := _STRING_END[quote].search(css, at)) is not None:
        if stop[0] == quote:
            return stop.end()
        if stop[0] == "\n":
            break  # CSS ends a string at a line break: a bad string
        at = stop.end() + 1  # an escape: the next character is the string's
    raise NotJoined(f"{sheet}: a string left open")


def _url(css: str, start: int, sheet: str) -> tuple[int, str, str]:
    """The ``url(`` whose argument starts at ``start``: where it ends (after ``)``),
    its URL (escapes resolved) and its quote (``""`` unquoted)."""
    at = _after_space(css, start)
    quote = css[at : at + 1]
    if quote in _STRING_END:
        after = _string_end(css, at + 1, quote, sheet)
        raw = css[at + 1 : after - 1]
        close = _after_space(css, after)
        if css.startswith(")", close):
            return close + 1, _unescape(raw), quote
    elif (unquoted := _UNQUOTED.match(css, at)) is not None:
        return unquoted.end(), _unescape(unquoted[1]), ""
    raise NotJoined(f"{sheet}: a url() not understood at {start}")


def _after_space(css: str, at: int) -> int:
    while at < len(css) and css[at] in _SPACE:
        at += 1
    return at


def _unescape(raw: str) -> str:
    """``raw`` with CSS's escapes resolved (an escaped line break, in a string, is none)."""

    def one(match: re.Match[str]) -> str:
        if match[1] is None:
            return "" if match[2] in ("\n", "\r\n", "\r", "\f") else match[2]
        code = int(match[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(one, raw) if "\\" in raw else raw


def _serialise(url: str, quote: str) -> str:
    """``url`` as a url()'s argument: unquoted as it was when it needs no quotes, else
    in its quotes (double when it had none), escaped as CSS reads it back."""
    if not quote and _NEEDS_QUOTES.search(url) is None:
        return url
    quote = quote or '"'
    escaped = url.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\a ")
    return f"{quote}{escaped}{quote}"


def one_link(html: str, sheets: Sequence[str], stylesheet: str) -> str:
    """``html`` with the run of ``<link rel="stylesheet">`` elements of ``sheets``
    (their hrefs as the page writes them), one a line, in its ``<head>`` replaced by
    one of ``stylesheet``; ``html`` as it is without that exact run."""
    head = html.find("</head>")
    run = "\n".join(stylesheet_link(href) for href in sheets)
    start = html.find(run, 0, max(head, 0)) if run else -1
    if start < 0:
        return html
    return html[:start] + stylesheet_link(stylesheet) + html[start + len(run) :]
