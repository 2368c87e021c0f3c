"""Search benchmark in headless Chromium: the archive's search against Material's.

    python tests/benchmarks/bench_search.py [--sizes 543 10000] [--runs 3]

For each size it builds the archive's site and the anchor (mkdocs-material with its
search plugin, same pages), serves both on 127.0.0.1 and, with a cold cache each run:
- ms from navigation start to the first rendered result for "pointer networks";
- the longest main-thread task while the page loads (long tasks API);
- query latency p50 / p95 over 20 queries once the index is fully loaded (from the
  input event to the rendered results);
- for ours only, the same latency for queries that end in partial matches or a
  corrected typo and for hostile ones (index.js LIMITS): median and max;
- bytes the browser fetched for search (sizes as gzip would send them, level 6), split
  into what a first search needs and what loads after, per paper.
Figures: docs/search-benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.benchmarks.sites import archive_with_site, build  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

QUERIES = [
    "pointer networks", "language model", "diffusion", "bayesian neural network", "graph",
    "transformer attention", "protot", "transfromer", "uncertainty calibration", "sparse",
    "density estimation", "reinforcement learning", "interpretability", "mamba", "pruning",
    "kernel", "convolutional", "generative adversarial", "neural ode", "deep learning",
]  # fmt: skip
#: Partial matches, corrected typos and hostile input (tests/search/test_search_hostile_browser.py),
#: each after a query with results so that the list changes.
HARD_QUERIES = [
    "reinforcement learning from human feedback", "transfromer attention", "graph",
    "qwertyuiopasdfgh~6", "graph", "a~99", "graph", "x" * 10_000, "graph",
    " ".join(f"word{i}" for i in range(500)), "graph", "*a*b*c*", "pro*", "*ing",
    "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnmqwertyuiopas~2",
    "learning model network deep neural data method approach results show performance",
    " ".join(["aaaaaaaaaaaa~2"] * 40), "graph", "constructor __proto__ tostring",
]  # fmt: skip

INIT = """
window.__firstResult = null;
window.__longest = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
  .observe({type: 'longtask', buffered: true});
