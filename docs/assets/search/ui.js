/*
 * paper-archive search UI (main thread), the parts both boxes use. It asks
 * PaSearchClient (client.js) and renders the answers, always with text nodes: nothing
 * from the index is ever parsed as HTML.
 *
 * Three files, one script (search/build.py PAGE_PARTS, in this order): ui.js (these
 * helpers, on PaSearchClient.ui, and "/" to focus the search box), header-box.js (the
 * header box on every page: overrides/partials/header.html) and search-page.js (the
 * /search/ page: overrides/search.html). Each box binds itself with `ui.bind(init)`.
 * - keyboard: "/" focuses the search box, arrows move through results, Enter opens.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 40;
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

  function shorten(text) {
    return text.length > 80 ? text.slice(0, 79) + "\u2026" : text;
  }

  function focusSearch(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("search-query") || document.getElementById("pa-header-q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  }

  /* Bind a box with `init` (it returns early when its parts are missing or bound
     already): now, on what is parsed (this script is async; on /search/ it runs right
     after the results list), at DOMContentLoaded, and after each of Material's instant
     navigations, which swap pages without reloading scripts. */
  function bind(init) {
    init();
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    if (typeof document$ !== "undefined") document$.subscribe(init);
  }

  document.addEventListener("keydown", focusSearch);

  client.ui = {
    DEBOUNCE_MS: DEBOUNCE_MS,
    base: SITE_BASE,
    showStatus: showStatus,
    own: own,
    asker: asker,
    debounce: debounce,
    el: el,
    marked: marked,
    resultItem: resultItem,
    asOption: asOption,
    keyboard: keyboard,
    shorten: shorten,
    bind: bind,
  };
})();
