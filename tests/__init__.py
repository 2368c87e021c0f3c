"""The test suite. ``REPO`` is the repository root, defined once for every test module.

``CORPUS`` is the frozen archive the tests run on: a snapshot of the seed pages
(``docs/papers/``), ``data/tags.yaml``, ``data/accepted-near-duplicates.yaml`` and the
``data/sources/`` listings they were ingested from, taken 2026-12-06. Tests read pages,
tags and sources from it, never from the live ``docs/papers/`` or ``data/``, so a pull
request that adds a paper, enriches an id or adds a tag cannot change what they see;
every count a test asserts is derived from it. Only the tests marked ``archive`` check
the live archive (with ``papers validate``, ``papers ingest --check`` and the strict
build CI runs). Refresh the snapshot deliberately, with the tests that depend on it.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "archive"
