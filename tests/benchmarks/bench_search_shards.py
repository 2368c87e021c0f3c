"""Search over a sharded bundle (search/shards.py) at 100,000 papers, in headless Chromium.

    nice -n 10 python tests/benchmarks/bench_search_shards.py [--papers 100000] [--runs 3]

No MkDocs build: the search documents are made from the synthetic archive's papers
(tests/benchmarks/synthetic.py: variants of the seeds, newest first, two of 40 topics
each, an arXiv id on two papers in three) and the bundle is written with the /search/
page's markup, boot script and scripts (tests/search/shard_site.py), served on
127.0.0.1. It prints:
- the bundle's build time and peak memory (a separate process), files and sizes by kind;
- cold load of search/?q=pointer+networks: ms from navigation start to the first
  rendered result, and the search bytes fetched before it (gzip level 6, as a server
  would send them), per run;
- bytes per query from a cold load (every file the query needs: manifest, dictionary
  chunks, postings shards, fragments of the 20 results shown), median and max;
- query latency once loaded, from the input event to the rendered results, p50 / p95
  (bench_search.py's queries; files a query lacks are fetched within it).
With ``--pagefind PATH`` (the ``pagefind`` binary, 1.5.2: the ``pagefind-bin`` wheel,
outside this project's environment), the same documents also become one bare HTML page
each (title and abstract), indexed by Pagefind, with a bare search page that renders the
first result as soon as Pagefind gives its fragment (the least Pagefind can do for a
first result); the cold first result of both is measured alternating, in the same run.
Figures: docs/search-benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from paper_archive.search.bundle import SearchDoc, _snippet  # noqa: E402

from tests.benchmarks.synthetic import variants  # noqa: E402

KEY = "bench00000000000"
TOPICS = 40


def synthetic_docs(count: int) -> tuple[list[SearchDoc], dict[str, str]]:
    """``count`` search documents from the synthetic archive's papers, newest first."""
    tag_names = {f"topic-{i:02d}": f"Topic {i}" for i in range(TOPICS)}
    slugs = sorted(tag_names)
    entries = sorted(
        variants(count),
        key=lambda e: (e.published.toordinal() if e.published else 0, e.title),
        reverse=True,
    )
    docs = []
    for i, entry in enumerate(entries):
        h = zlib.crc32(entry.title.encode())
        tags = tuple(sorted({slugs[h % TOPICS], slugs[(h >> 8) % TOPICS]}))
        abstract = " ".join(entry.abstract.split())
        docs.append(
            SearchDoc(
                title=entry.title,
                url=f"papers/p{i}/",
                year=entry.published.year if entry.published else None,
                tags=tags,
                tag_text=" ".join(f"{s.replace('-', ' ')} {tag_names[s]}" for s in tags),
                abstract=abstract,
                snippet=_snippet(abstract),
                arxiv=f"{2001 + i % 600:04d}.{i:05d}" if i % 3 else "",
            )
        )
    return docs, tag_names


