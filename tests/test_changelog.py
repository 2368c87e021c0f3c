"""CHANGELOG.md keeps Keep a Changelog's shape: an Unreleased section first, then the
days work landed on main, newest first, each change under one of its six kinds."""

from __future__ import annotations

import re
from datetime import date

from . import REPO

KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_the_changelog_keeps_its_shape() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    sections = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert sections[0] == "[Unreleased]", sections
    days = [date.fromisoformat(day) for day in sections[1:]]  # a release would need its day
    assert days and days == sorted(days, reverse=True), sections
    assert len(set(days)) == len(days), sections
    kinds = re.findall(r"^### (.+)$", text, flags=re.MULTILINE)
    assert set(kinds) <= KINDS, set(kinds) - KINDS
    for body in re.split(r"^## .+$", text, flags=re.MULTILINE)[1:]:
        found = re.findall(r"^### (.+)$", body, flags=re.MULTILINE)
        assert found, body[:200]  # every section says what kind of change it holds
        assert len(set(found)) == len(found), found  # each kind once
