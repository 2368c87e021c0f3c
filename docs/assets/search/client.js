/*
 * paper-archive search client (main thread): the one way the page asks the index.
 *
 *   PaSearchClient.answer({q, tag, year, offset?, limit?}) -> Promise of an answer
 *     (answer.js PaSearch.answer: results, counts, mode…; `error` set instead of a
 *     rejection when the engine failed). It rejects when search cannot run at all
 *     (no worker), and with `error.dropped` when a newer query replaced it before the
 *     index was ready.
 *   PaSearchClient.on("stage", fn)  fn({stage: "titles" | "full"}) when a stage loads;
 *   PaSearchClient.on("error", fn)  fn(text) when search cannot start or load.
 *   PaSearchClient.start()          start loading the index (a reader is about to type).
 *   PaSearchClient.tagName(slug)    a topic's display name, once the index named it.
 *
 * Where an answer comes from: on /search/ the inline boot script (the one handshake:
 * PaSearchClient.boot, see overrides/partials/search-boot.js) has been downloading the
 * first stage (titles and tags) and the engine; the first queries are answered from it
 * on this thread, in tasks of a few ms, so that the first result does not wait for a
 * worker to start. The worker (worker.js, protocol at its top) loads the full index
 * meanwhile and answers everything once it has it. On every other page the worker
 * does all of it, started by the first use of the header box.
 */
(function () {
  "use strict";
  var client = window.PaSearchClient; // shared.js made it, or the boot script
  var boot = client.boot || null;
  client.boot = null;
  var files = client.files();
  var worker = null;
  var nextId = 0;
  var waiting = new Map(); // query id -> {resolve, reject}, for the worker's answers
  var tagNames = new Map(); // tag slug -> display name (a Map: any slug, even "constructor", is safe)
  var listeners = { stage: [], error: [] };
  var local = null; // PaSearch on this thread (first stage only), from the boot's downloads
  var localReady = boot ? loadLocal(boot) : null; // pending while they load
  var fullReady = false;

  function emit(type, detail) {
    listeners[type].forEach(function (fn) { fn(detail); });
  }

  function nameTags(tags) {
    (tags || []).forEach(function (t) { tagNames.set(t[0], t[1]); });
  }

  /* A sharded bundle (search/shards.py), on /search/: this thread answers every query,
     fetching the files each needs; no worker (it would fetch them again). */
  function loadSharded(boot) {
    return Promise.all([client.json(boot.manifest, files.manifest), boot.engine]).then(
      function (parts) {
        var search = new PaSearch();
        search.loadSharded(parts[0], function (name) { return client.fetchJson(new URL(files.dir + name, location.href).href); });
        local = search;
        nameTags(search.store.tags);
        emit("stage", { stage: "titles" });
      },
      function () {
        localReady = null; // the boot's downloads failed: the worker does everything
        ensureWorker();
      }
    );
  }

  /* Sharded: the facets (topic and year counts), once the first answer is shown: they
     are not needed for it (a filter asks for them itself: PaSearch.prepare). */
  var facets = null;
  function loadFacets() {
    if (facets) return;
    facets = local.loadFacets().then(
      function () { fullReady = true; emit("stage", { stage: "full" }); },
      function (error) { emit("error", "Search is unavailable: " + ((error && error.message) || error)); }
    );
  }

  /* Sharded: a first page (no offset, the default limit) is answered with its first
     FIRST_RESULTS results, marked `rest: true` when more follow: each result shown
     needs its fragment fetched, and the first result should not wait for twenty. The
     page asks for the rest (search-page.js). */
  var FIRST_RESULTS = 5;
  function shardedReply(message) {
    var quick = !message.offset && message.limit === undefined;
    var asked = quick ? Object.assign({}, message, { limit: FIRST_RESULTS }) : message;
    return local.replyLater(asked).then(function (reply) {
      setTimeout(loadFacets, 0); // after this answer is drawn
      if (quick && reply.total > reply.results.length) reply.rest = true;
      return reply;
    });
  }

  function loadLocal(boot) {
    if (boot.manifest) return loadSharded(boot);
    var loaded = Promise.all([client.json(boot.titles, files.titles), client.json(boot.docs, files.docs), boot.engine]);
    return loaded.then(
      function (parts) {
        var search = new PaSearch();
        search.loadFirst(parts[0], parts[1]);
        local = search;
        nameTags(search.store.tags);
        emit("stage", { stage: "titles" });
        setTimeout(ensureWorker, 0); // the full index, off this thread
      },
      function () {
        localReady = null; // the boot's downloads failed: the worker does everything
        ensureWorker();
      }
    );
  }

  function fail(text) {
    waiting.forEach(function (promise) { promise.reject(new Error(text)); });
    waiting.clear();
    emit("error", text);
  }

  function onMessage(event) {
    var message = event.data;
    var promise = waiting.get(message.id);
    if (message.type === "ready") {
      if (message.stage === "full") fullReady = true;
      nameTags(message.tags);
      emit("stage", message);
    } else if (message.type === "results" && promise) {
      waiting.delete(message.id);
      promise.resolve(message);
    } else if (message.type === "dropped" && promise) {
      waiting.delete(message.id);
      var error = new Error("replaced by a newer query");
      error.dropped = true;
      promise.reject(error);
    } else if (message.type === "error") {
      fail("Search is unavailable: " + message.message);
    }
  }

  function ensureWorker() {
    if (worker) return worker;
    if (!files || typeof Worker === "undefined") return null;
    worker = new Worker(files.url("worker"));
    worker.onmessage = onMessage;
    worker.onerror = function () {
      fail("Search could not start (the search worker failed to load).");
    };
    var urls = { docs: files.url("docs"), full: files.url("full"), snippets: files.url("snippets") };
    if (!local) urls.titles = files.url("titles"); // no first stage here: the worker loads it
    if (files.manifest) urls = { manifest: files.url("manifest") }; // sharded
    worker.postMessage({ type: "init", urls: urls });
    return worker;
  }

  function ask(message) {
    return new Promise(function (resolve, reject) {
      if (!ensureWorker()) {
        reject(new Error("Search is unavailable: this browser cannot run the search worker."));
        return;
      }
      waiting.set(message.id, { resolve: resolve, reject: reject });
      worker.postMessage(message);
    });
  }

  client.answer = function (query) {
    var message = {
      type: "query", id: ++nextId, q: query.q || "", tag: query.tag || "", year: query.year || "",
      offset: query.offset || 0, limit: query.limit
    };
    if (local && local.shards) return shardedReply(message); // sharded, on /search/: never rejects
    if (!fullReady && localReady) {
      // The first stage on this thread until the worker has the full index.
      return localReady.then(function () {
        if (local && local.shards) return shardedReply(message);
        return local && !fullReady ? local.reply(message) : ask(message); // reply: bounded, never throws
      });
    }
    return ask(message);
  };

  client.on = function (type, fn) {
    listeners[type].push(fn);
  };

  client.start = function () {
    if (!localReady) ensureWorker(); // else the first stage starts it once loaded
  };

  client.tagName = function (slug) {
    return tagNames.get(slug) || slug;
  };
})();