def _build(papers: int, root: Path) -> dict[str, float]:
    """Build the site in a separate process: its wall and CPU time (user + system) and
    peak memory."""
    program = (
        "import sys, time, resource, json\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from tests.benchmarks.bench_search_shards import synthetic_docs, KEY\n"
        "from tests.search.shard_site import write_site\n"
        "docs, tags = synthetic_docs(int(sys.argv[1]))\n"
        "def cpu():\n"
        "    r = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    return r.ru_utime + r.ru_stime\n"
        "t, c = time.perf_counter(), cpu()\n"
        "write_site(__import__('pathlib').Path(sys.argv[2]), docs, tags, KEY)\n"
        "print(json.dumps({'s': time.perf_counter() - t, 'cpu': cpu() - c,"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(papers), str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def _sizes(folder: Path) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for path in folder.iterdir():
        kind = path.name.split(".")[0]
        entry = out.setdefault(kind, [0, 0, 0])
        entry[0] += 1
        entry[1] += path.stat().st_size
        entry[2] += _gz(path)
    return out


INIT = """
window.__firstResult = null;
new MutationObserver(() => {
  if (window.__firstResult === null && document.querySelector('#search-results .pa-result'))
    window.__firstResult = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


_PAGEFIND_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title><link rel="icon" href="data:,">
</head><body><input id="q"><ol id="results"></ol>
<script type="module">
const q = new URLSearchParams(location.search).get("q") || "";
const pagefind = await import("../pagefind/pagefind.js");
const search = await pagefind.search(q);
if (search.results.length) {
  const data = await search.results[0].data();
  const li = document.createElement("li");
  li.className = "pf-result";
  li.textContent = data.meta.title;
  document.getElementById("results").appendChild(li);
}
</script></body></html>
"""


def _pagefind_site(root: Path, docs: list[SearchDoc], binary: str) -> float:
    """Bare pages and Pagefind's index of them in ``root``; the index's build time (s)."""
    import html

    for doc in docs:
        page = root / doc.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<!doctype html><html lang=en><head><meta charset=utf-8>"
            f"<title>{html.escape(doc.title)}</title></head><body><main>"
            f"<h1>{html.escape(doc.title)}</h1><p>{html.escape(doc.abstract)}</p>"
            f"</main></body></html>",
            encoding="utf-8",
        )
    started = time.perf_counter()
    subprocess.run([binary, "--site", str(root), "--quiet"], check=True)
    elapsed = time.perf_counter() - started
    (root / "search").mkdir(exist_ok=True)
    (root / "search" / "index.html").write_text(_PAGEFIND_PAGE, encoding="utf-8")
    return elapsed


def _cold_first(browser: object, url: str, selector: str) -> tuple[float, str]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.add_init_script(INIT.replace("#search-results .pa-result", selector))
    page.goto(url)
    page.wait_for_selector(selector, timeout=60_000)
    first = page.evaluate("window.__firstResult")
    title = page.text_content(selector) or ""
    context.close()
    return first, title


