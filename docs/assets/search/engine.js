/*
 * paper-archive search engine: Lunr's model over a compact index.
 *
 * The index ships what Lunr's builder computes before it makes document vectors: the
 * terms (Lunr's pipeline: trimmer, stop words, Porter stemmer), each field's postings
 * with term frequencies, and each document's field lengths. Scores are Lunr's: BM25
 * weights computed exactly as lunr.js's Builder computes them (k1, b, field boosts,
 * 3-decimal rounding), combined as lunr.js's Index.query does (per field, the dot
 * product of query and document vectors over the query vector's magnitude, summed
 * over fields). Queries are lunr.Query objects, so clauses, presence, wildcards, fuzzy
 * terms, boosts and Lunr's query syntax behave as in Lunr; term expansion uses
 * lunr.TokenSet.
 *
 * Unlike lunr.Index it scores term-at-a-time over integer postings: no per-document
 * match objects, no parsing of a 20 MB JSON of vectors, and work bounded by the
 * postings of the query's terms.
 */
(function (root) {
  "use strict";

  function PaIndex(data) {
    this.fields = data.fields;
    this.boosts = data.boosts;
    this.k1 = data.k1;
    this.b = data.b;
    this.docCount = data.docs;
    this.terms = data.terms;
    this.termIndex = Object.create(null);
    for (var i = 0; i < data.terms.length; i++) this.termIndex[data.terms[i]] = i;
    this.tokenSet = null; // built on first use: only wildcard and fuzzy terms need it
    this.pipeline = new lunr.Pipeline();
    this.pipeline.add(lunr.stemmer);
    var T = data.terms.length;
    this.df = new Float64Array(T);
    this.idfCache = new Float64Array(T).fill(-1);
    this.postings = [];
    for (var f = 0; f < data.fields.length; f++) {
      var raw = data.postings[f];
      var start = new Int32Array(T + 1);
      var docs = new Int32Array(raw.d.length);
      var tfs = new Uint16Array(raw.f);
      var at = 0;
      var termPos = 0;
      var countAt = new Int32Array(T);
      for (var k = 0; k < raw.t.length; k += 2) {
        termPos += raw.t[k];
        countAt[termPos] = raw.t[k + 1];
      }
      for (var t = 0; t < T; t++) {
        start[t] = at;
        var previous = 0;
        for (var c = 0; c < countAt[t]; c++) {
          previous += raw.d[at];
          docs[at] = previous;
          at++;
        }
        this.df[t] += countAt[t];
      }
      start[T] = at;
      var lengths = Int32Array.from(raw.n);
      var total = 0;
      for (var n = 0; n < lengths.length; n++) total += lengths[n];
      this.postings.push({ start: start, docs: docs, tfs: tfs, lengths: lengths, average: lengths.length ? total / lengths.length : 0 });
    }
  }

  PaIndex.prototype.idf = function (t) {
    var cached = this.idfCache[t];
    if (cached >= 0) return cached;
    var df = this.df[t];
    var x = (this.docCount - df + 0.5) / (df + 0.5);
    return (this.idfCache[t] = Math.log(1 + Math.abs(x)));
  };

  /* lunr.Builder's BM25 weight of term t in a document's field, rounded like lunr.js. */
  PaIndex.prototype.weight = function (t, f, tf, length) {
    var k1 = this.k1;
    var field = this.postings[f];
    var score = this.idf(t) * ((k1 + 1) * tf) / (k1 * (1 - this.b + this.b * (length / field.average)) + tf);
    score *= this.boosts[f];
    return Math.round(score * 1000) / 1000;
  };

  PaIndex.prototype.expand = function (clause) {
    var terms = clause.usePipeline ? this.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
    var out = [];
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (clause.editDistance === undefined && term.indexOf("*") < 0) {
        var exact = this.termIndex[term];
        if (exact !== undefined) out.push(exact);
        continue;
      }
      if (!this.tokenSet) this.tokenSet = lunr.TokenSet.fromArray(this.terms);
      var set = clause.editDistance === undefined
        ? lunr.TokenSet.fromString(term)
        : lunr.TokenSet.fromFuzzyString(term, clause.editDistance);
      var expanded = this.tokenSet.intersect(set).toArray();
      for (var j = 0; j < expanded.length; j++) out.push(this.termIndex[expanded[j]]);
    }
    return out;
  };

  PaIndex.prototype.fieldNumbers = function (names) {
    var out = [];
    for (var i = 0; i < names.length; i++) {
      var f = this.fields.indexOf(names[i]);
      if (f >= 0) out.push(f);
    }
    return out;
  };

  /* Run a lunr.Query; returns [{ref, score}] best first (ties: lower ref first). */
  PaIndex.prototype.run = function (query) {
    var N = this.docCount;
    var F = this.fields.length;
    var queryVectors = [];
    for (var f = 0; f < F; f++) queryVectors.push(new Map());
    var requiredClauses = 0;
    var requiredCount = null;
    var prohibited = null;
    var seen = new Uint8Array(N);
    var clauses = query.clauses;

    for (var c = 0; c < clauses.length; c++) {
      var clause = clauses[c];
      var fields = this.fieldNumbers(clause.fields);
      var expanded = this.expand(clause);
      var presence = clause.presence;
      if (expanded.length === 0 && presence === lunr.Query.presence.REQUIRED) return [];
      var inClause = presence === lunr.Query.presence.REQUIRED ? new Uint8Array(N) : null;
      for (var e = 0; e < expanded.length; e++) {
        var t = expanded[e];
        for (var fi = 0; fi < fields.length; fi++) {
          var field = fields[fi];
          var posting = this.postings[field];
          if (presence === lunr.Query.presence.PROHIBITED) {
            if (!prohibited) prohibited = new Uint8Array(N);
            for (var p = posting.start[t]; p < posting.start[t + 1]; p++) prohibited[posting.docs[p]] = 1;
            continue;
          }
          if (inClause) for (var q = posting.start[t]; q < posting.start[t + 1]; q++) inClause[posting.docs[q]] = 1;
          var vector = queryVectors[field];
          vector.set(t, (vector.get(t) || 0) + clause.boost);
        }
      }
      if (inClause) {
        if (!requiredCount) requiredCount = new Uint16Array(N);
        for (var d = 0; d < N; d++) if (inClause[d]) requiredCount[d]++;
        requiredClauses++;
      }
    }

    var negatedOnly = clauses.length > 0 && clauses.every(function (cl) { return cl.presence === lunr.Query.presence.PROHIBITED; });
    if (negatedOnly) {
      var all = [];
      for (var r = 0; r < N; r++) if (!prohibited || !prohibited[r]) all.push({ ref: String(r), score: 0 });
      return all;
    }

    var scores = new Float64Array(N);
    var hits = [];
    for (var fv = 0; fv < F; fv++) {
      var qv = queryVectors[fv];
      if (qv.size === 0) continue;
      var magnitude = 0;
      qv.forEach(function (boost) { magnitude += boost * boost; });
      magnitude = Math.sqrt(magnitude);
      var postingF = this.postings[fv];
      var self = this;
      qv.forEach(function (boost, term) {
        for (var i = postingF.start[term]; i < postingF.start[term + 1]; i++) {
          var doc = postingF.docs[i];
          if (requiredClauses && requiredCount[doc] !== requiredClauses) continue;
          if (prohibited && prohibited[doc]) continue;
          if (!seen[doc]) { seen[doc] = 1; hits.push(doc); }
          scores[doc] += (boost * self.weight(term, fv, postingF.tfs[i], postingF.lengths[doc])) / magnitude;
        }
      });
    }
    hits.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return hits.map(function (doc) { return { ref: String(doc), score: scores[doc] }; });
  };

  /* A lunr.Query built by `fn(query)`, as lunr.Index.query builds it. */
  PaIndex.prototype.query = function (fn) {
    var query = new lunr.Query(this.fields);
    fn.call(query, query);
    return this.run(query);
  };

  /* Lunr's query syntax; throws lunr.QueryParseError like lunr.Index.search. */
  PaIndex.prototype.search = function (text) {
    var query = new lunr.Query(this.fields);
    new lunr.QueryParser(text, query).parse();
    return this.run(query);
  };

  PaIndex.prototype.has = function (term) {
    return this.termIndex[term] !== undefined;
  };


  /* -- PaSearch: the archive's query semantics over one or two PaIndexes ---------- */

  var PAGE = 20;
  var WORD = /[\p{L}\p{N}]+/gu;
  var SYNTAX = /[:~^+\-*"]/;

  /* An arXiv id is searched as its number: "arXiv:", an abs/pdf URL, a version and
     ".pdf" are left out, as scripts/paper_archive/arxiv_id.py normalizes ids. */
  var ARXIV_PREFIX = /(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*/g;
  var ARXIV_SUFFIX = /(\d{4}\.\d{4,5}|\/\d{7})(?:v\d+)?(?:\.pdf)?(?![\p{L}\p{N}])/gu;

  /* The query's words: runs of letters and digits, lower-cased ("01.AI" -> 01, ai).
     The index holds each such run of a word joined by punctuation, and the runs
     joined ("01ai"): scripts/paper_archive/search/lunr_builder.py. */
  function words(text) {
    var out = [];
    var match;
    var lower = text.toLowerCase().replace(ARXIV_PREFIX, " ").replace(ARXIV_SUFFIX, "$1");
    WORD.lastIndex = 0;
    while ((match = WORD.exec(lower)) !== null) out.push(match[0]);
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

  /* One pass of the plain word search; `fuzzy` turns on one typo for long words.
     Every word is required; the last one, unless it is already a whole indexed term,
     also matches as a prefix (the reader is still typing it). */
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

  /* Lunr syntax first when the text has any; a query Lunr cannot parse, or that finds
     nothing, is searched as plain words; with no match, retried with one typo. */
  function searchText(index, text) {
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

  /* Ranges of `text` to mark for the query words `list`: each letter-and-digit run
     whose stem a word asks for (or that starts with the last word, being typed), and a
     whole word joined by punctuation whose runs, joined, are asked for ("01ai" marks
     "01.AI"), as the index holds them (scripts/paper_archive/search/lunr_builder.py).
     Runs are found in the text as it is, so offsets stay the text's. */
  var TOKEN = /[^\s\-]+/g; // lunr.tokenizer.separator splits tokens
  function highlight(text, list) {
    if (!list || !list.length || !text) return [];
    var wanted = {};
    list.forEach(function (w) { wanted[stem(w)] = true; });
    var prefix = list[list.length - 1];
    var ranges = [];
    var token;
    TOKEN.lastIndex = 0;
    while ((token = TOKEN.exec(text)) !== null) {
      var runs = [];
      var match;
      WORD.lastIndex = 0;
      while ((match = WORD.exec(token[0])) !== null) {
        runs.push({ at: token.index + match.index, end: token.index + match.index + match[0].length, word: match[0].toLowerCase() });
      }
      if (runs.length > 1 && wanted[stem(runs.map(function (r) { return r.word; }).join(""))]) {
        ranges.push([runs[0].at, runs[runs.length - 1].end]);
        continue;
      }
      for (var i = 0; i < runs.length; i++) {
        var word = runs[i].word;
        if (wanted[stem(word)] || (prefix.length >= 3 && word.indexOf(prefix) === 0)) {
          ranges.push([runs[i].at, runs[i].end]);
        }
      }
    }
    return ranges;
  }

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

  PaSearch.prototype.refsFor = function (text) {
    var index = this.full || this.titles;
    var key = (this.full ? "full:" : "titles:") + text;
    if (this.last.key === key) return this.last;
    var found = searchText(index, text);
    this.last = { key: key, refs: found.results.map(function (r) { return +r.ref; }), words: found.words };
    return this.last;
  };

  /* Answer {id, q, tag, year, offset, limit}: one page of results, best first, with
     facet counts (each facet counted under the other filter) and highlight ranges. */
  PaSearch.prototype.answer = function (message) {
    var started = Date.now();
    var store = this.store;
    var snippets = this.snippets;
    var text = (message.q || "").trim();
    var tag = -1;
    if (message.tag) {
      tag = store.tags.findIndex(function (t) { return t[0] === message.tag; });
      if (tag < 0) tag = -2; // an unknown tag matches nothing
    }
    var year = message.year ? +message.year : 0;
    var hit = text ? this.refsFor(text) : { refs: null, words: [] };
    var refs = hit.refs;
    if (refs === null) {
      refs = [];
      if (tag !== -1 || year) for (var i = 0; i < store.docs.length; i++) refs.push(i); // filters alone: newest first
    }
    var tagCounts = {};
    var yearCounts = {};
    var matches = [];
    for (var k = 0; k < refs.length; k++) {
      var doc = store.docs[refs[k]];
      var inYear = !year || doc[2] === year;
      var inTag = tag === -1 || doc[3].indexOf(tag) >= 0;
      if (inYear) for (var t = 0; t < doc[3].length; t++) { var slug = store.tags[doc[3][t]][0]; tagCounts[slug] = (tagCounts[slug] || 0) + 1; }
      if (inTag && doc[2]) yearCounts[doc[2]] = (yearCounts[doc[2]] || 0) + 1;
      if (inTag && inYear) matches.push(refs[k]);
    }
    var offset = message.offset || 0;
    var limit = message.limit || PAGE;
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
      offset: offset,
      results: page,
      tagCounts: tagCounts,
      yearCounts: yearCounts,
      stage: this.full ? "full" : "titles",
      ms: Date.now() - started,
    };
  };

  root.PaIndex = PaIndex;
  root.PaSearch = PaSearch;
})(typeof self !== "undefined" ? self : this);
