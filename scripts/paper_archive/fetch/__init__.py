"""Fetching new papers: an HTTP client that is a good API citizen, pure parsers for
the Hugging Face Daily Papers API and the arXiv Atom API, and the step that stores a
raw response with its manifest before the usual ingest.

The parser modules (:mod:`.hf`, :mod:`.arxiv`) import nothing from the network layer,
so ``papers ingest`` can read stored responses without it.
"""

from __future__ import annotations
