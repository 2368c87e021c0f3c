"""A poisoned ``.paper-archive-cache/`` never changes a build (issue #17, "Caches are
inputs too").

A small fixture archive is committed in a git repository; a reference site is built
from a clone of it with no cache (the real ``mkdocs build --strict`` in a subprocess).
Each case then takes a fresh clone (committed files only, as CI checks out a pull
request), puts the cache a build of that archive writes into it, poisons it (links to
``/proc/self/environ`` and ``/etc/passwd``, a ``javascript:`` URL, cut files, related
lists out of bounds, the cache folder as a file or a link; a poison of the search
bundle beside one of another part of the cache, see ``LEFT``), and builds again: twice,
once with the poison left untracked (a stale or edited cache: the readers' checks) and
once force-added and committed (a pull request: the rule on tracked cache files). The
build must pass under ``--strict``, write a site byte for byte the reference's, hold
none of the build's environment, say at INFO which cache file it ignored, and write
nothing through a link. ``papers validate`` fails on the committed ones, naming them.

The browser's side (``ui.js`` links only http(s) URLs, whatever a bundle holds) is
checked in Chromium on a built site whose store was edited after the build.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from paper_archive.files import cachefiles, textfile
from paper_archive.files.cachefiles import CacheDir
from paper_archive.project import VOCABULARY
from paper_archive.record.tagging import load_vocabulary
from paper_archive.serve import related_build
from paper_archive.serve.memo import Memo
from paper_archive.site import related
from paper_archive.site.collect import collect

from .browser import Page, free_port, serve
from .contributor_env import contributor_env
from .search.plain_varints import packed, packed_weights, unpacked, weights
from .serving import ctrl_c, serve_process
from .sitebuild import make_site, paper, site_files
from .test_serve import Served, _related_list, _until

pytestmark = pytest.mark.slow

VENV_BIN = Path(sys.executable).parent
#: In the build's environment; no output file may hold it.
MARKER = "PA_CACHE_SECRET_7f3a9c"
SOURCE_DATE_EPOCH = "1795435200"  # 2026-11-23 12:00 UTC
PAPERS = [
    paper(
        "Sparse Gating Experts",
        tags=("llms",),
        published=dt.date(2020, 1, 1),
        abstract="Gating experts capacity routing tokens balance.",
    ),
    paper(
        "Expert Routing at Scale",
        tags=("llms",),
        published=dt.date(2021, 1, 1),
        abstract="Routing tokens to gating experts with capacity.",
    ),
    paper("Pointer Networks", tags=("llms",), published=dt.date(2017, 6, 1)),
    paper(
        "Convolutional Image Models",
        published=dt.date(2019, 1, 1),
        abstract="Convolution kernels over pixels images.",
    ),
    paper(
        "Image Kernels Revisited",
        published=dt.date(2022, 1, 1),
        abstract="Kernels for pixels and images convolution.",
    ),
]


def environment() -> dict[str, str]:
    return contributor_env(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, PA_TEST_SECRET=MARKER)


def run(cwd: Path, *command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def git(cwd: Path, *args: str) -> None:
    result = run(cwd, "git", *args)
    assert result.returncode == 0, result.stderr


def build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` in ``root``, as CI runs it."""
    return run(root, VENV_BIN / "mkdocs", "build", "--strict", "--site-dir", site)


@dataclass(frozen=True)
class Archive:
    repo: Path  # the committed fixture archive
    reference: dict[str, bytes]  # its site, built with no cache
    cache: Path  # the cache that build wrote (a copy)
    search_key: str
    related_key: str


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    base = tmp_path_factory.mktemp("hostile-cache")
    repo = make_site(base / "repo", PAPERS)
    git(repo, "init", "--quiet", "-b", "main")
    shutil.copy(Path(__file__).resolve().parents[1] / ".gitignore", repo / ".gitignore")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "archive")
    clone = base / "reference"
    git(base, "clone", "--quiet", str(repo), str(clone))
    result = build(clone, base / "reference-site")
    assert result.returncode == 0, result.stderr
    assert "ignored cache file" not in result.stderr
    cache = base / "good-cache"
    shutil.copytree(clone / cachefiles.NAME, cache, symlinks=True)
    (search_key,) = [p.name for p in (cache / "search").iterdir()]
    (related_file,) = (cache / "related").glob("related-*.json")
    related_key = related_file.stem.removeprefix("related-")
    return Archive(repo, site_files(base / "reference-site"), cache, search_key, related_key)


