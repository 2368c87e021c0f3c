// Render the math that pymdownx.arithmatex (and the archive's index pages) mark up,
// with the KaTeX copy the site serves itself. KaTeX (~300 KB) is loaded only on pages
// that have math, and math is rendered again after each instant navigation.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/math\.js(\?.*)?$/, "") : "";
  var loading = null;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = base + src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function katex() {
    if (!loading) {
      loading = load("assets/vendor/katex/katex.min.js").then(function () {
        return load("assets/vendor/katex/contrib/auto-render.min.js");
      });
    }
    return loading;
  }

  function render() {
    var nodes = document.querySelectorAll(".arithmatex");
    if (!nodes.length) return;
    katex().then(function () {
      nodes.forEach(function (node) {
        renderMathInElement(node, {
          delimiters: [
            { left: "\\(", right: "\\)", display: false },
            { left: "\\[", right: "\\]", display: true },
          ],
          throwOnError: false,
        });
      });
    });
  }

  function start() {
    if (typeof document$ !== "undefined") document$.subscribe(render);
    else render();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
