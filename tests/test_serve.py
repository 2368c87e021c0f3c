"""`mkdocs serve --dirty` (the README's command) on a fixture archive: every edit a
maintainer makes shows up after the rebuild on every page it touches, and in the
search bundle; the tag vocabulary is watched; nothing is generated into docs/.

One real server process for the whole sequence: each step edits the archive on disk and
polls the served pages (the paper's page, its topic pages, the year pages, the home
page) and the search store the served page's search script names.
"""

from __future__ import annotations

import datetime as dt
import gzip
import http.client
import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from paper_archive.disk.pages import render_page

from .browser import fetch, free_port
from .polling import until
from .serving import ctrl_c, group_alive, serve_process
from .sitebuild import make_site, paper

pytestmark = pytest.mark.slow

README_COMMAND = ("mkdocs", "serve", "--dirty")


def _until(what: str, check: Callable[[], object], seconds: float = 45) -> None:
    until(what, check, seconds)


class Served:
    def __init__(self, base: str, log: Path) -> None:
        self.base = base
        self.log = log  # the server's stderr (``--verbose``: the hooks' debug lines)

    def page(self, path: str) -> str:
        if path.endswith(".gz"):  # papers.json.gz, papers.bib.gz: their text
            try:
                with urllib.request.urlopen(self.base + path, timeout=30) as response:
                    return gzip.decompress(response.read()).decode("utf-8")
            except (
                OSError,
                EOFError,
                UnicodeDecodeError,
                http.client.HTTPException,
            ):  # not there yet, or cut short
                return ""
        return fetch(self.base + path) or ""

    def shows(self, path: str, text: str) -> bool:
        return text in self.page(path)

    def gone(self, path: str) -> bool:
        try:
            urllib.request.urlopen(self.base + path, timeout=30)
        except urllib.error.HTTPError as error:
            return error.code == 404
        except OSError:
            return False
        return False

    def search_store(self, path: str = "") -> str:
        """What the search bundle named by the served page's search script shows of its
        papers: its manifest (the topics' names) and result fragments, joined
        (search/shards.py). The script begins with the bundle's names (search/build.py
        front_end)."""
        match = re.search(
            r'<script src="[^"]*assets/search/(page\.[0-9a-f]+\.js)"', self.page(path)
        )
        script = fetch(f"{self.base}assets/search/{match[1]}") if match else None
        names = re.match(r"self\.PaSearchNames=(\{[^}]*\});\n", script or "")
        if names is None:
            return ""
        manifest_name = json.loads(names[1])["manifest"]
        text = fetch(f"{self.base}assets/search/{manifest_name}")
        try:
            manifest = json.loads(text or "")
        except ValueError:  # not there yet, or cut short
            return ""
        count = -(-manifest["docs"] // manifest["fragments"])
        key = manifest["key"]
        parts = [fetch(f"{self.base}assets/search/frag.{key}.{i}.json") for i in range(count)]
        return "" if None in parts else "\n".join([text or "", *(p or "" for p in parts)])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Served]]:
    root = make_site(
        tmp_path / "site",
        [
            paper(
                "Pointer Networks",
                tags=("llms",),
                published=dt.date(2017, 6, 1),
                abstract="First words.",
            ),
            paper("Attention Is All You Need", tags=("llms",), published=dt.date(2017, 6, 12)),
        ],
    )
    address = f"127.0.0.1:{free_port()}"
    with (tmp_path / "serve.log").open("w") as log:
        server = serve_process(
            [
                *(sys.executable, "-m", *README_COMMAND, "--verbose"),
                *("-f", str(root / "mkdocs.yml"), "-a", address),
            ],
            cwd=root,
            tmpdir=tmp_path / "tmpdir",
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stderr=log,
        )
    site = Served(f"http://{address}/", tmp_path / "serve.log")
    try:
        _until("the site is served", lambda: site.shows("papers/pointer-networks/", "First"), 90)
        yield root, site
    finally:
        ctrl_c(server)


def _rewrite(root: Path, slug: str, **fields: object) -> None:
    """The page ``slug`` with new fields, written as `papers add` would write it."""
    base = {
        "tags": ("llms",),
        "published": dt.date(2017, 6, 1),
        "abstract": "First words.",
        "title": "Pointer Networks",
    }
    record = paper(**{**base, **fields})  # type: ignore[arg-type]
    (root / "docs/papers" / f"{slug}.md").write_text(render_page(record), encoding="utf-8")


