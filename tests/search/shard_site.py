"""A served folder with the /search/ page's scripts over a sharded bundle (search/shards.py),
built without MkDocs: the page's markup and element ids as overrides/search.html has
them, its inline boot script (overrides/partials/search-boot.js), the engine, worker and
page scripts joined as search/build.py joins them, and the bundle's files. For the
browser test of what a query fetches and for the 100,000-paper benchmark, where a full
site build would take most of an hour."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from paper_archive.search.build import SITE_DIR, front_end
from paper_archive.search.bundle import SearchDoc
from paper_archive.search.shards import ShardedBundle, build_sharded

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title><link rel="icon" href="data:,">
<meta name="pa-search" content="{meta}">
<script>{boot}</script>
</head><body>
<form id="search-form" role="search" onsubmit="return false">
<input id="search-query" type="search" name="q" autocomplete="off">
<select id="search-tag" name="tag"><option value="">All topics</option></select>
<select id="search-year" name="year"><option value="">All years</option></select>
</form>
<p id="search-status" role="status" data-pa-status>Loading the search index…</p>
<p id="search-elsewhere" hidden></p>
<ol id="search-results"></ol>
<button id="search-more" type="button" hidden>Show more</button>
<script src="../{dir}/{page}" async></script>
</body></html>
"""


#: Any other page: the header box only (overrides/partials/header.html's ids), the page
#: script async in the head (the bundle's names in it), no boot script: the worker answers.
_OTHER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>About</title><link rel="icon" href="data:,">
<script src="../{dir}/{page}" async></script>
</head><body>
<form role="search" action="../search/" method="get" autocomplete="off">
<input id="pa-header-q" type="search" name="q" role="combobox" aria-expanded="false">
<ul id="pa-header-results" role="listbox" hidden></ul>
<p id="pa-header-status" role="status"></p>
</form>
</body></html>
"""


def write_site(
    root: Path,
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    **options: int,
) -> ShardedBundle:
    """Write the site into ``root`` (search/index.html, about/index.html, assets/…);
    returns the bundle."""
    bundle = build_sharded(docs, tag_names, key, **options)  # type: ignore[arg-type]
    target = root / SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name, data in bundle.files.items():
        (target / name).write_bytes(data)
    write_pages(root, bundle.manifest)
    return bundle


def write_pages(root: Path, manifest: str) -> None:
    """Write (again) the pages and scripts of a site whose bundle's manifest is
    ``manifest``: a kept bundle then runs today's scripts."""
    target = root / SITE_DIR
    names, scripts = front_end(DOCS, manifest)
    for name, content in scripts.items():
        (target / name).write_bytes(content)
    vendor = root / "assets/vendor/lunr"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy(DOCS / "assets/vendor/lunr/lunr.min.js", vendor / "lunr.min.js")
    meta = json.dumps({**names, "dir": f"../{SITE_DIR}/", "base": "../"})
    boot = (REPO / "overrides/partials/search-boot.js").read_text(encoding="utf-8")
    page = root / "search" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        _PAGE.format(meta=html.escape(meta), boot=boot, dir=SITE_DIR, page=names["page"]),
        encoding="utf-8",
    )
    other = root / "about" / "index.html"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text(_OTHER.format(dir=SITE_DIR, page=names["page"]), encoding="utf-8")
