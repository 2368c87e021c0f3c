"""``papers add``: one new page from flags, or from questions in a terminal.

The command line only: the flags, reading the abstract file, the prompts
(:mod:`.add_prompts`) when standard input is a terminal and no flag is given, and the
report. What is added and why a paper is refused is :mod:`paper_archive.add`.
``--arxiv-id ID`` records an id the contributor knows, offline (validated by
:mod:`~paper_archive.record.arxiv_id`; a page with the same id is a duplicate); ``--arxiv ID``
(:mod:`.add_arxiv`) fetches the paper instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path, PurePosixPath
from typing import TextIO

from ..add import Addition, Submission, add_paper
from ..console import Console
from ..errors import ArchiveError
from ..project import today
from ..record.tagging import Vocabulary, load_vocabulary
from .add_prompts import Ask, author_problem, prompt_submission
from .base import EXIT_FAIL, EXIT_OK, EXIT_USAGE, arxiv_ident, iso_date, project_for


def _read_abstract(path: Path, stdin: TextIO) -> str:
    if str(path) == "-":
        return stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArchiveError(f"cannot read the abstract: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"the abstract is not UTF-8 text (byte {exc.start})", path=path) from exc


def submission_from_args(
    args: argparse.Namespace,
    *,
    console: Console,
    vocabulary: Vocabulary,
    stdin: TextIO,
    ask: Ask,
) -> Submission | None:
    """The submission the flags describe, or asked for in a terminal; ``None``: usage error."""
    flags = (
        args.title,
        args.abstract_file,
        args.published,
        args.tags,
        args.code,
        args.authors,
        args.arxiv_id,
    )
    if not any(flags):
        if not stdin.isatty():
            console.error(
                "give --title and --abstract-file (papers add asks for them only in a terminal)"
            )
            return None
        return prompt_submission(ask, vocabulary=vocabulary, say=console.say)
    if args.title is None or args.abstract_file is None:
        console.error("--title and --abstract-file are both required")
        return None
    return Submission(
        title=args.title,
        abstract=_read_abstract(args.abstract_file, stdin),
        published=args.published,
        authors=tuple(args.authors),
        tags=tuple(args.tags),
        code=tuple(args.code),
        arxiv=args.arxiv_id,
    )


def report(addition: Addition, console: Console) -> None:
    """What was written, and what the contributor does next."""
    for path, reason in addition.unreadable:
        console.warn(f"{path} was not compared with the new paper: {reason}")
    slug = PurePosixPath(addition.path).stem
    console.say(f"wrote {addition.path}")
    console.say(f"  tags: {', '.join(addition.paper.tags) or '(none)'}")
    console.say("next: look at the page (`mkdocs serve`), run `papers validate`, then")
    console.say(f'  git add {addition.path} && git commit -m "Add paper: {slug}"')
    console.say("  and open a pull request")


def run(
    args: argparse.Namespace,
    console: Console,
    *,
    stdin: TextIO | None = None,
    ask: Ask = input,
) -> int:
    """The ``papers add`` handler."""
    stdin = stdin if stdin is not None else sys.stdin
    project = project_for(args)
    vocabulary = load_vocabulary(project.vocabulary_path)
    try:
        submission = submission_from_args(
            args, console=console, vocabulary=vocabulary, stdin=stdin, ask=ask
        )
    except EOFError:
        console.error("cancelled: nothing written")
        return EXIT_FAIL
    if submission is None:
        return EXIT_USAGE
    addition = add_paper(project, submission, today=today(), vocabulary=vocabulary)
    report(addition, console)
    return EXIT_OK


def author_name(text: str) -> str:
    """An ``--author`` flag: a name, not a date or a number (as the prompt asks)."""
    if problem := author_problem(text):
        raise argparse.ArgumentTypeError(problem)
    return text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``papers add`` to the command line; returns its parser, for more options."""
    parser = sub.add_parser(
        "add",
        help="add one paper: writes docs/papers/<slug>.md",
        description="Write one new paper page through the same record, tagging and "
        "checks as ingest. Refuses a paper the archive already has (same title or arXiv "
        "id) and unknown tags; "
        "never replaces a file. Without flags, in a terminal, asks for each field.",
    )
    parser.add_argument("--title", help="the title, as the paper writes it")
    parser.add_argument(
        "--abstract-file",
        type=Path,
        metavar="PATH",
        help="a text file holding the abstract ('-': standard input)",
    )
    parser.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD", help="publication date")
    parser.add_argument(
        "--arxiv-id",
        type=arxiv_ident,
        metavar="ID",
        help="the paper's arXiv id, recorded as given (2403.12345, arXiv:2403.12345v2, "
        "hep-th/9901001; no request is made: --arxiv fetches instead)",
    )
    parser.add_argument(
        "--tag",
        dest="tags",
        action="append",
        default=[],
        metavar="SLUG",
        help="a tag from data/tags.yaml, besides those its rules find (repeatable)",
    )
    parser.add_argument(
        "--code", action="append", default=[], metavar="URL", help="a code link (repeatable)"
    )
    parser.add_argument(
        "--author",
        dest="authors",
        type=author_name,
        action="append",
        default=[],
        metavar="NAME",
        help="an author, in order (repeatable)",
    )
    parser.set_defaults(handler=run)
    return parser
