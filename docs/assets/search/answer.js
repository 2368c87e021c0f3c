/*
 * paper-archive search, the answers: PaSearch holds the loaded indexes (titles first,
 * then the full one) and the stores, and answers a page of results with facet counts,
 * highlight ranges and how they were found, through PaQuery (query.js) over PaIndex
 * (index.js). PaSearch.reply never throws: the page always has something to show.
 */
(function (root) {
  "use strict";

  var LIMITS = root.PaIndex.LIMITS;
  var Q = root.PaQuery;
  var PAGE = Q.PAGE;
  var searchText = Q.searchText;
  var isStopWord = Q.isStopWord;
  var stem = Q.stem;
  var distance = Q.distance;
  var highlight = Q.highlight;

  function PaSearch() {
    this.store = null;
    this.snippets = null;
    this.titles = null;
    this.full = null;
    this.last = { key: null, refs: [] };
  }

  PaSearch.prototype.loadFirst = function (titles, store) {
    this.titles = new PaIndex(titles);
    this.store = store;
  };

  PaSearch.prototype.loadFull = function (full, snippets) {
    this.full = new PaIndex(full);
    this.snippets = snippets;
    this.last = { key: null, refs: [] };
  };

  PaSearch.prototype.ready = function () {
    return !!(this.store && (this.titles || this.full));
  };

  /* The word a reader meant by each typo-tolerant word that matched: of the words in the
     top results' titles and snippets whose stem is one the typo matched, the closest to
     what was typed (else that index term itself). Returns Map(typed -> meant). */
  var RUN = /[\p{L}\p{N}]+/gu;
  PaSearch.prototype.corrections = function (fixes, refs, index) {
    var store = this.store;
    var snippets = this.snippets;
    var out = new Map();
    fixes.forEach(function (clause) {
      var wanted = new Set(clause.expanded.map(function (t) { return index.terms[t]; }));
      var best = null;
      var bestCost = Infinity;
      for (var k = 0; k < refs.length && k < PAGE; k++) {
        var text = (store.docs[refs[k]][0] + " " + (snippets ? snippets[refs[k]] : "")).toLowerCase();
        var match;
        RUN.lastIndex = 0;
        while ((match = RUN.exec(text)) !== null) {
          var word = match[0];
          if (word.length > LIMITS.termLength || !wanted.has(stem(word))) continue;
          var cost = distance(clause.word, word);
          if (cost < bestCost) { best = word; bestCost = cost; }
        }
      }
      out.set(clause.word, best || index.terms[clause.expanded[0]]);
    });
    return out;
  };

  /* The refs that match `text`, best first, and how they were found: {refs, words (to
     highlight), mode ("all" | "corrected" | "partial"), corrected (the query as
     searched, for "corrected"), notes (limits applied)}. The last answer is kept. */
  PaSearch.prototype.refsFor = function (text) {
    var index = this.full || this.titles;
    var key = (this.full ? "full:" : "titles:") + text;
    if (this.last.key === key) return this.last;
    var found = searchText(index, text, this.store.aliases);
    var refs = found.results.map(function (r) { return +r.ref; });
    var marks = found.words;
    if (found.fixes.length) {
      var fixed = this.corrections(found.fixes, refs, index);
      marks = marks.map(function (w) { return fixed.get(w) || w; });
    }
    var content = marks.filter(function (w) { return !isStopWord(w); });
    this.last = {
      key: key,
      refs: refs,
      words: content.length ? content : marks,
      mode: found.mode,
      corrected: found.mode === "corrected" ? marks.join(" ") : "",
      notes: found.notes,
      phrases: found.phrases.map(function (p) { return p.text || p.join(" "); }),
      phrased: found.phrased,
    };
    return this.last;
  };

  /* Answer {id, q, tag, year, offset, limit}: one page of results, best first, with
     facet counts (each facet counted under the other filter) and highlight ranges, and
     how the results were found (mode, corrected, notes: see refsFor). An unknown tag or
     a year that is not a number matches nothing. */
  PaSearch.prototype.answer = function (message) {
    var started = Date.now();
    var store = this.store;
    var snippets = this.snippets;
    var text = String(message.q || "").trim();
    var tag = -1;
    if (message.tag) {
      tag = store.tags.findIndex(function (t) { return t[0] === message.tag; });
      if (tag < 0) tag = -2; // an unknown tag matches nothing
    }
    var year = 0;
    if (message.year) year = /^\d{1,4}$/.test(String(message.year)) ? +message.year : -1;
    var hit = text ? this.refsFor(text) : { refs: null, words: [], mode: "all", corrected: "", notes: [] };
    var refs = hit.refs;
    if (refs === null) {
      refs = [];
      if (tag !== -1 || year) for (var i = 0; i < store.docs.length; i++) refs.push(i); // filters alone: newest first
    }
    var tagTally = new Int32Array(store.tags.length);
    var yearTally = new Map();
    var matches = [];
    var phrased = 0; // matches holding every phrase of the query
    for (var k = 0; k < refs.length; k++) {
      var doc = store.docs[refs[k]];
      var inYear = !year || doc[2] === year;
      var inTag = tag === -1 || doc[3].indexOf(tag) >= 0;
      if (inYear) for (var t = 0; t < doc[3].length; t++) tagTally[doc[3][t]]++;
      if (inTag && doc[2]) yearTally.set(doc[2], (yearTally.get(doc[2]) || 0) + 1);
      if (inTag && inYear) {
        matches.push(refs[k]);
        if (hit.phrased && hit.phrased.has(refs[k])) phrased++;
      }
    }
    var tagCounts = Object.create(null); // slug -> papers; no prototype: any slug is safe
    for (var n = 0; n < tagTally.length; n++) if (tagTally[n]) tagCounts[store.tags[n][0]] = tagTally[n];
    var yearCounts = Object.create(null);
    yearTally.forEach(function (count, y) { yearCounts[y] = count; });
    var offset = Math.max(0, Math.floor(+message.offset) || 0);
    var limit = Math.min(100, Math.max(1, Math.floor(+message.limit) || PAGE));
    var page = matches.slice(offset, offset + limit).map(function (ref) {
      var entry = store.docs[ref];
      var snippet = snippets ? snippets[ref] : "";
      return {
        title: entry[0],
        url: entry[1],
        year: entry[2],
        tags: entry[3].map(function (n) { return store.tags[n]; }),
        snippet: snippet,
        titleMarks: highlight(entry[0], hit.words),
        snippetMarks: highlight(snippet, hit.words),
      };
    });
    return {
      type: "results",
      id: message.id,
      q: text,
      total: matches.length,
      phrases: hit.phrased ? hit.phrases : [], // the query's phrases, when the index has pairs
      phraseTotal: phrased, // how many of `total` hold every phrase
      offset: offset,
      results: page,
      tagCounts: tagCounts,
      yearCounts: yearCounts,
      mode: hit.mode,
      corrected: hit.corrected,
      notes: hit.notes,
      stage: this.full ? "full" : "titles",
      ms: Date.now() - started,
    };
  };

  /* `answer`, or if it throws, an answer with no results that says why (`error`): the
     page must show a message, never keep waiting. */
  PaSearch.prototype.reply = function (message) {
    try {
      return this.answer(message);
    } catch (error) {
      return {
        type: "results",
        id: message.id,
        q: String(message.q || ""),
        total: 0,
        offset: 0,
        results: [],
        tagCounts: {},
        yearCounts: {},
        mode: "all",
        corrected: "",
        notes: [],
        error: String((error && error.message) || error),
        stage: this.full ? "full" : "titles",
        ms: 0,
      };
    }
  };

  PaSearch.LIMITS = LIMITS;

  root.PaSearch = PaSearch;
})(typeof self !== "undefined" ? self : this);
