"""Paper pages' conversion with plain paragraphs and plain pages set apart, and without.

    python tests/benchmarks/bench_conversion.py SITE [--runs 2] [--modes build serve]

SITE is a site folder (``tests/benchmarks/sites.py``'s ``archive_with_site``; its
``hooks/``, ``overrides/`` and ``mkdocs.yml`` are refreshed from this repository
first). Each run builds it in this process from a cold cache, once with the hook as
shipped and once with the plain-paragraph stash and the plain pages off
(``PaperArchive(plain=False)``: text/plain_paragraphs.py, site/plain_pages.py),
alternating, in each mode: ``build`` (what ``mkdocs build`` starts: a paper page
converted as it renders) and ``serve`` (what ``mkdocs serve --dirty`` starts: every
page converted as MkDocs reads it). It prints each build's seconds, its CPU seconds
(its children's apart), and the seconds spent in MkDocs' ``Page.render`` (the
Markdown conversion, timed around MkDocs' method; a plain page never calls it) over how
many pages, and whether the two sites are the same bytes. Figures: docs/scale-benchmarks.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.sitebuild import hook_variant, site_files  # noqa: E402

STASH_OFF = "stash-off.yml"  # mkdocs.yml with the hook's stash off


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _prepare(site: Path) -> None:
    for name in ("hooks", "overrides"):
        shutil.rmtree(site / name, ignore_errors=True)
        shutil.copytree(REPO / name, site / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    hook_variant(site, "plain=False", config=STASH_OFF)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--modes", nargs="+", choices=("build", "serve"), default=["build"])
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.disable(logging.WARNING)
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    site = args.site.resolve()
    _prepare(site)
    spent = [0.0, 0]
    render = Page.render

    def timed(page: Page, *a: object, **k: object) -> None:
        start = time.perf_counter()
        render(page, *a, **k)  # type: ignore[arg-type]
        spent[0] += time.perf_counter() - start
        spent[1] += 1

    Page.render = timed  # type: ignore[method-assign]
    out = sys.stdout
    for mode in args.modes:
        for run in range(1, args.runs + 1):
            outputs = {}
            for name, config_file in (("stash on", "mkdocs.yml"), ("stash off", STASH_OFF)):
                shutil.rmtree(site / ".paper-archive-cache", ignore_errors=True)
                output = site / f"bench-conversion-{'on' if config_file == 'mkdocs.yml' else 'off'}"
                shutil.rmtree(output, ignore_errors=True)
                config = load_config(str(site / config_file), site_dir=str(output))
                config.plugins.on_startup(command=mode, dirty=mode == "serve")
                spent[:] = [0.0, 0]
                cpu, wall = _cpu(), time.perf_counter()
                try:
                    mkdocs_build.build(config, dirty=mode == "serve")
                finally:
                    config.plugins.on_shutdown()
                own, children = (a - b for a, b in zip(_cpu(), cpu, strict=True))
                out.write(
                    f"{mode}, run {run}, {name}: {time.perf_counter() - wall:.1f} s, CPU "
                    f"{own + children:.1f} s (children {children:.1f} s), Page.render "
                    f"{spent[0]:.2f} s over {spent[1]:,} pages "
                    f"({spent[0] / max(1, spent[1]) * 1e3:.2f} ms each); "
                    f"load {os.getloadavg()[0]:.1f}\n"
                )
                out.flush()
                outputs[name] = output
            same = site_files(outputs["stash on"]) == site_files(outputs["stash off"])
            out.write(
                f"{mode}, run {run}: the two sites {'are' if same else 'are NOT'} the same bytes\n"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
