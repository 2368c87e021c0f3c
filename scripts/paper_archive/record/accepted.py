"""Near-duplicate pairs a maintainer reviewed: ``data/accepted-near-duplicates.yaml``.

``papers validate`` warns when two titles look alike (see
:func:`paper_archive.record.slugs.near_duplicates`). Once a maintainer has checked that such a
pair is two different papers, the pair goes in this file with the reason, and the
warning stops: a clean main prints no warning a contributor did not cause. A
homoglyph pair (one title spelled with look-alike characters of another) is an error
that this file can also silence, for the rare real case (a title in Greek letters).

The file::

    accepted:
      - pages: [densely-connected-convolutional-networks, densely-connected-...]
        reason: DenseNet, and a later paper applying it to speech recognition.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import ArchiveError
from ..files import yamlio

#: Where the file lives, relative to the archive root.
ACCEPTED_FILE = "data/accepted-near-duplicates.yaml"

AcceptedPairs = frozenset[frozenset[str]]


class AcceptedPairsError(ArchiveError):
    """The accepted-pairs file is malformed."""


def parse_accepted_pairs(text: str, *, path: str = ACCEPTED_FILE) -> AcceptedPairs:
    """The pairs of page slugs in the file's text. Raises :class:`AcceptedPairsError`
    naming ``path`` and the line of a bad entry."""
    try:
        loaded = yamlio.load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise AcceptedPairsError(str(problem), path=path, line=line) from exc
    data = loaded.data
    if data is None:
        return frozenset()
    if not isinstance(data, dict) or set(data) != {"accepted"}:
        raise AcceptedPairsError("expected one key, 'accepted', with a list", path=path, line=1)
    entries = data["accepted"] or []
    if not isinstance(entries, list):
        raise AcceptedPairsError("'accepted' must be a list", path=path, line=1)
    lines = loaded.item_lines.get("accepted", [])
    pairs: set[frozenset[str]] = set()
    for index, entry in enumerate(entries):
        line = lines[index] + 1 if index < len(lines) else 1
        pages = entry.get("pages") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if (
            not isinstance(entry, dict)
            or set(entry) != {"pages", "reason"}
            or not isinstance(pages, list)
            or len(pages) != 2
            or not all(isinstance(p, str) and p for p in pages)
            or pages[0] == pages[1]
        ):
            raise AcceptedPairsError(
                "each entry needs 'pages' (two different page slugs) and 'reason'",
                path=path,
                line=line,
            )
        if not isinstance(reason, str) or not reason.strip():
            raise AcceptedPairsError("'reason' must say why the pair is fine", path=path, line=line)
        pairs.add(frozenset(pages))
    return frozenset(pairs)


def load_accepted_pairs(root: Path) -> AcceptedPairs:
    """The archive's accepted pairs (none when the file does not exist)."""
    path = root / ACCEPTED_FILE
    if not path.is_file():
        return frozenset()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AcceptedPairsError(f"cannot read: {exc}", path=ACCEPTED_FILE) from exc
    return parse_accepted_pairs(text, path=ACCEPTED_FILE)