@dataclass(frozen=True)
class Case:
    cache: Path  # the clone's .paper-archive-cache
    archive: Archive
    outside: Path  # a folder outside the project (links point here)

    def search(self, kind: str, number: int | None = None) -> Path:
        """A file of the cached sharded bundle: ``manifest``, ``facets``, or file
        ``number`` of ``post``, ``terms`` or ``frag`` (search/shards.py)."""
        key = self.archive.search_key
        rest = "json" if number is None else f"{number}.json"
        return self.cache / "search" / key / f"{kind}.{key}.{rest}"

    @property
    def related(self) -> Path:
        return self.cache / "related" / f"related-{self.archive.related_key}.json"

    def edit_json(self, path: Path, change: Callable[[object], object]) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(change(data)), encoding="utf-8")

    def edit_lists(self, change: Callable[[list], None]) -> None:
        def edited(data: object) -> object:
            assert isinstance(data, dict)
            change(data["lists"])
            return data

        self.edit_json(self.related, edited)


def _link(path: Path, target: str | Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)


def _cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _javascript_url(data: object) -> object:
    """A result fragment whose first result links a script URL."""
    assert isinstance(data, list)
    data[0][1] = "javascript:alert(document.domain)//"
    return data


def _ref_out_of_range(data: object) -> object:
    """A postings shard whose title postings end on a document not there."""
    assert isinstance(data, dict)
    field = data["fields"][0]
    deltas = unpacked(field["d"])
    deltas[-1] += 1000
    field["d"] = packed(deltas)
    return data


def _wrong_weight(data: object) -> object:
    """A postings shard whose first title weight is one lunr.js never gives the term."""
    assert isinstance(data, dict)
    field = data["fields"][0]
    lists = weights(field["t"][1::2], field["w"])
    lists[0][0] = 10**7
    field["w"] = packed_weights(lists)
    return data


def _wrong_year(data: object) -> object:
    assert isinstance(data, dict)
    data["years"][0] += 1
    return data


def _missing_shard(case: Case) -> Path:
    """The manifest names a postings shard the entry lacks."""
    case.search("post", 0).unlink()
    return case.search("manifest")


def _shard_a_link(case: Case) -> Path:
    """A link in place of a shard, to a copy of it outside (its content the right one)."""
    shard = case.search("post", 0)
    copy = case.outside / shard.name
    shutil.copy(shard, copy)
    _link(shard, copy)
    return shard


def _entry_elsewhere(case: Case) -> Path:
    """The search entry a link to a copy outside, whose store holds a javascript: URL."""
    entry = case.cache / "search" / case.archive.search_key
    copy = case.outside / "entry"
    shutil.copytree(entry, copy)
    case.edit_json(copy / f"frag.{case.archive.search_key}.0.json", _javascript_url)
    _link(entry, copy)
    return entry


def _search_folder_elsewhere(case: Case) -> Path:
    """The cache's search folder a link to an empty folder outside: nothing may land there."""
    folder = case.cache / "search"
    _link(folder, case.outside)
    return folder


def _cache_is_a_file(case: Case) -> Path:
    shutil.rmtree(case.cache)
    case.cache.write_text("not a folder\n", encoding="utf-8")
    return case.cache


def _cache_is_a_dangling_link(case: Case) -> Path:
    shutil.rmtree(case.cache)
    case.cache.symlink_to(case.outside / "nowhere")
    return case.cache


def _cache_links_elsewhere(case: Case) -> Path:
    """The whole cache a link to a poisoned copy outside."""
    copy = case.outside / "cache"
    shutil.copytree(case.cache, copy)
    case.edit_json(Case(copy, case.archive, case.outside).search("frag", 0), _javascript_url)
    shutil.rmtree(case.cache)
    case.cache.symlink_to(copy)
    return case.cache


