/*
 * paper-archive search, the query: the archive's query semantics over a PaIndex
 * (index.js). Lunr syntax when the text has any, else plain words in passes (all of
 * them, then with typos corrected, then most of them), and the highlight ranges of
 * the words found. Exposed as PaQuery: {searchText, words, stem, isStopWord, distance,
 * highlight, PAGE}; answer.js builds the answers from it.
 */
(function (root) {
  "use strict";

  var PaIndex = root.PaIndex;
  var LIMITS = PaIndex.LIMITS;
  var note = PaIndex.note;
  var addNotes = PaIndex.addNotes;

  var PAGE = 20;
  var WORD = /[\p{L}\p{N}]+/gu;

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

  /* The words of a query within LIMITS: the first LIMITS.words distinct words, each cut
     to LIMITS.termLength characters. */
  function boundWords(list, notes) {
    var out = [];
    for (var i = 0; i < list.length; i++) {
      var word = list[i];
      if (word.length > LIMITS.termLength) { word = word.slice(0, LIMITS.termLength); note(notes, "long"); }
      if (out.indexOf(word) >= 0) continue;
      if (out.length === LIMITS.words) { note(notes, "words"); break; }
      out.push(word);
    }
    return out;
  }

  /* One pass of the plain word search; each word of the query is one clause `group`.
     - "all": every word is required; the last one, unless it is already a whole indexed
       term, also matches as a prefix (the reader is still typing it).
     - "fuzzy": the same, with one typo allowed in each word of 5 letters or more that is
       not an indexed term (null when no word is such: the pass would repeat "all").
     - "partial": no word is required; papers matching more words rank first (null for
       one word: the pass would repeat "fuzzy").
     Returns {results, fuzzy: the typo-tolerant clauses, notes}; with `raw`, results are
     PaIndex.run's raw form ({hits, scores}, unsorted), of the documents `within` marks
     if given. */
  function plainSearch(index, list, mode, raw, within) {
    var content = list.filter(function (w) { return !isStopWord(w); });
    if (content.length === 0) content = list;
    if (mode === "partial" && content.length < 2) return null;
    var presence = mode === "partial" ? lunr.Query.presence.OPTIONAL : lunr.Query.presence.REQUIRED;
    var query = new lunr.Query(index.fields);
    var fuzzy = [];
    content.forEach(function (word, i) {
      var known = index.has(stem(word));
      var typing = !known && i === content.length - 1 && word.length >= 3 && (mode === "all" || index.hasPrefix(word));
      if (typing) {
        query.term(word, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false, presence: presence, group: i });
        query.term(word, { boost: 10, group: i }); // a whole-word match ranks above a prefix match
      } else if (mode !== "all" && !known && word.length >= LIMITS.fuzzyLength) {
        var clause = { editDistance: 1, presence: presence, group: i, word: word };
        query.term(word, clause);
        fuzzy.push(clause);
      } else {
        query.term(word, { presence: presence, group: i });
      }
    });
    if (mode === "fuzzy" && fuzzy.length === 0) return null;
    query.coverage = mode === "partial";
    query.raw = !!raw; // {hits, scores} unsorted, no result objects (rankedSearch)
    query.within = within || null; // raw: only these documents
    var results = index.run(query);
    return { results: results, fuzzy: fuzzy, notes: query.notes };
  }

  /* -- Phrases, compounds and aliases (word pairs: scripts/paper_archive/search/pairs.py)
     The full index has two fields of word-pair terms ("a b", stems, stop words left
     out): `pairs`, neighbouring words of title and abstract; `near`, title words at
     most 3 apart, stored sorted. Lunr's scores are left as they are; the ranking adds:
     - phrases: a quoted phrase or a hyphenated compound ("text to image", GPT-4) is
       found as its pairs; papers that have every phrase of the query rank first, and
       `phrased` says which (the count the page shows);
     - proximity: each two neighbouring words of the query add their pair's BM25 weight
       in `pairs` and `near` (field boosts from the index) to the paper's rank;
     - variants, searched too, each paper ranked by its best variant: a closed compound
       found as its two parts side by side ("selfsupervised": "self supervised"), two
       neighbouring words or a compound as the closed word the index has, and each alias
       of the vocabulary (store.aliases: RLHF, "reinforcement learning from human
       feedback") in place of the others; a multi-word replacement must be a phrase. */
  var STRICT_SYNTAX = /[:~^+*]|(^|\s)-[\p{L}\p{N}]/u; // Lunr syntax besides quotes and inner hyphens
  var PHRASE = /"([^"]*)"|[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)+/gu;
  var VARIANTS = 8; // variant queries searched at most

  function stemsOf(list) {
    var out = [];
    list.forEach(function (w) { if (!isStopWord(w)) out.push(stem(w)); });
    return out;
  }

  /* The phrases of `text` (quoted, or hyphenated compounds), each as its words. */
  function phrasesOf(text) {
    var out = [];
    var match;
    PHRASE.lastIndex = 0;
    while ((match = PHRASE.exec(text)) !== null) {
      var typed = match[1] !== undefined ? match[1] : match[0];
      var list = words(typed);
      list.text = typed.trim(); // as typed, for the status line
      if (stemsOf(list).length >= 2) out.push(list);
    }
    return out;
  }

  /* The documents of term t in field f (PaIndex.list without its weights, unsharded). */
  function docsOf(index, t, f) {
    if (index.lists) return index.list(t, f).docs;
    var posting = index.postings[f];
    return posting.docs.subarray(posting.start[t], posting.start[t + 1]);
  }

  function pairField(index, name) {
    var f = index.fields.indexOf(name);
    return f >= 0 ? f : -1;
  }

  /* Documents (Uint8Array) that hold every pair of `stems` in the `pairs` field, or whose
     index has the stems' words closed up ("self supervis" -> "selfsupervis") as a term;
     null when the index has no pairs, or not one of these (a phrase one abstract has
     is not indexed: the phrase is then matched by its words). */
  function phraseDocs(index, list) {
    var f = pairField(index, "pairs");
    if (f < 0) return null;
    var stems = stemsOf(list);
    var N = index.docCount;
    var out = new Uint8Array(N);
    var count = new Uint8Array(N);
    var need = stems.length - 1;
    for (var i = 0; i < need; i++) {
      var t = index.numberOf(stems[i] + " " + stems[i + 1]);
      if (t === undefined) return null; // not indexed (pairs.py: MIN_PAPERS): words alone
      var docs = docsOf(index, t, f);
      for (var p = 0; p < docs.length; p++) count[docs[p]]++;
    }
    for (var d = 0; need > 0 && d < N; d++) if (count[d] === need) out[d] = 1;
    var closed = index.numberOf(stem(list.filter(function (w) { return !isStopWord(w); }).join("")));
    if (closed !== undefined) {
      for (var g = 0; g < index.fields.length; g++) {
        if (g === f || index.fields[g] === "near") continue;
        var other = docsOf(index, closed, g);
        for (var q = 0; q < other.length; q++) out[other[q]] = 1;
      }
    }
    return out;
  }

  /* What each document of `within` (Uint8Array by document) adds to its rank for the
     query's neighbouring words (see above). */
  function proximity(index, list, within) {
    var stems = stemsOf(list);
    if (stems.length < 2) return null;
    var bonus = new Float64Array(index.docCount);
    [["pairs", false], ["near", true]].forEach(function (kind) {
      var f = pairField(index, kind[0]);
      if (f < 0) return;
      for (var i = 0; i + 1 < stems.length; i++) {
        var a = stems[i], b = stems[i + 1];
        if (a === b) continue;
        var t = index.numberOf(kind[1] && b < a ? b + " " + a : a + " " + b);
        if (t === undefined) continue;
        index.addWeights(t, f, within, bonus); // BM25 weights with the field's boost
      }
    });
    return bonus;
  }

  /* For a query of two words or more, how many of them each document's title has
     (Uint8Array, `need`: all of them), or null: a paper whose title has every word
     ranks above one that has some of them only in its abstract, however often (a
     reader who remembers two words of a title finds the paper). */
  function titleCoverage(index, list) {
    var f = index.fields.indexOf("title");
    var stems = stemsOf(list).filter(function (s, i, all) { return all.indexOf(s) === i; });
    if (f < 0 || stems.length < 2) return null;
    var out = new Uint8Array(index.docCount);
    stems.forEach(function (s) {
      var t = index.numberOf(s);
      if (t === undefined) return;
      var docs = docsOf(index, t, f);
      for (var p = 0; p < docs.length; p++) out[docs[p]]++;
    });
    out.need = stems.length;
    return out;
  }

  /* Whether `word` may be a closed compound worth splitting: the index does not have
     it, or fewer than RARE papers do (the closed form is the rare spelling). Each cut
     is a look-up (a shard fetched, sharded), so a common word is never split; sharded,
     nothing is split until the files already asked for are here. */
  var RARE = 3;
  function mayBeClosed(index, word) {
    var t = index.numberOf(stem(word));
    if (index.missing && index.missing.size) return false;
    return t === undefined || index.df[t] < RARE;
  }

  /* The query as units ({words, phrase: true when its words must be side by side}), and
     its variants (see above), the query itself first; at most VARIANTS. */
  function variantsOf(index, list, phrases, aliases) {
    var units = [];
    var taken = Object.create(null);
    phrases.forEach(function (p) { units.push({ words: p, phrase: true }); p.forEach(function (w) { taken[w] = true; }); });
    list.forEach(function (w) { if (!taken[w]) units.push({ words: [w], phrase: false }); });
    var out = [units];
    function add(variant) { if (out.length < VARIANTS) out.push(variant); }
    function replaced(at, count, unit) {
      return units.slice(0, at).concat([unit], units.slice(at + count));
    }
    var f = pairField(index, "pairs");
    units.forEach(function (unit, at) {
      var content = unit.words.filter(function (w) { return !isStopWord(w); });
      if (!unit.phrase && content.length === 1 && f >= 0 && content[0].length >= 6 && mayBeClosed(index, content[0])) {
        var w = content[0]; // a closed compound: its two parts side by side
        for (var cut = 2; cut <= w.length - 2; cut++) {
          var left = w.slice(0, cut), right = w.slice(cut);
          if (isStopWord(left) || isStopWord(right)) continue;
          if (index.numberOf(stem(left) + " " + stem(right)) !== undefined) add(replaced(at, 1, { words: [left, right], phrase: true }));
        }
      }
      var next = units[at + 1]; // two words, or a compound, closed up
      var joinedWords = unit.phrase ? content : (next && !next.phrase && !unit.phrase ? [unit.words[0], next.words[0]] : null);
      if (joinedWords && joinedWords.length >= 2 && index.has(stem(joinedWords.join("")))) {
        add(replaced(at, unit.phrase ? 1 : 2, { words: [joinedWords.join("")], phrase: false }));
      }
    });
    (aliases || []).forEach(function (group) {
      var forms = group.map(function (name) { return words(name); });
      var allStems = units.map(function (u) { return stemsOf(u.words).join(" "); });
      forms.forEach(function (form, i) {
        var key = stemsOf(form).join(" ");
        if (!key) return;
        for (var at = 0; at < units.length; at++) {
          for (var end = at + 1; end <= units.length; end++) {
            if (!allStems[at] || allStems.slice(at, end).filter(Boolean).join(" ") !== key) continue;
            forms.forEach(function (other, j) {
              if (j !== i) add(replaced(at, end - at, { words: other, phrase: stemsOf(other).length >= 2 }));
            });
          }
        }
      });
    });
    return out;
  }

  /* The "all" pass over the query's variants, with phrases and proximity ranked in
     (see above): {refs (numbers, in no order), key (by document: their order, highest
     first, then the lower ref; see best), scores (by document), phrased (refs holding
     every phrase typed, or null), notes}. With nothing to reorder, the key is Lunr's
     score and the order PaIndex.run's. */
  function rankedSearch(index, list, phrases, aliases) {
    var variants = variantsOf(index, list, phrases, aliases);
    var N = index.docCount;
    var ranks = new Float64Array(N);
    var scores = new Float64Array(N);
    var seen = new Uint8Array(N);
    var hits = [];
    var notes = [];
    var memo = new Map(); // phraseDocs by the phrase's words: the typed phrases recur in each variant
    function phraseOf(list) {
      var key = list.join(" ");
      if (!memo.has(key)) memo.set(key, phraseDocs(index, list));
      return memo.get(key);
    }
    var typed = phrases.map(phraseOf);
    var phrased = phrases.length && typed.every(Boolean) ? new Set() : null;
    if (variants.length === 1 && !phrases.length && stemsOf(list).length < 2) {
      var only = plainSearch(index, list, "all", true); // nothing to reorder: Lunr's order
      // Unordered: PaIndex.run's order (score, then ref) is taken for the page shown (best).
      return { refs: only.results.hits || [], key: only.results.scores, scores: only.results.scores, phrased: null, notes: only.notes };
    }
    variants.forEach(function (units, v) {
      var vlist = [];
      units.forEach(function (u) { u.words.forEach(function (w) { if (vlist.indexOf(w) < 0) vlist.push(w); }); });
      var required = units.filter(function (u) { return u.phrase; }).map(function (u) { return phraseOf(u.words); });
      var within = null; // a variant keeps the papers holding its phrases: only they are scored
      for (var r = 0; v > 0 && r < required.length; r++) {
        if (!required[r]) continue;
        if (!within) { within = required[r]; continue; }
        var both = new Uint8Array(N);
        for (var d = 0; d < N; d++) both[d] = within[d] & required[r][d];
        within = both;
      }
      var pass = plainSearch(index, vlist, "all", true, within);
      addNotes(notes, pass.notes);
      var found = pass.results.hits;
      if (!found || !found.length) return;
      var inPass = new Uint8Array(N);
      for (var h = 0; h < found.length; h++) inPass[found[h]] = 1;
      var bonus = proximity(index, vlist, inPass);
      var inTitle = titleCoverage(index, vlist);
      var foundScores = pass.results.scores;
      for (var k = 0; k < found.length; k++) {
        var doc = found[k];
        var score = foundScores[doc];
        var kept = true;
        for (var q = 0; v > 0 && q < required.length; q++) if (required[q] && !required[q][doc]) kept = false;
        if (!kept) continue;
        var tier = 0;
        for (var t = 0; t < typed.length; t++) if (typed[t] && typed[t][doc]) tier++;
        if (phrased && tier === phrases.length) phrased.add(doc);
        var rank = tier * 1e6 + (inTitle && inTitle[doc] === inTitle.need ? 1e5 : 0) + score + (bonus ? bonus[doc] : 0);
        if (!seen[doc]) { seen[doc] = 1; hits.push(doc); ranks[doc] = rank; scores[doc] = score; }
        else if (rank > ranks[doc]) { ranks[doc] = rank; scores[doc] = score; }
      }
    });
    if (index.missing && index.missing.size) askPairs(index, list);
    return { refs: hits, key: ranks, scores: scores, phrased: phrased, notes: notes };
  }

  /* Sharded, while the words' postings are being fetched: ask for the shards of their
     pairs (proximity: side by side, and near in either order) and of the words closed
     up (phraseDocs) in the same round. Those are looked up only once the words have
     matched, so without this they would be one more round of requests before the
     first result. */
  function askPairs(index, list) {
    var stems = stemsOf(list);
    if (stems.length < 2) return;
    var pairs = pairField(index, "pairs") >= 0;
    var near = pairField(index, "near") >= 0;
    for (var i = 0; i + 1 < stems.length; i++) {
      var a = stems[i], b = stems[i + 1];
      if (a === b) continue;
      if (pairs) index.numberOf(a + " " + b);
      if (near) index.numberOf(b < a ? b + " " + a : a + " " + b);
    }
    if (pairs) index.numberOf(stem(list.filter(function (w) { return !isStopWord(w); }).join("")));
  }

  /* The first `count` of `refs` in the answers' order: `key` (by document) highest
     first, then the lower ref; `refs` as they are when `key` is null (already in
     order). A broad query matches tens of thousands of papers and shows 20, so the
     rest is never sorted: a heap holds the best `count` (the worst of them on top),
     and most refs are turned away by one comparison with it. `refs` is not changed. */
  function best(refs, key, count) {
    count = Math.min(count, refs.length);
    if (!key) return refs.slice(0, count);
    function order(a, b) { return key[b] - key[a] || a - b; } // < 0: a comes first
    function before(a, b) { return order(a, b) < 0; }
    var heap = refs.slice(0, count);
    function sink(i) {
      for (;;) {
        var worst = i;
        var l = 2 * i + 1;
        var r = l + 1;
        if (l < count && before(heap[worst], heap[l])) worst = l;
        if (r < count && before(heap[worst], heap[r])) worst = r;
        if (worst === i) return;
        var t = heap[i]; heap[i] = heap[worst]; heap[worst] = t;
        i = worst;
      }
    }
    for (var i = (count >> 1) - 1; i >= 0; i--) sink(i);
    for (var k = count; k < refs.length; k++) {
      if (count && before(refs[k], heap[0])) { heap[0] = refs[k]; sink(0); }
    }
    return heap.sort(order);
  }

  /* found.results as [{ref, score}], best first, for `refs` (numbers, in no order),
     `key` (their order: see best) and `scores` (by document), made when first read:
     answer.js reads `refs` and `key`, so a page of a broad query sorts no more than
     its page and makes no object per result. */
  function lazyResults(found, refs, key, scores) {
    var made = null;
    found.refs = refs;
    found.key = key;
    Object.defineProperty(found, "results", {
      enumerable: true,
      configurable: true,
      get: function () {
        if (made) return made;
        refs = best(refs, key, refs.length);
        made = new Array(refs.length);
        for (var h = 0; h < refs.length; h++) made[h] = { ref: String(refs[h]), score: scores[refs[h]] };
        return made;
      },
    });
  }

  /* Lunr syntax first when the text has any (quotes and hyphens inside words are
     phrases, not syntax); a query Lunr cannot parse, or that finds nothing, is searched
     as plain words: all of them, with phrases, proximity and variants ranked in
     ("all"); if no paper has them all, with one typo allowed in unknown words
     ("corrected"); if still none, the papers that match most of the words ("partial").
     Every pass is cut to LIMITS. `aliases`: the store's alias groups. Returns {results
     (and, from the ranked pass, refs: the results' refs as numbers, in no order, and
     key: their order, see best),
     words, mode, fixes: typo-tolerant clauses that matched, phrases (as typed), phrased
     (refs holding every phrase, or null), notes}. */
  var PASSES = [["all", "all"], ["fuzzy", "corrected"], ["partial", "partial"]];
  function incomplete(index) {
    return !!(index.missing && index.missing.size);
  }
  function searchText(index, text, aliases) {
    var notes = [];
    if (text.length > LIMITS.text) { text = text.slice(0, LIMITS.text); note(notes, "text"); }
    var list = boundWords(words(text), notes);
    var found = { results: [], words: list, mode: "all", fixes: [], phrases: [], phrased: null, notes: notes };
    if (list.length === 0) return found;
    var syntax = STRICT_SYNTAX.test(text);
    var phrases = syntax ? [] : phrasesOf(text);
    if (syntax) {
      var query = new lunr.Query(index.fields);
      try {
        new lunr.QueryParser(text, query).parse();
      } catch {
        query = null; // not valid Lunr syntax: search the words instead
      }
      if (query) {
        found.results = index.run(query);
        addNotes(notes, query.notes);
        if (found.results.length || incomplete(index)) return found;
      }
    }
    var ranked = rankedSearch(index, list, phrases, aliases);
    if (incomplete(index)) return found; // a sharded index lacked files: fetched, then again
    addNotes(notes, ranked.notes);
    if (ranked.refs.length) {
      lazyResults(found, ranked.refs, ranked.key, ranked.scores);
      found.phrases = phrases;
      found.phrased = ranked.phrased;
      return found;
    }
    for (var p = 1; p < PASSES.length; p++) {
      var pass = plainSearch(index, list, PASSES[p][0]);
      if (incomplete(index)) return found; // a sharded index lacked files: fetched, then again
      if (!pass) continue;
      addNotes(notes, pass.notes);
      if (pass.results.length) {
        found.results = pass.results;
        found.mode = PASSES[p][1];
        found.fixes = pass.fuzzy.filter(function (clause) { return clause.expanded && clause.expanded.length > 0; });
        return found;
      }
    }
    return found;
  }

  /* Optimal-string-alignment distance of two short words (to pick a correction). */
  function distance(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
        rows[i].push(best);
      }
    }
    return rows[a.length][b.length];
  }

  /* Ranges of `text` to mark for the query words `list`: each letter-and-digit run
     whose stem a word asks for (or that starts with the last word, being typed), and a
     whole word joined by punctuation whose runs, joined, are asked for ("01ai" marks
     "01.AI"), as the index holds them (scripts/paper_archive/search/lunr_builder.py).
     Runs are found in the text as it is, so offsets stay the text's. */
  var TOKEN = /[^\s-]+/g; // lunr.tokenizer.separator splits tokens
  function highlight(text, list) {
    if (!list || !list.length || !text) return [];
    var wanted = Object.create(null);
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

  root.PaQuery = {
    PAGE: PAGE,
    best: best,
    words: words,
    isStopWord: isStopWord,
    stem: stem,
    searchText: searchText,
    distance: distance,
    highlight: highlight,
  };
})(typeof self !== "undefined" ? self : this);
