"""`mkdocs serve --dirty` (the README's command) serves what `mkdocs build` builds.

One real server on a small fixture archive (every ``STRIDE``-th seed page, copied into a
tmp project) takes a long sequence of edits of every kind a maintainer makes: a paper
page edited, added, deleted and renamed; site pages (about, home) edited; a topic added
to, renamed in and deleted from ``data/tags.yaml``; static files added, edited and
deleted; the theme overrides' paper template, a source manifest and ``mkdocs.yml``
edited; a typo in ``data/tags.yaml``, a page deleted while it stops the rebuilds, and
its fix. Each edit is waited for on
the served page it must change (polling, with a generous timeout); at checkpoints,
every file the server serves (HTML pages, feeds, BibTeX, JSON, schema, robots.txt,
search bundle, assets) must equal, byte for byte, the same file of a fresh
`mkdocs build` of the same tree (a copy without the project's cache), and nothing more
may be served.

What legitimately differs is normalised, each for its reason:

- ``sitemap.xml`` and ``sitemap.xml.gz``: the served one lists the pages rendered by
  the last rebuild only (README, "hooks/").
- the livereload script the server adds before ``</body>`` of each HTML page it sends.
- the search bundle's names: ``<kind>.serve.<rest>`` under ``serve --dirty`` (so a save
  does not re-render every page naming the bundle), ``<kind>.<content key>.<rest>`` in a
  build (paper_archive/search/build.py), and the key the manifest holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from paper_archive.disk.pages import load_paper, render_page
from paper_archive.record.model import Paper
from paper_archive.record.slugs import base_slug

from . import CORPUS
from .browser import free_port
from .polling import until
from .serving import ctrl_c, serve_process
from .sitebuild import make_site, paper

pytestmark = pytest.mark.slow

#: Every STRIDE-th seed page (by name) is in the fixture archive: ~40 pages spread over
#: the alphabet, topics and years.
STRIDE = 13
#: Generous: a loaded 2-core machine. Every wait is on a condition, never a sleep.
TIMEOUT = 150.0
REBUILD_FAILED = "An error happened during the rebuild."
UNSERVED = {"sitemap.xml", "sitemap.xml.gz"}
_SEARCH_META = re.compile(rb"<meta name=\"pa-search\" content='[^']*'>")
_PAGE_SCRIPT = re.compile(r"assets/search/page\.[0-9a-f]{12}\.js")
_LIVERELOAD = re.compile(rb"<script>[^<]*livereload[^<]*</script>(?=</body>)")


def _until(what: str, check: Callable[[], object], seconds: float = TIMEOUT) -> None:
    until(what, check, seconds)


class CutShort(Exception):
    """A response that ended before its length: ``mkdocs serve`` rebuilding or a late
    writer rewriting the file while it was sent. Not an answer yet: the caller's
    condition is checked again."""


def _get(url: str) -> bytes | None:
    """The bytes served at ``url``; None for 404; :class:`CutShort` for a response cut
    short (an ``http.client.IncompleteRead`` or a dropped connection, which are not
    ``URLError``)."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # loopback only
            return response.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise
    except (http.client.HTTPException, ConnectionError) as error:
        raise CutShort(f"{url}: {error!r}") from error


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


