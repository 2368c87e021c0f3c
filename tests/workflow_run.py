"""Run a workflow job's ``run:`` steps locally, as the runner would, for the tests.

Only what the tests need: ``${{ … }}`` in ``env:`` and ``working-directory:`` expanded
from a given mapping (an expression the test did not give fails the test), the job's and
the step's ``env:``, bash with ``-e -o pipefail`` (what ``shell: bash`` runs), and the
runner's variables (``GITHUB_WORKSPACE``, ``RUNNER_TEMP``, ``GITHUB_STEP_SUMMARY``,
``GITHUB_OUTPUT``). ``uses:`` steps are the caller's to simulate.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def expand(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every ``${{ name }}`` replaced by ``values[name]``."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"the test gives no value for ${{{{ {name} }}}}"
        return values[name]

    return _EXPRESSION.sub(one, text)


@dataclass
class Runner:
    """A fake runner: a workspace, a temp folder and the files of the step commands."""

    root: Path
    values: Mapping[str, str]

    def __post_init__(self) -> None:
        self.workspace = self.root / "workspace"
        self.temp = self.root / "runner-temp"
        self.summary = self.root / "step-summary.md"
        self.output = self.root / "github-output"
        for folder in (self.workspace, self.temp):
            folder.mkdir(parents=True, exist_ok=True)
        self.summary.write_text("", encoding="utf-8")
        self.output.write_text("", encoding="utf-8")

    def context(self) -> dict[str, str]:
        return {"runner.temp": str(self.temp), **self.values}

    def run(
        self, job: Mapping[str, Any], step: Mapping[str, Any]
    ) -> subprocess.CompletedProcess[str]:
        """One ``run:`` step of ``job``."""
        context = self.context()
        variables = {
            **os.environ,
            "GITHUB_WORKSPACE": str(self.workspace),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_OUTPUT": str(self.output),
        }
        for scope in (job.get("env") or {}, step.get("env") or {}):
            variables.update({k: expand(str(v), context) for k, v in scope.items()})
        cwd = self.workspace
        if "working-directory" in step:
            cwd = Path(expand(step["working-directory"], context))
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env=variables,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    def outputs(self) -> dict[str, str]:
        """What the steps wrote to ``$GITHUB_OUTPUT`` (``name=value`` lines)."""
        lines = self.output.read_text(encoding="utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)
