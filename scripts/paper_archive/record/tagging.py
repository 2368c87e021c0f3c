"""The tag vocabulary (``data/tags.yaml``) and the rule-based tagger (pure functions).

Design notes: docs/modules.md, `record/tagging.py`.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from ..errors import VocabularyError
from ..files import yamlio
from ..files.textfile import read_text

_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: An arXiv category (``cs.CL``, ``physics.chem-ph``, ``quant-ph``) or archive (``q-bio``).
_CATEGORY_RE = re.compile(r"^[a-z]+(-[a-z]+)*(\.[A-Za-z]+(-[a-z]+)*)?$")


_META = set("\\.^$*+?{}[]|()")
_WORD = re.compile(r"\w+")
_KEY_LEN = 4
#: Matches of a tag's ``text`` rules in the abstract (at distinct places) that make the
#: tag, when nothing in the title does.
ABSTRACT_MATCHES = 2
_PREFIX_CUTS = tuple(itemgetter(slice(0, size)) for size in range(2, _KEY_LEN + 1))
#: The longest alias a tag may declare, in characters.
ALIAS_MAX = 80
_ALIAS_WORD = re.compile(r"[^\W_]+")


def alias_key(name: str) -> str:
    """An alias as search compares it: its letter-and-digit runs, lower case, joined by
    one space (``Mixture-of-Experts`` -> ``mixture of experts``)."""
    return " ".join(_ALIAS_WORD.findall(name.lower()))


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern, with the literal text any match must start with (``None``: unknown).

    Python's ``re`` cannot use its fast literal scan for case-insensitive patterns that
    start with ``\\b``, so the vocabulary checks literals first (see :class:`Vocabulary`).
    """

    pattern: re.Pattern[str]
    literal: str | None
    case_sensitive: bool
    anchored: bool = False

    @property
    def key(self) -> str | None:
        """The first letters of a word-anchored literal: a match needs a word that
        starts with them."""
        if not self.anchored or self.literal is None or self.case_sensitive:
            return None  # acronyms are few: their literal check alone is cheap
        head = _WORD.match(self.literal)
        return head[0][:_KEY_LEN] if head and len(head[0]) >= 2 else None

    def search(self, text: str, lowered: str) -> bool:
        """Whether the pattern matches ``text`` (``lowered`` is ``text.lower()``).

        The literal starts every match, so the pattern is only tried where the literal
        occurs; ``\\b`` still sees the character before that position.
        """
        haystack = text if self.case_sensitive else lowered
        if self.literal is None or len(haystack) != len(text):
            return self.pattern.search(text) is not None
        match = self.pattern.match
        index = haystack.find(self.literal)
        while index != -1:
            if match(text, index):
                return True
            index = haystack.find(self.literal, index + 1)
        return False

    def places(self, text: str, lowered: str) -> set[int]:
        """Where the pattern's matches start (non-overlapping, as ``finditer`` finds)."""
        haystack = text if self.case_sensitive else lowered
        if self.literal is not None and self.literal not in haystack:
            return set()
        return {match.start() for match in self.pattern.finditer(text)}


def required_literal(pattern: str) -> tuple[str | None, bool]:
    """The literal a pattern starts with (after ``\\b``) and whether it is case-sensitive."""
    case_sensitive = pattern.startswith("(?-i:")
    body = pattern[5:] if case_sensitive else pattern
    while body.startswith("\\b"):
        body = body[2:]
    literal = ""
    for char in body:
        if char in _META:
            if char in "?*{" and literal:
                literal = literal[:-1]  # the last character is optional
            break
        literal += char
    if not case_sensitive:
        literal = literal.lower()
    return (literal if len(literal) >= 2 else None), case_sensitive


def _is_anchored(pattern: str) -> bool:
    return pattern.removeprefix("(?-i:").startswith("\\b")


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
    description: str
    title_rules: tuple[Rule, ...] = ()
    text_rules: tuple[Rule, ...] = ()
    arxiv_categories: tuple[str, ...] = ()
    #: Groups of names meaning the same thing (search only; see the module docstring).
    aliases: tuple[tuple[str, ...], ...] = ()

    def matches(self, title: str, abstract: str) -> bool:
        """Whether a rule matches the title, or the text rules match the abstract at
        :data:`ABSTRACT_MATCHES` places (the plain, unindexed check)."""
        low_title, low_abstract = title.lower(), abstract.lower()
        if any(rule.search(title, low_title) for rule in (*self.title_rules, *self.text_rules)):
            return True
        places: set[int] = set()
        for rule in self.text_rules:
            places |= rule.places(abstract, low_abstract)
        return len(places) >= ABSTRACT_MATCHES


#: (tag slug, rule, applies to the title only)
_Entry = tuple[str, Rule, bool]


