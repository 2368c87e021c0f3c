"""Run the vendored lunr.js (and the site's search engine) in Node, in one batch call."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from . import REPO

NODE = shutil.which("node") or "/usr/bin/node"
LUNR_JS = REPO / "docs/assets/vendor/lunr/lunr.min.js"
#: The engine's files, in the order the worker loads them (search/build.py ENGINE_PARTS).
ENGINE_JS = tuple(REPO / f"docs/assets/search/{part}.js" for part in ("index", "query", "answer"))

#: The start of a Node program over the engine: lunr.min.js and the engine's files (its
#: arguments, in order) in one context, then a ``search`` (PaSearch) with the full index
#: loaded from the JSON on standard input (``titles``, ``store``, ``full``, ``snippets``;
#: its ``queries`` for the rest of the program).
LOADED_SEARCH = r"""
const fs = require("fs");
const vm = require("vm");
const context = vm.createContext({ console });
context.self = context;
for (const file of process.argv.slice(1)) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const { titles, store, full, snippets, queries } = JSON.parse(fs.readFileSync(0, "utf8"));
const search = new context.PaSearch();
search.loadFirst(titles, store);
search.loadFull(full, snippets);
"""


def bundle_payload(files: dict[str, bytes]) -> dict[str, object]:
    """What :data:`LOADED_SEARCH` reads, from a bundle's files (kind -> bytes)."""
    loaded = {kind: json.loads(data) for kind, data in files.items()}
    return {**{k: loaded[k] for k in ("titles", "full", "snippets")}, "store": loaded["docs"]}


