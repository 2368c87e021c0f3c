"""Paper pages: front matter plus a Markdown body, rendered and parsed (pure functions).

A page is::

    ---
    <front matter, dumped by the YAML library>
    ---

    # <title>

    <abstract: one paragraph>

    <anything a human added: notes, corrections>
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import yamlio
from .errors import FrontMatterError, Problem
from .field_help import contributor_message
from .model import InvalidFrontMatter, Paper
from .text import inert
from .textfile import read_text

FENCE = "---"

# Limits on what one page may hold, enforced by `papers validate`, `papers add` and the
# build. The seed archive's largest page is 2.4 KB, its longest title 141 characters and
# its longest abstract 286 words (1.9 KB): each limit leaves 10-25x headroom. Without
# them one 10 MB abstract grew the search index every reader downloads from 0.3 MB to
# 23 MB.
PAGE_MAX_BYTES = 64 * 1024
TITLE_MAX_CHARS = 300
ABSTRACT_MAX_BYTES = 40 * 1024
ABSTRACT_MAX_WORDS = 5_000


@dataclass(frozen=True, slots=True)
class Body:
    """A page body cut into the parts ingest owns (heading, abstract) and the rest."""

    heading: str | None
    abstract: str
    rest: str

    def render(self) -> str:
        parts = [f"# {self.heading}"] if self.heading is not None else []
        if self.abstract:
            parts.append(self.abstract)
        if self.rest:
            parts.append(self.rest)
        return "\n\n".join(parts) + "\n"


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page split into its YAML text and body, with the line where the YAML starts."""

    yaml_text: str
    body: str
    yaml_first_line: int = 2


@dataclass(frozen=True, slots=True)
class ParsedPage:
    meta: dict[str, Any]
    body: Body
    loaded: yamlio.LoadedYaml
    raw: RawPage

    def line_of(self, key: str | None, index: int | None = None) -> int:
        """The page line of front-matter ``key`` (of its item ``index`` in a list); the
        opening fence for ``None``, the first line of the YAML for a key not found."""
        first = self.raw.yaml_first_line
        if key is None:
            return first - 1
        items = self.loaded.item_lines.get(key)
        if index is not None and items and index < len(items):
            return items[index] + first
        return self.loaded.key_lines[key] + first if key in self.loaded.key_lines else first


def read_page(path: Path, *, display: str | Path | None = None) -> str:
    """A page's text, read strictly (see :func:`paper_archive.textfile.read_text`) and
    refused above :data:`PAGE_MAX_BYTES`."""
    return read_text(path, display=display, max_bytes=PAGE_MAX_BYTES)


def split_page(text: str, *, path: str) -> RawPage:
    """Cut a page at its ``---`` fences. Raises :class:`FrontMatterError` with the line."""
    if len(text) > PAGE_MAX_BYTES // 4 and len(text.encode("utf-8")) > PAGE_MAX_BYTES:
        raise FrontMatterError(
            f"page is larger than the limit of {PAGE_MAX_BYTES // 1024} KB", path=path, line=1
        )
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise FrontMatterError("page must start with a '---' front-matter fence", path=path, line=1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return RawPage(
                yaml_text="\n".join(lines[1:index]) + "\n",
                body="\n".join(lines[index + 1 :]),
            )
    raise FrontMatterError("front matter is not closed by a '---' line", path=path, line=1)


def split_body(body: str) -> Body:
    """Find the level-1 heading and the first paragraph after it (the abstract)."""
    text = body.strip("\n")
    heading: str | None = None
    if text.startswith("# "):
        first, _, text = text.partition("\n")
        heading = first[2:].strip()
        text = text.lstrip("\n")
    abstract, _, rest = text.partition("\n\n")
    return Body(heading=heading, abstract=abstract.strip(), rest=rest.strip("\n"))


def yaml_error_line(exc: yaml.YAMLError, raw: RawPage) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + raw.yaml_first_line if mark is not None else None


def parse_page(text: str, *, path: str) -> ParsedPage:
    """Parse a page's front matter strictly: invalid YAML, duplicate keys and a
    front matter that is not a mapping raise :class:`FrontMatterError` with the line."""
    raw = split_page(text, path=path)
    try:
        loaded = yamlio.load_with_lines(raw.yaml_text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(
            f"invalid YAML in front matter: {yamlio.shorten(problem, 200)}",
            path=path,
            line=yaml_error_line(exc, raw),
        ) from exc
    if not isinstance(loaded.data, dict):
        kind = "empty" if loaded.data is None else type(loaded.data).__name__
        raise FrontMatterError(
            f"front matter must be a mapping of keys to values, found {kind}",
            path=path,
            line=raw.yaml_first_line,
        )
    return ParsedPage(meta=loaded.data, body=split_body(raw.body), loaded=loaded, raw=raw)


def paper_of(parsed: ParsedPage, *, path: str) -> Paper:
    """The record of a parsed page. Front matter that fails the schema raises
    :class:`FrontMatterError` holding every problem, each with its line."""
    try:
        return Paper.from_front_matter(parsed.meta, abstract=parsed.body.abstract)
    except InvalidFrontMatter as exc:
        problems = tuple(
            Problem(parsed.line_of(p.key, p.index), contributor_message(p, parsed.meta))
            for p in exc.problems
        )
        first = problems[0]
        raise FrontMatterError(
            first.message, path=path, line=first.line, problems=problems
        ) from exc


def load_paper(text: str, *, path: str) -> Paper:
    """The one way from a page's text to its record: split, strict YAML, the schema's
    checks. Raises :class:`FrontMatterError` naming the line of each problem."""
    return paper_of(parse_page(text, path=path), path=path)


def heading_for(title: str) -> str:
    return inert(title)


def render_page(paper: Paper, *, body: Body | None = None) -> str:
    """The full text of a page. ``body`` keeps a human's heading and additions."""
    if body is None:
        body = Body(heading=heading_for(paper.title), abstract=paper.abstract, rest="")
    front = yamlio.dump(paper.front_matter())
    return f"{FENCE}\n{front}{FENCE}\n\n{body.render()}"
