"""What every command shares: its exit codes, the archive it works on, and the
argument types of its flags."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..project import Project, find_root
from ..record import arxiv_id

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def project_for(args: argparse.Namespace) -> Project:
    """The archive named by ``--root``, or the one around the working directory."""
    root: Path | None = getattr(args, "root", None)
    return Project(root.resolve()) if root else find_root(Path.cwd())


def iso_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` flag."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def arxiv_ident(text: str) -> str:
    """An arXiv id flag, normalised (2403.12345, arXiv:2403.12345v2, hep-th/9901001)."""
    try:
        return arxiv_id.normalize(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
