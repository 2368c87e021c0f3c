"""``papers``: the archive's command line. A thin layer over the package's modules."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, layout
from .accepted import load_accepted_pairs
from .commands import add, add_arxiv, enrich, fetch, pr_summary
from .commands.report import report_plan
from .console import Console
from .errors import ArchiveError
from .ingest import apply_plan, load_sources, plan_ingest, read_pages, stale_temp_files
from .project import Project, find_root, today
from .sources import discover, resolve_paths
from .tagging import load_vocabulary
from .validate import check_archive, check_site_page, tree_diagnostics

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _project(args: argparse.Namespace) -> Project:
    return Project(args.root.resolve()) if args.root else find_root(Path.cwd())


def cmd_ingest(args: argparse.Namespace, console: Console) -> int:
    project = _project(args)
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
        apply_plan(plan, root=project.root, on_write=lambda _action: next(progress, None))

    verb = "would be " if preview else ""
    console.say(
        f"{len(loaded)} source(s), {plan.listed} listed papers: "
        f"{verb}new {plan.count('new')}, {verb}updated {plan.count('update')}, "
        f"unchanged {plan.count('unchanged')}, merged duplicates {plan.merged}, "
        f"conflicts {plan.count('conflict')}, skipped {len(plan.skipped)}"
    )
    if args.check and writes:
        console.error(f"{len(writes)} page(s) out of date: run `papers ingest`")
        return EXIT_FAIL
    return EXIT_FAIL if plan.skipped and not loaded else EXIT_OK


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    project = _project(args)
    vocabulary = load_vocabulary(project.vocabulary_path)
    # What may live under docs/ and data/ (layout.py), then every page, read strictly.
    tree = layout.scan(project.root)
    pages, unreadable = layout.read_texts(project.root, tree.paper_pages)
    site_pages, unreadable_site = layout.read_texts(project.root, tree.site_pages)
    found = tree_diagnostics([*tree.problems, *unreadable, *unreadable_site])
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
    cross = check_archive(pages, vocabulary=vocabulary, accepted=accepted)
    diagnostics = sorted(d for d in [*found, *cross] if d.path in wanted)
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for diagnostic in diagnostics:
        console.say(diagnostic.github() if github else str(diagnostic))
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    console.say(f"{len(wanted)} page(s) checked: {errors} error(s), {warnings} warning(s)")
    return EXIT_FAIL if errors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papers", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--root", type=Path, help="archive root (default: found from here)")
    parser.add_argument("-q", "--quiet", action="store_true", help="less chatter on stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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
    add_arxiv.extend(add.register(sub))
    pr_summary.register(sub)
    fetch.register(sub)
    enrich.register(sub)
    return parser


#: A reader that closed our stdout (``papers validate | head -1``): the exit status of
#: a process killed by SIGPIPE, as shells report it.
EXIT_PIPE = 128 + 13


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        console = Console(quiet=args.quiet)
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
        try:
            status = int(args.handler(args, console))
        except ArchiveError as exc:
            console.error(str(exc))
            status = EXIT_FAIL
        except KeyboardInterrupt:
            console.error("interrupted; pages already written are complete, none is half-written")
            status = 130
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return status
    except BrokenPipeError:
        # Nobody reads any more: stop quietly. Point stdout at /dev/null so the final
        # flush at exit does not fail again (Python's documented recipe).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE


if __name__ == "__main__":
    sys.exit(main())
