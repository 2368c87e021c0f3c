"""A paper page with its chrome written in place by its own chrome file, run in Node.

A built paper page holds its header, tabs, navigation and footer as calls of the
chrome file it loads (paper_archive/site/chrome.py). :func:`with_chrome` runs that file
and each call in Node, with a ``document`` whose ``write`` collects what the call
writes, and puts the text in place of the call: the text a browser's parser reads.
Tests that check what the chrome holds read it here; Chromium checks the document
itself (tests/test_shared_chrome.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from paper_archive.site import chrome

from .lunr_node import NODE

#: The chrome file's element in a page's head.
CHROME_SRC = re.compile(r'<script src="([^"]*assets/chrome\.[0-9a-f]{12}\.js)"></script>')

_PROGRAM = r"""
const fs = require("fs");
const vm = require("vm");
let written = "";
const element = { remove() {} };
const context = vm.createContext({
  document: { currentScript: element, title: process.argv[3], write(text) { written += text; } },
});
context.window = context;
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), context, { filename: process.argv[1] });
const own = written;  // what the file writes where its own element stands
const input = fs.readFileSync(0, "utf8");
const at = input.indexOf(process.argv[2]);
const page = input.slice(0, at) + own + input.slice(at + process.argv[2].length);
process.stdout.write(page.replace(/<script>(__pa_chrome\([^<]*\))<\/script>/g, (_, call) => {
  written = "";
  vm.runInContext(call, context);
  return written;
}));
"""


def _document_title(text: str) -> str:
    """``document.title`` of the page ``text``, as site/chrome.py reads a browser's
    (Chromium checks the header made from it: tests/test_shared_chrome.py)."""
    found = re.search(r"<title>([^<]*)</title>", text)
    return chrome.document_title(found[1]) if found else ""


def with_chrome(page: Path) -> str:
    """The text of the built page at ``page`` with its chrome in place and the chrome
    file's element replaced by what the file writes there (Material's head script); a
    page without a chrome file as it is."""
    text = page.read_text(encoding="utf-8")
    found = CHROME_SRC.search(text)
    if found is None:
        return text
    script = (page.parent / found[1]).resolve()
    run = subprocess.run(
        [NODE, "-e", _PROGRAM, str(script), found[0], _document_title(text)],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    return run.stdout
