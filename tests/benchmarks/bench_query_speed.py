"""Query time once loaded: p50 / p95 / max of the site's engine in Node (issue 21).

The synthetic archive's search documents (tests/benchmarks/synthetic.py, 10,000 papers
by default) built into the unsharded bundle with the fixture vocabulary's aliases, the
full index loaded (lunr.js and docs/assets/search/{index,query,answer}.js in Node, as
the worker loads them), then a fixed query set answered (`PaSearch.answer`, the first
page of 20, facet counts and highlights included; the last-answer cache cleared before
each): typical two-word queries (two title words of a paper drawn with a fixed seed),
phrases (hyphenated compounds of the abstracts, and quoted pairs), the vocabulary's
aliases, and broad queries (the most frequent title words, alone and in pairs).

With `--engine DIR` (another copy of docs/assets/search/, e.g. the files at an older
commit) both engines load the same bundle in one Node process and answer each query in
turn, alternating; their answers are compared (total, phrase count, mode, the page's
urls and highlight ranges) and any difference is printed and fails the run.

    nice -n 10 .venv/bin/python -m tests.benchmarks.bench_query_speed [--papers 10000]
        [--rounds 5] [--engine DIR] [--cache FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from lunr.stop_word_filter import WORDS as STOP_WORDS  # noqa: E402
from paper_archive.search.bundle import SearchDoc, build_bundle  # noqa: E402

from tests.benchmarks.bench_known_items import corpus_docs, synthetic_docs  # noqa: E402
from tests.lunr_node import ENGINE_JS, LUNR_JS, NODE  # noqa: E402

WORD = re.compile(r"[^\W_]+")
COMPOUND = re.compile(r"\b[^\W_]+(?:-[^\W_]+)+\b")

_PROGRAM = r"""
const fs = require("fs");
const vm = require("vm");
const { performance } = require("perf_hooks");
const engines = JSON.parse(process.argv[1]);
const { titles, store, full, snippets, queries, rounds } = JSON.parse(fs.readFileSync(0, "utf8"));
const searches = engines.map((files) => {
  const context = vm.createContext({ console });
  context.self = context;
  for (const file of files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  const search = new context.PaSearch();
  search.loadFirst(titles, store);
  search.loadFull(full, snippets);
  return search;
});
const ask = (search, q) => {
  search.last = { key: null, refs: [] };
  const started = performance.now();
  const answer = search.answer({ id: 1, q, offset: 0, limit: 20 });
  return [performance.now() - started, answer];
};
const shape = (a) => JSON.stringify([a.total, a.phraseTotal, a.mode, a.corrected, a.notes,
  a.results.map((r) => [r.url, r.titleMarks, r.snippetMarks]), a.tagCounts, a.yearCounts]);
const times = engines.map(() => queries.map(() => []));
const differ = [];
for (let round = 0; round <= rounds; round++) { // round 0 warms up and compares
  queries.forEach((q, i) => {
    const answers = searches.map((search, e) => {
      const [ms, answer] = ask(search, q);
      if (round > 0) times[e][i].push(ms);
      return answer;
    });
    if (round === 0 && answers.length > 1 && shape(answers[0]) !== shape(answers[1])) differ.push(q);
  });
}
const totals = queries.map((q) => ask(searches[0], q)[1].total);
process.stdout.write(JSON.stringify({ times, differ, totals }));
"""


def query_set(docs: list[SearchDoc], aliases: tuple, *, seed: int = 1) -> dict[str, list[str]]:
    """The fixed query set, by kind (see the module docstring)."""
    rng = random.Random(seed)
    titles = [[w for w in WORD.findall(d.title.lower()) if w not in STOP_WORDS] for d in docs]
    typical = []
    for i in rng.sample(range(len(docs)), 40):
        words = list(dict.fromkeys(titles[i]))
        if len(words) >= 2:
            pair = sorted(rng.sample(range(len(words)), 2))
            typical.append(" ".join(words[k] for k in pair))
    compounds = Counter(m.lower() for d in docs[:600] for m in COMPOUND.findall(d.abstract))
    common = [c for c, n in compounds.most_common() if n >= 2]
    phrases = sorted(rng.sample(common, min(15, len(common))))
    phrases += [f'"{q}"' for q in typical[:5]]
    names = sorted({name for group in aliases for name in group})
    alias = rng.sample(names, min(20, len(names)))
    df = Counter(w for words in titles for w in set(words))
    top = [w for w, _ in df.most_common(10)]
    broad = top + [f"{top[i]} {top[i + 1]}" for i in range(0, 10, 2)]
    broad += ["deep learning", "language model", "neural network", "reinforcement learning"]
    return {"typical": typical, "phrase": phrases, "alias": alias, "broad": broad}


def run(
    docs: list[SearchDoc],
    aliases: tuple,
    queries: list[str],
    engines: list[tuple[Path, ...]],
    rounds: int,
    cache: Path | None = None,
) -> dict:
    if cache and cache.is_file():
        payload = json.loads(cache.read_text(encoding="utf-8"))
    else:
        bundle = build_bundle(docs, {}, "0" * 16, aliases)
        files = {kind: json.loads(data) for kind, data in bundle.files.items()}
        payload = {**{k: files[k] for k in ("titles", "full", "snippets")}, "store": files["docs"]}
        if cache:
            cache.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    payload.update(queries=queries, rounds=rounds)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdin:
        json.dump(payload, stdin, ensure_ascii=False)
        stdin.seek(0)
        done = subprocess.run(
            [NODE, "-e", _PROGRAM, json.dumps([[str(LUNR_JS), *map(str, e)] for e in engines])],
            stdin=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(p * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engine", type=Path, help="another copy of docs/assets/search/")
    parser.add_argument("--cache", type=Path, help="keep the built bundle in this file (reruns)")
    args = parser.parse_args()
    _, aliases = corpus_docs()
    docs = synthetic_docs(args.papers)
    kinds = query_set(docs, aliases)
    queries = [q for group in kinds.values() for q in group]
    engines = [ENGINE_JS]
    labels = ["this engine"]
    if args.engine:
        engines.insert(0, tuple(args.engine / p.name for p in ENGINE_JS))
        labels.insert(0, f"engine in {args.engine}")
    out = run(docs, aliases, queries, engines, args.rounds, args.cache)
    print(f"{args.papers} papers, {len(queries)} queries x {args.rounds} rounds (ms)")
    print("| engine | queries | p50 | p95 | max | slowest query (median ms) |")
    print("|---|---|---:|---:|---:|---|")
    for label, times in zip(labels, out["times"], strict=True):
        at = 0
        for kind, group in [*kinds.items(), ("all", queries)]:
            if kind == "all":
                at, chunk = 0, times
            else:
                chunk = times[at : at + len(group)]
                at += len(group)
            flat = [ms for per in chunk for ms in per]
            medians = [sorted(per)[len(per) // 2] for per in chunk]
            worst = max(range(len(chunk)), key=medians.__getitem__)
            print(
                f"| {label} | {kind} ({len(group)}) | {percentile(flat, 0.5):.1f} | "
                f"{percentile(flat, 0.95):.1f} | {max(flat):.1f} | "
                f"`{group[worst]}` {medians[worst]:.1f} ({out['totals'][queries.index(group[worst])]} results) |"
            )
    if args.engine:
        if out["differ"]:
            print(f"answers differ for {len(out['differ'])} queries: {out['differ']}")
            raise SystemExit(1)
        print("answers identical for every query")


if __name__ == "__main__":
    main()