def compare_pagefind(papers: int, runs: int, binary: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = Path(tmp) / "ours", Path(tmp) / "pagefind"
        _build(papers, ours)
        docs, _ = synthetic_docs(papers)
        indexed = _pagefind_site(theirs, docs, binary)
        print(f"{papers} papers: Pagefind indexed the bare pages in {indexed:.1f} s")
        with serve(ours) as a, serve(theirs) as b, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            mine, pf = [], []
            for _ in range(runs):
                ms, title = _cold_first(
                    browser, a + "search/?q=pointer+networks", "#search-results .pa-result"
                )
                mine.append((ms, "Pointer Networks" in title))
                ms, title = _cold_first(browser, b + "search/?q=pointer+networks", ".pf-result")
                pf.append((ms, "Pointer Networks" in title))
            browser.close()
        print("  archive, cold first result (ms, correct top hit):", mine)
        print("  Pagefind, cold first result (ms, correct top hit):", pf)
        ratio = statistics.median(m for m, _ in pf) / statistics.median(m for m, _ in mine)
        print(f"  Pagefind median / archive median: {ratio:.2f}x")


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.benchmarks.bench_search import MEASURE_QUERY, QUERIES
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pagefind", help="the pagefind binary: compare with it instead")
    parser.add_argument(
        "--site",
        type=Path,
        help="build the bundle here and keep it; reuse it if it is already there "
        "(the build's figures are then not printed)",
    )
    parser.add_argument(
        "--detail", action="store_true", help="also print each query's latency and the cold timeline"
    )
    args = parser.parse_args()
    if args.pagefind:
        compare_pagefind(args.papers, args.runs, args.pagefind)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = args.site or Path(tmp)
        started = time.perf_counter()
        if args.site and (root / "search/index.html").is_file():
            from tests.search.shard_site import write_pages

            manifest = next((root / "assets/search").glob("manifest.*.json")).name
            write_pages(root, manifest)
            print(f"{args.papers} papers: the bundle kept in {root} (today's scripts written)")
        else:
            built = _build(args.papers, root)
            print(
                f"{args.papers} papers: bundle built in {built['s']:.1f} s, CPU {built['cpu']:.1f} s "
                f"(peak RSS {built['rss_mb']:.0f} MB; with the documents: "
                f"{time.perf_counter() - started:.1f} s; load average "
                f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})"
            )
        folder = root / "assets/search"
        for kind, (files, raw, packed) in sorted(_sizes(folder).items()):
            print(f"  {kind:9} {files:6} files {raw / 1e6:8.2f} MB raw {packed / 1e6:7.2f} MB gz")
        gz_cache: dict[str, int] = {}

        def search_bytes(urls: list[str]) -> int:
            total = 0
            for url in set(urls):
                path = root / urlparse(url).path.lstrip("/")
                if "assets/" in str(path) and path.is_file():
                    if url not in gz_cache:
                        gz_cache[url] = _gz(path)
                    total += gz_cache[url]
            return total

        with serve(root) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for run in range(args.runs):
                context = browser.new_context()
                page = context.new_page()
                ended: list[tuple[float, str]] = []
                page.on(
                    "requestfinished",
                    lambda r, ended=ended: ended.append(
                        (r.timing["startTime"] + r.timing["responseEnd"], r.url)
                    ),
                )
                page.add_init_script(INIT)
                page.goto(base + "search/?q=pointer+networks")
                page.wait_for_selector("#search-results .pa-result", timeout=60_000)
                first = page.evaluate("window.__firstResult")
                epoch = page.evaluate("performance.timeOrigin") + first
                title = page.text_content("#search-results .pa-result__title") or ""
                before = [url for at, url in ended if at <= epoch]
                engine = [u for u in before if u.endswith(".js")]
                print(
                    f"  cold run {run + 1}: first result {first:.0f} ms "
                    f"({'correct' if 'Pointer Networks' in title else 'WRONG: ' + title}), "
                    f"{search_bytes(before) / 1024:.0f} KB before it "
                    f"(of which scripts {search_bytes(engine) / 1024:.0f} KB)"
                )
                if args.detail:
                    for at, url in sorted(ended):
                        print(f"    {at - page.evaluate('performance.timeOrigin'):7.0f} ms  {urlparse(url).path}")
                context.close()
            per_query = []
            for q in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                page.goto(base + "search/")
                page.wait_for_function(
                    "() => /Type to search/.test(document.querySelector('#search-status').textContent)"
                )
                urls: list[str] = []
                page.on("requestfinished", lambda r, urls=urls: urls.append(r.url))
                page.evaluate(MEASURE_QUERY, ["#search-query", "#search-results", q])
                page.wait_for_function(
                    "q => document.querySelector('#search-results').dataset.q === q", arg=q
                )
                per_query.append((search_bytes(urls), q))
                context.close()
            per_query.sort()
            print(
                f"  bytes a query fetches (cold, after the manifest): median "
                f"{statistics.median(b for b, _ in per_query) / 1024:.0f} KB, max "
                f"{per_query[-1][0] / 1024:.0f} KB ({per_query[-1][1]!r})"
            )
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "search/?q=graph")
            page.wait_for_function(
                "() => document.querySelector('#search-results').dataset.stage === 'full'"
            )
            latencies = []
            for pass_ in range(2):  # the second pass: every file already here
                for q in QUERIES:
                    ms = page.evaluate(MEASURE_QUERY, ["#search-query", "#search-results", q])
                    page.wait_for_function(
                        "q => document.querySelector('#search-results').dataset.q === q", arg=q
                    )
                    if ms is not None:
                        latencies.append(ms)
                    if args.detail:
                        print(f"    pass {pass_ + 1} {q!r}: {ms} ms")
                first_pass = sorted(latencies)
                latencies = []
                print(
                    f"  query latency ({'files fetched' if pass_ == 0 else 'files here'}): "
                    f"p50 {statistics.median(first_pass):.1f} ms, "
                    f"p95 {first_pass[max(0, round(0.95 * len(first_pass)) - 1)]:.1f} ms"
                )
            browser.close()


if __name__ == "__main__":
    main()
