/*
 * paper-archive search, the index: Lunr's model over a compact index (PaIndex).
 *
 * The index ships what Lunr's builder computes before it makes document vectors: the
 * terms (Lunr's pipeline: trimmer, stop words, Porter stemmer), each field's postings
 * with term frequencies, and each document's field lengths. Scores are Lunr's: BM25
 * weights computed exactly as lunr.js's Builder computes them (k1, b, field boosts,
 * 3-decimal rounding), combined as lunr.js's Index.query does (per field, the dot
 * product of query and document vectors over the query vector's magnitude, summed
 * over fields). Queries are lunr.Query objects, so clauses, presence, wildcards, fuzzy
 * terms, boosts and Lunr's query syntax behave as in Lunr; wildcard and fuzzy terms
 * expand to the same index terms as lunr.TokenSet's, by a bounded scan (LIMITS).
 *
 * Unlike lunr.Index it scores term-at-a-time over integer postings: no per-document
 * match objects, no parsing of a 20 MB JSON of vectors, and work bounded by the
 * postings of the query's terms.
 *
 * One of three files (loaded in this order, as one script by the build: search/build.py
 * ENGINE_PARTS): index.js (PaIndex, LIMITS), query.js (PaQuery: the archive's query
 * semantics over a PaIndex), answer.js (PaSearch: pages of results from the stores).
 */
