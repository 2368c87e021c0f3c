"""CONTRIBUTING.md's test loops select with markers pyproject.toml registers.

A marker expression naming an unregistered marker selects nothing by it (``-m "not
slwo"`` runs everything, silently): the loops CONTRIBUTING.md gives code contributors
must name markers that exist, so their times stay the ones it states.
"""

from __future__ import annotations

import re
import tomllib

from . import REPO

_OPERATORS = {"and", "or", "not"}


def _registered() -> set[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    markers = config["tool"]["pytest"]["ini_options"]["markers"]
    return {line.split(":", 1)[0].split("(", 1)[0].strip() for line in markers}


def _expressions(text: str) -> list[str]:
    return re.findall(r"pytest[^`\n]*? -m \"([^\"]+)\"", text) + re.findall(
        r"pytest[^`\n]*? -m (\w+)", text
    )


def test_the_loops_contributing_gives_name_registered_markers() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    expressions = _expressions(text)
    assert "not browser" in expressions  # the fast loop
    assert "not browser and not slow" in expressions  # its inner loop
    registered = _registered()
    for expression in expressions:
        names = set(re.findall(r"\w+", expression)) - _OPERATORS
        assert names <= registered, (expression, names - registered)
