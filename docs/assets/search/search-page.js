/*
 * paper-archive search UI: the /search/ page (its markup: overrides/search.html):
 * query box, tag and year filters with counts, results as you type, state in the URL
 * (?q=…&tag=…&year=…), back button, "show more". The page's script is placed right
 * after the results list there, so it runs as soon as the list is parsed and shows the
 * first answer before the rest of the page. Helpers: ui.js.
 */
(function () {
  "use strict";

  var client = window.PaSearchClient;
  var ui = client.ui;
  if (!ui) return; // no search on this page (ui.js found no <meta name="pa-search">)
  var el = ui.el;
  var shorten = ui.shorten;
  var PAGE = 20; // results a page shows (answer.js PAGE)

  function readUrl() {
    return client.queryOf(location.search);
  }

  function writeUrl(state, push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.tag) params.set("tag", state.tag);
    if (state.year) params.set("year", state.year);
    var search = params.toString();
    var url = location.pathname + (search ? "?" + search : "");
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(state, "", url);
    else history.replaceState(state, "", url);
  }

  function fillSelect(select, counts, current, label, namer, numeric) {
    var keys = Object.keys(counts);
    if (current && keys.indexOf(current) < 0) keys.push(current);
    keys.sort(numeric ? function (a, b) { return b - a; } : function (a, b) { return namer(a).localeCompare(namer(b)); });
    select.textContent = "";
    var all = el("option", null, label);
    all.value = "";
    select.appendChild(all);
    keys.forEach(function (key) {
      var option = el("option", null, namer(key) + " (" + (ui.own(counts, key) ? counts[key] : 0) + ")");
      option.value = key;
      select.appendChild(option);
    });
    select.value = current || "";
  }

  function papers(count) {
    return count + (count === 1 ? " paper" : " papers");
  }

  /* The status line above the results: how many, and how they were found (answer.js
     PaSearch.answer: every word, a corrected typo, or most of the words). */
  function describe(status, answer, q) {
    status.textContent = "";
    if (answer.mode === "corrected") {
      status.appendChild(document.createTextNode("Showing results for "));
      status.appendChild(el("strong", null, shorten(answer.corrected)));
      status.appendChild(document.createTextNode(" (no paper matches \u201c" + shorten(q) + "\u201d): " + papers(answer.total) + "."));
    } else if (answer.mode === "partial") {
      status.textContent = "No paper has every word; showing " + papers(answer.total) + " that match most of them, best first.";
    } else if (answer.phrases && answer.phrases.length) {
      // A phrase (quoted, or a hyphenated compound): how many hold it, then the rest.
      var rest = answer.total - answer.phraseTotal;
      status.textContent = papers(answer.phraseTotal) + (answer.phraseTotal === 1 ? " contains " : " contain ") +
        answer.phrases.map(function (p) { return "\u201c" + shorten(p) + "\u201d"; }).join(" and ") +
        (answer.phrases.length > 1 ? " as phrases" : " as a phrase") +
        (rest ? "; " + rest + (rest === 1 ? " more paper matches" : " more papers match") + " the words" : "") + ".";
    } else {
      status.textContent = papers(answer.total) + (q ? " match \u201c" + shorten(q) + "\u201d" : "");
    }
  }

  /* What the index holds (search/bundle.py: FIELDS_FULL), said when nothing matches:
     a surname or an arXiv id the archive does not have finds nothing here. */
  var INDEXED = "The archive searches titles, abstracts, authors, arXiv ids, topics and years (an id in any form: 2106.09685, arXiv:2106.09685v2, an abs or pdf link; an acronym also finds its expansion: RLHF, ViT).";
  var ELSEWHERE = [
    ["arXiv", "https://arxiv.org/search/", function (q) { return { query: q, searchtype: "all" }; }],
    ["Google Scholar", "https://scholar.google.com/scholar", function (q) { return { q: q }; }]
  ];

  /* The query as a search on arXiv and Google Scholar, in #search-elsewhere (hidden for
     an empty query). URLs are built with URL/URLSearchParams (the query is encoded),
     the links with DOM nodes. */
  function showElsewhere(q) {
    var box = document.getElementById("search-elsewhere");
    if (!box) return;
    box.textContent = "";
    box.hidden = !q;
    if (!q) return;
    box.appendChild(document.createTextNode("Search elsewhere for "));
    box.appendChild(el("q", null, shorten(q)));
    box.appendChild(document.createTextNode(": "));
    ELSEWHERE.forEach(function (site, i) {
      var url = new URL(site[1]);
      url.search = new URLSearchParams(site[2](q)).toString();
      var link = el("a", "pa-search__elsewhere-link", site[0]);
      link.href = url.href;
      link.rel = "noopener noreferrer";
      if (i) box.appendChild(document.createTextNode(" \u00b7 "));
      box.appendChild(link);
    });
  }

  function initSearchPage() {
    var list = document.getElementById("search-results");
    var input = document.getElementById("search-query");
    var tagSelect = document.getElementById("search-tag");
    var yearSelect = document.getElementById("search-year");
    var status = document.getElementById("search-status");
    var more = document.getElementById("search-more"); // the last part parsed: see initHeader
    if (!list || !input || !tagSelect || !yearSelect || !status || !more || list.dataset.paBound) return;
    list.dataset.paBound = "1";
    var base = ui.base;
    var state = readUrl();
    var shown = 0;
    var ask = ui.asker();
    if (!state.q && input.value) state.q = input.value; // typed before this script ran
    input.value = state.q;
    client.start();
    var keys = ui.keyboard(input, list, function () { writeUrl(state, true); });

    function render(answer, append) {
      try {
        draw(answer, append);
      } catch (error) {
        status.textContent = "Search failed: " + ((error && error.message) || error);
        console.error(error);
      }
    }

    function draw(answer, append) {
      if (!append) { list.textContent = ""; shown = 0; keys.reset(); showElsewhere(""); }
      answer.results.forEach(function (result) { list.appendChild(ui.resultItem(result, base, false)); });
      shown += answer.results.length;
      // The first results of a sharded answer come first, the rest of the page after.
      if (answer.rest) list.setAttribute("aria-busy", "true");
      else list.removeAttribute("aria-busy");
      fillSelect(tagSelect, answer.tagCounts, state.tag, "All topics", client.tagName, false);
      fillSelect(yearSelect, answer.yearCounts, state.year, "All years", String, true);
      more.hidden = shown >= answer.total;
      list.dataset.stage = answer.stage;
      list.dataset.q = state.q; // the query the list answers (tests wait on it, never on time)
      list.dataset.mode = answer.mode || "all";
      if (answer.error) {
        status.textContent = "Search failed: " + answer.error;
      } else if (!state.q && !state.tag && !state.year) {
        status.textContent = "Type to search titles, topics and abstracts.";
      } else if (answer.total === 0) {
        status.textContent = "";
        status.appendChild(document.createTextNode("No papers match "));
        status.appendChild(el("q", null, state.q ? shorten(state.q) : "these filters"));
        status.appendChild(document.createTextNode(". " + INDEXED));
        var hints = [];
        if (state.tag || state.year) hints.push("removing the topic or year filter");
        if (state.q.split(/\s+/).length > 1) hints.push("fewer words");
        if (hints.length) status.appendChild(document.createTextNode(" Try " + hints.join(", or ") + "."));
        showElsewhere(state.q);
      } else {
        describe(status, answer, state.q);
      }
      if (answer.notes && answer.notes.length) status.appendChild(el("span", "pa-search__notes", " " + answer.notes.join(" ")));
    }

    function run() {
      writeUrl(state, false);
      if (!state.q && !state.tag && !state.year) {
        list.textContent = "";
        more.hidden = true;
      }
      ask({ q: state.q, tag: state.tag, year: state.year }, function (answer) {
        render(answer, false);
        if (answer.rest) showMore(PAGE - shown); // the first results came first (client.js, sharded)
      });
    }
    var runSoon = ui.debounce(run, ui.DEBOUNCE_MS);

    input.addEventListener("input", function () { state.q = input.value; runSoon(); });
    tagSelect.addEventListener("change", function () { state.tag = tagSelect.value; writeUrl(state, true); run(); });
    yearSelect.addEventListener("change", function () { state.year = yearSelect.value; writeUrl(state, true); run(); });
    more.addEventListener("click", function () { showMore(); });
    /* The next page; `limit`: the rest of the first one (answer.rest). */
    function showMore(limit) {
      ask({ q: state.q, tag: state.tag, year: state.year, offset: shown, limit: limit }, function (answer) { render(answer, true); });
    }
    window.addEventListener("popstate", function () {
      state = readUrl();
      input.value = state.q;
      run();
    });
    client.on("stage", function (event) {
      if (event.stage === "full" && (state.q || state.tag || state.year)) run(); // refine with abstracts
    });
    run();
  }

  ui.bind(initSearchPage);
})();
