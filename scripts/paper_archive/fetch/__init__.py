"""The network: an HTTP client that is a good API citizen (:mod:`.http`), the requests
to the Hugging Face Daily Papers API (:mod:`.hf`) and the arXiv API (:mod:`.arxiv`), and
the pure decision of ``papers enrich`` on a title search (:mod:`.enrich`).

Beside :mod:`paper_archive.sources` (which parses and stores what is fetched here) and
:mod:`paper_archive.ingest`: neither imports this package, so ``papers ingest`` and the
build never load the client. The commands compose them.
"""

from __future__ import annotations
