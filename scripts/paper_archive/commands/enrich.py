"""``papers enrich``: look pages without an arXiv id up on arXiv by title.

An exact normalised-title match to one paper fills in the id, authors, author count
and published date where the page has none (:mod:`paper_archive.fetch.enrich`); the
page is rewritten through :func:`~paper_archive.files.textfile.atomic_write` with its body,
tags and notes as they were. Anything less is listed for a human and never written.
Needs network access; one request every 3 seconds, as arXiv asks, for ten titles at a
time (:func:`paper_archive.fetch.arxiv.look_up_titles`); on a terminal, a bar shows how
many pages are done and the time left.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from ..console import Console
from ..disk.archive import ArchiveIndex, index_pages, read_pages
from ..disk.pages import ParsedPage, render_page
from ..errors import FeedError
from ..fetch import arxiv
from ..fetch.enrich import Verdict, enrich, judge
from ..files.textfile import atomic_write
from ..record.model import Paper
from ..sources.feed import Feed
from .base import EXIT_FAIL, EXIT_OK, EXIT_USAGE, project_for


def _candidates(verdict: Verdict) -> str:
    shown = [f"{e.arxiv} {e.title!r}" for e in verdict.candidates[:3]]
    return "; ".join(shown)


def _human_note(path: str, verdict: Verdict) -> str:
    if verdict.kind == "ambiguous":
        return f"{path}: several arXiv papers have this title: {_candidates(verdict)}"
    if verdict.kind == "close":
        return f"{path}: no exact title match on arXiv; close: {_candidates(verdict)}"
    return f"{path}: not found on arXiv by title"


def _selected(
    index: ArchiveIndex, wanted: set[str] | None, console: Console
) -> list[tuple[str, ParsedPage, Paper]]:
    """Readable pages without an arXiv id (only ``wanted`` ones when given), by path."""
    out: list[tuple[str, ParsedPage, Paper]] = []
    for path, record in index.records.items():
        if wanted is not None and path not in wanted:
            continue
        if record.paper is None or record.parsed is None:
            console.warn(f"skipped {path}: cannot read the page: {record.problem}")
            continue
        if record.paper.arxiv is None:
            out.append((path, record.parsed, record.paper))
    return out


def _enrich_page(
    path: str,
    parsed: ParsedPage,
    paper: Paper,
    feed: Feed | FeedError,
    *,
    before: str,
    taken: dict[str, str],
    write_to: Path | None,
    console: Console,
) -> str:
    """Judge one page by its lookup's feed, write it under ``write_to`` (``None``: a dry
    run) on an exact match, and say what happened; returns what to count it as.
    ``taken`` maps the arXiv ids already on a page to that page, and gains this one's."""
    if isinstance(feed, FeedError):
        console.warn(f"{path}: lookup failed: {feed}")
        return "failed"
    verdict = judge(paper.title, feed)
    if verdict.entry is None or verdict.entry.arxiv is None:
        console.say(f"check {_human_note(path, verdict)}")
        return "human" if verdict.kind != "none" else "not found"
    ident = verdict.entry.arxiv
    if ident in taken:
        console.say(f"check {path}: arXiv {ident} matches, but {taken[ident]} has it")
        return "human"
    result = enrich(paper, verdict.entry)
    for note in result.notes:
        console.say(f"check {path}: arXiv {ident} kept the page's {note}")
    text = render_page(result.paper, body=parsed.body)
    if text == before:
        return "unchanged"
    if write_to is not None:
        atomic_write(write_to / path, text)
    taken[ident] = path
    verb = "would enrich" if write_to is None else "enriched"
    console.say(f"{verb} {path}: arXiv {ident} ({', '.join(result.filled)})")
    return "enriched"


def cmd_enrich(args: argparse.Namespace, console: Console) -> int:
    project = project_for(args)
    pages = read_pages(project.pages_dir, root=project.root)
    wanted: set[str] | None = None
    if args.paths:
        wanted, outside = project.relative_paths(args.paths)
        for given in outside:
            console.error(f"{given}: not inside the archive at {project.root}")
        if outside:
            return EXIT_USAGE
    index = index_pages(pages)
    todo = _selected(index, wanted, console)[: args.limit]
    taken = index.arxiv_pages()
    batches = arxiv.title_batches([paper.title for _, _, paper in todo])
    if todo:
        minutes = len(batches) * arxiv_pause() / 60
        console.note(
            f"looking up {len(todo)} page(s) on arXiv in {len(batches)} request(s) "
            f"(about {minutes:.0f} min)"
        )

    counts: Counter[str] = Counter()
    from ..fetch import http  # here: importing httpx costs every other command ~0.08 s

    with (
        http.new_client() as client,
        console.bar(total=len(todo), label="looking up", unit="page") as advance,
    ):
        for batch in batches:
            chosen = [todo[index] for index in batch]
            feeds = arxiv.look_up_titles(client, [paper.title for _, _, paper in chosen])
            for (path, parsed, paper), feed in zip(chosen, feeds, strict=True):
                outcome = _enrich_page(
                    path,
                    parsed,
                    paper,
                    feed,
                    before=pages[path],
                    taken=taken,
                    write_to=None if args.dry_run else project.root,
                    console=console,
                )
                counts[outcome] += 1
            advance(len(batch))
    console.say(
        f"{len(todo)} page(s) looked up: {'would be ' if args.dry_run else ''}enriched "
        f"{counts['enriched']}, for a human {counts['human']}, not found "
        f"{counts['not found']}, failed {counts['failed']}"
    )
    return EXIT_FAIL if counts["failed"] else EXIT_OK


def arxiv_pause() -> float:
    from ..fetch import http  # see above

    return http.HOST_PAUSES.get("export.arxiv.org", 0.0)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``papers enrich``."""
    parser = sub.add_parser(
        "enrich",
        help="fill in arXiv ids, authors and dates of pages by an exact title match",
        description="Look each page without an arXiv id up on arXiv by title (needs "
        "network access). Only an exact match (case and punctuation folded) to one paper "
        "is written, and only into fields the page lacks; everything else is listed for "
        "a human as 'check …' lines.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="pages (default: all)")
    parser.add_argument("--limit", type=int, metavar="N", help="look up at most N pages")
    parser.add_argument("--dry-run", action="store_true", help="look up, but write nothing")
    parser.set_defaults(handler=cmd_enrich)
