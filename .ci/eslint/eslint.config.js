// ESLint for the scripts the site ships (docs/assets): eslint's recommended rules, as
// the browser runs them. They are classic scripts, not ES modules: each is an IIFE
// under "use strict" that publishes what it shares on the global object (PaSearch,
// PaIndex, PaSearchClient), and the search worker loads its parts with importScripts.
//
// Run from the repository's root (the patterns below are relative to it):
//   .ci/eslint/node_modules/.bin/eslint --config .ci/eslint/eslint.config.js docs/assets
// tests/test_js_lint.py runs exactly that; .ci/setup installs the pinned packages.
import js from "@eslint/js";
import globals from "globals";

const WORKER = "docs/assets/search/worker.js";

// What one script publishes and another reads (engine.js and shared.js set theirs on
// `self`), and what the theme and the vendored scripts define. A script that publishes
// a new global name adds it here, or the scripts that read it fail `no-undef`.
const shared = {
  PaSearch: "readonly",
  PaIndex: "readonly",
  PaSearchClient: "readonly",
  lunr: "readonly", // docs/assets/vendor/lunr
  document$: "readonly", // Material's page observable (instant navigation)
};

const common = {
  ...js.configs.recommended,
  linterOptions: { reportUnusedDisableDirectives: "error" },
};

export default [
  // Copies of third-party code (KaTeX, lunr.js), pinned and checked by vendor.lock.json.
  { ignores: ["docs/assets/vendor/"] },
  {
    // Every script under docs/assets (a new file, such as a part split off engine.js,
    // is linted without a change here) runs in a page ...
    ...common,
    files: ["docs/assets/**/*.js"],
    ignores: [WORKER],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, ...shared },
    },
  },
  {
    // ... but the search worker, which has no document or window.
    ...common,
    files: [WORKER],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.worker, ...shared },
    },
  },
];
