"""``papers add --arxiv ID``: fetch one paper from arXiv and add its page.

The option extends ``papers add`` (:mod:`.add`), whose checks it reuses: the paper is
refused if the archive has it (same arXiv id, looked up before any request; same title
key, by :func:`~paper_archive.add.plan_add`), and so is an unknown ``--tag``. Only then is the raw
arXiv response kept under ``data/sources/`` with its manifest (as ``papers fetch``
does) and the page written, citing that source. Needs network access.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from ..add import Submission, plan_add, write_addition
from ..console import Console
from ..disk.archive import index_pages, read_pages
from ..fetch import arxiv
from ..project import today
from ..record import arxiv_id
from ..record.tagging import load_vocabulary
from ..sources import arxiv as arxiv_source
from ..sources.store import arxiv_spec, store_response
from .add import report
from .base import EXIT_FAIL, EXIT_OK, EXIT_USAGE, project_for

Handler = Callable[[argparse.Namespace, Console], int]


def page_with_id(pages: Mapping[str, str], ident: str) -> str | None:
    """The path of a page that already has arXiv id ``ident``, if any."""
    return index_pages(pages).arxiv_pages().get(ident)


def run_arxiv(args: argparse.Namespace, console: Console) -> int:
    """Fetch ``args.arxiv`` and add it; the other content flags are refused."""
    if args.title or args.abstract_file or args.published or args.authors:
        console.error("--arxiv takes the title, abstract, date and authors from arXiv")
        return EXIT_USAGE
    if args.arxiv_id:
        console.error(
            "give --arxiv ID to fetch the paper, or --arxiv-id ID with --title and "
            "--abstract-file to record an id without fetching; not both"
        )
        return EXIT_USAGE
    try:
        ident = arxiv_id.normalize(args.arxiv)
    except ValueError as exc:
        console.error(str(exc))
        return EXIT_USAGE
    project = project_for(args)
    vocabulary = load_vocabulary(project.vocabulary_path)
    pages = read_pages(project.pages_dir, root=project.root)
    existing = page_with_id(pages, ident)
    if existing is not None:
        console.error(f"{existing}: the archive already has arXiv {ident}; edit that page")
        return EXIT_FAIL

    from ..fetch import http  # here: importing httpx costs every other command ~0.08 s

    with http.new_client() as client:
        response = arxiv.fetch_ids(client, [ident])
    feed = arxiv_source.parse_feed(response.content, path=response.url)
    entry = next((e for e in feed.entries if e.arxiv == ident), None)
    if entry is None:
        prefix = f"{ident}: "
        why = next((r for _, r in feed.skipped if r.startswith(prefix)), None)
        if why is None:
            console.error(f"arXiv has no paper {ident}; nothing written")
        else:  # its record fails the page rules (sources/checks.py): no page from it
            console.error(f"arXiv's record of {ident} cannot be a page: {why[len(prefix) :]}")
        return EXIT_FAIL

    spec = arxiv_spec(arxiv_id.file_safe(ident), response.content, feed, ids=[ident])
    submission = Submission.from_entry(
        entry,
        authors=entry.authors,
        arxiv=ident,
        tags=(*args.tags, *vocabulary.for_categories(entry.categories)),
        code=args.code,
        sources=(spec.source_id,),
    )
    added = today()
    # The duplicate-title and tag checks raise AddError before anything is written.
    addition = plan_add(
        submission,
        pages,
        vocabulary,
        today=added,
        pages_dir=project.pages_dir.relative_to(project.root).as_posix(),
    )
    source, _ = store_response(response, spec, sources_dir=project.sources_dir, added=added)
    write_addition(addition, root=project.root)
    console.say(f"stored {source.path.relative_to(project.root).as_posix()} (+ manifest)")
    report(addition, console)
    return EXIT_OK


def extend(parser: argparse.ArgumentParser) -> None:
    """Add ``--arxiv ID`` to the ``papers add`` parser; without it, ``add`` runs as is."""
    plain: Handler = parser.get_default("handler")

    def handler(args: argparse.Namespace, console: Console) -> int:
        return run_arxiv(args, console) if args.arxiv else plain(args, console)

    parser.add_argument(
        "--arxiv",
        metavar="ID",
        help="fetch the paper's title, abstract, authors and date from arXiv "
        "(2403.12345, hep-th/9901001; needs network access); --tag and --code still apply",
    )
    parser.set_defaults(handler=handler)
