"""CONTRIBUTING.md's test loops select with markers pyproject.toml registers, and run
in parallel with flags pytest accepts.

A marker expression naming an unregistered marker selects nothing by it (``-m "not
slwo"`` runs everything, silently): the loops CONTRIBUTING.md gives code contributors
must name markers that exist, so their times stay the ones it states. Their parallel
flags (``-n auto --dist loadfile``) come from pytest-xdist: it must be in the test
extras (a fresh ``pip install -e ".[test]"`` has it) and pytest must take the commands
as written.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib

from . import REPO
from .contributor_env import contributor_env

_OPERATORS = {"and", "or", "not"}
FAST_LOOP = "not browser"
INNER_LOOP = "not browser and not slow"


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _registered() -> set[str]:
    markers = _pyproject()["tool"]["pytest"]["ini_options"]["markers"]
    return {line.split(":", 1)[0].split("(", 1)[0].strip() for line in markers}


def _expressions(text: str) -> list[str]:
    return re.findall(r"pytest[^`\n]*? -m \"([^\"]+)\"", text) + re.findall(
        r"pytest[^`\n]*? -m (\w+)", text
    )


def _loops() -> list[list[str]]:
    """Every loop command CONTRIBUTING gives (`.venv/bin/python -m pytest -m "not
    browser…" …`), as an argument list."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = re.findall(r"`(\.venv/bin/python -m pytest -m \"not browser[^`]*)`", text)
    return [shlex.split(command) for command in commands]


def _expression(words: list[str]) -> str:
    return words[words.index("-m", 3) + 1]


def test_the_loops_contributing_gives_name_registered_markers() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    expressions = _expressions(text)
    assert FAST_LOOP in expressions
    assert INNER_LOOP in expressions
    registered = _registered()
    for expression in expressions:
        names = set(re.findall(r"\w+", expression)) - _OPERATORS
        assert names <= registered, (expression, names - registered)


def test_the_loops_run_in_parallel_one_file_per_worker() -> None:
    loops = _loops()
    assert {_expression(words) for words in loops} == {FAST_LOOP, INNER_LOOP}, loops
    for words in loops:  # every mention, in the list of loops and in the notes below
        flags = " ".join(words[words.index("-m", 3) + 2 :])
        assert flags == "-n auto --dist loadfile", words
    extras = _pyproject()["project"]["optional-dependencies"]["test"]
    assert any(re.match(r"pytest-xdist\b", requirement) for requirement in extras), extras


def test_pytest_takes_the_fast_loop_as_written() -> None:
    """The fast loop's command as written, collecting this file only: pytest parses every
    flag (an unknown one, or a --dist mode xdist does not have, is a usage error) in one
    process, without starting workers (that is xdist's own job, and two interpreters cost
    a loaded machine a minute)."""
    (words, *_) = [words for words in _loops() if _expression(words) == FAST_LOOP]
    assert words[:3] == [".venv/bin/python", "-m", "pytest"]
    done = subprocess.run(
        [sys.executable, *words[1:], "-p", "no:cacheprovider", "--collect-only", "-q", __file__],
        cwd=REPO,
        env=contributor_env(),  # not this run's PYTEST_* (an xdist worker's among them)
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^\d+ tests? collected", done.stdout, re.MULTILINE), done.stdout
