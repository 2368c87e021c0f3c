"""Typed errors. Every error that concerns a file names it, and the line when known."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file; ``line`` is 1-based, ``None`` when the whole file is meant."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


class ArchiveError(Exception):
    """Base class of the errors this package raises on bad input."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.location = Location(str(path), line) if path is not None else None
        super().__init__(f"{self.location}: {message}" if self.location else message)


class ListingError(ArchiveError):
    """A raw listing cannot be parsed: empty, truncated, not a listing at all."""


class FeedError(ListingError):
    """A stored API response is not what its API returns: not JSON or XML, the wrong
    shape, or an error report. Ingest skips a source that raises it, naming the file."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file, at ``line`` (1-based; ``None``: the whole file)."""

    line: int | None
    message: str


class FrontMatterError(ArchiveError):
    """A page's front matter is missing, is not YAML, is not a mapping, or fails the
    schema. ``problems`` holds every problem found, each with its line (the message and
    location are the first one's): ``papers validate`` reports them all."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        problems: tuple[Problem, ...] = (),
    ):
        super().__init__(message, path=path, line=line)
        self.problems = problems or (Problem(line, message),)


class VocabularyError(ArchiveError):
    """The tag vocabulary file is malformed."""


class SourceError(ArchiveError):
    """A source manifest is malformed or does not match its raw file."""


class TextFileError(ArchiveError):
    """A page or manifest is not plain UTF-8 text (bad bytes, a NUL), is too large, or is
    a symbolic link."""


class WriteError(ArchiveError):
    """A file cannot be written: the disk is full, the file system is read-only, access
    is denied. Names the file meant (never a temporary one) and the system's reason:
    ``docs/papers/x.md: No space left on device``."""


def os_error_text(exc: OSError) -> str:
    """An OSError as one line: ``<path>: <reason>`` when it names a path (the
    destination of a rename), else its reason."""
    reason = exc.strerror or str(exc)
    path = exc.filename2 if exc.filename2 is not None else exc.filename
    return f"{path}: {reason}" if path is not None else reason