@dataclass(frozen=True)
class Vocabulary:
    """The tags, and an index from word prefixes to the rules they could trigger.

    Tagging looks up each distinct word of a text in the index, so a paper costs a few
    hundred dictionary look-ups and a handful of regex searches, not one search per rule.
    """

    tags: tuple[Tag, ...]
    _by_key: dict[str, list[_Entry]] = field(init=False, repr=False, compare=False)
    _ungated: list[_Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, list[_Entry]] = {}
        ungated: list[_Entry] = []
        for tag in self.tags:
            entries = [(tag.slug, r, True) for r in tag.title_rules]
            entries += [(tag.slug, r, False) for r in tag.text_rules]
            for entry in entries:
                key = entry[1].key
                if key is None:
                    ungated.append(entry)
                else:
                    by_key.setdefault(key, []).append(entry)
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_ungated", ungated)

    @property
    def alias_groups(self) -> tuple[tuple[str, ...], ...]:
        """Every tag's alias groups, each name as :func:`alias_key` makes it, in slug order."""
        return tuple(
            tuple(alias_key(name) for name in group) for tag in self.tags for group in tag.aliases
        )

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(tag.slug for tag in self.tags)

    def _candidates(self, lowered: str) -> list[_Entry]:
        """Rules worth trying on a text: those keyed by a prefix of one of its words
        (set intersections run in C), and the few rules without a key."""
        found: list[_Entry] = list(self._ungated)
        distinct = set(_WORD.findall(lowered))
        for cut in _PREFIX_CUTS:
            for key in set(map(cut, distinct)) & self._by_key.keys():
                found.extend(self._by_key[key])
        return found

    def tag(self, title: str, abstract: str) -> tuple[str, ...]:
        """Slugs of every tag whose rules match the title, or whose text rules match the
        abstract at :data:`ABSTRACT_MATCHES` places or more; sorted."""
        matched: set[str] = set()
        if title:
            lowered = title.lower()
            for slug, rule, _ in self._candidates(lowered):
                if slug not in matched and rule.search(title, lowered):
                    matched.add(slug)
        if abstract:
            lowered = abstract.lower()
            places: dict[str, set[int]] = {}
            for slug, rule, title_only in self._candidates(lowered):
                if slug in matched or title_only:
                    continue
                found = places.setdefault(slug, set())
                found |= rule.places(abstract, lowered)
                if len(found) >= ABSTRACT_MATCHES:
                    matched.add(slug)
        return tuple(sorted(matched))

    def for_categories(self, categories: Iterable[str]) -> tuple[str, ...]:
        """Slugs of every tag listing one of these arXiv categories (or its archive:
        ``q-bio`` covers ``q-bio.BM``), sorted."""
        wanted = set()
        for category in categories:
            wanted.add(category)
            wanted.add(category.split(".", 1)[0])
        return tuple(
            sorted(tag.slug for tag in self.tags if wanted.intersection(tag.arxiv_categories))
        )

    def close_to(self, slug: str, *, limit: int = 3) -> list[str]:
        """Known slugs that look like ``slug`` (for "unknown tag" messages)."""
        from difflib import get_close_matches

        return get_close_matches(slug, sorted(self.slugs), n=limit, cutoff=0.5)


def _compile(patterns: object, *, where: str, path: str) -> tuple[Rule, ...]:
    if patterns is None:
        return ()
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise VocabularyError(f"{where}: expected a list of regular expressions", path=path)
    rules: list[Rule] = []
    for pattern in patterns:
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise VocabularyError(
                f"{where}: bad regular expression {pattern!r}: {exc}", path=path
            ) from exc
        literal, case_sensitive = required_literal(pattern)
        rules.append(Rule(compiled, literal, case_sensitive, anchored=_is_anchored(pattern)))
    return tuple(rules)


def _categories(value: object, *, where: str, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(v, str) and _CATEGORY_RE.match(v) for v in value
    ):
        raise VocabularyError(
            f"{where}: 'arxiv_categories' must be a list of arXiv categories such as cs.CL",
            path=path,
        )
    return tuple(value)


