"""Render the theme's ``paper.html`` on its own, with Jinja2 (as MkDocs does) or with
MiniJinja (Zensical's engine), from one :class:`~paper_archive.site.paper_page.PaperView`.

``main.html`` and ``partials/actions.html`` come from Material: they are stubbed with
the two blocks ``paper.html`` fills, so what is rendered is our template alone.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import jinja2
import minijinja

from . import REPO

THEME = REPO / "overrides"
STUBS = {
    "main.html": (
        "<html><head>{% block extrahead %}{% endblock %}</head>"
        "<body>{% block content %}{% endblock %}</body></html>"
    ),
    "partials/actions.html": "",
}


def _source(name: str) -> str | None:
    if name in STUBS:
        return STUBS[name]
    path = THEME / name
    return path.read_text(encoding="utf-8") if path.is_file() else None


def render_jinja2(**context: Any) -> str:
    """As MkDocs' theme environment does: no autoescape, so ``|e`` does the escaping."""
    env = jinja2.Environment(loader=jinja2.FunctionLoader(_source), autoescape=False)
    return env.get_template("paper.html").render(**context)


def render_minijinja(**context: Any) -> str:
    """As Zensical does: autoescape for ``.html`` templates (MiniJinja's default)."""
    env = minijinja.Environment(loader=_source)
    return env.render_template("paper.html", **context)


class _Tokens(HTMLParser):
    """Start/end tags with their attributes and the text between, entities decoded and
    whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[object] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("<", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("/", tag))

    def handle_data(self, data: str) -> None:
        if text := " ".join(data.split()):
            self.tokens.append(text)


def tokens(html: str) -> list[object]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens
