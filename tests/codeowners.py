"""A small reader of ``.github/CODEOWNERS`` with GitHub's semantics, for the tests.

GitHub's rules (docs: "About code owners", syntax): one rule a line, a gitignore-like
pattern then zero or more owners; ``#`` starts a comment; the LAST rule whose pattern
matches a path decides its owners, and a rule with no owner leaves the path unowned.
Patterns: a leading ``/`` or a ``/`` inside anchors the pattern at the root, otherwise
it matches at any depth; a trailing ``/`` matches what is inside the folder; ``*``
stays within one path segment and ``**`` spans any; a pattern that names a folder
covers everything under it, but ``docs/*`` only the files directly in ``docs/``. GitHub does not support ``!`` negation nor ``[ ]``
ranges; :func:`parse` refuses them so a rule cannot silently mean nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_OWNER = re.compile(r"@[\w.-]+(/[\w.-]+)?|[^@\s]+@[^@\s]+")


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: str
    owners: tuple[str, ...]
    regex: re.Pattern[str]


def _translate(pattern: str) -> re.Pattern[str]:
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    inside_only = pattern.endswith("/")
    body = pattern.strip("/")
    out: list[str] = []
    index = 0
    while index < len(body):
        if body.startswith("**/", index):
            out.append("(?:[^/]+/)*")
            index += 3
        elif body.startswith("**", index):
            out.append(".*")
            index += 2
        elif body[index] == "*":
            out.append("[^/]*")
            index += 1
        elif body[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(body[index]))
            index += 1
    prefix = "" if anchored else "(?:[^/]+/)*"
    # A named folder covers what is under it; ``docs/*`` only the folder's own files
    # (GitHub's documented exception to gitignore).
    if inside_only:
        suffix = "/.+"
    elif "*" in body.rpartition("/")[2] and body != "**":
        suffix = ""
    else:
        suffix = "(?:/.+)?"
    return re.compile(rf"\A{prefix}{''.join(out)}{suffix}\Z")


def parse(text: str) -> list[Rule]:
    """The rules of a CODEOWNERS file, in order; ``ValueError`` for a line GitHub would
    not read as we do."""
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        if pattern.startswith("!") or "[" in pattern or "\\" in pattern:
            raise ValueError(f"CODEOWNERS:{number}: unsupported pattern {pattern!r}")
        if any(o.startswith("#") for o in owners):
            owners = owners[: next(i for i, o in enumerate(owners) if o.startswith("#"))]
        bad = [o for o in owners if not _OWNER.fullmatch(o)]
        if bad:
            raise ValueError(f"CODEOWNERS:{number}: not an owner: {bad[0]!r}")
        rules.append(Rule(pattern, tuple(owners), _translate(pattern)))
    return rules


def owners_of(rules: list[Rule], path: str) -> tuple[str, ...]:
    """The owners of ``path`` (POSIX, relative to the root): the last matching rule's."""
    owners: tuple[str, ...] = ()
    for rule in rules:
        if rule.regex.match(path):
            owners = rule.owners
    return owners


def load(path: Path) -> list[Rule]:
    return parse(path.read_text(encoding="utf-8"))
