/*
 * paper-archive search: the helpers the page and the worker share, written once. Both
 * bundles start with this file (search/build.py: PAGE_PARTS, WORKER_PARTS); it makes
 * the one global of the search, `PaSearchClient`, and puts the helpers on it. On
 * /search/ the inline boot script (overrides/partials/search-boot.js) has made that
 * object already, holding its downloads in `boot`; it is kept.
 */
(function (root) {
  "use strict";
  var client = root.PaSearchClient || (root.PaSearchClient = {});

  /* The JSON of a response (or a promise of one); an HTTP error is an Error naming `what`. */
  client.json = function (response, what) {
    return Promise.resolve(response).then(function (reply) {
      if (!reply.ok) throw new Error(what + ": HTTP " + reply.status);
      return reply.json();
    });
  };

  client.fetchJson = function (url) {
    return client.json(fetch(url), url);
  };

  /* `url` (a result's, from the bundle) resolved against `base`, or null unless it is an
     http(s) URL: a link never runs a `javascript:` (or `data:`, `vbscript:`…) URL, whatever
     the bundle holds. The build writes only site-relative URLs; a bundle is data. */
  client.safeHref = function (url, base) {
    if (typeof url !== "string") return null;
    var resolved;
    try { resolved = new URL(url, base); } catch { return null; }
    return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
  };

  /* The search in a query string (?q=…&tag=…&year=…), each part "" when absent. */
  client.queryOf = function (search) {
    var params = new URLSearchParams(search);
    return { q: params.get("q") || "", tag: params.get("tag") || "", year: params.get("year") || "" };
  };

  /* Where the bundle is: its files' names by role (`PaSearchNames`, which
     search/build.py front_end writes at the head of the page's script), `dir`, the
     folder of that script (assets/search/, from its own URL, taken while it runs), and
     `root`, the site's, two folders up; `url(role)` resolved. Null in the worker, or
     without the names. */
  var own = typeof document !== "undefined" && document.currentScript ? document.currentScript.src : "";
  client.files = function () {
    var names = root.PaSearchNames;
    if (typeof document === "undefined" || !names || !own) return null;
    var files = Object.assign({}, names);
    files.dir = new URL("./", own).href;
    files.root = new URL("../../", files.dir);
    files.url = function (role) { return new URL(files[role], files.dir).href; };
    return files;
  };
})(typeof self !== "undefined" ? self : this);