new MutationObserver(() => {
  if (window.__firstResult === null && document.querySelector(SELECTOR)) window.__firstResult = performance.now();
}).observe(document, {childList: true, subtree: true});
"""

OURS = {
    "first_url": "search/?q=pointer+networks",
    "result": "#search-results .pa-result",
    "input": "#search-query",
    "list": "#search-results",
    "ready": "() => document.querySelector('#search-results').dataset.stage === 'full'",
}
MATERIAL = {
    "first_url": "?q=pointer+networks",
    "result": ".md-search-result__item",
    "input": ".md-search__input",
    "list": ".md-search-result__list",
    "ready": "() => document.querySelector('.md-search-result__item') !== null",
}

MEASURE_QUERY = """
async ([selector, listSelector, q]) => {
  const input = document.querySelector(selector);
  const list = document.querySelector(listSelector);
  const done = new Promise(resolve => {
    const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
    observer.observe(list, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 10000);
  });
  const start = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: q.slice(-1)}));
  const end = await done;
  return end === null ? null : end - start;
}
"""


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def measure(
    browser: object, base: str, site: Path, kind: dict[str, str], papers: int
) -> dict[str, float]:
    context = browser.new_context()  # type: ignore[attr-defined]  # cold cache
    page = context.new_page()
    fetched: list[tuple[float, str]] = []  # (epoch ms when the response ended, url)

    def finished(request: object) -> None:
        timing = request.timing  # type: ignore[attr-defined]
        fetched.append((timing["startTime"] + timing["responseEnd"], request.url))  # type: ignore[attr-defined]

    page.on("requestfinished", finished)
    page.add_init_script(INIT.replace("SELECTOR", repr(kind["result"])))
    page.goto(base + kind["first_url"])
    if kind is MATERIAL:  # Material opens search from ?q= only with its dialog: type instead
        page.wait_for_selector(kind["input"], state="attached")
        page.click(".md-search__input", force=True) if page.is_visible(
            ".md-search__input"
        ) else page.click("label[for=__search]")
        page.fill(kind["input"], "pointer networks")
    page.wait_for_selector(kind["result"], timeout=60_000)
    first = page.evaluate("window.__firstResult")
    first_epoch = page.evaluate("performance.timeOrigin") + first
    first_title = page.text_content(kind["result"]) or ""
    page.wait_for_function(kind["ready"], timeout=120_000)
    page.wait_for_timeout(300)
    latencies = []
    for q in QUERIES:
        ms = page.evaluate(MEASURE_QUERY, [kind["input"], kind["list"], q])
        if ms is not None:
            latencies.append(ms)
        page.wait_for_timeout(150)
    hard = []
    for q in HARD_QUERIES if kind is OURS else []:
        ms = page.evaluate(MEASURE_QUERY, [kind["input"], kind["list"], q])
        if ms is None:
            raise SystemExit(f"no answer within 10 s to {q[:40]!r}")
        if q != "graph":
            hard.append(ms)
        page.wait_for_timeout(150)
    longest = page.evaluate("window.__longest")
    before_first = {url for ended, url in fetched if ended <= first_epoch}
    all_urls = {url for _, url in fetched}
    context.close()

    def search_bytes(urls: set[str]) -> int:
        total = 0
        for url in urls:
            path = urlparse(url).path.lstrip("/")
            if "search" in path or "lunr" in path:
                file = site / path
                if file.is_file():
                    total += gz(file)
        return total

    first_bytes = search_bytes(before_first)
    latencies.sort()
    return {
        "first_ms": first,
        "first_ok": "Pointer Networks" in first_title,
        "longest_task_ms": longest,
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)],
        "answered": len(latencies),
        "hard": sorted(hard),
        "first_bytes_per_paper": first_bytes / papers,
        "all_bytes_per_paper": search_bytes(all_urls) / papers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[543, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--ours-only", action="store_true", help="skip Material's search")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    out = sys.stdout
    out.write(
        "| papers | search | first result (ms) min / median / max | longest main-thread task (ms) | "
        "query p50 / p95 (ms) | search bytes per paper, gzip: first search / all |\n|---:|---|---|---:|---|---|\n"
    )
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes:
            root = archive_with_site(Path(tmp) / f"site-{size}", size)
            sites = {"paper-archive": (build(root, "mkdocs.yml", Path(tmp) / "ours"), OURS)}
            if not args.ours_only:
                material = build(root, "anchor.yml", Path(tmp) / "material")
                sites["mkdocs-material built-in"] = (material, MATERIAL)
            for name, (_, kind) in sites.items():
                directory = Path(tmp) / ("ours" if kind is OURS else "material")
                runs = []
                with serve(directory) as base:
                    for _ in range(args.runs):
                        runs.append(measure(browser, base, directory, kind, size))
                firsts = sorted(r["first_ms"] for r in runs)
                ok = "" if all(r["first_ok"] for r in runs) else " (top hit not Pointer Networks)"
                out.write(
                    f"| {size} | {name}{ok} | {firsts[0]:.0f} / {statistics.median(firsts):.0f} / {firsts[-1]:.0f} | "
                    f"{max(r['longest_task_ms'] for r in runs):.0f} | "
                    f"{statistics.median(r['p50'] for r in runs):.1f} / {statistics.median(r['p95'] for r in runs):.1f} | "
                    f"{statistics.median(r['first_bytes_per_paper'] for r in runs):.0f} / "
                    f"{statistics.median(r['all_bytes_per_paper'] for r in runs):.0f} |\n"
                )
                if kind is OURS:
                    hard = sorted(ms for r in runs for ms in r["hard"])
                    out.write(
                        f"|  | partial, corrected and hostile queries ({len(HARD_QUERIES) - HARD_QUERIES.count('graph')}), "
                        f"all runs: median {statistics.median(hard):.1f} / max {hard[-1]:.1f} ms |  |  |  |  |\n"
                    )
                out.flush()
        browser.close()


if __name__ == "__main__":
    main()