def _related(change: Callable[[list], None]) -> Callable[[Case], Path]:
    def poison(case: Case) -> Path:
        case.edit_lists(change)
        return case.related

    return poison


def _set_item(position: int, value: object) -> Callable[[list], None]:
    """The first non-empty list's first item, its ``position`` set to ``value``."""

    def change(lists: list) -> None:
        first = next(items for items in lists if items)
        first[0][position] = value

    return change


def _items_2000(lists: list) -> None:
    first = next(items for items in lists if items)
    first[:] = [first[0]] * 2000


def _lists_emptied(data: object) -> object:
    assert isinstance(data, dict)
    data["lists"] = {}
    return data


#: Poisons of the cached search bundle.
SEARCH_POISONS: dict[str, Callable[[Case], Path]] = {
    "fragment linked to /proc/self/environ": lambda c: (
        _link(c.search("frag", 0), "/proc/self/environ"),
        c.search("frag", 0),
    )[1],
    "manifest linked to /etc/passwd": lambda c: (
        _link(c.search("manifest"), "/etc/passwd"),
        c.search("manifest"),
    )[1],
    "fragment with a javascript: URL": lambda c: (
        c.edit_json(c.search("frag", 0), _javascript_url),
        c.search("frag", 0),
    )[1],
    "fragment cut short": lambda c: (_cut(c.search("frag", 0)), c.search("frag", 0))[1],
    "postings shard cut short": lambda c: (_cut(c.search("post", 0)), c.search("post", 0))[1],
    "dictionary chunk cut short": lambda c: (_cut(c.search("terms", 0)), c.search("terms", 0))[1],
    "postings shard naming a document not there": lambda c: (
        c.edit_json(c.search("post", 0), _ref_out_of_range),
        c.search("post", 0),
    )[1],
    "postings shard with a wrong weight": lambda c: (
        c.edit_json(c.search("post", 0), _wrong_weight),
        c.search("post", 0),
    )[1],
    "facets with a wrong year": lambda c: (
        c.edit_json(c.search("facets"), _wrong_year),
        c.search("facets"),
    )[1],
    "manifest naming a missing shard": _missing_shard,
    "a link in place of a shard": _shard_a_link,
    "search entry linked elsewhere": _entry_elsewhere,
    "search folder linked elsewhere": _search_folder_elsewhere,
}

#: Poisons of the other parts of the cache: related lists, generated pages, exports.
OTHER_POISONS: dict[str, Callable[[Case], Path]] = {
    "related lists {}": lambda c: (c.edit_json(c.related, _lists_emptied), c.related)[1],
    "related index -1": _related(_set_item(0, -1)),
    "related index 10**9": _related(_set_item(0, 10**9)),
    "related topics [['x']]": _related(_set_item(2, [["x"]])),
    "related topic not shared": _related(_set_item(2, ["computer-vision"])),
    "related words not words": _related(_set_item(3, ["<b>buy</b>", "now"])),
    "related score a string": _related(_set_item(1, "1")),
    "related 2,000 items": _related(_items_2000),
    "related linked to /proc/self/environ": lambda c: (
        _link(c.related, "/proc/self/environ"),
        c.related,
    )[1],
    "related cut short": lambda c: (_cut(c.related), c.related)[1],
    "generated page linked to /proc/self/environ": lambda c: (
        _link(c.cache / "pages/tags/index.md", "/proc/self/environ"),
        c.cache / "pages/tags/index.md",
    )[1],
    "export linked to /proc/self/environ": lambda c: (
        _link(c.cache / "exports/papers.json.gz", "/proc/self/environ"),
        c.cache / "exports/papers.json.gz",
    )[1],
}

