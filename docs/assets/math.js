// Render the math that pymdownx.arithmatex (and the archive's index pages) mark up,
// with the KaTeX copy the site serves itself. KaTeX (~300 KB) is loaded only on pages
// that have math, and math is rendered again after each instant navigation.
//
// No input may crash or hang the reader's tab: KaTeX's output nests a few elements per
// level of the input, and 160 nested \sqrt crashed Chromium. So each span is checked
// against the bounds `papers validate` applies (paper_archive/mathbounds.py: length,
// nesting, no macro definitions; kept equal by tests/test_hostile_math.py) before KaTeX
// sees it, and one over them is left as its source text; KaTeX runs with its own limits
// (macro expansions, user sizes, no trusted commands) and never throws.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/math\.js(\?.*)?$/, "") : "";
  var loading = null;

  var MAX_CHARS = 500;
  var MAX_DEPTH = 12;
  var DEFINES =
    /\\(?:def|gdef|edef|xdef|let|futurelet|newcommand|renewcommand|providecommand|global|DeclareMathOperator)(?![A-Za-z])/;
  var TOKEN =
    /\\(begin|left|bgroup|begingroup)(?![A-Za-z])|\\(end|right|egroup|endgroup)(?![A-Za-z])|(\\sqrt\s*\[)|\\[\s\S]|(\{)|(\})|(\])/g;
  var OPTIONS = {
    throwOnError: false,
    trust: false,
    strict: "ignore",
    maxExpand: 1000,
    maxSize: 20,
  };

  // How deep `tex` nests: groups, \left..\right, \begin..\end, \bgroup, \sqrt[..].
  function depth(tex) {
    var stack = [];
    var deepest = 0;
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(tex)) !== null) {
      if (match[1] || match[3] || match[4]) {
        stack.push(match[3] ? "[" : "{");
        if (stack.length > deepest) deepest = stack.length;
      } else if (match[2] || match[5]) {
        if (stack.length && stack[stack.length - 1] === "{") stack.pop();
      } else if (match[6]) {
        if (stack.length && stack[stack.length - 1] === "[") stack.pop();
      }
    }
    return deepest;
  }

  // `tex`: a span's TeX without its delimiters, as mathbounds.py measures it.
  function withinBounds(tex) {
    return tex.length <= MAX_CHARS && !DEFINES.test(tex) && depth(tex) <= MAX_DEPTH;
  }

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
    if (!loading) loading = load("assets/vendor/katex/katex.min.js");
    return loading;
  }

  // One span: `\(…\)` inline or `\[…\]` display, the markup arithmatex writes.
  function renderNode(node) {
    if (node.getAttribute("data-pa-math")) return;
    var source = node.textContent || "";
    var found = /^\s*\\([([])([\s\S]*)\\([)\]])\s*$/.exec(source);
    if (!found || (found[1] === "(") !== (found[3] === ")")) return;
    if (!withinBounds(found[2])) {
      node.setAttribute("data-pa-math", "refused");
      node.title = "Not rendered: this math is longer or deeper than the site renders";
      return;
    }
    var options = Object.assign({ displayMode: found[1] === "[" }, OPTIONS);
    try {
      window.katex.render(found[2], node, options);
      node.setAttribute("data-pa-math", "rendered");
    } catch {
      node.textContent = source;
      node.setAttribute("data-pa-math", "error");
    }
  }

  function render() {
    var nodes = document.querySelectorAll(".arithmatex");
    if (!nodes.length) return;
    katex().then(function () {
      nodes.forEach(renderNode);
    });
  }

  function start() {
    if (typeof document$ !== "undefined") document$.subscribe(render);
    else render();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
