"""The sitemap: an index (``sitemap.xml``) naming parts of at most 50,000 URLs (pure).

Design notes: docs/modules.md, `site/sitemap.py`.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .collect import Archive
from .grouping import by_tag, by_year

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
INDEX = "sitemap.xml"
#: The protocol's limits per file (sitemaps.org/protocol.html#index).
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_OPEN = f'<urlset xmlns="{NS}">\n'
_CLOSE = "</urlset>\n"


@dataclass(frozen=True, slots=True)
class PageDate:
    path: str  # site-relative URL of the page: "", "papers/pointer-networks/"
    lastmod: dt.date | None


def part_name(number: int) -> str:
    """A part's site path: published gzip-compressed, as the protocol allows (a sixth
    of the ~160 bytes a paper the parts were, issue 20)."""
    return f"sitemap-{number}.xml.gz"


def page_dates(archive: Archive, paths: Iterable[str]) -> list[PageDate]:
    """Every page of ``paths`` (site-relative URLs) with its own date (see the module's
    docstring), sorted by path."""
    newest: dict[str, dt.date] = {}
    for entry in archive.entries:
        newest[entry.url] = entry.paper.added
    for group in by_tag(archive):
        if group.entries:
            newest[f"tags/{group.slug}/"] = max(e.paper.added for e in group.entries)
    years, undated = by_year(archive)
    for year in years:
        dates = [e.paper.added for m in year.months for e in m.entries]
        newest[f"archive/{year.year}/"] = max(dates)
    if undated:
        newest["archive/undated/"] = max(e.paper.added for e in undated)
    latest = max((e.paper.added for e in archive.entries), default=None)

    def date_of(path: str) -> dt.date | None:
        if path in newest:
            return newest[path]
        if path in {"", "tags/", "archive/"}:
            return latest
        folder, found, _ = path.partition("page/")  # tags/llms/page/2/ -> tags/llms/
        return newest.get(folder) if found else None

    return [PageDate(path, date_of(path)) for path in sorted(set(paths))]


def _url_element(base: str, page: PageDate) -> str:
    url = ET.Element("url")
    ET.SubElement(url, "loc").text = base + page.path
    if page.lastmod is not None:
        ET.SubElement(url, "lastmod").text = page.lastmod.isoformat()
    return ET.tostring(url, encoding="unicode") + "\n"


def sitemaps(
    pages: Sequence[PageDate],
    *,
    base: str,
    max_urls: int = MAX_URLS,
    max_bytes: int = MAX_BYTES,
) -> list[tuple[str, str]]:
    """``(site path, text)`` of the index and its parts, index first; a part's text is
    published gzip-compressed (:func:`part_name`), and ``max_bytes`` bounds it
    uncompressed, as the protocol does. ``base`` is the public site with a trailing
    slash; ``max_urls`` and ``max_bytes`` are the protocol's limits (smaller in tests,
    to split a small archive)."""
    fixed = len((_HEAD + _OPEN + _CLOSE).encode())
    parts: list[tuple[list[str], dt.date | None]] = []
    lines: list[str] = []
    size = fixed
    newest: dt.date | None = None
    for page in pages:
        line = _url_element(base, page)
        length = len(line.encode())
        if fixed + length > max_bytes:
            raise ValueError(f"one sitemap entry is larger than {max_bytes} bytes: {page.path}")
        if lines and (len(lines) >= max_urls or size + length > max_bytes):
            parts.append((lines, newest))
            lines, size, newest = [], fixed, None
        lines.append(line)
        size += length
        if page.lastmod is not None and (newest is None or page.lastmod > newest):
            newest = page.lastmod
    if lines or not parts:
        parts.append((lines, newest))
    index = ET.Element("sitemapindex", xmlns=NS)
    out: list[tuple[str, str]] = []
    for number, (urls, lastmod) in enumerate(parts, start=1):
        entry = ET.SubElement(index, "sitemap")
        ET.SubElement(entry, "loc").text = base + part_name(number)
        if lastmod is not None:
            ET.SubElement(entry, "lastmod").text = lastmod.isoformat()
        out.append((part_name(number), _HEAD + _OPEN + "".join(urls) + _CLOSE))
    ET.indent(index)
    index_text = _HEAD + ET.tostring(index, encoding="unicode") + "\n"
    return [(INDEX, index_text), *out]
