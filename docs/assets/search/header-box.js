/*
 * paper-archive search UI: the header box on every page (overrides/partials/header.html)
 * shows the top results as you type; Enter without a selection opens /search/ with the
 * query. On /search/ it hands focus to the page's own box. Helpers: ui.js.
 */
(function () {
  "use strict";

  var client = window.PaSearchClient;
  var ui = client.ui;
  if (!ui) return; // no search on this page (ui.js found no <meta name="pa-search">)
  var HEADER_LIMIT = 8;
  var el = ui.el;
  var shorten = ui.shorten;

  /* The header dropdown's last line: a link to /search/, saying briefly how the
     results were found. */
  function headerLabel(answer, q) {
    if (answer.error) return "Search failed: " + answer.error;
    if (!answer.total) return "No papers match \u201c" + shorten(q) + "\u201d; open search";
    if (answer.mode === "corrected") return "Showing results for \u201c" + shorten(answer.corrected) + "\u201d: all " + answer.total;
    if (answer.mode === "partial") return "No paper has every word: all " + answer.total + " partial matches";
    return "All " + answer.total + " results";
  }

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
    var base = ui.base;
    var ask = ui.asker();
    var keys = ui.keyboard(input, panel, function () { form.submit(); }, {
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
        answer.results.forEach(function (result) { panel.appendChild(ui.resultItem(result, base, true)); });
        var all = el("li", "pa-result pa-result--all");
        var link = el("a", null, headerLabel(answer, q));
        link.href = new URL("search/?q=" + encodeURIComponent(q), base).href;
        all.appendChild(link);
        panel.appendChild(ui.asOption(all, link));
        // An answer that arrives once the reader has left the box (clicked the page while
        // a slow machine still searched) fills the list without opening it: only a
        // focused box shows results. Arrow-down in the box opens them again.
        setOpen(document.activeElement === input);
        announce(answer, link.textContent);
      });
    }
    input.addEventListener("focus", client.start);
    input.addEventListener("input", ui.debounce(run, ui.DEBOUNCE_MS));
    if (document.activeElement === input && input.value.trim()) { client.start(); run(); } // typed before this script bound the box
    function closeOutside(event) {
      if (!form.contains(event.target)) setOpen(false);
    }
    document.addEventListener("click", closeOutside);
    // Also as the finger lands: Chromium makes no click of a tap it cannot place on an
    // element (one at the screen's left edge, below the list, with the pruned nav).
    document.addEventListener("pointerdown", closeOutside);
  }

  ui.bind(initHeader);
})();
