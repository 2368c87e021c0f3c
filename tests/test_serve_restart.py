"""`mkdocs serve --dirty` started, stopped and started again on the same papers: the
second server finds the related lists in the project's cache; both are handed the
related index by the process beside their first build (serve/related_build.py), and a
save right after each is ready shows the right related lists."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import pytest
from paper_archive.disk.pages import render_page

from .browser import fetch, free_port
from .polling import until
from .serving import ctrl_c, serve_process
from .sitebuild import make_site, paper

pytestmark = pytest.mark.slow

HANDED_OVER = re.compile(r"related papers: the index of \w+ handed over")


def _related(page: str) -> str:
    match = re.search(r'<ul class="pa-related">.*?</ul>', page, re.DOTALL)
    return match.group(0) if match else ""


def _page(base: str, path: str) -> str:
    return fetch(base + path, timeout=30) or ""


def _serve_and_save(root: Path, log: Path, run: int, words: str) -> str:
    """Serve ``root``, save Attention's page with ``words`` once it is ready; what
    Expert Routing's related list shows then."""
    address = f"127.0.0.1:{free_port()}"
    base = f"http://{address}/"
    with log.open("w") as errors:
        server = serve_process(
            [
                *(sys.executable, "-m", "mkdocs", "serve", "--dirty", "--verbose"),
                *("-f", str(root / "mkdocs.yml"), "-a", address),
            ],
            cwd=root,
            tmpdir=log.parent / f"tmpdir-{run}",
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stderr=errors,
        )
    try:
        until("the site is served", lambda: "<html" in _page(base, "papers/pointer-networks/"), 90)
        # The index came from the process beside the first build (run 0: it computed the
        # lists; run 1: they were cached, it made the index all the same).
        until("the index handed over", lambda: HANDED_OVER.search(log.read_text()), 90)
        saved = f"Attention saved {run}."
        record = paper(
            "Attention Is All You Need",
            tags=("llms",),
            published=dt.date(2017, 6, 12),
            abstract=f"{saved} {words}",
        )
        (root / "docs/papers/attention-is-all-you-need.md").write_text(
            render_page(record), encoding="utf-8"
        )
        page = "papers/attention-is-all-you-need/"
        until("the save served", lambda: saved in _page(base, page), 90)
        return _related(_page(base, "papers/expert-routing/"))
    finally:
        ctrl_c(server)


def test_a_served_save_after_a_restart_shows_the_right_related_lists(tmp_path: Path) -> None:
    abstract = "Gating experts capacity balance routing tokens."
    root = make_site(
        tmp_path / "site",
        [
            paper("Pointer Networks", tags=("llms",), published=dt.date(2017, 6, 1)),
            paper(
                "Expert Routing", tags=("llms",), published=dt.date(2018, 1, 5), abstract=abstract
            ),
            paper("Attention Is All You Need", tags=("llms",), published=dt.date(2017, 6, 12)),
        ],
    )
    # Run 0 shares nothing with Expert Routing; run 1, started again on the same cache,
    # saves the routing words: listed.
    for run, words in enumerate(("Sparse dispatch.", abstract)):
        listed = _serve_and_save(root, tmp_path / f"serve-{run}.log", run, words)
        assert ("Attention Is All You Need" in listed) == (run == 1), listed
