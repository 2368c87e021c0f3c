"""``papers``: the archive's command line. A thin layer over the package's modules."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .commands import add, add_arxiv, enrich, fetch, ingest, pr_summary, validate
from .commands.base import EXIT_FAIL
from .console import Console
from .errors import ArchiveError, os_error_text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papers", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--root", type=Path, help="archive root (default: found from here)")
    parser.add_argument("-q", "--quiet", action="store_true", help="less chatter on stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest.register(sub)
    validate.register(sub)
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
        except BrokenPipeError:
            raise  # below: a reader that went away is not an error
        except OSError as exc:  # a full disk, a read-only docs/: the path and the reason
            console.error(os_error_text(exc))
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
