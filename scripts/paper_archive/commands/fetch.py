"""``papers fetch``: new papers from the Hugging Face Daily Papers API or the arXiv API.

Command-line glue only, composing the network and the sources layer: the requests are
:mod:`paper_archive.fetch` (:mod:`~paper_archive.fetch.http`, ``hf``, ``arxiv``), the
parsers :mod:`paper_archive.sources.hf` and :mod:`~paper_archive.sources.arxiv`, keeping
the raw response :mod:`paper_archive.sources.store`, and ingesting it
:func:`paper_archive.ingest.plan_source`. Every fetch needs
network access; offline, it fails with one line and exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..console import Console
from ..fetch import arxiv, hf
from ..files.textfile import atomic_write
from ..ingest import Plan, apply_plan, plan_source
from ..project import Project, today
from ..record import arxiv_id
from ..record.tagging import Vocabulary, load_vocabulary
from ..sources import arxiv as arxiv_source
from ..sources import hf as hf_source
from ..sources.feed import Feed
from ..sources.store import RawSpec, arxiv_spec, hf_daily_spec, planned_source, store_response
from .base import EXIT_FAIL, EXIT_OK, EXIT_USAGE, iso_date, project_for
from .report import fetch_summary, plan_counts, report_plan, report_skipped_items, shown_path

if TYPE_CHECKING:
    from ..fetch import http


def ingest_response(
    project: Project,
    response: http.Response,
    feed: Feed,
    spec: RawSpec,
    console: Console,
    *,
    vocabulary: Vocabulary,
    dry_run: bool,
    heading: str,
    report: Path | None = None,
) -> int:
    """Store ``response`` as a source and ingest its papers (nothing if it has none).

    Each item the parser left out is one ``skipped:`` line on stdout
    (:func:`~.report.skipped_item_line`, naming the stored file as every later
    ``papers ingest`` will); ``report`` receives the run's Markdown summary."""
    if not feed.entries:
        report_skipped_items(response.url, feed.skipped, console)
        console.say(f"{response.url}: no papers in the response; nothing stored")
        _write_report(report, heading=heading, source=None, plan=None, feed=feed, dry_run=dry_run)
        return EXIT_OK
    added = today()
    if dry_run:
        source, created = planned_source(spec, sources_dir=project.sources_dir, added=added), False
    else:
        source, created = store_response(
            response, spec, sources_dir=project.sources_dir, added=added
        )
    where = shown_path(source.path, project.root)
    if not dry_run:
        console.say(f"{'stored' if created else 'already stored'} {where} (+ manifest)")
    report_skipped_items(where, feed.skipped, console)
    plan = plan_source(project, source, feed.entries, vocabulary, today=added)
    report_plan(plan, console, preview=dry_run)
    if not dry_run:
        apply_plan(plan, root=project.root)
    console.say(f"{source.id}: {len(feed.entries)} paper(s): {plan_counts(plan, preview=dry_run)}")
    _write_report(report, heading=heading, source=where, plan=plan, feed=feed, dry_run=dry_run)
    return EXIT_OK


def _write_report(
    report: Path | None,
    *,
    heading: str,
    source: str | None,
    plan: Plan | None,
    feed: Feed,
    dry_run: bool,
) -> None:
    if report is not None:
        text = fetch_summary(
            heading=heading, source=source, plan=plan, skipped_items=feed.skipped, preview=dry_run
        )
        atomic_write(report, text)


def cmd_fetch_hf(args: argparse.Namespace, console: Console) -> int:
    project = project_for(args)
    vocabulary = load_vocabulary(project.vocabulary_path)  # fails before any request
    day: dt.date = args.date or today() - dt.timedelta(days=1)
    console.note(f"fetching {hf.daily_url(day)}")
    from ..fetch import http  # here: importing httpx costs every other command ~0.08 s

    with http.new_client() as client:
        response = hf.fetch_daily(client, day)
    feed = hf_source.parse_daily_papers(response.content, path=response.url)
    spec = hf_daily_spec(day, response.content, feed)
    return ingest_response(
        project,
        response,
        feed,
        spec,
        console,
        vocabulary=vocabulary,
        dry_run=args.dry_run,
        heading=f"papers fetch hf-daily: the Hugging Face Daily Papers of {day.isoformat()}",
        report=args.report,
    )


