"""The last line of defence for rendered paper bodies: an nh3 allow-list.

Whatever a hand-edited page or a source smuggles into Markdown, the HTML that reaches a
reader keeps only formatting tags and http(s)/mailto links.
"""

from __future__ import annotations

from collections.abc import Callable

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "*": {"class", "id"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Prefix of every id in a paper body (and of the ``#fragment`` links to them): an
#: ``{#search-query}`` attribute list or a heading named "Search results" can then never
#: take an id the theme or the search script looks up (``search-more``, ``cite``, …).
BODY_ID_PREFIX = "pa-body-"


def _prefix_ids(prefix: str) -> Callable[[str, str, str], str | None]:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return f"{prefix}{value}"
        if tag == "a" and attribute == "href" and value.startswith("#"):
            return f"#{prefix}{value[1:]}"
        return value

    return attribute_filter


def clean_html(html: str, *, id_prefix: str | None = None) -> str:
    """Keep formatting; drop scripts, event handlers, and links that are not http(s).
    With ``id_prefix``, every ``id`` (and every ``#id`` link) gets that prefix."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        attribute_filter=_prefix_ids(id_prefix) if id_prefix else None,
    )
