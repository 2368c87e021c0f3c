"""A faster ``lunr.Builder``: same index, same serialisation, a fraction of the time.

The stock builder tokenises character by character and runs the pipeline (trimmer,
stop-word filter, Porter stemmer) on every token of every document; at 10,000 papers
that is ~20 s. This subclass splits with one regular expression, runs the very same
pipeline once per distinct word (words repeat: ~40 k distinct among 1.5 M), and fills
field vectors from sorted lists instead of one binary-search insert per term.

The output is checked against the stock builder (tests/test_search.py): the serialised
index must be identical, so lunr.js scores exactly as Lunr would.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from lunr import get_default_builder
from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.idf import idf
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.vector import Vector

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

    def _create_field_vectors(self) -> None:
        k1, b = self._k1, self._b
        idf_cache: dict[str, float] = {}
        vectors: dict[str, Vector] = {}
        for field_ref, frequencies in self.field_term_frequencies.items():
            ref = FieldRef.from_string(field_ref)
            field_length = self.field_lengths[field_ref]
            average = self.average_field_length[ref.field_name]
            boost = self._fields[ref.field_name].boost
            doc_boost = self._documents[ref.doc_ref].get("boost", 1)
            pairs = []
            for term, tf in frequencies.items():
                weight = idf_cache.get(term)
                if weight is None:
                    weight = idf_cache[term] = idf(self.inverted_index[term], self.document_count)
                # Same operations in the same order as lunr.Builder, for identical floats.
                score = (
                    weight * ((k1 + 1) * tf) / (k1 * (1 - b + b * (field_length / average)) + tf)
                )
                score *= boost
                score *= doc_boost
                pairs.append((self.inverted_index[term]["_index"], round(score, 3)))
            pairs.sort()
            vectors[field_ref] = Vector([x for pair in pairs for x in pair])
        self.field_vectors = vectors


def fast_builder() -> FastBuilder:
    """A :class:`FastBuilder` with Lunr's default pipelines (trimmer, stop words, stemmer)."""
    stock = get_default_builder()
    builder = FastBuilder()
    builder.pipeline = stock.pipeline
    builder.search_pipeline = stock.search_pipeline
    return builder
