"""``papers validate``: every page checked against the schema, the vocabulary and each
other, and the tree against :mod:`paper_archive.disk.layout` (the checks are
:mod:`paper_archive.disk.validate`; this is its command line)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..console import Console
from ..disk import layout, themefiles
from ..disk.validate import (
    cache_diagnostics,
    check_archive,
    check_site_page,
    settings_diagnostics,
    tree_diagnostics,
)
from ..errors import ArchiveError
from ..record.accepted import load_accepted_pairs
from ..record.tagging import load_vocabulary
from ..sources.manifest import discover
from .base import EXIT_FAIL, EXIT_OK, EXIT_USAGE, project_for


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    project = project_for(args)
    vocabulary = load_vocabulary(project.vocabulary_path)
    # What may live under docs/ and data/ (layout.py), then every page, read strictly.
    tree = layout.scan(project.root)
    pages, unreadable = layout.read_texts(project.root, tree.paper_pages)
    site_pages, unreadable_site = layout.read_texts(project.root, tree.site_pages)
    theme = themefiles.scan(project.root)  # what may be in overrides/ (published or a template)
    found = tree_diagnostics([*tree.problems, *theme, *unreadable, *unreadable_site])
    for path, text in site_pages.items():
        found.extend(check_site_page(text, path=path))
    if args.paths:
        wanted, outside = project.relative_paths(args.paths)
        for given in outside:
            console.error(f"{given}: not inside the archive at {project.root}")
        missing = [p for p in args.paths if not p.resolve().is_file()]
        for given in missing:
            console.error(f"{given}: no such page")
        if outside or missing:
            return EXIT_USAGE
        extra, problems = layout.read_texts(
            project.root, sorted(k for k in wanted if k not in pages and layout.is_paper_page(k))
        )
        pages.update(extra)
        found.extend(tree_diagnostics(problems))
    else:
        wanted = set(pages) | {d.path for d in found}
    # Cross-page checks need every page; only report on the pages asked about.
    accepted = load_accepted_pairs(project.root)  # near duplicates a maintainer reviewed
    broken = False
    try:
        sources: frozenset[str] | None = frozenset(s.id for s in discover(project.sources_dir))
    except ArchiveError as exc:  # a broken manifest: say so, and check ids' shape only
        sources, broken = None, True
        where = exc.location or project.sources_dir.relative_to(project.root).as_posix()
        console.error(f"{where}: {exc.message}; sources named by pages not checked")
    cross = check_archive(pages, vocabulary=vocabulary, accepted=accepted, sources=sources)
    diagnostics = sorted(d for d in [*found, *cross] if d.path in wanted)
    settings, refused = settings_diagnostics(project.root)  # mkdocs.yml's extra.paper_archive
    # Always: what a pull request must not add.
    diagnostics += refused + cache_diagnostics(project.root, settings.cache_dir)
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for diagnostic in diagnostics:
        console.say(diagnostic.github() if github else str(diagnostic))
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    console.say(f"{len(wanted)} page(s) checked: {errors} error(s), {warnings} warning(s)")
    return EXIT_FAIL if errors or broken else EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``papers validate``."""
    validate = sub.add_parser(
        "validate",
        help="check pages against the schema and the tag vocabulary",
        description="Report every problem as path:line: message (GitHub annotations when "
        "GITHUB_ACTIONS=true). Exit 1 on any error.",
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="pages (default: all)"
    )
    validate.set_defaults(handler=cmd_validate)
