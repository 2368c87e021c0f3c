/*
 * paper-archive search worker.
 *
 * Loads the prebuilt Lunr indexes (built at build time by hooks/search_index.py) off
 * the main thread and answers queries. Two stages: a small title-and-tags index that
 * answers at once, then the full index with abstracts, which replaces it when loaded.
 *
 * Query semantics: every word is required (AND), the last word also matches as a
 * prefix while typing, and if nothing matches, words of five letters or more are
 * retried with one typo (Lunr's edit distance, transpositions included). Text with
 * Lunr syntax (field:term, +must, -not, term~1, boost^2) is tried as Lunr query syntax
 * first; a query Lunr cannot parse falls back to a plain word search. Scores are
 * Lunr's own (BM25 over the prebuilt field vectors).
 */
"use strict";
// The build bundles lunr.js and engine.js in front of this file (one request); served
// alone, it loads them itself.
if (typeof PaIndex === "undefined") importScripts("../vendor/lunr/lunr.min.js", "engine.js");

var PAGE = 20;
var WORD = /[\p{L}\p{N}]+/gu;
var SYNTAX = /[:~^+\-*"]/;

var store = null;
var snippets = null;
var titles = null;
var full = null;
var pending = null;
var last = { key: null, refs: [] };

function fetchJson(url) {
  return fetch(url).then(function (response) {
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "init") init(message.urls);
  else if (message.type === "query") {
    if (!store) pending = message;
    else answer(message);
  }
};

function init(urls) {
  var started = Date.now();
  self.postMessage({ type: "started", at: performance.timeOrigin + performance.now() });
  Promise.all([fetchJson(urls.titles), fetchJson(urls.docs)])
    .then(function (parts) {
      titles = new PaIndex(parts[0]);
      store = parts[1];
      self.postMessage({ type: "ready", stage: "titles", ms: Date.now() - started, at: performance.timeOrigin + performance.now(), count: store.docs.length, tags: store.tags });
      if (pending) { answer(pending); pending = null; }
      return Promise.all([fetchJson(urls.full), fetchJson(urls.snippets)]);
    })
    .then(function (parts) {
      full = new PaIndex(parts[0]);
      snippets = parts[1];
      last = { key: null, refs: [] };
      self.postMessage({ type: "ready", stage: "full", ms: Date.now() - started });
    })
    .catch(function (error) {
      self.postMessage({ type: "error", message: String(error && error.message || error) });
    });
}

function words(text) {
  var out = [];
  var match;
  WORD.lastIndex = 0;
  while ((match = WORD.exec(text.toLowerCase())) !== null) out.push(match[0]);
  return out;
}

function isStopWord(word) {
  return lunr.stopWordFilter(new lunr.Token(word)) === undefined;
}

var stems = new Map();
function stem(word) {
  var cached = stems.get(word);
  if (cached === undefined) {
    cached = lunr.stemmer(new lunr.Token(word)).toString();
    if (stems.size < 100000) stems.set(word, cached);
  }
  return cached;
}

/* One pass of the plain word search; `fuzzy` turns on one typo for long words. */
function plainSearch(index, list, fuzzy) {
  var content = list.filter(function (w) { return !isStopWord(w); });
  if (content.length === 0) content = list;
  return index.query(function (q) {
    content.forEach(function (word, i) {
      var lastWord = i === content.length - 1;
      if (fuzzy && word.length >= 5) {
        q.term(word, { editDistance: 1, presence: lunr.Query.presence.REQUIRED });
      } else if (lastWord && word.length >= 3 && !index.has(stem(word))) {
        q.term(word, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false, presence: lunr.Query.presence.REQUIRED });
        q.term(word, { boost: 10 }); // a whole-word match ranks above a prefix match
      } else {
        q.term(word, { presence: lunr.Query.presence.REQUIRED });
      }
    });
  });
}

function search(index, text) {
  var list = words(text);
  if (list.length === 0) return { results: [], words: [] };
  if (SYNTAX.test(text)) {
    try {
      var parsed = index.search(text);
      if (parsed.length) return { results: parsed, words: list };
    } catch (error) {
      /* not valid Lunr syntax: search the words instead */
    }
  }
  var results = plainSearch(index, list, false);
  if (results.length === 0) results = plainSearch(index, list, true);
  return { results: results, words: list };
}

function refsFor(text) {
  var index = full || titles;
  var key = (full ? "full:" : "titles:") + text;
  if (last.key === key) return last;
  var found = search(index, text);
  var refs = found.results.map(function (r) { return +r.ref; });
  last = { key: key, refs: refs, words: found.words };
  return last;
}

function highlight(text, list) {
  if (!list || !list.length) return [];
  var wanted = {};
  list.forEach(function (w) { wanted[stem(w)] = true; });
  var prefix = list[list.length - 1];
  var ranges = [];
  var match;
  WORD.lastIndex = 0;
  var lower = text.toLowerCase();
  while ((match = WORD.exec(lower)) !== null) {
    var word = match[0];
    if (wanted[stem(word)] || (prefix.length >= 3 && word.indexOf(prefix) === 0)) {
      ranges.push([match.index, match.index + word.length]);
    }
  }
  return ranges;
}

function answer(message) {
  var started = performance.now();
  var text = (message.q || "").trim();
  var tag = -1;
  if (message.tag) {
    tag = store.tags.findIndex(function (t) { return t[0] === message.tag; });
    if (tag < 0) tag = -2; // an unknown tag matches nothing
  }
  var year = message.year ? +message.year : 0;
  var hit = text ? refsFor(text) : { refs: null, words: [] };
  var refs = hit.refs;
  if (refs === null) {
    refs = [];
    if (tag >= 0 || year) for (var i = 0; i < store.docs.length; i++) refs.push(i); // filters alone: newest first
  }
  var tagCounts = {};
  var yearCounts = {};
  var matches = [];
  for (var k = 0; k < refs.length; k++) {
    var doc = store.docs[refs[k]];
    var inYear = !year || doc[2] === year;
    var inTag = tag < 0 || doc[3].indexOf(tag) >= 0;
    if (inYear) doc[3].forEach(function (t) { tagCounts[store.tags[t][0]] = (tagCounts[store.tags[t][0]] || 0) + 1; });
    if (inTag && doc[2]) yearCounts[doc[2]] = (yearCounts[doc[2]] || 0) + 1;
    if (inTag && inYear) matches.push(refs[k]);
  }
  var offset = message.offset || 0;
  var limit = message.limit || PAGE;
  var page = matches.slice(offset, offset + limit).map(function (ref) {
    var doc = store.docs[ref];
    return {
      title: doc[0],
      url: doc[1],
      year: doc[2],
      tags: doc[3].map(function (t) { return store.tags[t]; }),
      snippet: snippets ? snippets[ref] : "",
      titleMarks: highlight(doc[0], hit.words),
      snippetMarks: snippets ? highlight(snippets[ref], hit.words) : [],
    };
  });
  self.postMessage({
    type: "results",
    id: message.id,
    q: text,
    total: matches.length,
    offset: offset,
    results: page,
    tagCounts: tagCounts,
    yearCounts: yearCounts,
    stage: full ? "full" : "titles",
    ms: performance.now() - started,
  });
}
