"""The real ``papers`` CLI in a subprocess, as a contributor or CI runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PAPERS = str(Path(sys.executable).with_name("papers"))


def papers(
    root: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``papers --root ROOT ARGS…`` with ``env`` added (never GitHub's annotation format,
    never MkDocs' banner); it must not end in a traceback, whatever the input."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    environment.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [PAPERS, "--root", str(root), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=environment,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done
