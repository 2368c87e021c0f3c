/*
 * paper-archive search worker: a thin adapter between the page and PaSearch (engine.js).
 *
 * init {urls}: load the first stage (titles index and store) unless urls.titles is
 * absent (the page answered the first queries itself), then the full index and the
 * snippets. query {...}: answer with PaSearch.reply: bounded (engine.js LIMITS), and an
 * answer with `error` instead of an exception, so the page always has something to show.
 */
"use strict";
// The build bundles lunr.js and engine.js in front of this file (one request); served
// alone, it loads them itself.
if (typeof PaSearch === "undefined") importScripts("../vendor/lunr/lunr.min.js", "engine.js");

var search = new PaSearch();
var pending = null;

function fetchJson(url) {
  return fetch(url).then(function (response) {
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  });
}

function now() {
  return performance.timeOrigin + performance.now();
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "init") init(message.urls);
  else if (message.type === "query") {
    if (!search.ready()) pending = message;
    else self.postMessage(search.reply(message));
  }
};

function init(urls) {
  var started = Date.now();
  var first = urls.titles
    ? Promise.all([fetchJson(urls.titles), fetchJson(urls.docs)]).then(function (parts) {
        search.loadFirst(parts[0], parts[1]);
        self.postMessage({ type: "ready", stage: "titles", ms: Date.now() - started, at: now(), count: search.store.docs.length, tags: search.store.tags });
        if (pending) { self.postMessage(search.reply(pending)); pending = null; }
      })
    : fetchJson(urls.docs).then(function (docs) { search.store = docs; });
  first
    .then(function () {
      return Promise.all([fetchJson(urls.full), fetchJson(urls.snippets)]);
    })
    .then(function (parts) {
      search.loadFull(parts[0], parts[1]);
      self.postMessage({ type: "ready", stage: "full", ms: Date.now() - started, at: now(), tags: search.store.tags });
      if (pending) { self.postMessage(search.reply(pending)); pending = null; }
    })
    .catch(function (error) {
      self.postMessage({ type: "error", message: String((error && error.message) || error) });
    });
}
