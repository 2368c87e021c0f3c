"""Titles with math in plain-text places: the browser tab, the search results, BibTeX.

Golden pairs for :func:`plain_text`, every seed title with ``$``, properties (it never
raises, leaves text outside math alone, leaves no TeX in converted math), and a real
build whose ``<title>``, header and search store show ``CO₂``, not ``CO$_2$``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.disk.pages import parse_page
from paper_archive.site.bibtex import escape as bibtex_escape
from paper_archive.text.mathtext import INLINE_MATH, math_to_text, plain_text

from .chrome_node import with_chrome
from .sitebuild import build_site, make_site, paper

GOLDEN = [
    (
        "Joint inversion of Time-Lapse Surface Gravity and Seismic Data for Monitoring of "
        "3D CO$_2$ Plumes via Deep Learning",
        "Joint inversion of Time-Lapse Surface Gravity and Seismic Data for Monitoring of "
        "3D CO₂ Plumes via Deep Learning",
    ),
    ("Scaling Laws in $x^2$ Time", "Scaling Laws in x² Time"),
    ("$x^{-1}$ and $x_{max}$", "x⁻¹ and xₘₐₓ"),
    ("$\\alpha$-Divergence for $\\beta$-VAEs", "α-Divergence for β-VAEs"),
    ("$\\epsilon$-Greedy Exploration", "ε-Greedy Exploration"),
    ("$\\Omega(n)$ Lower Bounds", "Ω(n) Lower Bounds"),
    ("$O(n \\log n)$ Attention", "O(n log n) Attention"),
    ("$\\mathcal{O}(1)$ Memory", "O(1) Memory"),
    ("Learning in $\\mathbb{R}^n$", "Learning in ℝⁿ"),
    ("$\\text{SE}(3)$-Equivariant Networks", "SE(3)-Equivariant Networks"),
    ("$\\mathbf{W}^\\top \\mathbf{x}$", "Wᵀ x"),
    ("A $10\\times$ Faster Sampler", "A 10× Faster Sampler"),
    ("$\\ell_1$ Regularisation", "ℓ₁ Regularisation"),
    ("$k \\leq n$, $a \\geq b$, $a \\neq b$", "k ≤ n, a ≥ b, a ≠ b"),
    ("$f: X \\to Y$ as $n \\to \\infty$", "f: X → Y as n → ∞"),
    ("$x \\sim p$ and $a \\cdot b$ and $a \\approx b$", "x ∼ p and a · b and a ≈ b"),
    ("$\\frac{1}{2}$-Approximation", "1/2-Approximation"),
    ("$\\sqrt{n+1}$ Regret", "√(n+1) Regret"),
    ("$\\hat{y}$ Estimates", "ŷ Estimates"),
    ("$f_\\theta$ Models", "f_θ Models"),  # no subscript theta in Unicode: still readable
    ("$\\left( x \\right)$", "( x )"),
    ("The $\\softmax$ Bottleneck", "The softmax Bottleneck"),  # unknown command: its name
    ("$\\{0,1\\}^n$ Codes", "{0,1}ⁿ Codes"),
    # Text outside math is kept exactly.
    ("Costs $5 and $10", "Costs $5 and $10"),
    ("snake_case and x^2 outside math", "snake_case and x^2 outside math"),
    ("No math at all", "No math at all"),
    # Malformed math never raises.
    ("Broken ${x_{1$ math", "Broken x₁ math"),
    ("Stray $}{$ braces", "Stray braces"),
]


@pytest.mark.parametrize(("title", "expected"), GOLDEN, ids=[g[1] for g in GOLDEN])
def test_golden_pairs(title: str, expected: str) -> None:
    assert plain_text(title) == expected


def _seed_math_titles(corpus: Path) -> list[tuple[str, str]]:
    titles = []
    for page in sorted((corpus / "docs" / "papers").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        title = parse_page(text, path=page.name).meta["title"]
        if "$" in title:
            titles.append((page.name, title))
    return titles


def test_every_seed_title_with_math_reads_as_plain_text(corpus: Path) -> None:
    titles = _seed_math_titles(corpus)
    assert titles, "the seed archive has titles with $…$"
    for name, title in titles:
        assert INLINE_MATH.search(title), name
        plain = plain_text(title)
        assert not re.search(r"[$\\^_{}]", plain), (name, plain)
        # The words outside math are all still there, in order.
        at = 0
        for fragment in INLINE_MATH.sub("\0", title).split("\0"):
            at = plain.find(" ".join(fragment.split()), at)
            assert at >= 0, (name, fragment, plain)


@given(st.text())
def test_never_raises_and_keeps_text_without_math(text: str) -> None:
    result = plain_text(text)
    if not INLINE_MATH.search(text):
        assert result == " ".join(text.split())


_TEX = st.lists(
    st.sampled_from([*"ab12 {}^_\\$'~[]()+-=", "\\alpha", "\\frac", "\\mathbf", "\\sqrt"])
).map("".join)


@given(_TEX)
def test_converted_math_has_no_backslash_or_braces_left(math: str) -> None:
    text = math_to_text(math)
    assert "\\" not in text
    if "\\{" not in math and "\\}" not in math:  # escaped braces are kept as braces
        assert "{" not in text and "}" not in text


def test_deep_nesting_is_bounded() -> None:
    assert plain_text("$" + "{" * 5000 + "x" + "}" * 5000 + "$")  # no RecursionError
    assert plain_text("$" + "\\hat" * 5000 + " x$")
    assert plain_text("$" + "x^{" * 3000 + "$")


# -- BibTeX: LaTeX itself, so math stays math; other specials are escaped -----------


def test_bibtex_keeps_valid_math_and_escapes_the_rest() -> None:
    assert bibtex_escape("3D CO$_2$ Plumes") == "3D CO$_2$ Plumes"
    assert bibtex_escape("R&D at 100% #1 snake_case") == r"R\&D at 100\% \#1 snake\_case"
    assert bibtex_escape("Costs $5 ^ ~") == r"Costs \$5 \textasciicircum{} \textasciitilde{}"
    # BibTeX counts every brace, escaped or not: braces in text are written as commands.
    assert bibtex_escape(r"a\b {x}") == (r"a\textbackslash{}b \textbraceleft{}x\textbraceright{}")
    # Math that would break LaTeX or BibTeX (unbalanced, a % comment) becomes plain text.
    assert bibtex_escape("bad ${x_{1$ math") == "bad x₁ math"
    assert bibtex_escape("$a%b$") == r"a\%b"
    assert bibtex_escape(r"$\{x\}$") == r"$\{x\}$"
    assert bibtex_escape("R&D on CO$_2$ at 100% #1") == r"R\&D on CO$_2$ at 100\% \#1"


# -- a real build -----------------------------------------------------------------


def test_a_built_paper_page_title_and_search_results_are_readable(tmp_path: Path) -> None:
    title = "Monitoring 3D CO$_2$ Plumes with $\\alpha$-Divergences"
    readable = "Monitoring 3D CO₂ Plumes with α-Divergences"
    site = build_site(
        make_site(tmp_path, [paper(title, published=dt.date(2024, 3, 20), tags=("llms",))])
    )
    page = site / "papers" / "monitoring-3d-co-2-plumes-with-alpha-divergences" / "index.html"
    html = with_chrome(page)  # the header is in the page's chrome
    tab = re.search(r"<title>(.*?)</title>", html, re.S)
    assert tab is not None
    assert unescape(tab[1]).startswith(f"{readable} - ")
    topic = re.search(
        r'data-md-component="header-topic">\s*<span class="md-ellipsis">(.*?)</span>', html, re.S
    )
    assert topic is not None and unescape(topic[1]).strip() == readable
    # The page's heading still renders the math (KaTeX), and BibTeX keeps it as LaTeX.
    assert '<span class="arithmatex">\\(_2\\)</span>' in html
    assert "title = {{Monitoring 3D CO$_2$ Plumes with $\\alpha$-Divergences}}" in unescape(html)
    # The search results show the result fragments' titles as text.
    (fragment,) = (site / "assets" / "search").glob("frag.*.json")
    titles = [doc[0] for doc in json.loads(fragment.read_text(encoding="utf-8"))]
    assert titles == [readable]
