/* Inlined at the top of <head> on /search/ only: start the search worker and send the
   URL's query before stylesheets and the page load, so the index downloads meanwhile.
   search.js adopts the worker and the messages it has answered (window.__paSearchBoot). */
(function () {
  var meta = document.querySelector('meta[name="pa-search"]');
  if (!meta || typeof Worker === "undefined") return;
  var files = JSON.parse(meta.getAttribute("content"));
  var root = new URL(files.base.replace(/\/?$/, "/"), location.href);
  var url = function (name) { return new URL("assets/search/" + name, root).href; };
  var boot = (window.__paSearchBoot = { worker: new Worker(url(files.worker)), messages: [], query: null });
  boot.worker.onmessage = function (event) { boot.messages.push(event.data); };
  boot.worker.postMessage({ type: "init", urls: { titles: url(files.titles), full: url(files.full), docs: url(files.docs), snippets: url(files.snippets) } });
  var params = new URLSearchParams(location.search);
  var query = { q: params.get("q") || "", tag: params.get("tag") || "", year: params.get("year") || "" };
  if (query.q || query.tag || query.year) {
    boot.query = query;
    boot.worker.postMessage({ type: "query", id: 1, q: query.q, tag: query.tag, year: query.year, offset: 0 });
  }
})();
