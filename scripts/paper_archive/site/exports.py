"""The archive as files for machines: BibTeX, JSON with its schema, robots.txt (pure).

Design notes: docs/modules.md, `site/exports.py`.
"""

from __future__ import annotations

import copy
import functools
import gzip
import hashlib
import html
import ipaddress
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..record.model import Paper, paper_schema
from ..remembering import PLAIN, Remembers, key_of, no_extra
from ..text.controls import clean_data
from . import bibtex
from .collect import Archive, Entry
from .grouping import by_tag

FEED = "feed.xml"
BIB = "papers.bib.gz"  # the archive's, and each topic's: tags/<slug>/papers.bib.gz
JSON = "papers.json.gz"
SCHEMA = "papers.schema.json"
ROBOTS = "robots.txt"
_LOCAL_HOSTS = frozenset({"localhost", "localhost.localdomain", ""})


@functools.lru_cache(maxsize=8)  # asked once per paper page
def public_base(site_url: str | None) -> str | None:
    """``site_url`` with one trailing slash, or ``None`` when it is unset or points at
    this machine (loopback, ``localhost``, an unspecified address)."""
    if not site_url:
        return None
    parts = urlsplit(site_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or host in _LOCAL_HOSTS:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        if address.is_loopback or address.is_unspecified:
            return None
    return site_url.rstrip("/") + "/"


def absolute(base: str | None, path: str) -> str | None:
    """``path`` (site-relative) on the public site, or ``None`` without one."""
    return f"{base}{path}" if base else None


def tag_path(slug: str, name: str) -> str:
    """``tags/<slug>/<name>``: where a topic's feed and exports live."""
    return f"tags/{slug}/{name}"


# -- BibTeX ------------------------------------------------------------------------


def citation_keys(archive: Archive, *, memo: Remembers = PLAIN) -> dict[str, str]:
    """Slug -> unique citation key, for every paper of the archive (asked by the paper
    pages and the exports: remembered by the archive's key, ``memo``)."""

    def compute() -> dict[str, str]:
        bases = memo.per_item("citation-base-keys", archive.entries, no_extra, _base_key)
        return bibtex.unique_keys(
            (e.slug, e.paper, key) for e, key in zip(archive.entries, bases, strict=True)
        )

    return memo.latest("citation-keys", key_of(archive.key), compute)


def _base_key(entry: Entry) -> str:
    return bibtex.base_key(entry.paper)


def bib_entries(
    entries: Sequence[Entry],
    *,
    keys: Mapping[str, str],
    names: Mapping[str, str],
    base: str | None,
    memo: Remembers = PLAIN,
) -> dict[str, str]:
    """Slug -> the paper's BibTeX entry, made once and shared by every ``.bib`` file
    (and remembered for the next build of the process, per entry: ``memo``)."""

    def one(e: Entry) -> str:
        [item] = bibtex.bib_papers(
            [(e.slug, e.paper, absolute(base, e.url))], keys=keys, names=names
        )
        return bibtex.entry(item)

    texts = memo.per_item("bib-entries", entries, lambda e: _entry_key(e, keys, names, base), one)
    return {e.slug: text for e, text in zip(entries, texts, strict=True)}


def _entry_key(
    entry: Entry, keys: Mapping[str, str], names: Mapping[str, str], base: str | None
) -> tuple[str, str | None, tuple[str, ...]]:
    """What an entry's export is made of besides the entry: its key, the base, the
    names of its tags."""
    return keys[entry.slug], base, tuple(names.get(t, "") for t in entry.paper.tags)


def bibliography(entries: Sequence[Entry], texts: Mapping[str, str]) -> str:
    """A ``.bib`` file of ``entries``, in their order (newest first)."""
    return "\n".join(texts[e.slug] for e in entries)


# -- JSON --------------------------------------------------------------------------


def paper_record(
    entry: Entry, *, key: str, base: str | None, names: Mapping[str, str]
) -> dict[str, Any]:
    """One paper as data: every front-matter field (dates as ISO strings), the abstract
    as plain text, and where the paper lives."""
    paper: Paper = entry.paper
    record: dict[str, Any] = {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in paper.front_matter().items()
    }
    record["abstract"] = html.unescape(paper.abstract)
    record["slug"] = entry.slug
    record["path"] = entry.url
    record["url"] = absolute(base, entry.url) or entry.url
    record["citation_key"] = key
    record["topics"] = [names[t] for t in paper.tags if t in names]
    return clean_data(record)  # no control character, even from a page never validated


def papers_json(
    archive: Archive,
    *,
    keys: Mapping[str, str],
    names: Mapping[str, str],
    base: str | None,
    memo: Remembers = PLAIN,
) -> str:
    """``/papers.json.gz``'s text: ``{"$schema": …, "papers": […]}``, newest first, one paper a
    line (each dumped by json's C encoder, which ``indent`` would turn off)."""
    schema = json.dumps(absolute(base, SCHEMA) or SCHEMA, ensure_ascii=False)
    records = ",\n".join(
        memo.per_item(
            "json-records",
            archive.entries,
            lambda e: _entry_key(e, keys, names, base),
            lambda e: json.dumps(
                paper_record(e, key=keys[e.slug], base=base, names=names),
                ensure_ascii=False,
                sort_keys=True,
            ),
        )
    )
    return f'{{"$schema": {schema},\n"papers": [\n{records}\n]}}\n'


def papers_schema(*, base: str | None) -> dict[str, Any]:
    """The JSON Schema of ``/papers.json.gz``'s JSON, derived from the front-matter schema: each
    paper has the front-matter properties plus the ones :func:`paper_record` adds."""
    front = copy.deepcopy(paper_schema())
    paper = {k: v for k, v in front.items() if k not in {"$schema", "$id", "title"}}
    paper["title"] = "A paper of the archive"
    paper["description"] = (
        "Front matter of the paper's page (dates as YYYY-MM-DD), its abstract as "
        "plain text, and where it lives."
    )
    paper["properties"] = {
        **front["properties"],
        "abstract": {"description": "The abstract, plain text.", "type": "string"},
        "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "path": {"description": "Site-relative URL of the page.", "type": "string"},
        "url": {
            "description": "The page on the published site (the path when none is set).",
            "type": "string",
        },
        "citation_key": {
            "description": "The BibTeX key, unique in the archive.",
            "type": "string",
            "pattern": "^[a-z0-9]+$",
        },
        "topics": {
            "description": "Names of the paper's tags, in the order of tags.",
            "type": "array",
            "items": {"type": "string"},
        },
    }
    paper["required"] = [*front["required"], "abstract", "slug", "path", "url", "citation_key"]
    schema: dict[str, Any] = {"$schema": front["$schema"]}
    if base:
        schema["$id"] = base + SCHEMA
    schema.update(
        {
            "title": "The paper archive as data (papers.json.gz, decompressed)",
            "type": "object",
            "additionalProperties": False,
            "required": ["papers"],
            "properties": {
                "$schema": {"type": "string"},
                "papers": {"type": "array", "items": {"$ref": "#/$defs/paper"}},
            },
            "$defs": {"paper": paper},
        }
    )
    return schema


def schema_json(*, base: str | None) -> str:
    return json.dumps(papers_schema(base=base), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# -- robots.txt --------------------------------------------------------------------


def robots_txt(*, base: str | None) -> str:
    """Everything may be crawled; the sitemap is named when the site has a public URL."""
    lines = ["User-agent: *", "Allow: /", ""]
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    else:
        lines.append("# No Sitemap line: site_url (SITE_URL) is not a public address.")
    return "\n".join(lines) + "\n"


# -- every export, and the links to them -------------------------------------------


@dataclass(frozen=True, slots=True)
class Export:
    path: str  # site-relative: feed.xml, tags/llms/papers.bib.gz
    content: str | bytes  # bytes: a .gz file


def gzip_text(text: str) -> bytes:
    """``text`` as UTF-8 in a gzip file whose bytes depend on the text alone (header
    time 0, no file name)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def _gzipped(path: str, text: str, memo: Remembers) -> bytes:
    """:func:`gzip_text`, remembered by the text's digest: a serve save that leaves the
    archive's JSON or BibTeX as it was (a note, a page's own layout) does not compress
    them again (papers.json: 18.6 MB, ~0.8 s at 10,000 papers; its digest ~0.05 s)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return memo.latest(f"gzip/{path}", digest, lambda: gzip_text(text))


def exports(
    archive: Archive, *, base: str | None, names: Mapping[str, str], memo: Remembers = PLAIN
) -> list[Export]:
    """The BibTeX, JSON, schema and robots.txt files (feeds: :mod:`.feeds`), in a
    stable order."""
    keys = citation_keys(archive, memo=memo)
    texts = bib_entries(archive.entries, keys=keys, names=names, base=base, memo=memo)
    json_text = papers_json(archive, keys=keys, names=names, base=base, memo=memo)
    out = [
        Export(BIB, _gzipped(BIB, bibliography(archive.entries, texts), memo)),
        Export(JSON, _gzipped(JSON, json_text, memo)),
        Export(SCHEMA, schema_json(base=base)),
        Export(ROBOTS, robots_txt(base=base)),
    ]
    for group in by_tag(archive):
        path = tag_path(group.slug, BIB)
        out.append(Export(path, _gzipped(path, bibliography(group.entries, texts), memo)))
    return out


def export_paths(archive: Archive) -> list[str]:
    """The site path of every feed (:func:`.feeds.feeds`) and export (:func:`exports`)
    of ``archive``, known without making them: a page's link to one resolves in a build
    that writes them later (plugin/exports.py)."""
    slugs = [tag.slug for tag in archive.vocabulary.tags]
    topics = [tag_path(slug, name) for slug in slugs for name in (FEED, BIB)]
    return [FEED, BIB, JSON, SCHEMA, ROBOTS, *topics]


def feed_of(src_uri: str, *, site_name: str, names: Mapping[str, str]) -> tuple[str, str] | None:
    """The feed a page announces, and its title: the archive's on the home and Topics
    pages, a topic's own on each of its pages."""
    if src_uri in {"index.md", "tags/index.md"}:
        return FEED, site_name
    parts = src_uri.split("/")
    if len(parts) >= 3 and parts[0] == "tags" and parts[-1] == "index.md" and parts[1] in names:
        return tag_path(parts[1], FEED), f"{site_name}: {names[parts[1]]}"
    return None