(function (root) {
  "use strict";

  /* What one query may cost (issue 13): every query, typed or from a link, is cut to
     these bounds before it runs, on the page's thread as in the worker. Typo tolerance
     and wildcards expand by a scan of the index's terms (work linear in the terms,
     whatever the query), never by lunr.TokenSet, whose fuzzy automaton grows with the
     term's length to the power of the edit distance (50 s for `qwertyuiopasdfgh~6`,
     0.3 s for a 64-letter term at distance 2). Figures: docs/benchmarks.md. */
  var LIMITS = {
    text: 256, // characters of query text read
    words: 12, // distinct plain words searched
    clauses: 24, // clauses of a Lunr-syntax query
    termLength: 64, // characters of one word or term
    editDistance: 2, // typo tolerance (~N) at most...
    fuzzyLength: 5, // ...and only for terms of this many characters or more
    wildcardLetters: 2, // characters besides "*" a wildcard term needs...
    leadingWildcardLetters: 3, // ...or with a leading "*"
    wildcards: 4, // "*" in one term
    expansion: 100, // index terms one wildcard or fuzzy term stands for (the most frequent)
  };
  var NOTES = {
    text: "Only the first " + LIMITS.text + " characters were searched.",
    words: "Only the first " + LIMITS.words + " words were searched.",
    clauses: "Only the first " + LIMITS.clauses + " terms were searched.",
    long: "Words are cut at " + LIMITS.termLength + " characters.",
    fuzzy: "Typo tolerance (~) is at most " + LIMITS.editDistance + ", on words of " + LIMITS.fuzzyLength + " or more letters.",
    wildcard: "A wildcard (*) needs " + LIMITS.wildcardLetters + " letters (" + LIMITS.leadingWildcardLetters +
      " before a leading *) and at most " + LIMITS.wildcards + " per word.",
    expansion: "A word that matches many index terms searches the " + LIMITS.expansion + " most frequent.",
  };

  function note(notes, key) {
    if (notes.indexOf(NOTES[key]) < 0) notes.push(NOTES[key]);
  }

  function addNotes(notes, more) {
    (more || []).forEach(function (text) { if (notes.indexOf(text) < 0) notes.push(text); });
  }

  /* Cut a lunr.Query's clauses to LIMITS, in place; returns the notes on what was cut.
     Terms are cut to LIMITS.termLength, edit distances clamped (not refused), wildcard
     terms with too few letters or too many "*" dropped, clauses beyond LIMITS.clauses
     dropped. A query within the limits is left as it is. */
  function boundQuery(query) {
    var notes = [];
    var kept = [];
    for (var c = 0; c < query.clauses.length; c++) {
      var clause = query.clauses[c];
      var term = String(clause.term);
      if (term.length > LIMITS.termLength) { term = term.slice(0, LIMITS.termLength); note(notes, "long"); }
      if (term.indexOf("*") >= 0) {
        term = term.replace(/\*{2,}/g, "*");
        var letters = term.replace(/\*/g, "").length;
        var needed = term.charAt(0) === "*" ? LIMITS.leadingWildcardLetters : LIMITS.wildcardLetters;
        if (letters < needed || term.length - letters > LIMITS.wildcards) { note(notes, "wildcard"); continue; }
        if (clause.editDistance !== undefined) { delete clause.editDistance; note(notes, "fuzzy"); }
      }
      if (clause.editDistance !== undefined) {
        var asked = Math.floor(+clause.editDistance) || 0;
        var allowed = term.length >= LIMITS.fuzzyLength ? Math.max(0, Math.min(asked, LIMITS.editDistance)) : 0;
        if (allowed !== asked) note(notes, "fuzzy");
        if (allowed > 0) clause.editDistance = allowed;
        else delete clause.editDistance;
      }
      clause.term = term;
      if (kept.length === LIMITS.clauses) { note(notes, "clauses"); break; }
      kept.push(clause);
    }
    query.clauses = kept;
    return notes;
  }

  /* Typo tolerance as lunr.TokenSet.fromFuzzyString(q, d) has it: a term is within d
     edits of q if inserting, deleting or substituting a character, or moving one a
     place to the right (a swap of neighbours; it may move on, or be edited, at one
     edit a step), at most d times, makes it. The automaton's states after reading
     some characters: plain[i] (q[i:] still to come) and carried triples (q[from] moved
     right, then q[at:]), each with the fewest edits used (FAR: unreachable). */
  var FAR = 127;
  function fuzzyState(n) {
    return { plain: new Int8Array(n + 1), carried: [] };
  }

  function fuzzyStart(q, d, state) {
    var plain = state.plain;
    plain.fill(FAR);
    plain[0] = 0;
    for (var i = 0; i < q.length; i++) if (plain[i] + 1 < plain[i + 1]) plain[i + 1] = plain[i] + 1; // deletions
    state.carried.length = 0;
  }

  /* `to` = `from` after reading the character (code) x; false when no state is left. */
  function fuzzyStep(q, d, from, x, to) {
    var n = q.length;
    var cur = from.plain;
    var next = to.plain;
    var carried = from.carried;
    var moved = to.carried;
    var i, c;
    moved.length = 0;
    next.fill(FAR);
    for (i = 0; i <= n; i++) {
      var e = cur[i];
      if (e > d) continue;
      if (e < d && e + 1 < next[i]) next[i] = e + 1; // insert x
      if (i < n) {
        var cost = q.charCodeAt(i) === x ? e : e + 1; // match, or substitute
        if (cost <= d && cost < next[i + 1]) next[i + 1] = cost;
        if (e < d && i + 1 < n && q.charCodeAt(i + 1) === x) moved.push(i, i + 2, e + 1); // swap
      }
    }
    for (c = 0; c < carried.length; c += 3) {
      var at = carried[c + 1];
      var used = carried[c + 2];
      if (used < d) moved.push(carried[c], at, used + 1); // insert x
      var costC = q.charCodeAt(carried[c]) === x ? used : used + 1; // the moved character, or a substitute
      if (costC <= d && costC < next[at]) next[at] = costC;
      if (used < d && at < n && q.charCodeAt(at) === x) moved.push(carried[c], at + 1, used + 1); // move it on
    }
    for (c = 0; c < moved.length; c += 3) { // delete the moved character
      if (moved[c + 2] < d && moved[c + 2] + 1 < next[moved[c + 1]]) next[moved[c + 1]] = moved[c + 2] + 1;
    }
    var alive = moved.length > 0;
    for (i = 0; i <= n; i++) {
      if (i < n && next[i] + 1 < next[i + 1]) next[i + 1] = next[i] + 1; // deletions
      if (next[i] <= d) alive = true;
    }
    return alive;
  }

  function PaIndex(data) {
    this.fields = data.fields;
    this.boosts = data.boosts;
    this.k1 = data.k1;
    this.b = data.b;
    this.docCount = data.docs;
    this.terms = data.terms;
    this.termIndex = Object.create(null);
    for (var i = 0; i < data.terms.length; i++) this.termIndex[data.terms[i]] = i;
    this.expansions = new Map(); // wildcard and fuzzy terms -> index terms (see expand)
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
      var average = lengths.length ? total / lengths.length : 0;
      var longest = 0;
      for (var m = 0; m < lengths.length; m++) if (lengths[m] > longest) longest = lengths[m];
      this.postings.push({
        start: start, docs: docs, tfs: tfs, lengths: lengths, average: average,
        norms: this.norms(lengths, average), longest: longest,
      });
    }
  }

  /* Each document's length term of lunr.Builder's BM25 in one field,
     k1 * (1 - b + b * (length / average)), as `weight` computes it (same operations,
     same order: the weights stay bit for bit lunr.js's). */
  PaIndex.prototype.norms = function (lengths, average) {
    var out = new Float64Array(lengths.length);
    var k1 = this.k1;
    var b = this.b;
    for (var d = 0; d < lengths.length; d++) out[d] = k1 * (1 - b + b * (lengths[d] / average));
    return out;
  };

  /* An index over a sharded bundle (search/shards.py): the manifest only; term
     dictionary chunks and postings shards are added as they arrive (addFile). Until
     then a lookup that needs one finds nothing and names the file in `missing`:
     the caller (answer.js PaSearch.prepare) fetches those and runs the query again. */
  PaIndex.sharded = function (manifest) {
    var index = Object.create(PaIndex.prototype);
    index.fields = manifest.fields;
    index.boosts = manifest.boosts;
    index.k1 = manifest.k1;
    index.b = manifest.b;
    index.docCount = manifest.docs;
    var T = manifest.termCount;
    index.terms = new Array(T);
    index.termIndex = null;
    index.df = new Float64Array(T);
    index.expansions = new Map();
    index.pipeline = new lunr.Pipeline();
    index.pipeline.add(lunr.stemmer);
    index.missing = new Set();
    // Files are named by kind, the bundle's key and a number (shards.py file_name);
    // names are made when a file is asked for, and read back by addFile.
    index.key = manifest.key;
    // The dictionary: the word terms (no word pair), sorted, for typos and a leading
    // "*"; a word's term number comes with its postings shard (wordNumbers).
    index.words = new Array(manifest.wordCount);
    index.wordDf = new Float64Array(manifest.wordCount);
    var chunks = manifest.dictionary.length;
    index.chunkCount = chunks;
    index.chunkStart = new Int32Array(chunks + 1);
    index.chunkLoaded = new Uint8Array(chunks);
    for (var c = 0; c < chunks; c++) index.chunkStart[c] = manifest.dictionary[c][1];
    index.chunkStart[chunks] = manifest.wordCount;
    var shards = manifest.shards.length;
    index.shardCount = shards;
    index.shardStart = new Int32Array(shards + 1);
    index.shardFirst = new Array(shards); // first term of each shard
    index.shardLoaded = new Uint8Array(shards);
    for (var s = 0; s < shards; s++) {
      index.shardStart[s] = manifest.shards[s][0];
      index.shardFirst[s] = manifest.shards[s][1];
    }
    index.shardStart[shards] = T;
    index.lists = index.fields.map(function () { return new Map(); }); // term -> {docs, weights}
    return index;
  };

  /* The last of `starts` (ascending) that is <= x (a binary search), or -1. */
  function lastAtMost(starts, x, count) {
    var lo = 0;
    var hi = count;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (starts[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /* The first place in sorted[lo, hi) whose value is not below x (a binary search), or
     hi. */
  function firstAtLeast(sorted, x, lo, hi) {
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /* The name of file `number` of a kind ("terms" | "post") of this bundle. */
  PaIndex.prototype.fileName = function (kind, number) {
    return kind + "." + this.key + "." + number + ".json";
  };

  /* {kind: "terms" | "post", number} of a file of this bundle named `name`, or null. */
  PaIndex.prototype.fileOf = function (name) {
    var parts = String(name).split(".");
    var number = +parts[2];
    if (parts.length !== 4 || parts[1] !== this.key || parts[3] !== "json" || !(number >= 0) || String(number) !== parts[2]) return null;
    if (parts[0] === "terms" && number < this.chunkCount) return { kind: "terms", number: number };
    if (parts[0] === "post" && number < this.shardCount) return { kind: "post", number: number };
    return null;
  };

  /* The number each character of a postings shard's "d" or "w" stands for
     (search/varints.py ALPHABET: URL-safe base64's 64; the first 32 end a value), -1
     for any other character. */
  var VARINT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VARINT_NUMBER = new Int8Array(128).fill(-1);
  for (var v = 0; v < 64; v++) VARINT_NUMBER[VARINT_ALPHABET.charCodeAt(v)] = v;

  /* A reader of the varints in `text` (search/varints.py: 5 bits a character, low bits
     first, from the alphabet's second half when more follow); `what` names them in the
     errors thrown for a character not of the alphabet, a varint cut short or longer
     than its value needs, a value past 2^53, or characters left over (end). */
  function Varints(text, what) {
    if (typeof text !== "string") throw new Error(what + ": not varints");
    this.text = text;
    this.at = 0;
    this.what = what;
  }

  Varints.prototype.next = function () {
    var text = this.text;
    var value = 0;
    var scale = 1;
    for (;;) {
      if (this.at >= text.length) throw new Error(this.what + ": postings cut short");
      var code = text.charCodeAt(this.at++);
      var number = code < 128 ? VARINT_NUMBER[code] : -1;
      if (number < 0) throw new Error(this.what + ": not varints");
      value += (number & 31) * scale;
      if (value > Number.MAX_SAFE_INTEGER) throw new Error(this.what + ": a number too large");
      if (number < 32) {
        if (number === 0 && scale > 1) throw new Error(this.what + ": a number longer than its value");
        return value;
      }
      scale *= 32;
    }
  };

  Varints.prototype.end = function () {
    if (this.at !== this.text.length) throw new Error(this.what + ": more postings than the terms count");
  };

  /* A postings shard's field `raw` ({t, d, w}: search/shards.py) as its terms'
     lists: [term, {docs, weights}, ...], terms from `first`. `what` names the field in
     errors: data that is not what the build writes is refused whole. */
  function shardLists(raw, first, what) {
    if (!raw || !Array.isArray(raw.t) || raw.t.length % 2) throw new Error(what + ": not a field's postings");
    var docsIn = new Varints(raw.d, what + ".d");
    var weightsIn = new Varints(raw.w, what + ".w");
    var out = [];
    var term = first;
    for (var k = 0; k < raw.t.length; k += 2) {
      term += raw.t[k];
      var count = raw.t[k + 1];
      if (!(count >= 1 && count <= 0x7fffffff)) throw new Error(what + ": not a field's postings");
      var docs = new Int32Array(count);
      var weights = new Float64Array(count);
      var doc = 0;
      var least = weightsIn.next(); // the term's least weight; then each less it
      for (var t = 0; t < count; t++) {
        doc += docsIn.next();
        docs[t] = doc;
        weights[t] = (least + weightsIn.next()) / 1000; // lunr.js rounds weights to 3 decimals: exact
      }
      out.push(term, { docs: docs, weights: weights });
    }
    docsIn.end();
    weightsIn.end();
    return out;
  }

  /* A dictionary chunk or a postings shard of the manifest, parsed. */
  PaIndex.prototype.addFile = function (name, data) {
    var file = this.fileOf(name);
    if (!file) return;
    var i, t;
    if (file.kind === "terms") {
      if (this.chunkLoaded[file.number]) return;
      var at = this.chunkStart[file.number];
      if (data.first !== at || data.terms.length !== this.chunkStart[file.number + 1] - at) throw new Error(name + ": not the chunk the manifest names");
      for (i = 0; i < data.terms.length; i++) { this.words[at + i] = data.terms[i]; this.wordDf[at + i] = data.df[i]; }
      this.chunkLoaded[file.number] = 1;
      return;
    }
    if (this.shardLoaded[file.number]) return;
    var first = this.shardStart[file.number];
    if (data.first !== first || data.terms.length !== this.shardStart[file.number + 1] - first) throw new Error(name + ": not the shard the manifest names");
    var fields = [];
    for (var f = 0; f < this.fields.length; f++) fields.push(shardLists((data.fields || [])[f], first, name + ": fields[" + f + "]"));
    for (i = 0; i < data.terms.length; i++) { this.terms[first + i] = data.terms[i]; this.df[first + i] = data.df[i]; }
    for (f = 0; f < fields.length; f++) {
      for (t = 0; t < fields[f].length; t += 2) this.lists[f].set(fields[f][t], fields[f][t + 1]);
    }
    this.shardLoaded[file.number] = 1;
  };

  /* Sharded: whether dictionary chunk c is here (else it is asked for). */
  PaIndex.prototype.chunkReady = function (c) {
    if (c < 0 || c >= this.chunkCount) return true;
    if (this.chunkLoaded[c]) return true;
    this.missing.add(this.fileName("terms", c));
    return false;
  };

  var EMPTY = { docs: new Int32Array(0), weights: new Float64Array(0) };

  /* Term t's postings in field f: {docs, weights (lunr.js's BM25 weight, with the
     field's boost)}. Sharded: empty until its shard is here (and it is asked for). */
  PaIndex.prototype.list = function (t, f) {
    if (this.lists) {
      var found = this.lists[f].get(t);
      if (found) return found;
      var s = lastAtMost(this.shardStart, t, this.shardCount);
      if (!this.shardLoaded[s]) this.missing.add(this.fileName("post", s));
      return EMPTY;
    }
    var posting = this.postings[f];
    var from = posting.start[t];
    var to = posting.start[t + 1];
    var weights = new Float64Array(to - from);
    this.weights(t, f, from, to, weights);
    return { docs: posting.docs.subarray(from, to), weights: weights };
  };

  /* Sharded: the range of term numbers [lo, hi) loaded that holds the place of `term`
     (its postings shard), or null: then its shard is asked for (a word looked up is
     a word searched: it will need its postings). */
  PaIndex.prototype.rangeOf = function (term) {
    var s = Math.max(0, lastAtMost(this.shardFirst, term, this.shardFirst.length));
    if (this.shardLoaded[s]) return [this.shardStart[s], this.shardStart[s + 1]];
    this.missing.add(this.fileName("post", s));
    return null;
  };

  /* Sharded: the term numbers of dictionary words `found` (positions in this.words),
     ascending, cut first to the LIMITS.expansion most frequent as `expand` cuts term
     numbers (ties: term order, the words' order); a word whose postings shard is not
     here yet has its shard asked for and is left out until it is. */
  PaIndex.prototype.wordNumbers = function (found) {
    var capped = found.length > LIMITS.expansion;
    if (capped) found = this.mostFrequent(found, LIMITS.expansion, this.wordDf);
    var out = [];
    for (var i = 0; i < found.length; i++) {
      var number = this.numberOf(this.words[found[i]]);
      if (number !== undefined) out.push(number);
    }
    if (capped) out.capped = true;
    return out;
  };

  /* Sharded: term number t's term, or undefined (then its shard is asked for). */
  PaIndex.prototype.termAt = function (t) {
    var term = this.terms[t];
    if (term === undefined && t < this.terms.length) this.missing.add(this.fileName("post", lastAtMost(this.shardStart, t, this.shardCount)));
    return term;
  };

  /* The documents of term t's postings in field f (list(t, f).docs, without weights). */
  PaIndex.prototype.docsOf = function (t, f) {
    if (this.lists) return this.list(t, f).docs;
    var posting = this.postings[f];
    return posting.docs.subarray(posting.start[t], posting.start[t + 1]);
  };

  /* The number of index term `term`, or undefined. */
  PaIndex.prototype.numberOf = function (term) {
    if (!this.lists) return this.termIndex[term];
    var range = this.rangeOf(term);
    if (!range) return undefined;
    var at = firstAtLeast(this.terms, term, range[0], range[1]);
    return at < range[1] && this.terms[at] === term ? at : undefined;
  };

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

  /* Unsharded: `weight` for postings from..to-1 of term t in field f, into out[0..]
     (the loop inlined: the same operations in the same order, per-document length
     terms from `norms`). */
  PaIndex.prototype.weights = function (t, f, from, to, out) {
    var posting = this.postings[f];
    var docs = posting.docs;
    var tfs = posting.tfs;
    var norms = posting.norms;
    var idf = this.idf(t);
    var k1 = this.k1;
    var boost = this.boosts[f];
    for (var i = from; i < to; i++) {
      var tf = tfs[i];
      var score = idf * ((k1 + 1) * tf) / (norms[docs[i]] + tf);
      score *= boost;
      out[i - from] = Math.round(score * 1000) / 1000;
    }
  };

  /* Add term t's weights in field f (`list`'s) to bonus[doc], for the documents with
     within[doc] set only (the others' weights are not computed, unsharded). */
  PaIndex.prototype.addWeights = function (t, f, within, bonus) {
    var i;
    if (this.lists) {
      var found = this.list(t, f);
      for (i = 0; i < found.docs.length; i++) if (within[found.docs[i]]) bonus[found.docs[i]] += found.weights[i];
      return;
    }
    var posting = this.postings[f];
    var docs = posting.docs;
    var tfs = posting.tfs;
    var norms = posting.norms;
    var idf = this.idf(t);
    var k1 = this.k1;
    var boost = this.boosts[f];
    for (i = posting.start[t]; i < posting.start[t + 1]; i++) {
      var doc = docs[i];
      if (!within[doc]) continue;
      var tf = tfs[i];
      var score = idf * ((k1 + 1) * tf) / (norms[doc] + tf); // `weights`, for one posting
      score *= boost;
      bonus[doc] += Math.round(score * 1000) / 1000;
    }
  };

  /* The index terms (numbers) a clause stands for: the term itself, or for a wildcard
     or fuzzy term its expansion by a scan of the terms, cut to the LIMITS.expansion
     most frequent (the last 256 expansions are kept: the passes of one query, and the
     keystrokes of one word, repeat them). Kept on the clause as clause.expanded. */
  PaIndex.prototype.expand = function (clause) {
    var terms = clause.usePipeline ? this.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
    var out = [];
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var found;
      if (clause.editDistance || term.indexOf("*") >= 0) {
        var key = (clause.editDistance || 0) + ":" + term;
        found = this.expansions.get(key);
        if (found === undefined) {
          found = clause.editDistance ? this.fuzzy(term, clause.editDistance) : this.wildcard(term);
          var cut = found.capped; // sharded: cut by wordNumbers already
          found = this.wordsOnly(found);
          if (cut) found.capped = true;
          if (found.length > LIMITS.expansion) {
            found = this.mostFrequent(found, LIMITS.expansion);
            found.capped = true;
          }
          if (this.expansions.size >= 256) this.expansions.clear();
          if (!this.missing || !this.missing.size) this.expansions.set(key, found); // not from part of the terms
        }
      } else {
        var number = this.numberOf(term);
        found = number === undefined ? [] : [number];
      }
      if (found.capped) clause.capped = true;
      for (var j = 0; j < found.length; j++) out.push(found[j]);
    }
    clause.expanded = out;
    return out;
  };

  /* The first term not before `prefix`: the terms are sorted (by code point, as the
     build sorts them; the same order as JS's for all but astral characters). */
  PaIndex.prototype.prefixStart = function (prefix) {
    var lo = 0;
    var hi = this.terms.length;
    if (this.lists) { // sharded: within the loaded range where `prefix` would be
      var range = this.rangeOf(prefix);
      if (!range) return this.terms.length;
      lo = range[0];
      hi = range[1];
    }
    return firstAtLeast(this.terms, prefix, lo, hi);
  };

  /* Terms matching `pattern`, where "*" is any run of characters (lunr.TokenSet.fromString's
     meaning): the literal pieces in order, each at its earliest place; the terms with
     the pattern's literal prefix are found by binary search. */
  PaIndex.prototype.wildcard = function (pattern) {
    var parts = pattern.split("*");
    var prefix = parts[0];
    var suffix = parts.length > 1 ? parts[parts.length - 1] : "";
    var middle = parts.slice(1, -1).filter(function (part) { return part.length > 0; });
    var shortest = parts.join("").length;
    var out = [];
    // A leading "*", sharded: every word of the dictionary (every chunk).
    var words = this.lists && prefix === "" ? this.words : null;
    if (words && !this.allTerms()) return out;
    var list = words || this.terms;
    for (var t = words ? 0 : this.prefixStart(prefix); t < list.length; t++) {
      var term = list[t];
      if (term === undefined) { this.termAt(t); break; } // sharded: the next shard
      if (term.lastIndexOf(prefix, 0) !== 0) break; // past the terms with this prefix
      if (term.length < shortest) continue;
      var end = term.length - suffix.length;
      if (suffix && term.indexOf(suffix, end) !== end) continue;
      var at = prefix.length;
      for (var m = 0; m < middle.length && at >= 0; m++) {
        var found = term.indexOf(middle[m], at);
        at = found >= 0 && found + middle[m].length <= end ? found + middle[m].length : -1;
      }
      if (at >= 0) out.push(t);
    }
    return words ? this.wordNumbers(out) : out;
  };

  /* Terms within `distance` edits of `term` (fuzzyStep), by one pass over the sorted
     terms that walks them as a trie: the automaton's states after each character of
     the previous term are kept, a term starts from those of the prefix it shares with
     it, and terms under a prefix where no state was left are skipped. */
  PaIndex.prototype.fuzzy = function (term, distance) {
    var n = term.length;
    if (this.lists && !this.allTerms()) return [];
    var list = this.lists ? this.words : this.terms; // sharded: the dictionary's words
    var states = [fuzzyState(n)];
    fuzzyStart(term, distance, states[0]);
    var out = [];
    var previous = "";
    var depth = 0; // characters of `previous` with states computed
    var dead = false; // no state was left after `depth` characters of `previous`
    for (var t = 0; t < list.length; t++) {
      var candidate = list[t];
      if (Math.abs(candidate.length - n) > distance) continue;
      var shared = 0;
      while (shared < depth && previous.charCodeAt(shared) === candidate.charCodeAt(shared)) shared++;
      if (dead && shared === depth) continue; // under a prefix that already failed
      previous = candidate;
      depth = shared;
      dead = false;
      while (depth < candidate.length) {
        if (states.length === depth + 1) states.push(fuzzyState(n));
        if (!fuzzyStep(term, distance, states[depth], candidate.charCodeAt(depth), states[depth + 1])) { dead = true; depth++; break; }
        depth++;
      }
      if (!dead && states[depth].plain[n] <= distance) out.push(t);
    }
    return this.lists ? this.wordNumbers(out) : out;
  };

  /* `found` without the word-pair terms ("a b": search/pairs.py), which no wildcard or
     typo stands for. */
  PaIndex.prototype.wordsOnly = function (found) {
    var terms = this.terms;
    return found.filter(function (t) { return !(terms[t] && terms[t].indexOf(" ") >= 0); });
  };

  /* Sharded: whether every dictionary chunk is here (else they are asked for). */
  PaIndex.prototype.allTerms = function () {
    var ready = true;
    for (var c = 0; c < this.chunkCount; c++) if (!this.chunkReady(c)) ready = false;
    return ready;
  };

  /* The `count` terms of `found` in the most documents (ties: term order), in term order;
     `frequencies` (by position in `found`'s numbering) for other than term numbers: the
     dictionary's words (wordNumbers). */
  PaIndex.prototype.mostFrequent = function (found, count, frequencies) {
    var df = frequencies || this.df;
    return found
      .slice()
      .sort(function (a, b) { return df[b] - df[a] || a - b; })
      .slice(0, count)
      .sort(function (a, b) { return a - b; });
  };

  PaIndex.prototype.fieldNumbers = function (names) {
    var out = [];
    for (var i = 0; i < names.length; i++) {
      var f = this.fields.indexOf(names[i]);
      if (f >= 0) out.push(f);
    }
    return out;
  };

  /* Run a lunr.Query, cut to LIMITS first (query.notes: what was cut); returns
     [{ref, score}] best first (ties: lower ref first). With query.coverage, each clause
     carries a `group` (0-15, a word of the query): results also carry `words`, how many
     groups they match, and rank by it first. With query.raw (and no coverage):
     {hits: the matching documents unsorted, scores: Float64Array by document}, no
     result objects (query.js ranks them itself); query.within (Uint8Array by
     document), if set, keeps only the documents it marks (the others are not scored). */
  PaIndex.prototype.run = function (query) {
    query.notes = boundQuery(query);
    var N = this.docCount;
    var F = this.fields.length;
    var queryVectors = [];
    for (var f = 0; f < F; f++) queryVectors.push(new Map());
    var requiredClauses = 0;
    var requiredCount = null;
    var prohibited = null;
    var coverage = query.coverage ? new Uint16Array(N) : null;
    var seen = new Uint8Array(N);
    var within = query.raw ? query.within : null;
    var clauses = query.clauses;

    for (var c = 0; c < clauses.length; c++) {
      var clause = clauses[c];
      var fields = this.fieldNumbers(clause.fields);
      var expanded = this.expand(clause);
      if (clause.capped) note(query.notes, "expansion");
      var presence = clause.presence;
      if (expanded.length === 0 && presence === lunr.Query.presence.REQUIRED) return [];
      var inClause = presence === lunr.Query.presence.REQUIRED ? new Uint8Array(N) : null;
      var bit = coverage && clause.group !== undefined ? 1 << clause.group : 0;
      for (var e = 0; e < expanded.length; e++) {
        var t = expanded[e];
        for (var fi = 0; fi < fields.length; fi++) {
          var field = fields[fi];
          var listDocs = this.docsOf(t, field);
          if (presence === lunr.Query.presence.PROHIBITED) {
            if (!prohibited) prohibited = new Uint8Array(N);
            for (var p = 0; p < listDocs.length; p++) prohibited[listDocs[p]] = 1;
            continue;
          }
          if (inClause) for (var q = 0; q < listDocs.length; q++) inClause[listDocs[q]] = 1;
          if (bit) for (var g = 0; g < listDocs.length; g++) coverage[listDocs[g]] |= bit;
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
    // The documents every required clause matches, when there are few (ascending): a
    // long postings list is then searched for them, not read through ("pointer
    // networks" at 100,000 papers: 185 papers, and the 40,000 of "network").
    var candidates = null;
    if (requiredClauses) {
      candidates = [];
      for (var cd = 0; cd < N; cd++) {
        if (requiredCount[cd] !== requiredClauses) continue;
        if ((prohibited && prohibited[cd]) || (within && !within[cd])) continue;
        candidates.push(cd);
      }
    }
    for (var fv = 0; fv < F; fv++) {
      var qv = queryVectors[fv];
      if (qv.size === 0) continue;
      var magnitude = 0;
      qv.forEach(function (boost) { magnitude += boost * boost; });
      magnitude = Math.sqrt(magnitude);
      var self = this;
      var posting = this.postings ? this.postings[fv] : null; // unsharded: weights computed here
      var k1 = this.k1;
      var fieldBoost = this.boosts[fv];
      qv.forEach(function (boost, term) {
        var weights = null;
        var from = 0;
        var docs;
        var idf = 0;
        var once = null; // a long list: the weight at tf 1 by field length, each computed once
        if (posting) {
          from = posting.start[term];
          docs = posting.docs.subarray(from, posting.start[term + 1]);
          idf = self.idf(term);
          if (docs.length > 4 * posting.longest) once = new Float64Array(posting.longest + 1).fill(-1);
        } else {
          var list = self.list(term, fv);
          docs = list.docs;
          weights = list.weights;
        }
        var sought = candidates && candidates.length * 24 < docs.length; // search, do not read
        var n = sought ? candidates.length : docs.length;
        for (var j = 0; j < n; j++) {
          var i = j;
          if (sought) { // the candidate's place in the list (ascending), if it is there
            i = firstAtLeast(docs, candidates[j], 0, docs.length);
            if (i === docs.length || docs[i] !== candidates[j]) continue;
          }
          var doc = docs[i];
          if (requiredClauses && requiredCount[doc] !== requiredClauses) continue;
          if (prohibited && prohibited[doc]) continue;
          if (within && !within[doc]) continue;
          if (!seen[doc]) { seen[doc] = 1; hits.push(doc); }
          var weight;
          if (weights) weight = weights[i];
          else { // `weight`, inlined (PaIndex.prototype.weights): a function of tf and the length
            var tf = posting.tfs[from + i];
            weight = once && tf === 1 ? once[posting.lengths[doc]] : -1;
            if (weight < 0) {
              var score = idf * ((k1 + 1) * tf) / (posting.norms[doc] + tf);
              score *= fieldBoost;
              weight = Math.round(score * 1000) / 1000;
              if (once && tf === 1) once[posting.lengths[doc]] = weight;
            }
          }
          scores[doc] += (boost * weight) / magnitude;
        }
      });
    }
    if (query.raw && !coverage) return { hits: hits, scores: scores }; // unsorted (query.js ranks them)
    if (!coverage) {
      hits.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
      return hits.map(function (doc) { return { ref: String(doc), score: scores[doc] }; });
    }
    var matched = new Uint8Array(N);
    var rank = new Float64Array(N); // words matched, then score (scores stay far below 1e6)
    hits.forEach(function (doc) {
      for (var bits = coverage[doc]; bits; bits &= bits - 1) matched[doc]++;
      rank[doc] = matched[doc] * 1e6 + scores[doc];
    });
    hits.sort(function (a, b) { return rank[b] - rank[a] || a - b; });
    return hits.map(function (doc) { return { ref: String(doc), score: scores[doc], words: matched[doc] }; });
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
    return this.numberOf(term) !== undefined;
  };

  /* Whether some index term starts with `prefix`. */
  PaIndex.prototype.hasPrefix = function (prefix) {
    var t = this.prefixStart(prefix);
    if (t >= this.terms.length) return false;
    var term = this.lists ? this.termAt(t) : this.terms[t];
    return term !== undefined && term.lastIndexOf(prefix, 0) === 0;
  };


  PaIndex.LIMITS = LIMITS;
  PaIndex.note = note; // query.js notes its own cuts with the same texts
  PaIndex.addNotes = addNotes;

  root.PaIndex = PaIndex;
})(typeof self !== "undefined" ? self : this);
