from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from paper_archive.record.slugs import (
    MAX_SLUG,
    allowed_slugs,
    assign_slugs,
    base_slug,
    near_duplicates,
    suffixed_slug,
    title_key,
)


def test_slug_examples() -> None:
    assert base_slug("Pointer Networks") == "pointer-networks"
    assert base_slug("[MASK] is All You Need") == "mask-is-all-you-need"
    assert base_slug("Π-NeSy: A Possibilistic Neuro-Symbolic Approach") == (
        "nesy-a-possibilistic-neuro-symbolic-approach"
    )
    assert base_slug("../../etc/passwd") == "etc-passwd"
    assert base_slug("日本語").startswith("paper-")


def test_long_title_is_cut_at_a_word() -> None:
    title = (
        "Joint inversion of Time-Lapse Surface Gravity and Seismic Data for Monitoring "
        "of 3D CO$_2$ Plumes via Deep Learning"
    )
    slug = base_slug(title)
    assert len(slug) <= MAX_SLUG
    assert (
        slug == "joint-inversion-of-time-lapse-surface-gravity-and-seismic-data-for-monitoring-of"
    )


@given(st.text(min_size=1, max_size=300))
def test_slugs_are_safe_file_names(title: str) -> None:
    for slug in allowed_slugs(title):
        assert 0 < len(slug) <= MAX_SLUG
        assert slug.isascii()
        assert "/" not in slug and "\\" not in slug and ".." not in slug
        assert slug == slug.lower()
        assert not slug.startswith("-") and not slug.endswith("-")
        assert base_slug(title) == base_slug(title)  # stable


def test_title_key_folds_case_punctuation_and_unicode() -> None:
    assert title_key("Pointer  Networks") == title_key("pointer networks")
    assert title_key("Deep Learning — A “Survey”") == title_key("deep learning: a survey")
    assert title_key("ﬁne-tuning") == title_key("fine tuning")  # NFKC ligature
    assert title_key("White-Box Transformers via Sparse Rate Reduction") != title_key(
        "White-Box Transformers via Sparse Rate Reduction: Compression Is All There Is?"
    )


def test_collision_gets_a_deterministic_suffix() -> None:
    a, b = "Deep Learning: A Survey", "Deep learning — a survey?!"  # same slug, same key
    c = "Deep Learning a Survey (2)"
    assert base_slug(a) == base_slug(c.replace(" (2)", ""))
    first = assign_slugs([a, "Deep-Learning-A-Survey!"], taken={})
    assert list(first.values()) == ["deep-learning-a-survey"]  # one key, one page
    x, y = "Attention is all you need", "Attention: is all you need?"
    assert title_key(x) == title_key(y)
    clash = "Attention is all you need 2"
    taken = {"attention-is-all-you-need-2": "someone else"}
    slugs = assign_slugs([clash], taken=taken)
    assert slugs[title_key(clash)] == suffixed_slug(clash)
    # Order of input does not matter.
    titles = ["Zeta models", "Alpha models", "alpha models!", "Alpha-Models"]
    assert assign_slugs(titles, {}) == assign_slugs(list(reversed(titles)), {})
    assert b  # same key as a: merged upstream, never a second page


def test_near_duplicates_are_found_not_merged() -> None:
    titles = {
        "a.md": "White-Box Transformers via Sparse Rate Reduction",
        "b.md": "White-Box Transformers via Sparse Rate Reduction: Compression Is All There Is?",
        "c.md": "Pointer Networks",
        "d.md": "Dense Hebbian neural networks: a replica symmetric picture of supervised learning",
        "e.md": "Dense Hebbian neural networks: a replica symmetric picture of unsupervised learning",
    }
    pairs = {(p.a, p.b): p.kind for p in near_duplicates(titles)}
    assert pairs == {("a.md", "b.md"): "prefix", ("d.md", "e.md"): "edit"}
