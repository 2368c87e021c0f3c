"""Refresh the front-end libraries the site serves itself (no CDN): lunr.js and KaTeX.

    python scripts/vendor_assets.py          # check docs/assets/vendor against the lock
    python scripts/vendor_assets.py --update # npm pack the pinned versions, copy, relock

Versions are pinned in scripts/vendor.lock.json with the sha256 of every copied file.
lunr.js must be the version the `lunr` Python package targets (a test enforces it),
because the search index is built in Python and loaded by lunr.js.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "scripts" / "vendor.lock.json"
VENDOR = ROOT / "docs" / "assets" / "vendor"

#: package -> (version, files inside the npm tarball's package/ directory to copy)
PACKAGES: dict[str, tuple[str, list[str]]] = {
    "lunr": ("2.3.9", ["lunr.min.js", "LICENSE"]),
    "katex": (
        "0.19.1",
        ["dist/katex.min.js", "dist/katex.min.css", "dist/contrib/auto-render.min.js", "LICENSE"],
    ),
}
#: KaTeX fonts: only woff2 (every browser the site supports picks it first).
FONT_GLOB = "dist/fonts/*.woff2"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def update() -> dict[str, object]:
    lock: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, files) in PACKAGES.items():
            result = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--json"],
                cwd=tmp,
                check=True,
                capture_output=True,
                text=True,
            )
            info = json.loads(result.stdout)[0]
            target = VENDOR / name
            target.mkdir(parents=True, exist_ok=True)
            with tarfile.open(Path(tmp) / info["filename"]) as tar:
                members = {m.name.removeprefix("package/"): m for m in tar.getmembers()}
                wanted = list(files)
                if name == "katex":
                    wanted += sorted(n for n in members if Path(n).match(FONT_GLOB))
                copied: dict[str, str] = {}
                for member_name in wanted:
                    data = tar.extractfile(members[member_name])
                    assert data is not None
                    dest = target / member_name.removeprefix("dist/")
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(data.read())
                    copied[dest.relative_to(VENDOR).as_posix()] = _sha256(dest)
            lock[name] = {"version": version, "integrity": info["integrity"], "files": copied}
    LOCK.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return lock


def check() -> list[str]:
    """Problems with the vendored files, as messages (empty: all match the lock)."""
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    problems = []
    for name, entry in lock.items():
        if entry["version"] != PACKAGES[name][0]:
            problems.append(f"{name}: lock has {entry['version']}, script pins {PACKAGES[name][0]}")
        for rel, digest in entry["files"].items():
            path = VENDOR / rel
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif _sha256(path) != digest:
                problems.append(f"{path}: changed since vendoring")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--update", action="store_true", help="download and copy the pinned versions"
    )
    args = parser.parse_args()
    if args.update:
        update()
    problems = check()
    for problem in problems:
        sys.stderr.write(problem + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
