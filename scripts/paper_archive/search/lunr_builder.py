r"""Lunr's term pipeline as lunr.js runs it, and a faster ``lunr.Builder.add``.

The index holds what lunr.js makes of each token, plus the letter-and-digit runs of words
joined by punctuation (:func:`word_parts`); :class:`FastBuilder` runs the very same
pipeline once per distinct word instead of once per token.

Design notes: docs/modules.md, `search/lunr_builder.py`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token

from .stemmer import stemmer

#: lunr.tokenizer.separator, ``/[\s\-]+/``: JavaScript's ``\s`` and the hyphen.
SEPARATOR_CHARS = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff-"
)
_SPLIT = re.compile(f"[{re.escape(SEPARATOR_CHARS)}]+")
#: A run of letters and digits: JavaScript's ``[\p{L}\p{N}]+`` (Python's Unicode ``\w``
#: less the underscore; equal on every character assigned in Python's Unicode version).
WORD_RUN = re.compile(r"[^\W_]+")
_LEADING = re.compile(r"^\W+", re.ASCII)
_TRAILING = re.compile(r"\W+\Z", re.ASCII)
_PART = "part"  # metadata key of a token word_parts added


def is_separator(char: str) -> bool:
    """lunr.js's tokenizer test for one character (the stock Python tokenizer's
    ``separator`` argument)."""
    return bool(char) and char in SEPARATOR_CHARS


def trim(text: str) -> str:
    r"""lunr.js's trimmer on a string: ``s.replace(/^\W+/, '').replace(/\W+$/, '')``."""
    return _TRAILING.sub("", _LEADING.sub("", text, count=1), count=1)


def trimmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """``lunr.trimmer`` (label ``trimmer``); a token :func:`word_parts` added is kept whole."""
    if token.metadata.get(_PART):
        return token
    return token.update(lambda s, metadata=None: trim(s))


def parts(token: str) -> list[str]:
    """What :func:`word_parts` adds for one lower-cased token: its letter-and-digit
    runs and their joined form, or nothing when the trimmed token is one such run."""
    runs = WORD_RUN.findall(token)
    if len(runs) > 1:
        return [*runs, "".join(runs)]
    if runs and runs[0] != trim(token):
        return runs
    return []


def word_parts(
    token: Token, i: int | None = None, tokens: list[Token] | None = None
) -> list[Token]:
    """The token, then the parts a reader may type for it (docs/modules.md)."""
    extra = parts(str(token))
    if not extra:
        return [token]
    return [token, *(Token(part, {**token.metadata, _PART: True}) for part in extra)]


trimmer.label = "trimmer"  # type: ignore[attr-defined]
word_parts.label = "paWordParts"  # type: ignore[attr-defined]
#: What lunr.js's builder runs on a token.
LUNR_PIPELINE = (trimmer, stop_word_filter, stemmer)
#: What the archive's index runs on a token.
INDEX_PIPELINE = (word_parts, *LUNR_PIPELINE)


def split_words(value: str | None) -> list[str]:
    """lunr.js's tokenizer: lower case, split on :data:`SEPARATOR_CHARS`."""
    return [w for w in _SPLIT.split(value.lower()) if w] if value else []


#: Where Python's ``str.split()`` and :data:`SEPARATOR_CHARS` disagree, the hyphen aside:
#: whitespace to Python only (``\x1c``-``\x1f``, ``\x85``), a separator to lunr.js only
#: (``\ufeff``). tests/search/test_shards_arrays.py checks it on every code point.
_DISAGREE = re.compile("[\x1c-\x1f\x85\ufeff]")


def split_fast(value: str | None) -> list[str]:
    """:func:`split_words`, in ``str.split`` where the text allows (the hyphen made a
    space first): the same words, in about half the time of the regular expression."""
    if not value:
        return []
    lowered = value.lower()
    if _DISAGREE.search(lowered):
        return [w for w in _SPLIT.split(lowered) if w]
    return lowered.replace("-", " ").split()


def split_pieces(value: str | None) -> list[str]:
    """:func:`split_words` with the empty strings a leading or trailing separator
    leaves kept (one C loop fewer, for a caller that drops them itself)."""
    return _SPLIT.split(value.lower()) if value else []


class FastBuilder(Builder):
    """Drop-in for :class:`lunr.builder.Builder` without a metadata whitelist."""

    def __init__(self) -> None:
        super().__init__()
        self._term_cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def _terms(self, word: str, field_name: str) -> tuple[str, ...]:
        key = (field_name, word)
        terms = self._term_cache.get(key)
        if terms is None:
            terms = self._term_cache[key] = self.terms_of(word, field_name)
        return terms

    def terms_of(self, word: str, field_name: str) -> tuple[str, ...]:
        """The terms the pipeline makes of ``word`` in ``field_name``, not cached (for a
        caller that runs it once per distinct word anyway)."""
        return tuple(str(t) for t in self.pipeline.run([Token(word, {})], field_name))

    def add(self, doc: dict[str, Any], attributes: dict[str, Any] | None = None) -> None:
        if self.metadata_whitelist:
            super().add(doc, attributes)
            return
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        inverted = self.inverted_index
        for field_name, field in self._fields.items():
            value = doc[field_name] if field.extractor is None else field.extractor(doc)
            if value is not None and not isinstance(value, str):
                raise TypeError(
                    f"field {field_name!r} must be a string, not {type(value).__name__}"
                )
            words = split_words(value)
            field_terms: defaultdict[str, int] = defaultdict(int)
            length = 0
            for word in words:
                for term in self._terms(word, field_name):
                    length += 1
                    field_terms[term] += 1
            field_ref = str(FieldRef(doc_ref, field_name))
            self.field_term_frequencies[field_ref] = field_terms
            self.field_lengths[field_ref] = length
            for term in field_terms:
                posting = inverted.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    inverted[term] = posting
                posting[field_name].setdefault(doc_ref, defaultdict(list))


def configure(builder: Builder) -> Builder:
    """Give ``builder`` the index pipeline and lunr.js's search pipeline (the stemmer)."""
    builder.pipeline.add(*INDEX_PIPELINE)
    builder.search_pipeline.add(stemmer)
    return builder


def fast_builder() -> FastBuilder:
    """A :class:`FastBuilder` with the archive's pipelines (docs/modules.md)."""
    builder = FastBuilder()
    configure(builder)
    return builder
