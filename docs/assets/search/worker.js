/*
 * paper-archive search worker: a thin adapter between the page's search client
 * (client.js) and PaSearch (answer.js, over query.js and index.js).
 *
 * The protocol: every message is an object with a `type`.
 *
 * page -> worker
 *   init    {urls: {titles?, docs, full, snippets}}  sent once, first. Load the first
 *           stage (titles index + the docs store) unless `titles` is absent (the page
 *           answers the first queries itself from the same files), then the full index
 *           and the snippets.
 *   query   {id, q, tag, year, offset, limit}  answer with one `results` of that id
 *           (or a `dropped`). Queries that come before the index is ready wait; only
 *           the newest waits.
 *
 * worker -> page
 *   ready   {stage: "titles" | "full", ms, at, count?, tags}  a stage is loaded (`ms`
 *           since init, `at` the time in ms since the epoch, `count` the papers,
 *           `tags` [[slug, name], …]). "titles" only when the worker loaded it.
 *   results {id, q, total, offset, results, tagCounts, yearCounts, mode, corrected,
 *           notes, stage, ms, error?}  PaSearch.reply: bounded (index.js LIMITS),
 *           and an answer with `error` instead of an exception, so the page always has
 *           something to show.
 *   dropped {id}  a waiting query replaced by a newer one before the index was ready.
 *   error   {message}  a stage failed to load; no `ready` will follow.
 */
"use strict";
// The build bundles lunr.js, the engine (index.js, query.js, answer.js) and shared.js
// in front of this file (one request); served alone, it loads them itself.
if (typeof PaSearch === "undefined") importScripts("../vendor/lunr/lunr.min.js", "index.js", "query.js", "answer.js", "shared.js");

var search = new PaSearch();
var pending = null;
var fetchJson = PaSearchClient.fetchJson;

function now() {
  return performance.timeOrigin + performance.now();
}

function answerPending() {
  if (pending) { self.postMessage(search.reply(pending)); pending = null; }
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "init") init(message.urls);
  else if (message.type === "query") {
    if (search.ready()) { self.postMessage(search.reply(message)); return; }
    if (pending) self.postMessage({ type: "dropped", id: pending.id });
    pending = message;
  }
};

function init(urls) {
  var started = Date.now();
  var first = urls.titles
    ? Promise.all([fetchJson(urls.titles), fetchJson(urls.docs)]).then(function (parts) {
        search.loadFirst(parts[0], parts[1]);
        self.postMessage({ type: "ready", stage: "titles", ms: Date.now() - started, at: now(), count: search.store.docs.length, tags: search.store.tags });
        answerPending();
      })
    : fetchJson(urls.docs).then(function (docs) { search.store = docs; });
  first
    .then(function () {
      return Promise.all([fetchJson(urls.full), fetchJson(urls.snippets)]);
    })
    .then(function (parts) {
      search.loadFull(parts[0], parts[1]);
      self.postMessage({ type: "ready", stage: "full", ms: Date.now() - started, at: now(), tags: search.store.tags });
      answerPending();
    })
    .catch(function (error) {
      self.postMessage({ type: "error", message: String((error && error.message) || error) });
    });
}
