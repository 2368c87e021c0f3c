"""What a plain build holds (issue 20: peak memory at 100,000 papers), checked on a
small site through MkDocs' own build: what it lets go of, and the same bytes.

- A plain ``mkdocs build`` converts a paper page only as it renders, lets go of a
  page's Markdown once converted and of its HTML body once its output is made (handing
  the free memory back every so many pages), and makes a topic's or year's list as its
  page renders
  (paper_archive/plugin/page_memory.py, index_pages.py); a build with the serve layer
  on keeps them and makes the lists up front, and both write the same site.
- The search plan holds no documents once its process is started or its cache entry
  read, and a plain build copies the bundle its process wrote into the site a file at a
  time (paper_archive/search/build.py).
- The jobs' input files are written a batch of documents at a time, with the bytes
  ``json.dumps`` gives (paper_archive/files/textfile.py).

Sizes and RSS at scale are benchmarks' (tests/benchmarks/bench_build_phases.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import markdown
import mkdocs.commands.build as mkdocs_build
import pytest
from mkdocs.config import load_config
from mkdocs.structure.pages import Page
from paper_archive import jobs
from paper_archive.files.cachefiles import CacheDir
from paper_archive.files.textfile import atomic_write_json_list
from paper_archive.plugin import page_memory
from paper_archive.search.build import BundlePlan
from paper_archive.site import related
from paper_archive.site.render import BODY_MARKER

from .chrome_node import with_chrome
from .sitebuild import build_site, make_site, paper, site_files

NOTED_PAGE = "papers/sparse-experts-for-topic-0/index.html"

PAPERS = 6


@pytest.fixture
def site(tmp_path: Path) -> Path:
    papers = [
        paper(f"Sparse Experts for Topic {n}", tags=("llms",), abstract=f"Routing *tokens* {n}.")
        for n in range(PAPERS)
    ]
    root = make_site(tmp_path / "src", papers)
    # A contributor's notes after the abstract: a heading (a table of contents), math,
    # a link to another paper and one to its heading, converted as the page renders.
    page = root / "docs/papers/sparse-experts-for-topic-0.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\n## Notes\n\n### Why $k$ experts\n\nSee [topic 1](sparse-experts-for-topic-1.md)"
        " and [the reason](sparse-experts-for-topic-0.md#why-k-experts): $O(n^2)$.\n",
        encoding="utf-8",
    )
    return root


def _build(
    root: Path, site: Path, monkeypatch: pytest.MonkeyPatch, *, plain: bool
) -> tuple[dict[str, bytes], list[Page], list[BundlePlan]]:
    """The site built in this process, as ``mkdocs build`` starts it (``plain``: its
    startup event says "build") or with the serve layer on; the pages MkDocs built, as
    it left them, and the search plans started."""
    pages: list[Page] = []
    build_page, populate_page = mkdocs_build._build_page, mkdocs_build._populate_page

    def built(page: Page, *args: Any, **kwargs: Any) -> None:
        build_page(page, *args, **kwargs)
        pages.append(page)

    def populated(page: Page, *args: Any, **kwargs: Any) -> None:
        populate_page(page, *args, **kwargs)  # read and converted: what it holds then
        page.meta["held before the render"] = page.content

    plans: list[BundlePlan] = []
    start = BundlePlan.start

    def started(plan: BundlePlan) -> None:
        start(plan)
        plans.append(plan)

    monkeypatch.setattr(mkdocs_build, "_build_page", built)
    monkeypatch.setattr(mkdocs_build, "_populate_page", populated)
    monkeypatch.setattr(BundlePlan, "start", started)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
    if plain:
        config.plugins.on_startup(command="build", dirty=False)  # what `mkdocs build` runs
    try:
        mkdocs_build.build(config)
    finally:
        config.plugins.on_shutdown()
        monkeypatch.undo()
    return site_files(site), pages, plans


def test_a_plain_build_lets_go_of_paper_pages_text_and_writes_the_same_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    building = ["plain"]
    handed_back: list[str] = []  # the free memory handed back, by the build then
    release = page_memory.release_free_memory

    def released(*, collect: bool = True) -> bool:
        handed_back.append(building[0])
        assert not collect  # glibc's free pages only: no collection mid-render
        return release(collect=collect)

    conversions = {"plain": 0, "kept": 0}  # Markdown converted, by the build then
    convert = markdown.Markdown.convert

    def converted(md: markdown.Markdown, source: str) -> str:
        conversions[building[0]] += 1
        return convert(md, source)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(page_memory, "RELEASE_EVERY", 2)
        patch.setattr(page_memory, "release_free_memory", released)
        patch.setattr(markdown.Markdown, "convert", converted)
        plain, plain_pages, plain_plans = _build(site, tmp_path / "plain", monkeypatch, plain=True)
        # MkDocs loads a hook file once per process (its path): the same site in another
        # folder, its cache with it, gets a hook object of its own with the serve layer on.
        copy = shutil.copytree(site, tmp_path / "copy")
        building[0] = "kept"
        kept, kept_pages, kept_plans = _build(copy, tmp_path / "kept", monkeypatch, plain=False)

    papers = [p for p in plain_pages if p.file.src_uri.startswith("papers/")]
    assert len(papers) == PAPERS
    for page in papers:  # let go of, its title still the front matter's
        assert (page.markdown, page.content) == ("", None), page.file.src_uri
        # not converted until it renders: the record alone holds the abstract till then
        assert page.meta["held before the render"] == "", page.file.src_uri
        assert page.title and page.title.startswith("Sparse Experts for Topic")
    for page in plain_pages:  # every page whose title is its front matter's
        titled = isinstance(page.meta.get("title"), str)
        assert (page.content is None) == titled, page.file.src_uri
    assert all(p.markdown and p.content for p in kept_pages)  # the serve layer on: kept
    # A deferred page is converted once, as it renders: MkDocs' own conversion of the ""
    # it was handed is skipped (a Markdown instance with every extension, for nothing).
    assert conversions["plain"] == conversions["kept"] >= len(plain_pages)
    # The free memory handed back once the archive is collected (on_files), once every
    # page is read (on_env), and every RELEASE_EVERY pages read and let go of; none when
    # kept.
    let_go = sum(isinstance(p.meta.get("title"), str) for p in plain_pages)
    assert let_go > PAPERS
    assert handed_back == ["plain"] * (2 + len(plain_pages) // 2 + let_go // 2)

    # A topic's list is made as its page renders, not held from on_files on.
    topic = "tags/llms/index.md"
    [plain_topic] = [p for p in plain_pages if p.file.src_uri == topic]
    [kept_topic] = [p for p in kept_pages if p.file.src_uri == topic]
    assert BODY_MARKER in plain_topic.meta["held before the render"]
    assert "sparse-experts-for-topic-0" in kept_topic.meta["held before the render"]

    assert NOTED_PAGE in plain
    noted = plain[NOTED_PAGE].decode()
    assert 'href="../sparse-experts-for-topic-1/"' in noted and "Why" in noted
    # the skip link (in the page's chrome): the title, first in its contents
    assert 'href="#pa-title"' in with_chrome(tmp_path / "plain" / NOTED_PAGE)
    assert plain == kept  # every byte of the site
    [kept_noted] = [p for p in kept_pages if p.file.src_uri.endswith("topic-0.md")]
    [plain_noted] = [p for p in papers if p.file.src_uri.endswith("topic-0.md")]
    assert plain_noted.toc.items and [i.id for i in plain_noted.toc] == [
        i.id for i in kept_noted.toc
    ]
    assert plain_noted.present_anchor_ids == kept_noted.present_anchor_ids

    # the first build's plan started its process, the second's read the cache entry
    assert [p.job is not None for p in (*plain_plans, *kept_plans)] == [True, False]
    for plan in (*plain_plans, *kept_plans):
        assert plan.docs == [] and plan.papers == PAPERS
    # The plain build copied its process's bundle into the site a file at a time, never
    # held whole; the other read its cache entry (checked) at the start.
    assert plain_plans[0].files is None and kept_plans[0].files


def test_a_first_build_renders_the_paper_pages_after_the_others(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first paper page waits for the related lists, computed in a process beside a
    first build: the topic, date and site pages render before it, meanwhile
    (plugin/exports.py, ``papers_last``). A build that finds the lists in the cache
    renders in MkDocs' own order, and both write the same site."""
    first, first_pages, _ = _build(site, tmp_path / "first", monkeypatch, plain=True)
    again, again_pages, _ = _build(site, tmp_path / "again", monkeypatch, plain=True)
    order = [p.file.src_uri for p in first_pages]
    papers = [uri for uri in order if uri.startswith("papers/")]
    start = order.index(papers[0])
    assert len(papers) == PAPERS and order[start:] == papers == sorted(papers)
    assert "tags/llms/index.md" in order[:start] and "index.md" in order[:start]
    mkdocs_order = [p.file.src_uri for p in again_pages]  # the lists cached: not moved
    assert mkdocs_order.index("tags/llms/index.md") > mkdocs_order.index(papers[-1])
    assert sorted(mkdocs_order) == sorted(order)
    assert first == again  # every byte of the site