#: Loads lunr.min.js and the engine into one context, as the search worker does
#: (importScripts), then answers the request read from standard input.
_PROGRAM = r"""
const fs = require("fs");
const vm = require("vm");
const context = vm.createContext({ console });
context.self = context;
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), context, { filename: "lunr.min.js" });
for (const file of process.argv.slice(2)) {
  vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
}
const lunr = context.lunr;
const request = JSON.parse(fs.readFileSync(0, "utf8"));
const token = (w) => new lunr.Token(w, {});
// Every page of one query's answer, in order: `ask(offset)` gives a page (or a promise).
const everyPage = async (ask) => {
  const pages = [];
  for (let offset = 0; ; ) {
    const answer = await ask(offset);
    pages.push(answer);
    offset += answer.results.length;
    if (!answer.results.length || offset >= answer.total) return pages;
  }
};
const marked = (pages) => pages.flatMap((a) => a.results.map((r) => [r.url, r.titleMarks]));
const ops = {
  stem: (words) => words.map((w) => lunr.stemmer(token(w)).toString()),
  stopWord: (words) => words.map((w) => lunr.stopWordFilter(token(w)) === undefined),
  index: ({ fields, docs }) => {
    const builder = new lunr.Builder();
    builder.pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    builder.ref("id");
    fields.forEach((f) => builder.field(f));
    docs.forEach((d) => builder.add(d));
    const frequencies = {};
    for (const key of Object.keys(builder.fieldTermFrequencies)) {
      frequencies[key] = Object.assign({}, builder.fieldTermFrequencies[key]);
    }
    return { frequencies, lengths: builder.fieldLengths };
  },
  chars: (codePoints) => codePoints.map((c) => {
    const ch = String.fromCodePoint(c);
    return [/[\s\-]/.test(ch), /[\p{L}\p{N}]/u.test(ch)];
  }),
  answer: ({ titles, store, full, snippets, queries }) => {
    const search = new context.PaSearch();
    search.loadFirst(titles, store);
    if (full) search.loadFull(full, snippets);
    return Promise.all(queries.map(async (q) =>
      marked(await everyPage((offset) => search.answer({ id: 1, q, offset, limit: 100 })))));
  },
  // The same queries over a sharded bundle (search/shards.py), its files given by name:
  // each query's answers, the files it fetched, in the order first asked, and in
  // rounds: the files asked for together, before any of them had come.
  sharded: async ({ files, manifest, queries, fresh }) => {
    const fetched = [];
    const rounds = [];
    let open = false;
    const make = () => {
      const search = new context.PaSearch();
      search.loadSharded(JSON.parse(files[manifest]), async (name) => {
        fetched.push(name);
        if (!open) {  // the first file of a round: the others are asked for before it returns
          open = true;
          rounds.push([]);
          queueMicrotask(() => { open = false; });
        }
        rounds[rounds.length - 1].push(name);
        await new Promise((done) => setTimeout(done, 0)); // comes after its round is asked
        if (!(name in files)) throw new Error("no file " + name);
        return JSON.parse(files[name]);
      });
      return search;
    };
    let search = make();
    const out = [];
    for (const q of queries) {
      if (fresh) search = make();
      fetched.length = 0;
      rounds.length = 0;
      const pages = await everyPage(async (offset) => {
        const message = { id: 1, q, offset, limit: 100 };
        await search.prepare(message);
        return search.answer(message);
      });
      out.push({ results: marked(pages), fetched: fetched.slice(), rounds: rounds.map((r) => r.slice()) });
    }
    return out;
  },
  // query.js's best for each case: the first `count` refs in the answers' order.
  best: (cases) => cases.map(({ refs, key, count }) => context.PaQuery.best(refs, key && Float64Array.from(key), count)),
  // Each message's pages (`limit` at a time, every one) with its counts, and the query's
  // matches as searchText gives them: refs, and their order key (null: in order).
  paged: ({ titles, store, full, snippets, messages, limit }) => {
    const search = new context.PaSearch();
    search.loadFirst(titles, store);
    search.loadFull(full, snippets);
    return Promise.all(messages.map(async (m) => {
      const found = context.PaQuery.searchText(search.full, m.q, store.aliases);
      const refs = found.refs || found.results.map((r) => +r.ref);
      const pages = await everyPage((offset) => search.answer(Object.assign({ id: 1, offset, limit }, m)));
      const first = pages[0];
      return {
        refs, key: found.refs ? Array.from(found.key) : null,
        urls: pages.flatMap((a) => a.results.map((r) => r.url)), total: first.total,
        tagCounts: first.tagCounts, yearCounts: first.yearCounts,
      };
    }));
  },
  // What a sharded index takes each of `names` for: {kind, number}, or null (not its file).
  fileOf: ({ manifest, names }) => {
    const index = context.PaIndex.sharded(manifest);
    return names.map((name) => index.fileOf(name));
  },
  // Lunr-syntax queries over a sharded index with every file loaded: [[ref, score]].
  shardedScores: ({ files, manifest, queries }) => {
    const index = context.PaIndex.sharded(JSON.parse(files[manifest]));
    for (const name of Object.keys(files)) index.addFile(name, JSON.parse(files[name]));
    return queries.map((q) => index.search(q).map((r) => [r.ref, r.score]));
  },
  // Every postings shard of a sharded bundle read by the engine (addFile): for each
  // field, each term's [term number, documents, weights].
  shardLists: ({ files, manifest }) => {
    const index = context.PaIndex.sharded(JSON.parse(files[manifest]));
    for (const name of Object.keys(files)) if (name.startsWith("post.")) index.addFile(name, JSON.parse(files[name]));
    return index.lists.map((lists) => Array.from(lists, ([term, list]) => [term, Array.from(list.docs), Array.from(list.weights)]));
  },
  // The message of the error addFile throws for each [name, parsed file] (null: none).
  addFileErrors: ({ manifest, files }) => files.map(([name, data]) => {
    const index = context.PaIndex.sharded(manifest);
    try {
      index.addFile(name, data);
      return null;
    } catch (e) {
      return String(e.message);
    }
  }),
  lunrScores: ({ serialized, queries }) => {
    const index = lunr.Index.load(serialized);
    return queries.map((q) => index.search(q).map((r) => [r.ref, r.score]));
  },
};
Promise.resolve(ops[request.op](request.arg)).then((out) => process.stdout.write(JSON.stringify(out)));
"""


def run(op: str, arg: object) -> object:
    """``op`` applied to ``arg`` by lunr.js (see ``_PROGRAM``); JSON in, JSON out."""
    if not Path(NODE).exists():
        pytest.fail(f"node not found at {NODE}: the lunr.js comparisons need Node")
    done = subprocess.run(
        [NODE, "-e", _PROGRAM, str(LUNR_JS), *map(str, ENGINE_JS)],
        input=json.dumps({"op": op, "arg": arg}, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