def test_serve_shows_every_edit_everywhere(served: tuple[Path, Served]) -> None:
    root, site = served
    before = sorted(p.name for p in (root / "docs").rglob("*"))
    page = "papers/pointer-networks/"

    # A new title: the page, its topic page, the year page, the home page, search.
    _rewrite(root, "pointer-networks", title="Pointer Networks Renamed")
    for path in (page, "tags/llms/", "archive/2017/", ""):
        _until(f"{path or 'home'} shows the new title", lambda p=path: site.shows(p, "Renamed"))
    _until("the search store has the new title", lambda: "Renamed" in site.search_store(page))
    assert "Renamed" in site.search_store("")  # the home page names the same store
    for export in ("feed.xml", "papers.json.gz", "papers.bib.gz", "tags/llms/feed.xml"):
        _until(f"{export} has the new title", lambda e=export: site.shows(e, "Renamed"))

    # Another tag: its topic page lists the paper, the old one no longer does.
    _rewrite(root, "pointer-networks", title="Pointer Networks Renamed", tags=("prototypes",))
    _until("the new topic lists it", lambda: site.shows("tags/prototypes/", "Renamed"))
    _until("the old topic drops it", lambda: not site.shows("tags/llms/", "Renamed"))
    _until(
        "the new topic's BibTeX has it",
        lambda: site.shows("tags/prototypes/papers.bib.gz", "Renamed"),
    )
    assert 'href="../../tags/prototypes/"' in site.page(page)
    assert "Renamed" not in site.page("tags/llms/")
    _until(
        "the search store has the new tag",
        lambda: (
            re.search(
                r'"Pointer Networks Renamed","papers/pointer-networks/",2017,\[\d+\]',
                site.search_store(page),
            )
            is not None
        ),
    )

    # Another date: the paper moves from 2017 to 2019.
    _rewrite(
        root,
        "pointer-networks",
        title="Pointer Networks Renamed",
        tags=("prototypes",),
        published=dt.date(2019, 3, 4),
    )
    _until("the 2019 page lists it", lambda: site.shows("archive/2019/", "Renamed"))
    _until("2017 drops it", lambda: not site.shows("archive/2017/", "Renamed"))
    assert "2019" in site.page(page)
    _until(
        "search has the year", lambda: '"papers/pointer-networks/",2019' in site.search_store(page)
    )

    # A new page, then the same page deleted.
    new = paper("Graph Attention Networks", tags=("llms",), published=dt.date(2018, 2, 1))
    (root / "docs/papers/graph-attention-networks.md").write_text(
        render_page(new), encoding="utf-8"
    )
    _until(
        "the new page is served",
        lambda: site.shows("papers/graph-attention-networks/", "Graph Attention"),
    )
    for path in ("tags/llms/", "archive/2018/", ""):
        _until(
            f"{path or 'home'} lists the new page", lambda p=path: site.shows(p, "Graph Attention")
        )
    assert re.search(r'pa-total__n">3</span>', site.page(""))
    _until("search has the new page", lambda: "Graph Attention" in site.search_store(""))
    (root / "docs/papers/graph-attention-networks.md").unlink()
    _until("the deleted page is gone", lambda: site.gone("papers/graph-attention-networks/"))
    for path in ("tags/llms/", ""):
        _until(f"{path or 'home'} drops it", lambda p=path: not site.shows(p, "Graph Attention"))
    assert site.gone("archive/2018/")
    assert re.search(r'pa-total__n">2</span>', site.page(""))
    _until("search drops it", lambda: "Graph Attention" not in site.search_store(""))
    _until("papers.json drops it", lambda: not site.shows("papers.json.gz", "Graph Attention"))

    # The tag vocabulary (data/, watched): a topic's new name on its page and the chips.
    vocabulary = root / "data/tags.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    assert "name: Prototype-based models\n" in text
    vocabulary.write_text(
        text.replace("name: Prototype-based models\n", "name: Prototypes Renamed\n"), "utf-8"
    )
    _until(
        "the topic page has the new name",
        lambda: site.shows("tags/prototypes/", "Prototypes Renamed"),
    )
    _until("the paper's chip has it", lambda: site.shows(page, "Prototypes Renamed"))
    _until("search has it", lambda: "Prototypes Renamed" in site.search_store(page))

    assert sorted(p.name for p in (root / "docs").rglob("*")) == before  # nothing generated


def _related_list(html_text: str) -> str:
    """The related-papers list of a served paper page ("" when it has none)."""
    match = re.search(r'<ul class="pa-related">.*?</ul>', html_text, re.DOTALL)
    return match.group(0) if match else ""


def test_serve_updates_related_lists_on_other_pages(served: tuple[Path, Served]) -> None:
    """A paper's related list shows other papers: editing one of them changes the list
    on a page whose own file did not change."""
    root, site = served
    attention = "papers/attention-is-all-you-need/"
    (root / "docs/papers/attention-is-all-you-need.md").write_text(
        render_page(
            paper(
                "Attention Is All You Need",
                tags=("llms",),
                published=dt.date(2017, 6, 12),
                abstract="Gating experts capacity balance.",
            )
        ),
        encoding="utf-8",
    )

    def routing(title: str, abstract: str) -> None:
        record = paper(title, tags=("llms",), published=dt.date(2018, 1, 5), abstract=abstract)
        (root / "docs/papers/expert-routing.md").write_text(render_page(record), "utf-8")

    routing("Expert Routing", "Gating experts capacity routing tokens.")
    _until(
        "attention's related list names expert routing",
        lambda: "Expert Routing" in _related_list(site.page(attention)),
    )
    before = (root / "docs/papers/attention-is-all-you-need.md").stat().st_mtime_ns

    # The other paper's title: shown in attention's list, whose page did not change.
    routing("Expert Routing Revised", "Gating experts capacity routing tokens.")
    _until(
        "attention's related list has the new title",
        lambda: "Expert Routing Revised" in _related_list(site.page(attention)),
    )
    # The other paper's abstract no longer shares words: attention's list drops it.
    routing("Expert Routing Revised", "Sparse tokens dispatch.")
    _until(
        "attention's related list drops it",
        lambda: "Expert Routing" not in _related_list(site.page(attention)),
    )
    assert "Expert Routing" not in site.page(attention)
    assert (root / "docs/papers/attention-is-all-you-need.md").stat().st_mtime_ns == before


