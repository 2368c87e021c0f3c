/*
 * paper-archive search UI (main thread): the /search/ page and the header box. It asks
 * PaSearchClient (client.js) and renders the answers, always with text nodes: nothing
 * from the index is ever parsed as HTML.
 *
 * - /search/ (its markup: overrides/search.html): query box, tag and year filters with
 *   counts, results as you type, state in the URL (?q=…&tag=…&year=…), back button,
 *   "show more". This script is placed right after the results list there, so it runs
 *   as soon as the list is parsed and shows the first answer before the rest of the page.
 * - every page: the header box (overrides/partials/header.html) shows the top results as
 *   you type; Enter without a selection opens /search/ with the query.
 * - keyboard: "/" focuses the search box, arrows move through results, Enter opens.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 40;
  var HEADER_LIMIT = 8;
  var client = window.PaSearchClient;
  var files = client.files();
  if (!files) return;
  var SITE_BASE = files.root; // the site's root URL: results and /search/ are relative to it

  /* A message in every search status line (the page's, the header's): after an error
     the page must say so, never keep "Loading the search index…". */
  function showStatus(text) {
    document.querySelectorAll("[data-pa-status]").forEach(function (node) { node.textContent = text; });
  }
  client.on("error", showStatus);

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /* Answers for one box, newest only: `ask(query, show)` calls show(answer) unless a
     newer query of the same box was asked meanwhile; failures go to the status lines. */
  function asker() {
    var latest = 0;
    return function (query, show) {
      var token = ++latest;
      client.answer(query).then(
        function (answer) { if (token === latest) show(answer); },
        function (error) { if (token === latest && !error.dropped) showStatus(error.message); }
      );
    };
  }

  function debounce(fn, ms) {
    var timer = null;
    var queued = null;
    function release() {
      if (queued) { var args = queued; queued = null; fn.apply(null, args); timer = setTimeout(release, ms); }
      else timer = null;
    }
    return function () {
      if (timer === null) { fn.apply(null, arguments); timer = setTimeout(release, ms); }
      else queued = arguments;
    };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  /* Text with <mark>s over the given [start, end) ranges, built from text nodes. */
  function marked(text, ranges) {
    var fragment = document.createDocumentFragment();
    var at = 0;
    (ranges || []).forEach(function (range) {
      if (range[0] > at) fragment.appendChild(document.createTextNode(text.slice(at, range[0])));
      fragment.appendChild(el("mark", null, text.slice(range[0], range[1])));
      at = range[1];
    });
    if (at < text.length) fragment.appendChild(document.createTextNode(text.slice(at)));
    return fragment;
  }

  function resultItem(result, base, compact) {
    var item = el("li", "pa-result");
    var link = el("a", "pa-result__link");
    var href = client.safeHref(result.url, base);
    if (href !== null) link.href = href; // else shown, not linked (shared.js: safeHref)
    link.appendChild(el("span", "pa-result__title")).appendChild(marked(result.title, result.titleMarks));
    var meta = el("span", "pa-result__meta");
    meta.appendChild(el("span", "pa-result__year", result.year ? String(result.year) : "date unknown"));
    result.tags.forEach(function (tag) { meta.appendChild(el("span", "pa-tag", tag[1])); });
    link.appendChild(meta);
    if (!compact) link.appendChild(el("span", "pa-result__snippet")).appendChild(marked(result.snippet, result.snippetMarks));
    item.appendChild(link);
    if (compact) asOption(item, link); // compact: the header's dropdown, a listbox
    return item;
  }

  /* An item of the header's listbox: the link itself is the option (a link inside an
     option would be a control nested in a control), out of the tab order because focus
     stays in the box (WAI-ARIA 1.2 combobox), and still a link for clicks. Each option
     gets its own id: aria-activedescendant must change for a move to be announced. */
  var optionCount = 0;
  function asOption(item, link) {
    item.setAttribute("role", "none");
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.id = "pa-option-" + (++optionCount);
    link.tabIndex = -1;
    return item;
  }

  /* Arrow keys move a highlighted "active" result; Enter opens it. Focus stays in the box.
     A box with role="combobox" (the header's) names the active option with
     aria-activedescendant and aria-selected; elsewhere (/search/: a plain list of links
     that Tab reaches) the arrows only move the highlight. `on.open` shows a closed list
     before the arrows move in it; `on.escape` closes it. */
  function keyboard(input, list, onEnterWithout, on) {
    on = on || {};
    var active = -1;
    var combobox = input.getAttribute("role") === "combobox";
    function items() { return list.querySelectorAll(combobox ? "[role=option]" : ".pa-result__link"); }
    function setActive(index) {
      var links = items();
      if (!links.length) { active = -1; return; }
      active = Math.max(-1, Math.min(index, links.length - 1));
      links.forEach(function (link, i) {
        var isActive = i === active;
        link.classList.toggle("pa-result__link--active", isActive);
        if (combobox) link.setAttribute("aria-selected", isActive ? "true" : "false");
        if (isActive) {
          link.scrollIntoView({ block: "nearest" });
          if (combobox) input.setAttribute("aria-activedescendant", link.id);
        }
      });
      if (active < 0) input.removeAttribute("aria-activedescendant");
    }
    function move(step) {
      if (on.open && on.open()) return; // first press: show the list, nothing chosen yet
      setActive(active + step);
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Enter") {
        event.preventDefault();
        var links = items();
        if (active >= 0 && links[active]) links[active].click();
        else onEnterWithout();
      } else if (event.key === "Escape") {
        setActive(-1);
        if (on.escape && on.escape()) event.preventDefault(); // closed the list: keep the text
      }
    });
    return { reset: function () { setActive(-1); input.removeAttribute("aria-activedescendant"); } };
  }

  /* -- the /search/ page --------------------------------------------------------- */

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
      var option = el("option", null, namer(key) + " (" + (own(counts, key) ? counts[key] : 0) + ")");
      option.value = key;
      select.appendChild(option);
    });
    select.value = current || "";
  }

  function shorten(text) {
    return text.length > 80 ? text.slice(0, 79) + "\u2026" : text;
  }

  function papers(count) {
    return count + (count === 1 ? " paper" : " papers");
  }

  /* The status line above the results: how many, and how they were found (engine.js
     PaSearch.answer: every word, a corrected typo, or most of the words). */
  function describe(status, answer, q) {
    status.textContent = "";
    if (answer.mode === "corrected") {
      status.appendChild(document.createTextNode("Showing results for "));
      status.appendChild(el("strong", null, shorten(answer.corrected)));
      status.appendChild(document.createTextNode(" (no paper matches \u201c" + shorten(q) + "\u201d): " + papers(answer.total) + "."));
    } else if (answer.mode === "partial") {
      status.textContent = "No paper has every word; showing " + papers(answer.total) + " that match most of them, best first.";
    } else {
      status.textContent = papers(answer.total) + (q ? " match \u201c" + shorten(q) + "\u201d" : "");
    }
  }

  /* The header dropdown's last line: a link to /search/, saying briefly how the
     results were found. */
  function headerLabel(answer, q) {
    if (answer.error) return "Search failed: " + answer.error;
    if (!answer.total) return "No papers match \u201c" + shorten(q) + "\u201d; open search";
    if (answer.mode === "corrected") return "Showing results for \u201c" + shorten(answer.corrected) + "\u201d: all " + answer.total;
    if (answer.mode === "partial") return "No paper has every word: all " + answer.total + " partial matches";
    return "All " + answer.total + " results";
  }

  /* What the index holds (search/bundle.py: FIELDS_FULL), said when nothing matches:
     a surname or an arXiv id the archive does not have finds nothing here. */
  var INDEXED = "The archive searches titles, abstracts, arXiv ids, topics and years (not authors).";
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
    var base = SITE_BASE;
    var state = readUrl();
    var shown = 0;
    var ask = asker();
    if (!state.q && input.value) state.q = input.value; // typed before this script ran
    input.value = state.q;
    client.start();
    var keys = keyboard(input, list, function () { writeUrl(state, true); });

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
      answer.results.forEach(function (result) { list.appendChild(resultItem(result, base, false)); });
      shown += answer.results.length;
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
      ask({ q: state.q, tag: state.tag, year: state.year }, function (answer) { render(answer, false); });
    }
    var runSoon = debounce(run, DEBOUNCE_MS);

    input.addEventListener("input", function () { state.q = input.value; runSoon(); });
    tagSelect.addEventListener("change", function () { state.tag = tagSelect.value; writeUrl(state, true); run(); });
    yearSelect.addEventListener("change", function () { state.year = yearSelect.value; writeUrl(state, true); run(); });
    more.addEventListener("click", function () {
      ask({ q: state.q, tag: state.tag, year: state.year, offset: shown }, function (answer) { render(answer, true); });
    });
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

  /* -- the header box on every page --------------------------------------------- */

  /* This script is async: it can run while the page is half parsed, with the header's
     box parsed and its results list or status line not yet (a loaded machine, a slow
     network). A box is bound only once all its parts are; init() runs again at
     DOMContentLoaded and binds it then. */
  function initHeader() {
    var input = document.getElementById("pa-header-q");
    var panel = document.getElementById("pa-header-results");
    var status = document.getElementById("pa-header-status"); // visually hidden, aria-live
    if (!input || !input.form || !panel || !status || input.dataset.paBound) return;
    input.dataset.paBound = "1";
    var form = input.form;
    var base = SITE_BASE;
    var ask = asker();
    var keys = keyboard(input, panel, function () { form.submit(); }, {
      open: function () {
        if (!panel.hidden || !panel.children.length || !input.value.trim()) return false;
        setOpen(true);
        return true;
      },
      escape: function () {
        if (panel.hidden) return false;
        setOpen(false);
        return true;
      }
    });
    /* The combobox's state (aria-expanded) follows the list's visibility. */
    function setOpen(open) {
      panel.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) keys.reset();
    }
    /* The count for screen readers (the list itself is not announced as it changes),
       with the list's last line when it says more (a corrected or partial search). */
    function announce(answer, label) {
      if (!status) return;
      var shown = answer.results.length;
      if (!answer.total) { status.textContent = label; return; }
      status.textContent = answer.total + (answer.total === 1 ? " paper matches" : " papers match")
        + (shown < answer.total ? ", " + shown + " listed." : ".")
        + (answer.mode === "corrected" || answer.mode === "partial" ? " " + label : "");
    }
    if (document.getElementById("search-results")) {
      // On /search/ the page's own box is the search box; the header one hands over to it.
      input.addEventListener("focus", function () { document.getElementById("search-query").focus(); });
      return;
    }
    function run() {
      var q = input.value.trim();
      if (!q) { panel.textContent = ""; setOpen(false); if (status) status.textContent = ""; return; }
      ask({ q: q, limit: HEADER_LIMIT }, function (answer) {
        panel.textContent = "";
        keys.reset();
        answer.results.forEach(function (result) { panel.appendChild(resultItem(result, base, true)); });
        var all = el("li", "pa-result pa-result--all");
        var link = el("a", null, headerLabel(answer, q));
        link.href = new URL("search/?q=" + encodeURIComponent(q), base).href;
        all.appendChild(link);
        panel.appendChild(asOption(all, link));
        setOpen(true);
        announce(answer, link.textContent);
      });
    }
    input.addEventListener("focus", client.start);
    input.addEventListener("input", debounce(run, DEBOUNCE_MS));
    if (document.activeElement === input && input.value.trim()) { client.start(); run(); } // typed before this script bound the box
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) setOpen(false);
    });
  }

  function focusSearch(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("search-query") || document.getElementById("pa-header-q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }

  function init() {
    initHeader();
    initSearchPage();
  }

  document.addEventListener("keydown", focusSearch);
  init(); // what is parsed already (on /search/: the header and the results list)
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  // Material's instant navigation swaps pages without reloading scripts.
  if (typeof document$ !== "undefined") document$.subscribe(init);
})();
