"""``papers ingest``: raw sources in, paper pages out (the plan is
:func:`paper_archive.ingest.plan_ingest`; this is its command line)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..console import Console
from ..disk.archive import read_pages
from ..files.textfile import stale_temp_files
from ..ingest import Action, apply_plan, plan_ingest
from ..project import today
from ..record.tagging import load_vocabulary
from ..sources import discover, resolve_paths
from ..sources.load import load_sources
from .base import EXIT_FAIL, EXIT_OK, project_for
from .report import plan_counts, report_plan, report_skipped_items, shown_path


def cmd_ingest(args: argparse.Namespace, console: Console) -> int:
    project = project_for(args)
    vocabulary = load_vocabulary(project.vocabulary_path)
    if args.paths:
        sources = resolve_paths(args.paths, sources_dir=project.sources_dir, root=project.root)
    else:
        sources = discover(project.sources_dir)
    if not sources:
        console.error(f"no sources: no manifests under {project.sources_dir} and no PATH given")
        return EXIT_FAIL
    preview = args.dry_run or args.check
    for leftover in stale_temp_files(project.pages_dir, project.sources_dir):
        where = leftover.relative_to(project.root).as_posix()
        if preview:
            console.warn(f"{where}: left by an interrupted write; `papers ingest` removes it")
        else:
            leftover.unlink(missing_ok=True)
            console.warn(f"removed {where}, left by an interrupted write")
    skipped: list[tuple[str, str]] = []
    loaded = load_sources(sources, skipped)
    for item in loaded:
        report_skipped_items(shown_path(item.source.path, project.root), item.skipped, console)
    pages = read_pages(project.pages_dir, root=project.root)
    plan = plan_ingest(
        loaded,
        pages,
        vocabulary,
        pages_dir=project.pages_dir.relative_to(project.root).as_posix(),
        today=today(),
        force=args.force,
        skipped=skipped,
    )

    for merge in plan.merges:
        console.note(
            f"merged {merge.title!r} ({merge.source}) into {merge.into!r}: same {merge.by}"
        )
    report_plan(plan, console, preview=preview, list_writes=preview, force_hint=True)
    writes = plan.writes
    if not preview:
        progress = iter(console.progress(writes, total=len(writes), label="writing pages"))

        def advance(_action: Action) -> None:
            next(progress, None)

        apply_plan(plan, root=project.root, on_write=advance)

    console.say(
        f"{len(loaded)} source(s), {plan.listed} listed papers: "
        f"{plan_counts(plan, preview=preview, merged=True)}"
    )
    if args.check and writes:
        console.error(f"{len(writes)} page(s) out of date: run `papers ingest`")
        return EXIT_FAIL
    return EXIT_FAIL if plan.skipped and not loaded else EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``papers ingest``."""
    ingest = sub.add_parser(
        "ingest",
        help="turn raw listings into pages under docs/papers/",
        description="Read raw sources (default: every manifest under data/sources/) and "
        "write one page per paper. Safe to re-run: unchanged pages are not touched, hand "
        "edits are kept, nothing is deleted.",
    )
    ingest.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="listing files or manifests"
    )
    mode = ingest.add_mutually_exclusive_group()
    mode.add_argument(
        "--dry-run", action="store_true", help="show what would change, write nothing"
    )
    mode.add_argument("--check", action="store_true", help="exit 1 if any page would change (CI)")
    ingest.add_argument(
        "--force", action="store_true", help="on conflicts, take the source's values"
    )
    ingest.set_defaults(handler=cmd_ingest)