def test_serve_renders_only_what_changed_and_resolves_links(
    served: tuple[Path, Served],
) -> None:
    """From the second build on, pages whose output is current are not handed to MkDocs
    (plugin/dirty.py): they are still served, and a page that links to one of
    them still gets its link resolved."""
    root, site = served
    attention = "papers/attention-is-all-you-need/"
    assert "Attention Is All You Need" in site.page(attention)
    text = (root / "docs/papers/pointer-networks.md").read_text(encoding="utf-8")
    (root / "docs/papers/pointer-networks.md").write_text(
        f"{text.rstrip()}\n\n## Notes\n\nCompare [the Transformer](attention-is-all-you-need.md).\n",
        encoding="utf-8",
    )
    _until(
        "the linking page is rendered again",
        lambda: site.shows("papers/pointer-networks/", "the Transformer"),
    )
    served_page = site.page("papers/pointer-networks/")
    assert 'href="../attention-is-all-you-need/"' in served_page
    assert "attention-is-all-you-need.md" not in served_page
    assert "Attention Is All You Need" in site.page(attention)  # current, still served

    # A word in the other page's abstract: the first page, now current, is left out.
    other = root / "docs/papers/attention-is-all-you-need.md"
    other.write_text(f"{other.read_text(encoding='utf-8').rstrip()} Zanzibar\n", "utf-8")
    _until("the edit is served", lambda: site.shows(attention, "Zanzibar"))
    assert 'href="../attention-is-all-you-need/"' in site.page("papers/pointer-networks/")
    log = site.log.read_text(encoding="utf-8")
    left_out = [int(n) for n in re.findall(r"dirty build: (\d+) current pages left out", log)]
    assert left_out and max(left_out) > 0, log[-3000:]
    assert "not found" not in log and "Traceback" not in log, log[-3000:]


def test_serve_refuses_a_link_added_while_serving(served: tuple[Path, Served]) -> None:
    """The layout scan is reused between saves while no folder changed
    (paper_archive/layout.py): a link added under docs/ changes its folder, so the
    next rebuild still stops on it, and removing it serves the site again."""
    root, site = served
    link = root / "docs/papers/leak.md"
    link.symlink_to("/etc/hostname")
    _until(
        "the rebuild names the link",
        lambda: "docs/papers/leak.md: error: symbolic link" in site.log.read_text("utf-8"),
    )
    link.unlink()  # (MkDocs' server holds requests until a build succeeds again)
    page = root / "docs/papers/pointer-networks.md"
    page.write_text(f"{page.read_text(encoding='utf-8').rstrip()} Zanzibar\n", "utf-8")
    _until("the next save is served", lambda: site.shows("papers/pointer-networks/", "Zanzibar"))
    assert site.gone("papers/leak/")  # what it pointed to was never published


def test_ctrl_c_stops_serve_and_leaves_nothing_behind(tmp_path: Path) -> None:
    """A maintainer's Ctrl-C in the terminal running the README's command, once a save
    was served: the server exits with status 0 without a traceback, having removed the
    temporary folder it served from, and no process it started is left running."""
    root = make_site(
        tmp_path / "site",
        [paper("Pointer Networks", tags=("llms",), published=dt.date(2017, 6, 1))],
    )
    address = f"127.0.0.1:{free_port()}"
    tmpdir = tmp_path / "tmpdir"
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = serve_process(
            [sys.executable, "-m", *README_COMMAND, "-a", address],
            cwd=root,
            tmpdir=tmpdir,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stderr=errors,
        )
    site = Served(f"http://{address}/", log)
    try:
        _until("the site is served", lambda: site.shows("papers/pointer-networks/", "abstract"), 90)
        assert [folder.name[:7] for folder in tmpdir.iterdir()] == ["mkdocs_"]
        _rewrite(root, "pointer-networks", abstract="Saved words.")
        _until("the save is served", lambda: site.shows("papers/pointer-networks/", "Saved words"))
    finally:
        status = ctrl_c(server)
    output = log.read_text(encoding="utf-8")
    assert status == 0, output
    assert "Shutting down" in output and "Traceback" not in output, output
    assert list(tmpdir.iterdir()) == []
    assert not group_alive(server.pid)