@pytest.mark.parametrize("count", [0, 1, 1023, 1024, 1025, 2049])
def test_a_job_input_written_in_batches_is_the_bytes_of_json_dumps(
    tmp_path: Path, count: int
) -> None:
    head = {"key": "0123abcd", "k": 5, "names": {"llms": "Large “language” models"}}
    items = [[f"slug-{n}", 'A "quoted" tïtle $x^2$', ["llms"], n / 3] for n in range(count)]
    path = tmp_path / "input.json"
    atomic_write_json_list(path, head, "docs", iter(items))
    assert path.read_bytes() == json.dumps({**head, "docs": items}, ensure_ascii=False).encode()
    with pytest.raises(ValueError, match="not a new last member"):
        atomic_write_json_list(path, head, "key", [])


def test_a_large_job_runs_in_a_new_interpreter_not_a_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forked child starts as large as its parent (the related lists' child was the
    largest process of a 100,000-paper build): past FORK_UP_TO documents, a job is a
    ``python -m`` process; below, a fork. Both write the same lists."""
    monkeypatch.setattr(jobs, "can_fork", lambda: True)  # as in `mkdocs build`
    docs = [
        related.Doc(f"paper-{n}", f"Routing experts {n}", "Sparse routing of tokens.", ("llms",))
        for n in range(3)
    ]
    kinds, written = [], []
    for items in (len(docs), jobs.FORK_UP_TO + 1):
        folder = tmp_path / str(items)
        folder.mkdir()
        related.write_input(folder / "input.json", docs, "key", k=2)
        job = jobs.Job.start(
            "paper_archive.site.related", folder / "input.json", str(folder), items=items
        )
        kinds.append(type(job.process).__name__)
        assert job.wait() is None
        written.append(related.cache_file(folder, "key").read_bytes())
    assert kinds == ["Forked", "Popen"]
    assert written[0] == written[1]


def test_a_cache_file_is_read_with_the_memory_of_its_size_not_of_its_cap(
    tmp_path: Path,
) -> None:
    """The caps grow with the archive (related lists: 64 KB a paper, ~6.5 GB at
    100,000); a buffered read allocates what it is asked for, so a read asks for the
    file's size and a byte, never the cap (which here no machine could give)."""
    cache = CacheDir.open(tmp_path)
    path = cache.folder("related") / "related-key.json"
    path.write_bytes(b'{"format": "x"}')
    assert cache.read(path, max_bytes=1 << 50) == b'{"format": "x"}'
    assert cache.read(path, max_bytes=4) is None  # the cap still holds


