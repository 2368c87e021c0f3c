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
     Returns {results, fuzzy: the typo-tolerant clauses, notes}. */
  function plainSearch(index, list, mode) {
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
    var results = index.run(query);
    return { results: results, fuzzy: fuzzy, notes: query.notes };
  }

  /* Lunr syntax first when the text has any; a query Lunr cannot parse, or that finds
     nothing, is searched as plain words: all of them ("all"); if no paper has them all,
     with one typo allowed in unknown words ("corrected"); if still none, the papers
     that match most of the words ("partial"). Every pass is cut to LIMITS. Returns
     {results, words, mode, fixes: typo-tolerant clauses that matched, notes}. */
  var PASSES = [["all", "all"], ["fuzzy", "corrected"], ["partial", "partial"]];
  function searchText(index, text) {
    var notes = [];
    if (text.length > LIMITS.text) { text = text.slice(0, LIMITS.text); note(notes, "text"); }
    var list = boundWords(words(text), notes);
    var found = { results: [], words: list, mode: "all", fixes: [], notes: notes };
    if (list.length === 0) return found;
    if (SYNTAX.test(text)) {
      var query = new lunr.Query(index.fields);
      try {
        new lunr.QueryParser(text, query).parse();
      } catch (error) {
        query = null; // not valid Lunr syntax: search the words instead
      }
      if (query) {
        found.results = index.run(query);
        addNotes(notes, query.notes);
        if (found.results.length) return found;
      }
    }
    for (var p = 0; p < PASSES.length; p++) {
      var pass = plainSearch(index, list, PASSES[p][0]);
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
  var TOKEN = /[^\s\-]+/g; // lunr.tokenizer.separator splits tokens
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
    words: words,
    isStopWord: isStopWord,
    stem: stem,
    searchText: searchText,
    distance: distance,
    highlight: highlight,
  };
})(typeof self !== "undefined" ? self : this);
