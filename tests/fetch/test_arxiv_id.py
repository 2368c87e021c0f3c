"""arXiv identifiers: one canonical form, never a path."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.record import arxiv_id
from paper_archive.record.model import paper_schema


@pytest.mark.parametrize(
    ("given_id", "expected"),
    [
        ("2403.12345", "2403.12345"),
        ("2403.12345v2", "2403.12345"),
        ("arXiv:2403.12345v12", "2403.12345"),
        ("ARXIV: 1706.03762", "1706.03762"),
        ("0704.0001", "0704.0001"),
        ("https://arxiv.org/abs/1506.03134v2", "1506.03134"),
        ("http://export.arxiv.org/abs/1506.03134", "1506.03134"),
        ("https://arxiv.org/pdf/1706.03762v7.pdf", "1706.03762"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("hep-th/9711200v3", "hep-th/9711200"),
        ("http://arxiv.org/abs/math/0211159v1", "math/0211159"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("  arXiv:cond-mat/0102536v1 ", "cond-mat/0102536"),
    ],
)
def test_normalize(given_id: str, expected: str) -> None:
    assert arxiv_id.normalize(given_id) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "2403.123",
        "2403.123456",
        "2413.12345",  # month 13
        "hep-th/990100",
        "HEP-TH/9901001",
        "../../etc/passwd",
        "hep-th/../9901001",
        "2403.12345/../../x",
        "2403.12345v",
        "https://example.org/abs/2403.12345",
        "2403.1234\u0660",  # an Arabic-Indic digit: Python's \d would take it
        "\uff12403.12345",  # a fullwidth digit
    ],
)
def test_normalize_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="not an arXiv identifier"):
        arxiv_id.normalize(bad)
    assert arxiv_id.parse(bad) is None


def test_links_point_at_the_latest_version() -> None:
    assert arxiv_id.abs_url("arXiv:2403.12345v3") == "https://arxiv.org/abs/2403.12345"
    assert arxiv_id.pdf_url("hep-th/9901001v2") == "https://arxiv.org/pdf/hep-th/9901001"


def test_file_safe_has_no_slash() -> None:
    assert arxiv_id.file_safe("hep-th/9901001v2") == "hep-th-9901001"
    assert arxiv_id.file_safe("math.GT/0309136") == "math-gt-0309136"
    assert arxiv_id.file_safe("2403.12345") == "2403-12345"


old_style = st.builds(
    lambda archive, sub, yy, mm, n, v: f"{archive}{sub}/{yy:02d}{mm:02d}{n:03d}{v}",
    st.sampled_from(["hep-th", "math", "cond-mat", "q-bio", "physics", "astro-ph"]),
    st.sampled_from(["", ".GT", ".DG", ".CO"]),
    st.integers(0, 99),
    st.integers(1, 12),
    st.integers(0, 999),
    st.sampled_from(["", "v1", "v12"]),
)
new_style = st.builds(
    lambda yy, mm, digits, v: f"{yy:02d}{mm:02d}.{digits}{v}",
    st.integers(7, 99),
    st.integers(1, 12),
    st.from_regex(r"[0-9]{4,5}", fullmatch=True),
    st.sampled_from(["", "v2"]),
)


@given(ident=st.one_of(old_style, new_style))
def test_canonical_ids_match_the_schema_and_make_safe_names(ident: str) -> None:
    canonical = arxiv_id.normalize(ident)
    assert re.fullmatch(paper_schema()["properties"]["arxiv"]["pattern"], canonical)
    assert arxiv_id.normalize(canonical) == canonical  # idempotent
    assert "v" not in canonical.rsplit("/", 1)[-1].split(".")[-1]
    safe = arxiv_id.file_safe(ident)
    assert "/" not in safe and "\\" not in safe and ".." not in safe
    assert re.fullmatch(r"[a-z0-9-]+", safe)
