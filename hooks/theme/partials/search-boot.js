/* Inlined at the top of <head> on /search/ only. Before stylesheets and the page load,
   fetch the first-stage index and the engine, and answer the URL's query as soon as
   they are here, on this thread (a JSON parse and a decode of a few ms each). search.js
   takes it from window.__paSearchBoot, shows the answer and starts the worker for the
   full index. */
(function () {
  var meta = document.querySelector('meta[name="pa-search"]');
  if (!meta || typeof Promise === "undefined") return;
  var files = JSON.parse(meta.getAttribute("content"));
  var root = new URL(files.base.replace(/\/?$/, "/"), location.href);
  var url = function (name) { return new URL("assets/search/" + name, root).href; };
  var json = function (name) {
    return fetch(url(name)).then(function (response) {
      if (!response.ok) throw new Error(name + ": HTTP " + response.status);
      return response.json();
    });
  };
  var engine = new Promise(function (resolve, reject) {
    var tag = document.createElement("script");
    tag.src = url(files.engine);
    tag.async = true;
    tag.onload = resolve;
    tag.onerror = reject;
    document.head.appendChild(tag);
  });
  var params = new URLSearchParams(location.search);
  var query = { q: params.get("q") || "", tag: params.get("tag") || "", year: params.get("year") || "" };
  var boot = (window.__paSearchBoot = { query: query.q || query.tag || query.year ? query : null, answer: null });
  boot.ready = Promise.all([json(files.titles), json(files.docs), engine]).then(function (parts) {
    var search = new PaSearch();
    search.loadFirst(parts[0], parts[1]);
    // reply: bounded (engine.js LIMITS) and never throws; an error comes back as an answer
    if (boot.query) boot.answer = search.reply({ id: 1, q: query.q, tag: query.tag, year: query.year, offset: 0 });
    return search;
  });
})();
