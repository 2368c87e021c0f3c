"""The test suite. ``REPO`` is the repository root, defined once for every test module."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