def cmd_fetch_arxiv(args: argparse.Namespace, console: Console) -> int:
    project = project_for(args)
    vocabulary = load_vocabulary(project.vocabulary_path)
    ids: list[str] = []
    for given in args.ids or ():
        try:
            ids.append(arxiv_id.normalize(given))
        except ValueError as exc:
            console.error(str(exc))
            return EXIT_USAGE
    from ..fetch import http  # here: importing httpx costs every other command ~0.08 s

    with http.new_client() as client:
        if ids:
            response = arxiv.fetch_ids(client, ids)
        else:
            response = arxiv.fetch_query(client, args.query, max_results=args.max)
    feed = arxiv_source.parse_feed(response.content, path=response.url)
    if ids:
        label = arxiv_id.file_safe(ids[0]) if len(ids) == 1 else "ids"
        extra: dict[str, object] = {"ids": ids}
    else:
        label, extra = "query", {"query": args.query}
    spec = arxiv_spec(label, response.content, feed, **extra)
    missing = arxiv_source.missing_ids(ids, feed) if ids else []
    for ident in missing:
        console.warn(f"arXiv has no paper {ident}")
    asked = f"ids {', '.join(ids)}" if ids else f"query {args.query!r}"
    status = ingest_response(
        project,
        response,
        feed,
        spec,
        console,
        vocabulary=vocabulary,
        dry_run=args.dry_run,
        heading=f"papers fetch arxiv: {asked}",
        report=args.report,
    )
    return EXIT_FAIL if ids and len(missing) == len(ids) else status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``papers fetch hf-daily`` and ``papers fetch arxiv``."""
    fetch = sub.add_parser(
        "fetch",
        help="fetch new papers from an API, keep the raw response, ingest it",
        description="Fetch papers (needs network access), store the raw response under "
        "data/sources/ with a manifest, and ingest it: new pages, existing papers merged "
        "by arXiv id, then by title. A failed or empty response writes nothing.",
    )
    apis = fetch.add_subparsers(dest="api", required=True, metavar="API")

    daily = apis.add_parser(
        "hf-daily",
        help="the Hugging Face Daily Papers of one day",
        description=f"Fetch {hf.API_URL}?date=YYYY-MM-DD.",
    )
    daily.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="the day (default: yesterday, UTC)"
    )
    daily.add_argument("--dry-run", action="store_true", help="fetch, but write nothing")
    _report_flag(daily)
    daily.set_defaults(handler=cmd_fetch_hf)

    ax = apis.add_parser(
        "arxiv",
        help="papers from the arXiv API, by search or by id",
        description=f"Fetch from {arxiv.API_URL} (at most one request every 3 seconds).",
    )
    which = ax.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--query", metavar="QUERY", help='an arXiv search, e.g. "cat:cs.LG AND ti:diffusion"'
    )
    which.add_argument(
        "--id", dest="ids", nargs="+", metavar="ID", help="arXiv ids (2403.12345, hep-th/9901001)"
    )
    ax.add_argument(
        "--max",
        type=int,
        default=50,
        metavar="N",
        help=f"most results of a search (default 50, at most {arxiv.MAX_RESULTS})",
    )
    ax.add_argument("--dry-run", action="store_true", help="fetch, but write nothing")
    _report_flag(ax)
    ax.set_defaults(handler=cmd_fetch_arxiv)


def _report_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report",
        type=Path,
        metavar="PATH",
        help="also write a Markdown summary of the run to PATH (pages added and updated, "
        "conflicts, every item skipped with its reason): a fetch pull request's body",
    )
