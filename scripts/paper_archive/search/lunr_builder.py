"""A faster ``lunr.Builder.add``: same terms, frequencies and lengths, a fraction of the time.

The stock builder tokenises character by character and runs the pipeline (trimmer,
stop-word filter, Porter stemmer) on every token of every document; at 10,000 papers
that is ~20 s. This subclass splits with one regular expression and runs the very same
pipeline once per distinct word (words repeat: ~40 k distinct among 1.5 M).

tests/test_search_index.py checks it against the stock builder: the serialised index
built from it must be identical.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from lunr import get_default_builder
from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS

_SPLIT = re.compile(f"[{re.escape(SEPARATOR_CHARS)}]+")


class FastBuilder(Builder):
    """Drop-in for :class:`lunr.builder.Builder` without a metadata whitelist."""

    def __init__(self) -> None:
        super().__init__()
        self._term_cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def _terms(self, word: str, field_name: str) -> tuple[str, ...]:
        key = (field_name, word)
        terms = self._term_cache.get(key)
        if terms is None:
            terms = tuple(str(t) for t in self.pipeline.run([Token(word, {})], field_name))
            self._term_cache[key] = terms
        return terms

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
            words = [w for w in _SPLIT.split(value.lower()) if w] if value else []
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


def fast_builder() -> FastBuilder:
    """A :class:`FastBuilder` with Lunr's default pipelines (trimmer, stop words, stemmer)."""
    stock = get_default_builder()
    builder = FastBuilder()
    builder.pipeline = stock.pipeline
    builder.search_pipeline = stock.search_pipeline
    return builder