#: Poisons of the cache folder itself.
WHOLE_POISONS: dict[str, Callable[[Case], Path]] = {
    "cache folder is a file": _cache_is_a_file,
    "cache folder is a dangling link": _cache_is_a_dangling_link,
    "cache folder links elsewhere": _cache_links_elsewhere,
}
POISONS = {**SEARCH_POISONS, **OTHER_POISONS, **WHOLE_POISONS}
#: What each build is given. The search bundle's reader and the other parts' readers are
#: independent: a reader that let its poison through changes the site (or writes through
#: a link, or stays silent) whatever the other poison beside it, and each poison is
#: checked and named on its own. So each build takes one search poison and one other
#: (the 37 poisoned caches of before in 21 builds, each a real ``mkdocs build``; issue 18):
#: the cache folder's own poisons leave nothing else to poison and go alone.
LEFT = [
    tuple(name for name in pair if name is not None)
    for pair in itertools.zip_longest(SEARCH_POISONS, OTHER_POISONS)
] + [(name,) for name in WHOLE_POISONS]
#: Force-added in a pull request too (every poison would do; these cover each kind).
COMMITTED = (
    (
        "fragment linked to /proc/self/environ",
        "related index -1",
        "generated page linked to /proc/self/environ",
    ),
    ("fragment with a javascript: URL", "related topic not shared"),
    ("postings shard naming a document not there",),
    ("search folder linked elsewhere",),
    ("cache folder links elsewhere",),
)
CASES = [
    pytest.param(names, False, id=f"{' + '.join(names)} (left in the cache)") for names in LEFT
] + [pytest.param(names, True, id=f"{' + '.join(names)} (committed)") for names in COMMITTED]


