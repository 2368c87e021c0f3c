"""Build a search bundle in a process of its own (the site build runs it beside MkDocs).

    python -m paper_archive.search.build INPUT.json CACHE_DIR

INPUT.json holds ``{"key": …, "tag_names": {…}, "docs": [SearchDoc fields, …]}``. The
bundle goes to CACHE_DIR/<key>/ (see :func:`cached_or_built`); nothing is printed on
success, a message on standard error and exit status 1 on failure.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from .bundle import SearchDoc, cached_or_built


def write_input(path: Path, docs: list[SearchDoc], tag_names: dict[str, str], key: str) -> None:
    payload = {"key": key, "tag_names": tag_names, "docs": [asdict(doc) for doc in docs]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def read_input(path: Path) -> tuple[list[SearchDoc], dict[str, str], str]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    docs = [SearchDoc(**{**doc, "tags": tuple(doc["tags"])}) for doc in payload["docs"]]
    return docs, payload["tag_names"], payload["key"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    try:
        docs, tag_names, key = read_input(Path(args[0]))
        cached_or_built(docs, tag_names, key, Path(args[1]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        sys.stderr.write(f"search bundle: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
