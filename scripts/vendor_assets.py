"""Refresh the front-end libraries the site serves itself (no CDN): lunr.js and KaTeX,
and the test-only ones the browser tests inject (axe-core).

    python scripts/vendor_assets.py          # check the vendored files against the lock
    python scripts/vendor_assets.py --update # npm pack the pinned versions, copy, relock

Versions are pinned in scripts/vendor.lock.json with the sha256 of every copied file.
lunr.js must be the version the `lunr` Python package targets (a test enforces it),
because the search index is built in Python and loaded by lunr.js.

Test-only packages go to tests/vendor/, never under docs/ (a test checks that the built
site holds none of them), and are locked in the lock's "test-only" section.
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
TEST_VENDOR = ROOT / "tests" / "vendor"
#: the lock's key for packages that only the tests use
TEST_ONLY = "test-only"

#: package -> (version, files inside the npm tarball's package/ directory to copy)
PACKAGES: dict[str, tuple[str, list[str]]] = {
    "lunr": ("2.3.9", ["lunr.min.js", "LICENSE"]),
    "katex": (
        "0.19.1",
        ["dist/katex.min.js", "dist/katex.min.css", "dist/contrib/auto-render.min.js", "LICENSE"],
    ),
}
#: test-only package -> (version, files to copy): axe-core, the accessibility checker
#: tests/test_accessibility.py injects into the built site's pages.
TEST_PACKAGES: dict[str, tuple[str, list[str]]] = {
    "axe-core": ("4.14.1", ["axe.min.js", "LICENSE"]),
}
#: KaTeX fonts: only woff2 (every browser the site supports picks it first).
FONT_GLOB = "dist/fonts/*.woff2"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack(
    name: str, version: str, files: list[str], target: Path, root: Path, tmp: str
) -> dict[str, object]:
    """npm pack ``name@version`` into ``tmp``, copy ``files`` into ``target``; its lock entry."""
    result = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json"],
        cwd=tmp,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
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
            copied[dest.relative_to(root).as_posix()] = _sha256(dest)
    return {"version": version, "integrity": info["integrity"], "files": copied}


def update() -> dict[str, object]:
    lock: dict[str, object] = {}
    test_only: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, files) in PACKAGES.items():
            lock[name] = _pack(name, version, files, VENDOR / name, VENDOR, tmp)
        for name, (version, files) in TEST_PACKAGES.items():
            test_only[name] = _pack(name, version, files, TEST_VENDOR / name, TEST_VENDOR, tmp)
    lock[TEST_ONLY] = test_only
    LOCK.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return lock


def _check_group(
    entries: dict[str, dict], pins: dict[str, tuple[str, list[str]]], root: Path
) -> list[str]:
    problems = []
    for name, entry in entries.items():
        if name not in pins:
            problems.append(f"{name}: in the lock, not pinned in the script")
            continue
        if entry["version"] != pins[name][0]:
            problems.append(f"{name}: lock has {entry['version']}, script pins {pins[name][0]}")
        for rel, digest in entry["files"].items():
            path = root / rel
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif _sha256(path) != digest:
                problems.append(f"{path}: changed since vendoring")
    problems += [
        f"{name}: pinned in the script, not in the lock" for name in pins.keys() - entries.keys()
    ]
    return problems


def check() -> list[str]:
    """Problems with the vendored files, as messages (empty: all match the lock)."""
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    test_only = lock.pop(TEST_ONLY, {})
    return _check_group(lock, PACKAGES, VENDOR) + _check_group(
        test_only, TEST_PACKAGES, TEST_VENDOR
    )


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