def test_the_build_reads_back_the_lists_alone_and_leaves_only_the_cache_file(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The related lists' process writes the lists alone for its build (the cache
    file also holds each paper's query terms and candidates, ~2.5 KB a paper, which
    only a serve's index reads): the build reads those, not the cache file, and
    removes them; a next build's process reads the cache file: the same site."""
    reads: list[str] = []
    cached, read_back = related.cached, related.read_back

    def cached_spy(*args: Any, **kwargs: Any) -> Any:
        found = cached(*args, **kwargs)
        reads.append("cache file" if found is not None else "none in the cache")
        return found

    def read_back_spy(*args: Any, **kwargs: Any) -> Any:
        found = read_back(*args, **kwargs)
        reads.append("lists alone" if found is not None else "no lists alone")
        return found

    monkeypatch.setattr(related, "cached", cached_spy)
    monkeypatch.setattr(related, "read_back", read_back_spy)
    first = site_files(build_site(site, site=tmp_path / "first"))
    assert reads == ["none in the cache", "lists alone"]
    folder = site / ".paper-archive-cache" / related.CACHE_DIR
    assert [p.name for p in folder.iterdir()] == [p.name for p in folder.glob("related-*.json")]
    reads.clear()  # a new process (a hook of its own), the same cache
    copy = shutil.copytree(site, tmp_path / "copy")
    assert site_files(build_site(copy, site=tmp_path / "second")) == first
    assert reads == ["cache file"]
