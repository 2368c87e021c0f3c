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
 *           and the snippets. Or {urls: {manifest}}: a sharded bundle (stage "titles"
 *           once the manifest is here, "full" once the facets are; each query fetches
 *           the files it needs).
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

/* Post the answer to `message` (a sharded bundle: once its files are fetched). */
function answer(message) {
  if (search.shards) {
    search.replyLater(message).then(function (reply) {
      self.postMessage(reply);
      loadFacets(); // after the first answer: not needed for it
    });
  }
  else self.postMessage(search.reply(message));
}

function answerPending() {
  if (pending) { answer(pending); pending = null; }
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "init") init(message.urls);
  else if (message.type === "query") {
    if (search.ready()) { answer(message); return; }
    if (pending) self.postMessage({ type: "dropped", id: pending.id });
    pending = message;
  }
};

function init(urls) {
  if (urls.manifest) { initSharded(urls.manifest); return; }
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

/* A sharded bundle (search/shards.py): the manifest, then the facets; the files a
   query needs are fetched as it runs (PaSearch.prepare). */
function initSharded(manifestUrl) {
  var started = Date.now();
  fetchJson(manifestUrl)
    .then(function (manifest) {
      search.loadSharded(manifest, function (name) { return fetchJson(new URL(name, manifestUrl).href); });
      self.postMessage({ type: "ready", stage: "titles", ms: Date.now() - started, at: now(), count: manifest.docs, tags: manifest.tags });
      answerPending();
    })
    .catch(fail);
  loadFacets = function () {
    if (facetsLoading) return;
    facetsLoading = search.loadFacets().then(function () {
      self.postMessage({ type: "ready", stage: "full", ms: Date.now() - started, at: now(), tags: search.store.tags });
    }, fail);
  };
}

var facetsLoading = null;
var loadFacets = function () {};

function fail(error) {
  self.postMessage({ type: "error", message: String((error && error.message) || error) });
}