def _aliases(
    value: object, *, where: str, path: str, line: int | None, seen: dict[str, str]
) -> tuple[tuple[str, ...], ...]:
    """A tag's ``aliases``: a list of groups, each a list of two names or more. ``seen``
    (alias key -> tag) refuses a name two groups declare."""
    if value is None:
        return ()
    shape = f"{where}: 'aliases' must be a list of groups, each a list of two names or more"
    if not isinstance(value, list):
        raise VocabularyError(shape, path=path, line=line)
    groups: list[tuple[str, ...]] = []
    for group in value:
        if not isinstance(group, list) or len(group) < 2:
            raise VocabularyError(shape, path=path, line=line)
        keys: set[str] = set()
        for name in group:
            if not isinstance(name, str) or not alias_key(name) or len(name) > ALIAS_MAX:
                raise VocabularyError(
                    f"{where}: alias {name!r} must be a name of 1 to {ALIAS_MAX} characters "
                    "with a letter or digit",
                    path=path,
                    line=line,
                )
            key = alias_key(name)
            if key in keys or key in seen:
                other = "this group" if key in keys else f"tag {seen[key]!r}"
                raise VocabularyError(
                    f"{where}: alias {name!r} is already declared by {other}", path=path, line=line
                )
            keys.add(key)
        for key in keys:
            seen[key] = where.removeprefix("tag ").strip("'")
        groups.append(tuple(" ".join(name.split()) for name in group))
    return tuple(groups)


def parse_vocabulary(text: str, *, path: str = "data/tags.yaml") -> Vocabulary:
    """Parse the vocabulary file; every problem names the file (and the tag)."""
    try:
        loaded = yamlio.load_with_lines(text)
    except yamlio.yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise VocabularyError(f"invalid YAML: {exc}", path=path, line=line) from exc
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("tags"), list):
        raise VocabularyError("expected a mapping with a 'tags' list", path=path)
    tags: list[Tag] = []
    seen: set[str] = set()
    alias_seen: dict[str, str] = {}
    item_lines = loaded.item_lines.get("tags", [])
    for index, entry in enumerate(data["tags"]):
        where = f"tags[{index}]"
        line = item_lines[index] + 1 if index < len(item_lines) else None
        if not isinstance(entry, dict):
            raise VocabularyError(f"{where}: expected a mapping", path=path)
        slug, name, description = entry.get("slug"), entry.get("name"), entry.get("description")
        if not isinstance(slug, str) or not _SLUG_RE.match(slug):
            raise VocabularyError(f"{where}: 'slug' must be lowercase-hyphenated", path=path)
        where = f"tag {slug!r}"
        if slug in seen:
            raise VocabularyError(f"{where} is defined twice", path=path)
        seen.add(slug)
        if not isinstance(name, str) or not name.strip():
            raise VocabularyError(f"{where}: 'name' is required", path=path)
        if not isinstance(description, str) or not description.strip():
            raise VocabularyError(f"{where}: 'description' is required", path=path)
        match = entry.get("match") or {}
        if not isinstance(match, dict) or set(match) - {"title", "text"}:
            raise VocabularyError(f"{where}: 'match' takes 'title' and 'text' lists", path=path)
        tags.append(
            Tag(
                slug=slug,
                name=name.strip(),
                description=" ".join(description.split()),
                title_rules=_compile(match.get("title"), where=f"{where} match.title", path=path),
                text_rules=_compile(match.get("text"), where=f"{where} match.text", path=path),
                arxiv_categories=_categories(entry.get("arxiv_categories"), where=where, path=path),
                aliases=_aliases(
                    entry.get("aliases"), where=where, path=path, line=line, seen=alias_seen
                ),
            )
        )
    return Vocabulary(tags=tuple(sorted(tags, key=lambda t: t.slug)))


def load_vocabulary(path: Path) -> Vocabulary:
    """The vocabulary at ``path``, read strictly (UTF-8, no NUL; errors name the line)."""
    return parse_vocabulary(read_text(path), path=str(path))


#: Below this many papers a process pool costs more than it saves.
PARALLEL_MIN = 2000
_worker_vocabulary: Vocabulary | None = None


def _init_worker(vocabulary: Vocabulary) -> None:
    global _worker_vocabulary  # one per worker process, set once by the pool
    _worker_vocabulary = vocabulary


def _tag_in_worker(pair: tuple[str, str]) -> tuple[str, ...]:
    assert _worker_vocabulary is not None
    return _worker_vocabulary.tag(*pair)


def tag_many(
    vocabulary: Vocabulary, pairs: Sequence[tuple[str, str]], *, workers: int | None = None
) -> list[tuple[str, ...]]:
    """Tag many (title, abstract) pairs, in order; large batches use every core."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(pairs) < PARALLEL_MIN or "fork" not in mp.get_all_start_methods():
        return [vocabulary.tag(title, abstract) for title, abstract in pairs]
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context("fork"),
        initializer=_init_worker,
        initargs=(vocabulary,),
    ) as pool:
        return list(pool.map(_tag_in_worker, pairs, chunksize=max(1, len(pairs) // (workers * 8))))


def merge_tags(existing: Iterable[str], matched: Iterable[str]) -> tuple[str, ...]:
    """Hand-added tags stay; matched tags are added. Sorted, no repeats."""
    return tuple(sorted(set(existing) | set(matched)))