class Server:
    """A `mkdocs serve --dirty` process and the folder it serves (its TMPDIR's only
    ``mkdocs_*`` folder)."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root = root
        self.address = f"127.0.0.1:{free_port()}"
        self.base = f"http://{self.address}/"
        self.log = tmp / "serve.log"
        self.tmpdir = tmp / "tmpdir"
        self.tmpdir.mkdir()
        with self.log.open("w") as errors:
            self.process = serve_process(
                [
                    *(sys.executable, "-m", "mkdocs", "serve", "--dirty", "--verbose"),
                    *("-f", str(root / "mkdocs.yml"), "-a", self.address),
                ],
                cwd=root,
                tmpdir=self.tmpdir,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                stderr=errors,
            )

    @property
    def site(self) -> Path:
        (folder,) = self.tmpdir.glob("mkdocs_*")
        return folder

    def text(self, path: str) -> str:
        try:
            return (_get(self.base + path) or b"").decode("utf-8")
        except (urllib.error.URLError, CutShort):  # not listening yet, or mid-rewrite
            return ""

    def shows(self, path: str, text: str) -> bool:
        return text in self.text(path)

    def gone(self, path: str) -> bool:
        try:
            return _get(self.base + path) is None
        except CutShort:
            return False

    def logged(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8")

    def failures(self) -> int:
        """How many rebuilds failed (MkDocs' own message for each)."""
        return self.log.read_text(encoding="utf-8").count(REBUILD_FAILED)

    def stop(self) -> None:
        ctrl_c(self.process)


def _fresh_build(root: Path, into: Path, site_url: str) -> Path:
    """A `mkdocs build` of a copy of ``root``'s tree (no cache, no site folder)."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    shutil.copy(root / "mkdocs.yml", into / "mkdocs.yml")
    for folder in ("docs", "data", "hooks", "overrides"):
        shutil.copytree(root / folder, into / folder)
    site = into / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(into / "mkdocs.yml")],
        cwd=into,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url},
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    return site


def _bundle_key(site: Path) -> str:
    (manifest,) = (site / "assets/search").glob("manifest.*.json")
    return manifest.name.removeprefix("manifest.").removesuffix(".json")


def _first_difference(served: bytes, built: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(served, built, strict=False)) if a != b), None)
    at = min(len(served), len(built)) if at is None else at
    return f"served {served[at - 80 : at + 80]!r}, built {built[at - 80 : at + 80]!r}"


def _differences(server: Server, fresh: Path) -> list[str]:
    """Every path whose served bytes differ from the fresh build's (normalised)."""
    key = _bundle_key(fresh).encode()
    renamed = {  # the sharded bundle's files: <kind>.serve.<rest> under serve
        p: p.replace(".serve.", f".{key.decode()}.", 1)
        for p in _files(server.site)
        if p.startswith("assets/search/") and ".serve." in p
    }
    # The page's script starts with the bundle's names (search/build.py front_end), the
    # manifest's among them, so it is named apart too: the one of each.
    (served_page,) = [p for p in _files(server.site) if _PAGE_SCRIPT.fullmatch(p)]
    (built_page,) = [p for p in _files(fresh) if _PAGE_SCRIPT.fullmatch(p)]
    renamed[served_page] = built_page
    page_names = (served_page.rsplit("/", 1)[1].encode(), built_page.rsplit("/", 1)[1].encode())
    paths = {renamed.get(p, p) for p in _files(server.site)} | _files(fresh)
    out = []
    for path in sorted(paths - UNSERVED):
        served_as = {v: k for k, v in renamed.items()}.get(path, path)
        served = _get(server.base + urllib.parse.quote(served_as))
        built = (fresh / path).read_bytes() if (fresh / path).is_file() else None
        if served is not None and path.endswith(".html"):
            served = _LIVERELOAD.sub(b"", served, count=1)
            served = _SEARCH_META.sub(
                lambda m: m[0].replace(b".serve.json", b"." + key + b".json"), served, count=1
            )
            served = served.replace(*page_names)
        if served is not None and served_as == served_page:
            served = served.replace(b"manifest.serve.json", b"manifest." + key + b".json", 1)
        if served is not None and served_as.startswith("assets/search/manifest."):
            served = served.replace(b'"key":"serve"', b'"key":"' + key + b'"', 1)
            served = served.replace(b'"facets.serve.json"', b'"facets.' + key + b'.json"', 1)
        if served is None or built is None:
            out.append(f"{path}: {'not served' if served is None else 'only served'}")
        elif served != built:
            out.append(f"{path}: differs: {_first_difference(served, built)}")
    return out


def _same_as_fresh_build(server: Server, tmp: Path, label: str) -> None:
    fresh = _fresh_build(server.root, tmp / "fresh", server.base)
    found: list[str] = []

    def same() -> bool:
        try:
            found[:] = _differences(server, fresh)
        except CutShort as error:  # a file being rewritten: compare again
            found[:] = [str(error)]
        return not found

    try:
        _until(f"{label}: the served site equals a fresh build", same)
    except AssertionError as error:
        raise AssertionError(f"{error}:\n" + "\n".join(found[:40])) from None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    root = make_site(tmp_path / "project")
    for page in sorted((CORPUS / "docs/papers").glob("*.md"))[::STRIDE]:
        shutil.copy(page, root / "docs/papers" / page.name)
    running = Server(root, tmp_path)
    try:
        _until("the site is served", lambda: running.shows("", "Paper Archive"))
        yield running
    finally:
        running.stop()


def _papers(root: Path) -> list[Path]:
    return sorted((root / "docs/papers").glob("*.md"))


def _load(path: Path) -> Paper:
    return load_paper(path.read_text(encoding="utf-8"), path=str(path))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text, encoding="utf-8")


