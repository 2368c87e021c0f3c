"""Atom feeds (RFC 4287) of the newest additions: the whole archive and each topic (pure).

Newest added first, 50 entries; ids and links stable across builds and valid without a
public site URL; titles and summaries as plain text.

Design notes: docs/modules.md, `site/feeds.py`.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..settings import Settings
from ..text.controls import strip_controls
from ..text.mathtext import plain_text
from .collect import Archive, Entry
from .exports import FEED, absolute, tag_path
from .grouping import by_tag
from .render import relative_url

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = Settings().feed_length  # the default; a build passes settings.feed_length
TAG_AUTHORITY = "tag:paper-archive,2026:"
EPOCH = dt.date(1970, 1, 1)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Feed:
    path: str  # feed.xml, tags/llms/feed.xml
    title: str
    subtitle: str
    page: str  # the HTML page it follows: "" (home) or tags/llms/
    entries: tuple[Entry, ...]


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (NUL, most C0 controls), nor
    the others :mod:`paper_archive.text.controls` refuses (C1 controls, noncharacters)."""
    return _NOT_XML.sub("", strip_controls(text))


def plain(text: str, *, math: Callable[[str], str] | None = None) -> str:
    """Stored Markdown text (entities for ``& < >``) as one line of plain text."""
    text = " ".join(html.unescape(text).split())
    return xml_text((math or plain_text)(text))


def newest_added(entries: Sequence[Entry], *, limit: int = ENTRIES) -> list[Entry]:
    """The ``limit`` papers added last; ties keep the order of ``entries``."""
    ranked = heapq.nsmallest(
        limit, range(len(entries)), key=lambda i: (-entries[i].paper.added.toordinal(), i)
    )
    return [entries[i] for i in ranked]


def timestamp(date: dt.date) -> str:
    """An RFC 3339 date-time at midnight UTC: ``2026-11-23T00:00:00Z``."""
    return f"{date.isoformat()}T00:00:00Z"


def feeds(archive: Archive, *, site_name: str, limit: int = ENTRIES) -> list[Feed]:
    """The archive's feed, then one per topic of the vocabulary (empty ones too)."""
    out = [
        Feed(
            FEED,
            site_name,
            "Papers newly added to the archive.",
            "",
            tuple(newest_added(archive.entries, limit=limit)),
        )
    ]
    for group in by_tag(archive):
        out.append(
            Feed(
                tag_path(group.slug, FEED),
                f"{site_name}: {group.name}",
                group.description,
                f"tags/{group.slug}/",
                tuple(newest_added(group.entries, limit=limit)),
            )
        )
    return out


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": kind, "href": href})


def atom(
    feed: Feed,
    *,
    base: str | None,
    names: Mapping[str, str],
    fallback_updated: dt.date = EPOCH,
    math: Callable[[str], str] | None = None,
) -> str:
    """The feed as an Atom document (UTF-8 text with its XML declaration)."""

    folder = feed.path.rpartition("/")[0] + "/" if "/" in feed.path else ""

    def href(path: str) -> str:
        return absolute(base, path) or relative_url(path, folder)

    def ident(path: str) -> str:
        return absolute(base, path) or TAG_AUTHORITY + path

    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    ET.SubElement(root, "id").text = ident(feed.path)
    ET.SubElement(root, "title").text = xml_text(feed.title)
    if feed.subtitle:
        ET.SubElement(root, "subtitle").text = xml_text(feed.subtitle)
    newest = max((e.paper.added for e in feed.entries), default=fallback_updated)
    newest = max([newest, *(e.paper.published for e in feed.entries if e.paper.published)])
    ET.SubElement(root, "updated").text = timestamp(newest)
    _link(root, href(feed.path), "self", "application/atom+xml")
    _link(root, href(feed.page), "alternate", "text/html")
    author = ET.SubElement(root, "author")
    ET.SubElement(author, "name").text = xml_text(feed.title.split(":", 1)[0])
    for entry in feed.entries:
        root.append(_entry(entry, href=href, ident=ident, base=base, names=names, math=math))
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _entry(
    entry: Entry,
    *,
    href: Callable[[str], str],
    ident: Callable[[str], str],
    base: str | None,
    names: Mapping[str, str],
    math: Callable[[str], str] | None,
) -> ET.Element:
    paper = entry.paper
    node = ET.Element("entry")
    ET.SubElement(node, "id").text = ident(entry.url)
    ET.SubElement(node, "title", {"type": "text"}).text = plain(paper.title, math=math)
    _link(node, href(entry.url), "alternate", "text/html")
    if paper.published is not None:
        ET.SubElement(node, "published").text = timestamp(paper.published)
    ET.SubElement(node, "updated").text = timestamp(
        max(paper.added, paper.published or paper.added)
    )
    for name in paper.authors:
        author = ET.SubElement(node, "author")
        ET.SubElement(author, "name").text = xml_text(" ".join(name.split()))
    for tag in paper.tags:
        if tag in names:
            attributes = {"term": tag, "label": xml_text(names[tag])}
            if base:
                attributes["scheme"] = f"{base}tags/"
            ET.SubElement(node, "category", attributes)
    if paper.abstract:
        first = paper.abstract.split("\n\n", 1)[0]
        ET.SubElement(node, "summary", {"type": "text"}).text = plain(first, math=math)
    return node
