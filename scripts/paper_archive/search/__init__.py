"""The prebuilt search index: built at build time, loaded by lunr.js in the browser."""
