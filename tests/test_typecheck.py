"""The code type-checks: mypy, as CI and pre-commit run it, on the files and with the
strictness `[tool.mypy]` in pyproject.toml sets, reports nothing. So the README's test
command catches a type error too."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from . import REPO


def test_mypy_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],  # incremental: .mypy_cache makes a rerun quick
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found"), result.stdout


def test_mypy_checks_the_package_and_the_hooks_strictly() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert {"scripts", "hooks"} <= set(config["files"])
    for flag in ("check_untyped_defs", "warn_unused_ignores", "warn_redundant_casts"):
        assert config[flag] is True, flag
    (package,) = [o for o in config["overrides"] if "paper_archive.*" in o["module"]]
    assert package["disallow_untyped_defs"] is True