def _outside_listing(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.mark.parametrize(("names", "committed"), CASES)
def test_a_poisoned_cache_changes_nothing(
    archive: Archive, tmp_path: Path, names: tuple[str, ...], committed: bool
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(archive.repo), str(clone))
    cache = clone / cachefiles.NAME
    shutil.copytree(archive.cache, cache, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    shown = {
        name: POISONS[name](Case(cache, archive, outside)).relative_to(clone).as_posix()
        for name in names
    }
    if committed:
        git(clone, "add", "--force", "--", *shown.values())
        git(clone, "commit", "--quiet", "-m", "a pull request")
    before = _outside_listing(outside)

    result = build(clone, tmp_path / "site")

    assert result.returncode == 0, (names, result.stderr)
    site = site_files(tmp_path / "site")
    assert not [path for path, data in site.items() if MARKER.encode() in data], names
    assert not [
        path for path, data in site.items() if b"javascript:alert(document.domain)" in data
    ], names
    assert site == archive.reference, names  # byte for byte the build with no cache
    assert _outside_listing(outside) == before, names  # nothing written through a link
    ignored = re.findall(r"INFO\s+-\s+ignored cache file (\S+): (.*)", result.stderr)
    for name, path in shown.items():  # each poison said, by its own file
        if committed:
            said = (path, "tracked by git (a cache file comes from a build, never a commit)")
            assert said in ignored, (name, result.stderr)
        else:
            assert path in [file for file, _ in ignored] or any(
                reason.startswith(f"{path} is ") for _, reason in ignored
            ), (name, result.stderr)


def test_validate_names_each_committed_cache_file(archive: Archive, tmp_path: Path) -> None:
    """CI runs ``papers validate`` on every pull request: a committed cache file fails
    it, named with a line, before any build."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(archive.repo), str(clone))
    assert run(clone, VENV_BIN / "papers", "validate").returncode == 0
    cache = clone / cachefiles.NAME
    (cache / "search").mkdir(parents=True)
    (cache / "search" / "snippets.json").symlink_to("/proc/self/environ")
    (cache / "related.json").write_text("{}", encoding="utf-8")
    git(clone, "add", "--force", "--", cachefiles.NAME)
    git(clone, "commit", "--quiet", "-m", "a pull request")

    result = run(clone, VENV_BIN / "papers", "validate")

    assert result.returncode == 1
    for path in (".paper-archive-cache/related.json", ".paper-archive-cache/search/snippets.json"):
        assert f"{path}:1: error: a file of the build cache is committed" in result.stdout


def test_ci_validates_every_pull_request() -> None:
    """The check above runs in CI (and fails the job) on every pull request."""
    workflow = (Path(__file__).resolve().parents[1] / ".github/workflows/ci.yml").read_text(
        encoding="utf-8"
    )
    assert re.search(r"^on:\n  pull_request:\n", workflow, re.MULTILINE)
    assert "run: .venv/bin/papers validate\n" in workflow


# -- the readers, as a serve rebuild uses them ----------------------------------------


def test_a_serve_rebuild_reads_related_lists_through_the_same_checks(tmp_path: Path) -> None:
    """A ``mkdocs serve --dirty`` rebuild takes its related lists from the process's
    memory, else the cache (:func:`related_build.start` with ``now``): a poisoned file
    there is ignored and the lists computed, so no poison is remembered for the next
    rebuild either; nor is an index read back from it (:func:`related.cached_index`)."""
    root = make_site(tmp_path / "site", PAPERS)
    vocabulary = load_vocabulary(root / VOCABULARY)
    pages = [
        (f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8"))
        for p in sorted((root / "docs/papers").glob("*.md"))
    ]
    archive = collect(pages, vocabulary)
    docs = related.docs_of(archive)
    key = related.content_key(docs)
    expected = related.related_docs(docs)
    cache = CacheDir.open(root)
    folder = cache.folder(related.CACHE_DIR)
    index = related.RelatedIndex(docs)
    good = json.loads(related.dumps(expected, index=index))
    poisons = [
        {**good, "lists": {}},
        {**good, "lists": [[[-1, 0.5, [], ["gating", "expert"]]], *good["lists"][1:]]},
        {**good, "ranked": [[10**9]] * len(docs)},
        {**good, "query": [[["x"]]] * len(docs)},
    ]
    memo = Memo()
    try:
        for poison in poisons:
            textfile.atomic_write(related.cache_file(folder, key), json.dumps(poison))
            assert related.cached(cache, key, docs) is None
            assert related.cached_index(cache, key, docs) is None
            memo.clear()
            job = related_build.start(archive, cache, now=True, memo=memo)
            assert not job.running and job.wait() == expected
            assert memo.get("related-lists", key) == expected  # what the next rebuild reuses
    finally:
        memo.clear()


def test_no_write_goes_through_a_link_left_at_a_temporary_name(tmp_path: Path) -> None:
    """Every cache write (pages, exports, lists, the helpers' inputs, the bundle in the
    site) goes through ``atomic_write``: a link left at its temporary name, say by a
    commit, is replaced, and the file it points at is left alone."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    target = tmp_path / "cache" / "file.json"
    target.parent.mkdir()
    textfile.temp_path(target).symlink_to(victim)
    textfile.atomic_write(target, "new\n")
    assert victim.read_text(encoding="utf-8") == "keep\n"
    assert target.read_text(encoding="utf-8") == "new\n" and not target.is_symlink()
    textfile.temp_path(target).symlink_to(victim)
    textfile.atomic_write_bytes(target, b"newer\n")
    assert victim.read_text(encoding="utf-8") == "keep\n"


# -- the browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_a_result_never_links_a_javascript_url(
    archive: Archive, tmp_path: Path, page: Page
) -> None:
    """Whatever a bundle holds (here its fragments edited after the build), ``ui.js`` links
    only http(s) URLs: a ``javascript:`` or ``data:`` result is shown, not linked, and
    clicking it runs nothing; the other results still link to their pages."""
    site = tmp_path / "site"
    for path, data in archive.reference.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    urls = {}
    for fragment in (site / "assets/search").glob(f"frag.{archive.search_key}.*.json"):
        data = json.loads(fragment.read_text(encoding="utf-8"))
        for doc in data:
            urls[doc[0]] = doc[1]
            if doc[0] == "Sparse Gating Experts":
                doc[1] = "javascript:window.__pwned=1;alert(document.domain)//"
            if doc[0] == "Expert Routing at Scale":
                doc[1] = " JavaScript:window.__pwned=2//"
            if doc[0] == "Image Kernels Revisited":
                doc[1] = "data:text/html,<script>alert(1)</script>"
        fragment.write_text(json.dumps(data), encoding="utf-8")
    assert {"Sparse Gating Experts", "Image Kernels Revisited"} <= set(urls)
    with serve(site) as base_url:
        for query in ("gating experts", "kernels"):
            page.page.goto(f"{base_url}search/")
            page.page.fill("#search-query", query)
            page.wait_full_results(query)
            links = page.page.eval_on_selector_all(
                "#search-results .pa-result__link",
                "els => els.map(e => [e.querySelector('.pa-result__title').textContent,"
                " e.getAttribute('href')])",
            )
            hrefs = dict(links)
            assert len(hrefs) == 2, hrefs
            for title, href in hrefs.items():
                if title in (
                    "Sparse Gating Experts",
                    "Expert Routing at Scale",
                    "Image Kernels Revisited",
                ):
                    assert href is None  # shown, not linked
                else:
                    assert href == base_url + urls[title]
            unlinked = page.page.locator("#search-results .pa-result__link:not([href])")
            for index in range(unlinked.count()):
                unlinked.nth(index).click()
                assert page.page.evaluate("window.__pwned") is None
                assert page.page.url.startswith(f"{base_url}search/")
    assert page.dialogs == []
    assert page.errors == []


def test_when_git_cannot_tell_what_it_tracks_no_cache_file_is_used(
    archive: Archive, tmp_path: Path
) -> None:
    """A repository git refuses to read (here its index broken; in CI, a checkout owned
    by another user) cannot say which cache files came from a commit: the build uses
    none of them and says so, ``papers validate`` fails saying why."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(archive.repo), str(clone))
    cache = clone / cachefiles.NAME
    shutil.copytree(archive.cache, cache, symlinks=True)
    Case(cache, archive, tmp_path).edit_json(
        Case(cache, archive, tmp_path).search("frag", 0), _javascript_url
    )
    (clone / ".git" / "index").write_bytes(b"not an index")

    result = build(clone, tmp_path / "site")

    assert result.returncode == 0, result.stderr
    assert site_files(tmp_path / "site") == archive.reference
    assert "cache .paper-archive-cache not used: git cannot tell" in result.stderr
    validated = run(clone, VENV_BIN / "papers", "validate")
    assert validated.returncode == 1
    assert ".paper-archive-cache:1: error: git cannot tell which files it tracks" in (
        validated.stdout
    )


def _wrong_paper(lists: list) -> None:
    """Every list names the first paper that is not its own and not already named: a
    well-formed list that shows the wrong paper."""
    for own, items in enumerate(lists):
        for item in items:
            item[0] = next(n for n in range(len(lists)) if n != own)


def test_a_committed_poison_never_reaches_a_served_page(archive: Archive, tmp_path: Path) -> None:
    """``mkdocs serve --dirty`` on a pull request that commits related lists naming the
    wrong papers: the served pages show the computed lists, and still do after a
    rebuild (the poison is removed before each build, never remembered)."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(archive.repo), str(clone))
    cache = clone / cachefiles.NAME
    shutil.copytree(archive.cache, cache, symlinks=True)
    case = Case(cache, archive, tmp_path)
    case.edit_lists(_wrong_paper)
    git(clone, "add", "--force", "--", case.related.relative_to(clone).as_posix())
    git(clone, "commit", "--quiet", "-m", "a pull request")
    expected = _related_list(archive.reference["papers/sparse-gating-experts/index.html"].decode())
    assert "Expert Routing at Scale" in expected
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = serve_process(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", address],
            cwd=clone,
            tmpdir=tmp_path / "tmpdir",
            env=environment(),
            stderr=errors,
        )
    site = Served(f"http://{address}/", log)
    try:
        _until("the site is served", lambda: site.shows("papers/sparse-gating-experts/", "Gating"))
        assert _related_list(site.page("papers/sparse-gating-experts/")) == expected
        about = clone / "docs" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\nRebuilt once.\n", "utf-8")
        _until("the rebuild is served", lambda: site.shows("about/", "Rebuilt once."))
        assert _related_list(site.page("papers/sparse-gating-experts/")) == expected
    finally:
        ctrl_c(server)
    assert "tracked by git" in log.read_text(encoding="utf-8")
