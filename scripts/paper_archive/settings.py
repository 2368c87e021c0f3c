"""The site's settings: one typed, documented place (``extra.paper_archive`` in mkdocs.yml).

:class:`Settings` holds each setting with its default and its rule; mkdocs.yml states
the defaults under ``extra: paper_archive:`` and docs/settings.md explains them (a test
keeps the three equal). :func:`settings_from_extra` reads the build's ``config.extra``
and refuses an unknown key, a wrong type or a value out of range with an error naming
the key (``mkdocs.yml:12: extra.paper_archive.per_page: must be an integer from 10 to
1000, got 'ten'``); the line is found by :func:`key_lines` in mkdocs.yml's text.
The pure functions of the site take what they need as parameters; nothing here is global.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from .errors import ArchiveError, Problem
from .files.cachefiles import NAME as CACHE_NAME
from .files.textfile import read_text
from .files.yamlio import StrictLoader, shorten

#: Where the settings live in mkdocs.yml: ``extra: paper_archive: …``.
EXTRA_KEY = "paper_archive"
PREFIX = f"extra.{EXTRA_KEY}"
#: The project's own folders: the cache may not be in one (docs/ would be published
#: and watched by ``mkdocs serve``, the others are the archive's sources or outputs).
RESERVED_FOLDERS = frozenset(
    {".git", ".github", ".venv", "data", "docs", "hooks", "overrides", "scripts", "site", "tests"}
)
_FOLDER_PART = re.compile(r"[A-Za-z0-9._-]+")


class SettingsError(ArchiveError):
    """A setting in mkdocs.yml is unknown, of the wrong type or out of range.
    ``problems`` holds every one found (the message and location are the first one's)."""

    def __init__(self, problems: Sequence[Problem], *, path: str | None = None) -> None:
        first = problems[0]
        super().__init__(first.message, path=path, line=first.line)
        self.problems = tuple(problems)
        where = path or "mkdocs.yml"
        self.args = (
            "\n".join(f"{where}{f':{p.line}' if p.line else ''}: {p.message}" for p in problems),
        )

    def __str__(self) -> str:
        return str(self.args[0])


#: Problems found while reading: (key path under extra.paper_archive, message).
_Found = list[tuple[tuple[str, ...], str]]


class _Bad(ValueError):
    """One value refused: the message says what it must be."""


def _shown(value: object) -> str:
    """A value as mkdocs.yml would write it, for an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return shorten(repr(value))


def integer(low: int, high: int) -> Callable[[object], int]:
    """A whole number from ``low`` to ``high`` (YAML's ``true`` is not one)."""

    def check(value: object) -> int:
        if type(value) is not int or not low <= value <= high:
            raise _Bad(f"must be an integer from {low} to {high}, got {_shown(value)}")
        return value

    return check


def number(low: float, high: float) -> Callable[[object], float]:
    """A number from ``low`` to ``high``; a whole one is kept as an integer, so ``10``
    and ``10.0`` make the same search index."""

    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad(f"must be a number from {low:g} to {high:g}, got {_shown(value)}")
        if not low <= value <= high:  # NaN too
            raise _Bad(f"must be a number from {low:g} to {high:g}, got {_shown(value)}")
        return int(value) if float(value).is_integer() else value

    return check


def boolean(value: object) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise _Bad(f"must be true or false, got {_shown(value)}")
    return value


def folder(value: object) -> str:
    """A folder of the project, as a relative POSIX path of plain names, outside the
    project's own folders (:data:`RESERVED_FOLDERS`)."""
    parts = value.split("/") if isinstance(value, str) else []
    if not parts or any(p in ("", ".", "..") or not _FOLDER_PART.fullmatch(p) for p in parts):
        raise _Bad(
            "must be a folder of the project, a relative path of plain names "
            f"(letters, digits, '.', '_', '-') such as .paper-archive-cache, got {_shown(value)}"
        )
    if parts[0] in RESERVED_FOLDERS:
        raise _Bad(f"must not be in the project's {parts[0]}/ folder, got {_shown(value)}")
    return "/".join(parts)


def _rule(check: Callable[[object], Any], doc: str) -> dict[str, Any]:
    """A field's metadata: the check its value passes, and what it is (docs/settings.md)."""
    return {"check": check, "doc": doc}


@dataclass(frozen=True, slots=True)
class SearchBoosts:
    """How much a word found in each field of a paper counts in the search's ranking
    (Lunr's field boost: the field's BM25 score is multiplied by it). The "titles" index
    the search page loads first holds the title and arXiv id; the full index all six."""

    title: float = field(default=10, metadata=_rule(number(0.1, 100), "the paper's title"))
    arxiv: float = field(default=10, metadata=_rule(number(0.1, 100), "its arXiv id"))
    tags: float = field(default=3, metadata=_rule(number(0.1, 100), "its topics (slugs and names)"))
    year: float = field(default=2, metadata=_rule(number(0.1, 100), "its publication year"))
    abstract: float = field(default=1, metadata=_rule(number(0.1, 100), "its abstract"))
    authors: float = field(default=1, metadata=_rule(number(0.1, 100), "its authors' names"))

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting of the site, with its default (what mkdocs.yml states)."""

    per_page: int = field(
        default=100,
        metadata=_rule(
            integer(10, 1000),
            "papers on each page of a topic, a year or the undated papers (then "
            "page/2/, page/3/ …)",
        ),
    )
    related_count: int = field(
        default=5,
        metadata=_rule(integer(1, 20), "related papers listed at the foot of each paper page"),
    )
    feed_length: int = field(
        default=50,
        metadata=_rule(
            integer(1, 1000), "papers in each Atom feed (the site's and each topic's), newest first"
        ),
    )
    shared_chrome: bool = field(
        default=True,
        metadata=_rule(
            boolean,
            "paper and list pages load the theme's header, tabs, drawer and footer from a "
            "file they share (about 7 KB less a page); false keeps them in every page, "
            "shown without scripts",
        ),
    )
    cache_dir: str = field(
        default=CACHE_NAME,
        metadata=_rule(
            folder,
            "the build's cache folder, beside mkdocs.yml (gitignore it): related lists, "
            "search bundles, generated pages and exports",
        ),
    )
    search_boosts: SearchBoosts = field(
        default_factory=SearchBoosts,
        metadata={"group": SearchBoosts, "doc": "what a match in each field weighs in search"},
    )


def documented() -> list[tuple[str, object, str]]:
    """Every setting as (dotted key, default, what it is), in order: what mkdocs.yml
    and docs/settings.md state (tests/test_settings.py compares them)."""
    out: list[tuple[str, object, str]] = []
    defaults = Settings()
    for f in fields(Settings):
        value = getattr(defaults, f.name)
        if isinstance(value, SearchBoosts):
            out += [
                (f"{f.name}.{b.name}", getattr(value, b.name), b.metadata["doc"])
                for b in fields(SearchBoosts)
            ]
        else:
            out.append((f.name, value, f.metadata["doc"]))
    return out


def _unknown(key: object, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"unknown setting; {hint}the settings are {', '.join(known)}"


def _read(
    cls: type[Any],
    given: object,
    path: tuple[str, ...],
    problems: list[tuple[tuple[str, ...], str]],
) -> dict[str, Any]:
    """The checked values of ``given`` (the mapping at ``path`` under
    ``extra.paper_archive``) for the fields of ``cls``; each problem noted as (key path,
    message naming the key)."""
    name = ".".join((PREFIX, *path))
    if not isinstance(given, Mapping):
        problems.append((path, f"{name}: must be a mapping of settings, got {_shown(given)}"))
        return {}
    rules = {f.name: f.metadata for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in given.items():
        here = (*path, str(key))
        rule = rules.get(key)
        if rule is None:
            problems.append((here, f"{name}.{key}: {_unknown(key, list(rules))}"))
        elif "group" in rule:  # a mapping of settings of its own (search_boosts)
            values[key] = rule["group"](**_read(rule["group"], value, here, problems))
        else:
            try:
                values[key] = rule["check"](value)
            except _Bad as exc:
                problems.append((here, f"{name}.{key}: {exc}"))
    return values


def settings_from_extra(
    extra: Mapping[str, Any], *, path: str | None = None, text: str | None = None
) -> Settings:
    """The settings in ``extra`` (mkdocs.yml's ``extra:``, as MkDocs loaded it: ``!ENV``
    resolved), defaults for those not given. Raises :class:`SettingsError` naming every
    bad key; ``path`` is how the error names mkdocs.yml, and with its ``text`` each
    problem gets its line (:func:`key_lines`)."""
    given = extra.get(EXTRA_KEY)
    if given is None:  # no extra.paper_archive, or an empty one: every default
        return Settings()
    problems: _Found = []
    values = _read(Settings, given, (), problems)
    if problems:
        lines = key_lines(text) if text is not None else {}
        found = [Problem(_line_of(lines, key), message) for key, message in problems]
        raise SettingsError(found, path=path)
    return Settings(**values)


def _line_of(lines: Mapping[tuple[str, ...], int], key: tuple[str, ...]) -> int | None:
    """The line of ``key``, else of the nearest key above it that is in the file."""
    for depth in range(len(key), -1, -1):
        if key[:depth] in lines:
            return lines[key[:depth]]
    return None


def _settings_node(text: str) -> tuple[yaml.Node | None, int | None]:
    """The node of ``extra.paper_archive`` in mkdocs.yml's ``text`` and its key's line
    (1-based). Composed, not constructed: MkDocs' own tags (``!ENV``,
    ``!!python/name:``) need no constructor to be walked."""
    try:
        root = yaml.compose(text, Loader=StrictLoader)
    except yaml.YAMLError:
        return None, None
    node, line = root, None
    for name in ("extra", EXTRA_KEY):
        if not isinstance(node, yaml.MappingNode):
            return None, None
        match = [
            (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == name
        ]
        if not match:
            return None, None
        key_node, node = match[-1]
        line = key_node.start_mark.line + 1
    return node, line


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Where each setting sits in mkdocs.yml's ``text``: key path under
    ``extra.paper_archive`` (``()`` for that key itself, ``("search_boosts", "title")``)
    -> 1-based line. Empty when the file does not hold the settings (``INHERIT``)."""
    node, line = _settings_node(text)
    if node is None or line is None:
        return {}
    lines: dict[tuple[str, ...], int] = {(): line}

    def walk(mapping: yaml.Node, path: tuple[str, ...]) -> None:
        if not isinstance(mapping, yaml.MappingNode):
            return
        for key_node, value_node in mapping.value:
            if isinstance(key_node, yaml.ScalarNode):
                here = (*path, key_node.value)
                lines[here] = key_node.start_mark.line + 1
                walk(value_node, here)

    walk(node, ())
    return lines


def settings_in_text(text: str, *, path: str = "mkdocs.yml") -> Settings:
    """The settings stated in mkdocs.yml's ``text`` itself (for ``papers validate``,
    which runs without MkDocs: an ``INHERIT``-ed file is not followed). ``!ENV`` and
    other tags of MkDocs' are refused in ``extra.paper_archive``."""
    node, _ = _settings_node(text)
    if node is None:
        return Settings()
    loader = StrictLoader("")
    try:
        given = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise SettingsError([Problem(line, f"{PREFIX}: {problem}")], path=path) from None
    finally:
        loader.dispose()
    return settings_from_extra({EXTRA_KEY: given}, path=path, text=text)


def load_settings(extra: Mapping[str, Any], *, config_file: str | Path) -> Settings:
    """:func:`settings_from_extra` for a build: mkdocs.yml (``config_file``) is read only
    when a setting is refused, to name its line."""
    try:
        return settings_from_extra(extra)
    except SettingsError:
        file = Path(config_file)
        try:
            text: str | None = read_text(file, display=file.name)
        except ArchiveError:
            text = None
        return settings_from_extra(extra, path=file.name, text=text)
