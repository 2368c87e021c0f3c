"""Plain paragraphs kept out of Python-Markdown's inline pass, put back after it.

Converting a paper page costs ~1.6 ms, ~1.1 ms of it the inline patterns scanning
its abstract, though five abstracts in six hold no character any of them looks at.
:func:`stash` swaps each such paragraph for a short token, :func:`restore` puts its text
back where Markdown printed ``<p>token</p>``. The HTML is Markdown's: a plain paragraph
prints as itself (no ``& < >`` to escape), and a token not found as exactly one
``<p>token</p>`` returns ``None`` (convert the page unchanged). Only the extensions
listed in :data:`VERIFIED` are known to act on nothing else
(tests/site/test_plain_paragraphs.py compares with Python-Markdown itself).

Design notes: docs/modules.md, `text/plain_paragraphs.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

#: The Markdown extensions whose every pattern needs a character :data:`_SPECIAL`
#: names, or a line a one-line paragraph between blank lines is not (MkDocs' three
#: built-in ones and mkdocs.yml's). Any other extension turns the stash off.
VERIFIED = frozenset({"toc", "tables", "fenced_code", "attr_list", "pymdownx.arithmatex"})

#: What an inline pattern, an escape or an attribute list starts with (code, escapes,
#: emphasis, links and images, raw HTML and autolinks, entities, math, ``{: …}``),
#: table cells, and what Markdown rewrites itself (tabs, control characters).
_SPECIAL = re.compile(r"[`\\*_\[\]!<>&${}|~^\x00-\x1f\x7f]")
_BLANK = re.compile(r"\n[ \t]*\n")
#: The token's prefix: a paragraph stashed is ``f"{_PREFIX}{n}X"``.
_PREFIX = "PAPLAINPARAGRAPH"
#: A token as Markdown prints a paragraph of its own.
_AS_PARAGRAPH = re.compile(rf"<p>({_PREFIX}[0-9]+X)</p>")


def applies(extensions: Iterable[object]) -> bool:
    """Whether pages converted with ``extensions`` (MkDocs' ``markdown_extensions``:
    names, or Extension objects, which are never verified) may be stashed."""
    return all(isinstance(name, str) and name in VERIFIED for name in extensions)


def is_plain(paragraph: str) -> bool:
    """A paragraph Markdown prints as itself: one line, starting with a letter (no
    block syntax), no space around it, no character any pattern looks at."""
    return (
        "\n" not in paragraph
        and paragraph[:1].isalpha()
        and paragraph == paragraph.strip()
        and _SPECIAL.search(paragraph) is None
    )


@dataclass(frozen=True, slots=True)
class Stash:
    """The Markdown as written and the plain paragraphs taken out of it, by token."""

    markdown: str
    texts: dict[str, str]


def stash(markdown: str) -> tuple[str, Stash | None]:
    """``markdown`` with each plain paragraph between blank lines (or the text's ends)
    swapped for a token, and what to put back; ``None`` when nothing was swapped."""
    if _PREFIX in markdown:
        return markdown, None
    texts: dict[str, str] = {}
    parts: list[str] = []
    start = 0
    for blank in [*_BLANK.finditer(markdown), None]:
        end = len(markdown) if blank is None else blank.start()
        block = markdown[start:end]
        core = block.strip("\n")
        if core and is_plain(core):
            token = f"{_PREFIX}{len(texts)}X"
            texts[token] = core
            block = block.replace(core, token, 1)
        parts.append(block)
        if blank is not None:
            parts.append(blank.group())
            start = blank.end()
    if not texts:
        return markdown, None
    return "".join(parts), Stash(markdown, texts)


def restore(html: str, kept: Stash) -> str | None:
    """``html`` with each token's paragraph printed as Markdown prints its text; ``None``
    when a token is not in it exactly once, as a paragraph of its own."""
    printed = _AS_PARAGRAPH.findall(html)
    if sorted(printed) != sorted(kept.texts) or html.count(_PREFIX) != len(printed):
        return None
    for token, text in kept.texts.items():
        # escape() changes nothing in a plain paragraph (no & < >): Markdown's bytes
        html = html.replace(token, escape(text, quote=False))
    return html
