/* The search client's first lines, inlined at the top of <head> on /search/ only
   (search.html): before stylesheets and the page, start downloading the first-stage
   index and the engine. This is the one handshake with the client (client.js): it
   finds PaSearchClient.boot = {titles, docs: promises of the responses, engine: a
   promise of the engine's script} ({manifest, engine} for a sharded bundle), answers the first queries from them on this thread
   and starts the worker for the full index. */
(function () {
  var meta = document.querySelector('meta[name="pa-search"]');
  if (!meta || typeof Promise === "undefined" || typeof fetch === "undefined") return;
  var files = JSON.parse(meta.getAttribute("content"));
  var url = function (role) { return new URL(files.dir + files[role], location.href).href; };
  var engine = new Promise(function (resolve, reject) {
    var tag = document.createElement("script");
    tag.src = url("engine");
    tag.async = true;
    tag.onload = resolve;
    tag.onerror = reject;
    document.head.appendChild(tag);
  });
  window.PaSearchClient = {
    boot: files.manifest
      ? { manifest: fetch(url("manifest")), engine: engine }
      : { titles: fetch(url("titles")), docs: fetch(url("docs")), engine: engine }
  };
})();
