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
    this.shards = null; // a sharded bundle: {manifest, fetch, fragments, facets} (loadSharded)
    this.packed = null; // the store's facets, packed (facetsOf)
  }

  /* A sharded bundle (search/shards.py): the manifest now; `fetch(name)` a promise of
     one of its files, parsed. Answers need `prepare(message)` first: it fetches what
     the query needs (dictionary chunks, postings shards, the fragments of the results
     shown; the facets when a topic or year filter asks for them). */
  PaSearch.prototype.loadSharded = function (manifest, fetch) {
    this.full = PaIndex.sharded(manifest);
    this.shards = { manifest: manifest, fetch: fetch, fragments: new Map(), facets: null, waiting: new Map() };
    this.store = { tags: manifest.tags, aliases: manifest.aliases, docs: null };
    this.packed = null;
    this.last = { key: null, refs: [] };
  };

  /* Sharded: the facets file (each paper's year and topics), for counts and filters. */
  PaSearch.prototype.loadFacets = function () {
    var shards = this.shards;
    return this.file(shards.manifest.facets).then(function (facets) { shards.facets = facets; });
  };

  /* Sharded: one file, fetched once (concurrent asks share the request). */
  PaSearch.prototype.file = function (name) {
    var waiting = this.shards.waiting;
    if (!waiting.has(name)) {
      waiting.set(name, this.shards.fetch(name).catch(function (error) { waiting.delete(name); throw error; }));
    }
    return waiting.get(name);
  };

  /* A paper as results show it: [title, url, year, [topic numbers], snippet], or null
     (sharded: its fragment is not here yet, and is asked for in `missing`). */
  PaSearch.prototype.entryOf = function (ref, missing) {
    if (!this.shards) {
      var doc = this.store.docs[ref];
      return [doc[0], doc[1], doc[2], doc[3], this.snippets ? this.snippets[ref] : ""];
    }
    var size = this.shards.manifest.fragments;
    var chunk = this.shards.fragments.get(Math.floor(ref / size));
    if (chunk) return chunk[ref % size];
    if (missing) missing.add(Math.floor(ref / size));
    return null;
  };

  /* Each paper's year (0: undated) and topic numbers, packed for the facet counts over
     every match: years[ref], and the topics tags[start[ref] .. start[ref + 1]); years
     from `first`, counted in a Int32Array of `span` (facetsOf). Made once per store. */
  function packFacets(count, yearOf, tagsOf) {
    var years = new Int32Array(count);
    var start = new Int32Array(count + 1);
    var first = Infinity;
    var last = -Infinity;
    for (var ref = 0; ref < count; ref++) {
      var year = yearOf(ref) || 0;
      years[ref] = year;
      start[ref + 1] = start[ref] + tagsOf(ref).length;
      if (year && year < first) first = year;
      if (year && year > last) last = year;
    }
    var tags = new Int32Array(start[count]);
    for (var d = 0; d < count; d++) tags.set(tagsOf(d), start[d]);
    if (first > last) first = last = 0;
    return { years: years, start: start, tags: tags, first: first, span: last - first + 1 };
  }

  /* The packed facets (packFacets) of the papers answers count, or null while a
     sharded bundle's facets file is not here. */
  PaSearch.prototype.facetsOf = function () {
    if (this.packed) return this.packed;
    if (this.shards) {
      var facets = this.shards.facets;
      if (!facets) return null;
      this.packed = packFacets(facets.years.length, function (ref) { return facets.years[ref]; }, function (ref) { return facets.tags[ref]; });
    } else {
      var docs = this.store.docs;
      this.packed = packFacets(docs.length, function (ref) { return docs[ref][2]; }, function (ref) { return docs[ref][3]; });
    }
    return this.packed;
  };

  /* Sharded: fetch what answering `message` needs, then resolve (answer() may run).
     The query runs over what is here; the files it lacked are fetched and it runs
     again (a plain query: its words' dictionary chunks, then their postings shards,
     then the fragments of the page shown: three rounds of parallel requests). */
  PaSearch.prototype.prepare = function (message) {
    var self = this;
    if (!this.shards) return Promise.resolve();
    var index = this.full;
    var needFacets = !!(message.tag || message.year || !String(message.q || "").trim());
    var rounds = 0;
    function round() {
      if (needFacets && !self.shards.facets) return self.loadFacets().then(round);
      index.missing.clear();
      var fragments = new Set();
      self.select(message, fragments);
      var files = Array.from(index.missing);
      var wanted = Array.from(fragments);
      if (!files.length && !wanted.length) return undefined; // answer() has all it needs
      if (++rounds > 8) throw new Error("search: the index files do not agree");
      var key = self.shards.manifest.key;
      return Promise.all(files.map(function (name) {
        return self.file(name).then(function (data) { index.addFile(name, data); });
      }).concat(wanted.map(function (n) {
        return self.file("frag." + key + "." + n + ".json").then(function (chunk) { self.shards.fragments.set(n, chunk); });
      }))).then(round);
    }
    return Promise.resolve().then(round);
  };

  /* The refs `message` asks for (hit: see refsFor) and the page of them shown; null
     while a sharded index lacks files (named in index.missing). Fragments the page
     needs and lacks go to `missing`. */
  PaSearch.prototype.select = function (message, missing) {
    var store = this.store;
    var text = String(message.q || "").trim();
    var tag = -1;
    if (message.tag) {
      tag = store.tags.findIndex(function (t) { return t[0] === message.tag; });
      if (tag < 0) tag = -2; // an unknown tag matches nothing
    }
    var year = 0;
    if (message.year) year = /^\d{1,4}$/.test(String(message.year)) ? +message.year : -1;
    var hit = text ? this.refsFor(text, missing) : { refs: null, words: [], mode: "all", corrected: "", notes: [] };
    if (this.full && this.full.missing && this.full.missing.size) return null;
    if (missing && missing.size) return null;
    var refs = hit.refs;
    if (refs === null) {
      refs = [];
      var papers = this.shards ? this.full.docCount : store.docs.length;
      if (tag !== -1 || year) for (var i = 0; i < papers; i++) refs.push(i); // filters alone: newest first
    }
    var facets = this.facetsOf(); // null: no filter asked (prepare), counts come with the facets
    var tagTally = new Int32Array(store.tags.length);
    var yearTally = new Map();
    var matches = refs;
    if (facets) {
      var years = facets.years;
      var start = facets.start;
      var tagList = facets.tags;
      var byYear = new Int32Array(facets.span);
      var filtered = tag !== -1 || year !== 0;
      if (filtered) matches = [];
      for (var k = 0; k < refs.length; k++) {
        var ref = refs[k];
        var docYear = years[ref];
        var from = start[ref];
        var to = start[ref + 1];
        var inYear = !year || docYear === year;
        var inTag = tag === -1;
        for (var t = from; t < to; t++) {
          if (inYear) tagTally[tagList[t]]++;
          if (tagList[t] === tag) inTag = true;
        }
        if (inTag && docYear) byYear[docYear - facets.first]++;
        if (filtered && inTag && inYear) matches.push(ref);
      }
      for (var y = 0; y < byYear.length; y++) if (byYear[y]) yearTally.set(y + facets.first, byYear[y]);
    }
    var phrased = 0; // matches holding every phrase of the query
    if (hit.phrased) for (var m = 0; m < matches.length; m++) if (hit.phrased.has(matches[m])) phrased++;
    var offset = Math.max(0, Math.floor(+message.offset) || 0);
    var limit = Math.min(100, Math.max(1, Math.floor(+message.limit) || PAGE));
    var page = Q.best(matches, hit.order || null, offset + limit).slice(offset);
    if (missing) for (var j = 0; j < page.length; j++) this.entryOf(page[j], missing);
    return { text: text, hit: hit, matches: matches, phrased: phrased, page: page, offset: offset, tagTally: tagTally, yearTally: yearTally };
  };

  PaSearch.prototype.loadFirst = function (titles, store) {
    this.titles = new PaIndex(titles);
    this.store = store;
    this.packed = null;
  };

  PaSearch.prototype.loadFull = function (full, snippets) {
    this.full = new PaIndex(full);
    this.snippets = snippets;
    this.last = { key: null, refs: [] };
  };

  PaSearch.prototype.ready = function () {
    return !!(this.shards || (this.store && (this.titles || this.full)));
  };

  /* The word a reader meant by each typo-tolerant word that matched: of the words in the
     top results' titles and snippets whose stem is one the typo matched, the closest to
     what was typed (else that index term itself). Returns Map(typed -> meant). */
  var RUN = /[\p{L}\p{N}]+/gu;
  PaSearch.prototype.corrections = function (fixes, refs, index, missing) {
    var self = this;
    var out = new Map();
    fixes.forEach(function (clause) {
      var wanted = new Set(clause.expanded.map(function (t) { return index.terms[t]; }));
      var best = null;
      var bestCost = Infinity;
      for (var k = 0; k < refs.length && k < PAGE; k++) {
        var entry = self.entryOf(refs[k], missing);
        if (!entry) continue; // sharded: fetched, then asked again
        var text = (entry[0] + " " + entry[4]).toLowerCase();
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
  PaSearch.prototype.refsFor = function (text, missing) {
    var index = this.full || this.titles;
    var key = (this.full ? "full:" : "titles:") + text;
    if (this.last.key === key) return this.last;
    var found = searchText(index, text, this.store.aliases);
    var lacking = new Set(); // sharded: fragments the corrections lack
    if (index.missing && index.missing.size) return { refs: [], words: [], mode: "all", corrected: "", notes: [] };
    var refs = found.refs || found.results.map(function (r) { return +r.ref; });
    var order = found.refs ? found.key : null; // the refs' order (query.js best), or null: in order
    var marks = found.words;
    if (found.fixes.length) {
      var fixed = this.corrections(found.fixes, refs, index, lacking);
      marks = marks.map(function (w) { return fixed.get(w) || w; });
    }
    var content = marks.filter(function (w) { return !isStopWord(w); });
    if (lacking.size) {
      lacking.forEach(function (n) { if (missing) missing.add(n); });
      return { refs: refs, order: order, words: [], mode: found.mode, corrected: "", notes: found.notes };
    }
    this.last = {
      key: key,
      refs: refs,
      order: order,
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
    var self = this;
    var chosen = this.select(message, null);
    if (!chosen) throw new Error("search: answer() before prepare()");
    var hit = chosen.hit;
    var tagCounts = Object.create(null); // slug -> papers; no prototype: any slug is safe
    for (var n = 0; n < chosen.tagTally.length; n++) if (chosen.tagTally[n]) tagCounts[store.tags[n][0]] = chosen.tagTally[n];
    var yearCounts = Object.create(null);
    chosen.yearTally.forEach(function (count, y) { yearCounts[y] = count; });
    var page = chosen.page.map(function (ref) {
      var entry = self.entryOf(ref, null);
      if (!entry) throw new Error("search: answer() before prepare()");
      return {
        title: entry[0],
        url: entry[1],
        year: entry[2],
        tags: entry[3].map(function (n) { return store.tags[n]; }),
        snippet: entry[4],
        titleMarks: highlight(entry[0], hit.words),
        snippetMarks: highlight(entry[4], hit.words),
      };
    });
    return {
      type: "results",
      id: message.id,
      q: chosen.text,
      total: chosen.matches.length,
      phrases: hit.phrased ? hit.phrases : [], // the query's phrases, when the index has pairs
      phraseTotal: chosen.phrased, // how many of `total` hold every phrase
      offset: chosen.offset,
      results: page,
      tagCounts: tagCounts,
      yearCounts: yearCounts,
      mode: hit.mode,
      corrected: hit.corrected,
      notes: hit.notes,
      stage: this.stage(),
      ms: Date.now() - started,
    };
  };

  /* "titles" while answers lack the full index (sharded: the facets), then "full". */
  PaSearch.prototype.stage = function () {
    if (this.shards) return this.shards.facets ? "full" : "titles";
    return this.full ? "full" : "titles";
  };

  /* `answer`, or if it throws, an answer with no results that says why (`error`): the
     page must show a message, never keep waiting. */
  PaSearch.prototype.reply = function (message) {
    try {
      return this.answer(message);
    } catch (error) {
      return this.failed(message, error);
    }
  };

  /* `prepare` then `reply`: a promise of the answer, never rejected (a file that could
     not be fetched is an answer with `error`). */
  PaSearch.prototype.replyLater = function (message) {
    var self = this;
    return this.prepare(message).then(
      function () { return self.reply(message); },
      function (error) { return self.failed(message, error); }
    );
  };

  /* An answer with no results that says why (`error`). */
  PaSearch.prototype.failed = function (message, error) {
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
      stage: this.stage(),
      ms: 0,
    };
  };

  PaSearch.LIMITS = LIMITS;

  root.PaSearch = PaSearch;
})(typeof self !== "undefined" ? self : this);