def _edit_vocabulary(root: Path, change: Callable[[list[dict]], None]) -> None:
    path = root / "data/tags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["tags"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def test_serve_equals_a_fresh_build_after_every_kind_of_edit(
    server: Server, tmp_path: Path
) -> None:
    root = server.root
    pages = _papers(root)
    with_sources = [p for p in pages if _load(p).sources and _load(p).tags]
    edited, renamed, deleted = with_sources[0], with_sources[1], with_sources[2]

    # A paper page's abstract.
    _append(edited, " Quokkas appear.\n")
    _until("the edited page", lambda: server.shows(f"papers/{edited.stem}/", "Quokkas appear"))
    # A site page that links the exports (feed.xml, papers.bib.gz, papers.json.gz, schema).
    _append(root / "docs/about.md", "\n\nWombats were here.\n")
    _until("the about page", lambda: server.shows("about/", "Wombats were here"))

    # A new page, a deleted page, a renamed page.
    new = paper(
        "Quokka Networks for Sequence Modelling",
        tags=_load(edited).tags,
        published=dt.date(1999, 5, 1),
        abstract="Quokka networks model sequences. They are small.",
    )
    (root / "docs/papers" / f"{base_slug(new.title)}.md").write_text(render_page(new), "utf-8")
    _until("the new page", lambda: server.shows(f"papers/{base_slug(new.title)}/", "Quokka"))
    deleted.unlink()
    _until("the deleted page is gone", lambda: server.gone(f"papers/{deleted.stem}/"))
    record = _load(renamed)
    moved = dataclasses.replace(record, title=f"{record.title} Revisited")
    renamed.unlink()
    (root / "docs/papers" / f"{base_slug(moved.title)}.md").write_text(render_page(moved), "utf-8")
    _until(
        "the renamed page", lambda: server.shows(f"papers/{base_slug(moved.title)}/", "Revisited")
    )
    _same_as_fresh_build(server, tmp_path, "paper pages and the about page")

    # The tag vocabulary: a topic added, renamed, deleted.
    topic = {
        "slug": "quokka-studies",
        "name": "Quokka studies",
        "description": "Papers about quokkas.",
        "match": {"title": [r"\bquokka"]},
    }
    _edit_vocabulary(root, lambda tags: tags.append(topic))
    _until("the new topic", lambda: server.shows("tags/quokka-studies/", "Quokka studies"))
    _edit_vocabulary(root, lambda tags: tags[-1].update(name="Marsupial studies"))
    _until("the renamed topic", lambda: server.shows("tags/quokka-studies/", "Marsupial studies"))
    _until("its feed", lambda: server.shows("tags/quokka-studies/feed.xml", "Marsupial"))
    _edit_vocabulary(root, lambda tags: tags.pop())
    _until("the deleted topic is gone", lambda: server.gone("tags/quokka-studies/"))

    # Static files: one added, one edited, the added one deleted.
    script = root / "docs/assets/search/quokka.js"
    script.write_text("// Quokka.\n", "utf-8")
    _until("the new file", lambda: server.shows("assets/search/quokka.js", "Quokka"))
    _append(root / "docs/assets/archive.css", "\n/* Quokka. */\n")
    _until("the edited file", lambda: server.shows("assets/archive.css", "Quokka"))
    script.unlink()
    _until("the deleted file is gone", lambda: server.gone("assets/search/quokka.js"))

    # The theme overrides (custom_dir), a source manifest, mkdocs.yml.
    template = root / "overrides/paper.html"
    text = template.read_text(encoding="utf-8")
    assert text.count("{% block content %}") == 1
    template.write_text(
        text.replace("{% block content %}", '{% block content %}<p class="pa-quokka"></p>'),
        "utf-8",
    )
    _until("the template edit", lambda: server.shows(f"papers/{edited.stem}/", "pa-quokka"))
    source = _load(edited).sources[0]
    manifest = root / "data/sources" / f"{source}.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    manifest.write_text(yaml.safe_dump({**data, "page_date": "Feb 29"}, sort_keys=False), "utf-8")
    _until("the manifest edit", lambda: server.shows(f"papers/{edited.stem}/", "Feb 29"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("site_description: >-\n") == 1
    config.write_text(
        text.replace("site_description: >-\n", "site_description: >-\n  Kowari.\n"), "utf-8"
    )
    _until("the config edit", lambda: server.shows("about/", "Kowari."))
    _same_as_fresh_build(server, tmp_path, "topics, static files, template, manifest, config")

    # A YAML typo stops the rebuilds (the server holds requests meanwhile: MkDocs);
    # a page deleted meanwhile is gone once it is fixed.
    vocabulary = root / "data/tags.yaml"
    good = vocabulary.read_text(encoding="utf-8")
    failed = server.failures()
    vocabulary.write_text(good + "tags: [\n", "utf-8")
    _until("the typo stops the rebuild", lambda: server.failures() > failed)
    gone = next(p for p in reversed(pages) if p.exists() and p != edited)
    gone.unlink()
    _until("the deletion's rebuild stops too", lambda: server.failures() > failed + 1)
    assert server.logged("data/tags.yaml:")  # the typo's file and line
    vocabulary.write_text(good, "utf-8")
    _until("the page deleted meanwhile is gone", lambda: server.gone(f"papers/{gone.stem}/"))
    _append(root / "docs/index.md", "\n\nNumbats too.\n")
    _until("the home page", lambda: server.shows("", "Numbats too"))
    _same_as_fresh_build(server, tmp_path, "after a typo fixed")

    # Nothing else was reported: no false "target is not found" for the pages' links
    # to the exports, no failed search bundle; only the typo's file and line.
    log = server.log.read_text(encoding="utf-8").splitlines()
    unexpected = [
        line
        for line in log
        if line.startswith(("WARNING", "ERROR"))
        and "A 'dirty' build is being performed" not in line
        and not re.search(r'"GET /\S* HTTP/1.1" code 404$', line)  # the polls for gone pages
        and REBUILD_FAILED not in line
        and "data/tags.yaml:" not in line
    ]
    assert not unexpected, "\n".join(unexpected)
    assert not any("Traceback" in line for line in log)
