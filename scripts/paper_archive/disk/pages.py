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

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import FrontMatterError, Problem
from ..files import yamlio
from ..files.textfile import read_text
from ..record.field_help import contributor_message
from ..record.model import InvalidFrontMatter, Paper
from ..text import controls
from ..text.safe import inert

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


def title_over_limit(title: str) -> str | None:
    """Why ``title`` is over :data:`TITLE_MAX_CHARS`, or ``None``."""
    if len(title) <= TITLE_MAX_CHARS:
        return None
    return f"title is {len(title)} characters long, over the limit of {TITLE_MAX_CHARS}"


def abstract_over_limit(abstract: str) -> str | None:
    """Why ``abstract`` (as the page holds it: made inert) is over the limits, or ``None``."""
    size, words = len(abstract.encode("utf-8", "surrogatepass")), len(abstract.split())
    if size <= ABSTRACT_MAX_BYTES and words <= ABSTRACT_MAX_WORDS:
        return None
    return (
        f"abstract is {words} words ({size // 1024} KB), over the limit of "
        f"{ABSTRACT_MAX_WORDS} words or {ABSTRACT_MAX_BYTES // 1024} KB"
    )


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
    """A page's text, read strictly (see :func:`paper_archive.files.textfile.read_text`) and
    refused above :data:`PAGE_MAX_BYTES`."""
    return read_text(path, display=display, max_bytes=PAGE_MAX_BYTES)


#: MkDocs' own front-matter pattern (``mkdocs.utils.meta.YAML_RE``), on the text as
#: MkDocs reads it (``\r\n`` as ``\n``): a fence is three dashes (three dots may close)
#: followed by nothing but spaces or tabs, and the closing one by a line end. A page
#: whose fence it would not see (``---`` then U+00A0) would be published with its YAML
#: as the abstract, so such a page is an error, not a page without front matter.
FRONT_MATTER = re.compile(r"-{3}[ \t]*\r?\n(.*?\r?\n)(?:\.{3}|-{3})[ \t]*\r?\n", re.DOTALL)
_FENCE_LIKE = re.compile(r"(?:-{3}|\.{3})[^\S\n]*$")
_FENCE_EXACT = re.compile(r"(?:-{3}|\.{3})[ \t]*\r?$")


def _not_a_fence(line: str) -> str:
    odd = next(ch for ch in line[3:] if ch not in " \t")
    return f"{controls.name_of(odd)} after it: MkDocs would not read it as a fence"


def split_page(text: str, *, path: str) -> RawPage:
    """Cut a page at its ``---`` fences exactly where MkDocs does (:data:`FRONT_MATTER`).
    Raises :class:`FrontMatterError` with the line."""
    if len(text) > PAGE_MAX_BYTES // 4 and len(text.encode("utf-8")) > PAGE_MAX_BYTES:
        raise FrontMatterError(
            f"page is larger than the limit of {PAGE_MAX_BYTES // 1024} KB", path=path, line=1
        )
    found = FRONT_MATTER.match(text)
    if found is not None:
        return RawPage(yaml_text=found[1], body=text[found.end() :])
    lines = text.split("\n")
    if not lines[0].startswith(FENCE):
        raise FrontMatterError("page must start with a '---' front-matter fence", path=path, line=1)
    if not _FENCE_EXACT.fullmatch(lines[0]):
        message = f"the opening '---' has {_not_a_fence(lines[0])}; leave nothing after it"
        raise FrontMatterError(message, path=path, line=1)
    for index in range(1, len(lines)):
        line = lines[index]
        if index == 1 and _FENCE_EXACT.fullmatch(line):
            message = "front matter must be a mapping of keys to values, found empty"
            raise FrontMatterError(message, path=path, line=2)
        if _FENCE_EXACT.fullmatch(line) and index == len(lines) - 1:
            message = "the closing '---' needs a line end after it: MkDocs would not see it"
            raise FrontMatterError(message, path=path, line=index + 1)
        if _FENCE_LIKE.match(line) and not _FENCE_EXACT.fullmatch(line):
            message = f"this '---' line has {_not_a_fence(line)}; leave nothing after it"
            raise FrontMatterError(message, path=path, line=index + 1)
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
    """The record of a parsed page. Front matter that fails the schema, or a page holding
    a control character (:mod:`paper_archive.text.controls`), raises
    :class:`FrontMatterError` holding every problem, each with its line."""
    problems = list(control_problems(parsed))
    try:
        paper = Paper.from_front_matter(parsed.meta, abstract=parsed.body.abstract)
    except InvalidFrontMatter as exc:
        problems[:0] = [
            Problem(parsed.line_of(p.key, p.index), contributor_message(p, parsed.meta))
            for p in exc.problems
        ]
    if problems:
        first = problems[0]
        raise FrontMatterError(first.message, path=path, line=first.line, problems=tuple(problems))
    return paper


def control_problems(parsed: ParsedPage) -> list[Problem]:
    """A problem for each front-matter value, and each line of the body, that holds a
    control character (see :mod:`paper_archive.text.controls`)."""
    out = [
        Problem(
            parsed.line_of(key, index),
            f"{key if index is None else f'{key}.{index}'}: control character "
            f"{controls.name_of(char)}; remove it",
        )
        for key, index, char in controls.controls_in_values(parsed.meta)
    ]
    raw = parsed.raw
    body_start = raw.yaml_first_line + raw.yaml_text.count("\n") + 1
    out.extend(
        Problem(
            body_start + line - 1,
            f"control character {controls.name_of(char)} in the page body; remove it",
        )
        for line, char in controls.controls_in_text(raw.body)
    )
    return out


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
