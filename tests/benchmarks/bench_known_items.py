"""Known-item search: two remembered title words find the paper (issue 21).

A generated query set: for each paper, two "distinctive-ish" words of its title (its
words that are not stop words, drawn with a fixed seed, each weighted by its inverse
document frequency among titles), in title order. Each query runs through the site's
own engine (lunr.js and docs/assets/search/{index,query,answer}.js in Node, the bundle
built from the documents, full index loaded) and the paper's place is read from the
first page of results. Printed: how often it is first, in the top 10, and the median
place, over the frozen corpus (tests.CORPUS) and the synthetic 10,000 papers
(tests/benchmarks/synthetic.py: a sample of papers). Two seeds: tune on one, check on
the other. A pair of words that another title has too names no one paper and is not
asked (the synthetic variants of a seed share its title words: most of them).

    .venv/bin/python -m tests.benchmarks.bench_known_items [--seed 1] [--synthetic 1000]
        [--engine DIR: another docs/assets/search/, to compare]
"""

from __future__ import annotations

import argparse
import json
import math
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
from paper_archive.record.tagging import load_vocabulary  # noqa: E402
from paper_archive.search.bundle import SearchDoc, build_bundle, documents  # noqa: E402
from paper_archive.site.collect import collect  # noqa: E402

from tests import CORPUS  # noqa: E402
from tests.lunr_node import (  # noqa: E402
    ENGINE_JS,
    LOADED_SEARCH,
    LUNR_JS,
    NODE,
    bundle_payload,
)

WORD = re.compile(r"[^\W_]+")

_PROGRAM = (
    LOADED_SEARCH
    + r"""
const places = queries.map(([q, url]) => {
  const answer = search.answer({ id: 1, q, offset: 0, limit: 10 });
  const at = answer.results.findIndex((r) => r.url === url);
  return at;
});
process.stdout.write(JSON.stringify(places));
"""
)


def queries(
    docs: list[SearchDoc], *, seed: int, sample: int | None = None
) -> list[tuple[str, str]]:
    """(query, url): two title words of each paper (see the module docstring)."""
    rng = random.Random(seed)
    titles = [[w for w in WORD.findall(d.title.lower()) if w not in STOP_WORDS] for d in docs]
    df = Counter(w for words in titles for w in set(words))
    chosen = list(range(len(docs)))
    if sample is not None and sample < len(docs):
        chosen = sorted(rng.sample(chosen, sample))
    out = []
    for i in chosen:
        words = list(dict.fromkeys(titles[i]))
        if len(words) < 2:
            continue
        weights = [math.log(1 + len(docs) / df[w]) for w in words]
        first = rng.choices(range(len(words)), weights)[0]
        rest = [k for k in range(len(words)) if k != first]
        second = rng.choices(rest, [weights[k] for k in rest])[0]
        pair = {words[first], words[second]}
        if sum(1 for other in titles if pair <= set(other)) > 1:
            continue  # another title has both words: not a known item
        out.append((" ".join(words[k] for k in sorted((first, second))), docs[i].url))
    return out


def places(
    docs: list[SearchDoc], asked: list[tuple[str, str]], aliases: tuple, engine: tuple[Path, ...]
) -> list[int]:
    bundle = build_bundle(docs, {}, "0" * 16, aliases)
    payload = bundle_payload(bundle.files)
    payload["queries"] = asked
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdin:
        json.dump(payload, stdin, ensure_ascii=False)
        stdin.seek(0)
        done = subprocess.run(
            [NODE, "-e", _PROGRAM, str(LUNR_JS), *map(str, engine)],
            stdin=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout)


def report(label: str, found: list[int]) -> list[int]:
    n = len(found)
    first = sum(1 for p in found if p == 0)
    top10 = sum(1 for p in found if p >= 0)
    print(f"{label}: {n} queries, first {first / n:.1%}, top 10 {top10 / n:.1%}")
    return found


def corpus_docs() -> tuple[list[SearchDoc], tuple]:
    vocabulary = load_vocabulary(CORPUS / "data" / "tags.yaml")
    pages = sorted((CORPUS / "docs" / "papers").glob("*.md"))
    archive = collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        vocabulary,
    )
    return documents(archive), vocabulary.alias_groups


def synthetic_docs(count: int) -> list[SearchDoc]:
    from tests.benchmarks.synthetic import variants

    return [
        SearchDoc(e.title, f"papers/{i}/", None, (), "", e.abstract, "")
        for i, e in enumerate(variants(count))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--synthetic", type=int, default=1000, help="papers sampled of 10,000")
    parser.add_argument("--engine", type=Path, help="another copy of docs/assets/search/")
    args = parser.parse_args()
    engine = tuple(args.engine / p.name for p in ENGINE_JS) if args.engine else ENGINE_JS
    docs, aliases = corpus_docs()
    synthetic = synthetic_docs(10_000) if args.synthetic else []
    for seed in args.seed:
        report(
            f"corpus ({len(docs)} papers), seed {seed}",
            places(docs, queries(docs, seed=seed), aliases, engine),
        )
        if synthetic:
            asked = queries(synthetic, seed=seed, sample=args.synthetic)
            report(f"synthetic 10,000, seed {seed}", places(synthetic, asked, aliases, engine))


if __name__ == "__main__":
    main()
