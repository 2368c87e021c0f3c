"""paper-archive: research-paper listings in, one Markdown page per paper out."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
