"""The site's scripts (docs/assets, vendored copies aside) pass ESLint's recommended rules.

ESLint is a development tool pinned in .ci/eslint (package.json with exact versions,
package-lock.json with every package's integrity hash), installed there by .ci/setup
with `npm ci`, configured by .ci/eslint/eslint.config.js, and never shipped: it lives
outside docs/. The command is CI's and CONTRIBUTING's, run as written.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from . import REPO

TOOL = REPO / ".ci" / "eslint"
ESLINT = TOOL / "node_modules" / ".bin" / "eslint"
COMMAND = [str(ESLINT), "--config", ".ci/eslint/eslint.config.js", "--max-warnings", "0"]


def _eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert ESLINT.exists(), f"{ESLINT.relative_to(REPO)} is missing: run `bash .ci/setup`"
    return subprocess.run(
        [*COMMAND, *args], cwd=REPO, input=stdin, capture_output=True, text=True, check=False
    )


def test_every_site_script_but_the_vendored_ones_passes_eslint() -> None:
    result = _eslint("--format", "json", "docs/assets")
    assert result.stdout.startswith("["), result.stderr  # ESLint ran (config loaded)
    reports = json.loads(result.stdout)
    problems = [
        f"{Path(report['filePath']).relative_to(REPO)}:{m['line']}:{m['column']}: "
        f"{m['message']} ({m['ruleId']})"
        for report in reports
        for m in report["messages"]
    ]
    assert result.returncode == 0 and not problems, "\n".join(problems) or result.stderr
    linted = {str(Path(report["filePath"]).relative_to(REPO)) for report in reports}
    scripts = {
        str(path.relative_to(REPO))
        for path in (REPO / "docs" / "assets").rglob("*.js")
        if "vendor" not in path.relative_to(REPO / "docs" / "assets").parts
    }
    assert "docs/assets/search/worker.js" in scripts and "docs/assets/math.js" in scripts
    assert linted == scripts


@pytest.mark.parametrize(
    ("path", "source", "rules"),
    [
        # A new file beside the others (a part split off engine.js) is linted as a page
        # script: an undefined name and an unused one are errors.
        (
            "docs/assets/search/query.js",
            '"use strict";\nvar unused = 1;\nanswer(1);\n',
            {"no-undef", "no-unused-vars"},
        ),
        # The worker has no document.
        ("docs/assets/search/worker.js", '"use strict";\ndocument.title = "";\n', {"no-undef"}),
    ],
)
def test_eslint_reports_a_broken_script(path: str, source: str, rules: set[str]) -> None:
    result = _eslint("--format", "json", "--stdin", "--stdin-filename", path, stdin=source)
    assert result.returncode == 1, result.stdout + result.stderr
    (report,) = json.loads(result.stdout)
    assert {message["ruleId"] for message in report["messages"]} == rules, report


def test_eslint_is_pinned_by_its_lock_file_and_never_shipped() -> None:
    package = json.loads((TOOL / "package.json").read_text(encoding="utf-8"))
    wanted = package["devDependencies"]
    assert "eslint" in wanted and not package.get("dependencies")
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in wanted.values()), wanted
    lock = json.loads((TOOL / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    assert packages[""]["devDependencies"] == wanted
    for name, entry in packages.items():
        if name:
            assert entry["integrity"].startswith("sha512-"), name
    for name, version in wanted.items():
        assert packages[f"node_modules/{name}"]["version"] == version
    assert _eslint("--version").stdout.strip() == f"v{wanted['eslint']}"
    assert not TOOL.is_relative_to(REPO / "docs")
