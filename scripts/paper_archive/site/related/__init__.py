"""Related papers: which papers are close to each other, and why (pure).

One reason to change per module: :mod:`.score` computes the lists (tf-idf, cosine, top-k,
:class:`RelatedIndex` for edits), :mod:`.cache` keys, writes and checks the cache file
of a computation (and is the process a full build runs), and
:func:`paper_archive.site.render.related_html` writes a list as HTML. Getting the lists
of one build (remembered, cached or computed beside MkDocs) is
:mod:`paper_archive.site.related_build`. This package's names are those of the two
modules, for the callers that use both.
"""

from __future__ import annotations

from .cache import (
    CACHE_DIR,
    FORMAT,
    cache_file,
    cached,
    cached_index,
    compute_and_cache,
    content_key,
    dumps,
    handed_over,
    index_bytes,
    lists_path,
    loads,
    main,
    max_cache_bytes,
    read_back,
    write_cache,
    write_input,
)
from .score import (
    GENRE_TAGS,
    GENRE_WORDS,
    Doc,
    K,
    Related,
    RelatedIndex,
    docs_of,
    related_docs,
    related_papers,
    terms,
    vectors,
)

__all__ = [
    "CACHE_DIR",
    "FORMAT",
    "GENRE_TAGS",
    "GENRE_WORDS",
    "Doc",
    "K",
    "Related",
    "RelatedIndex",
    "cache_file",
    "cached",
    "cached_index",
    "compute_and_cache",
    "content_key",
    "docs_of",
    "dumps",
    "handed_over",
    "index_bytes",
    "lists_path",
    "loads",
    "main",
    "max_cache_bytes",
    "read_back",
    "related_docs",
    "related_papers",
    "terms",
    "vectors",
    "write_cache",
    "write_input",
]
