"""Search terms in a real browser: what the index holds is what the page asks for.

Common words that the Python package's stemmer used to stem unlike lunr.js (``play``,
``key``, ``survey``), words joined by punctuation (``01.AI``, ``D'OH``) and arXiv ids,
typed into the search page of a built site in Debian's chromium.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from ..browser import Page, serve
from ..sitebuild import build_site, make_site, paper

pytestmark = pytest.mark.browser

ATTENTION = "Attention Is All You Need"
YI = "Yi: Open Foundation Models by 01.AI"
DOH = "D'OH: Decoder-Only random Hypernetworks for Implicit Neural Representations"
PLUG = "Plug & Play Generative Networks: Conditional Iterative Generation of Images in Latent Space"


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site: a paper with an arXiv id (no seed paper has one) and two titles
    with words joined by punctuation, among papers that share their other words."""
    papers = [
        paper(ATTENTION, published=dt.date(2017, 6, 12), arxiv="1706.03762",
              abstract="The dominant sequence transduction models are recurrent."),
        paper(YI, abstract="Open foundation models: language models from a company."),
        paper(DOH, abstract="Hypernetworks for implicit neural representations."),
        paper("Open Foundation Models for Implicit Neural Representations",
              abstract="Attention models, decoder-only, random. Sequence models."),
    ]  # fmt: skip
    root = make_site(tmp_path_factory.mktemp("terms-site"), papers)
    with serve(build_site(root)) as url:
        yield url


def results(opened: Page, url: str, query: str) -> list[str]:
    """The titles the search page lists for ``query`` once the full index answers."""
    opened.page.goto(f"{url}search/?q={quote(query)}")
    opened.wait_full_results(query)
    return opened.titles()


def test_common_words_find_their_papers(page: Page, base_url: str) -> None:
    assert PLUG in results(page, base_url, "play")
    marks = page.page.eval_on_selector_all(
        "#search-results .pa-result__title mark", "els => els.map(e => e.textContent)"
    )
    assert "Play" in marks
    assert results(page, base_url, "key insight")
    surveys = results(page, base_url, "title:survey")
    assert len(surveys) >= 10 and all("Survey" in t or "survey" in t for t in surveys)
    diffusion = results(page, base_url, "diffusion -survey")
    assert diffusion and not any("Survey" in t for t in diffusion)
    assert "Diffusion Models: A Comprehensive Survey of Methods and Applications" in (
        results(page, base_url, "diffusion survey")
    )
    assert page.errors == []


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("1706.03762", ATTENTION),
        ("arXiv:1706.03762", ATTENTION),
        ("https://arxiv.org/abs/1706.03762v5", ATTENTION),
        ("01.AI", YI),
        ("01ai", YI),
        ("D'OH", DOH),
        ("doh", DOH),
    ],
)
def test_ids_and_words_joined_by_punctuation(
    page: Page,
    fixture_url: str,
    query: str,
    title: str,
) -> None:
    assert results(page, fixture_url, query)[0] == title
    assert page.errors == []
