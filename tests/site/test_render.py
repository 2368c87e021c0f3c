"""The list HTML built in Python (site/render.py): relative URLs against MkDocs' own
function, math, escaping, BibTeX text."""

from __future__ import annotations

import itertools

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url
from paper_archive.site.render import (
    BODY_MARKER,
    TITLE_ID,
    esc,
    list_intro,
    math_html,
    page_source,
    pager,
    pager_numbers,
    relative_url,
    topic_exports,
)


@pytest.mark.parametrize(
    ("target", "page", "expected"),
    [
        ("papers/x/", "tags/llms/", "../../papers/x/"),
        ("papers/x/", "", "papers/x/"),
        ("tags/llms/page/2/", "tags/llms/", "page/2/"),
        ("tags/llms/", "tags/llms/page/2/", "../../"),
        ("", "archive/2024/", "../../"),
        ("archive/2024/", "archive/", "2024/"),
    ],
)
def test_relative_url(target: str, page: str, expected: str) -> None:
    assert relative_url(target, page) == expected


def test_math_html_escapes_text_and_marks_math() -> None:
    assert math_html("CO$_2$ & <b>") == 'CO<span class="arithmatex">\\(_2\\)</span> &amp; &lt;b&gt;'
    assert math_html("costs $5 and $6") == "costs $5 and $6"  # money, not math
    assert math_html("$<script>$") == '<span class="arithmatex">\\(&lt;script&gt;\\)</span>'
    assert math_html("no math") == "no math"


@given(st.text(max_size=80))
def test_math_html_never_leaks_markup(text: str) -> None:
    out = math_html(text)
    stripped = out.replace('<span class="arithmatex">', "").replace("</span>", "")
    assert "<" not in stripped and '"' not in stripped


def test_esc_quotes() -> None:
    assert esc('"><x') == "&quot;&gt;&lt;x"


def test_list_intro_escapes_its_text() -> None:
    assert list_intro('Topic <b> & "q"', 3) == (
        '<p class="pa-intro">Topic &lt;b&gt; &amp; &quot;q&quot; '
        '<span class="pa-count">3 papers</span></p>'
    )


def test_topic_exports_link_from_each_page_of_the_topic() -> None:
    first = topic_exports("tags/llms/feed.xml", "tags/llms/papers.bib.gz", page_url="tags/llms/")
    later = topic_exports(
        "tags/llms/feed.xml", "tags/llms/papers.bib.gz", page_url="tags/llms/page/2/"
    )
    assert 'href="feed.xml" type="application/atom+xml"' in first
    assert 'href="papers.bib.gz" type="application/gzip"' in first
    assert 'href="../../feed.xml"' in later and 'href="../../papers.bib.gz"' in later


#: URLs as the site writes them (directory style, ``""`` the home page, a file such as
#: ``papers.bib``) and the odd ones MkDocs' function normalises.
URLS = [
    "",
    "./",
    "/",
    "papers/x/",
    "tags/llms/",
    "tags/llms/page/2/",
    "archive/",
    "archive/2024/",
    "archive/undated/",
    "tags/llms/feed.xml",
    "papers.bib",
    "assets/search/x.js",
    "tags/llms/index.html",
    "a/b",
    "a/b/",
    "a/./b/",
    "a/../b/",
    "../a/",
    "//a//b/",
    "..",
    ".",
    "x.y/z/",
    "/abs/path/",
    "a//",
    "tags/llms/page/2/index.html",
]
PART = st.sampled_from(["a", "b", "tags", "llms", ".", "..", "", "x.y", "page", "2"])


@pytest.mark.parametrize("page", URLS)
@pytest.mark.parametrize("target", URLS)
def test_relative_url_is_mkdocs_get_relative_url(target: str, page: str) -> None:
    """The one difference: the home page ``""`` is a directory (MkDocs: ``../..``)."""
    assert relative_url(target, page) == get_relative_url(target or "./", page)


@given(st.lists(PART, max_size=5).map("/".join), st.lists(PART, max_size=5).map("/".join))
def test_relative_url_agrees_with_mkdocs_on_any_path(target: str, page: str) -> None:
    assert relative_url(target, page) == get_relative_url(target or "./", page)


@given(st.integers(1, 400).flatmap(lambda t: st.tuples(st.integers(1, t), st.just(t))))
def test_a_pager_shows_the_ends_and_the_pages_near(current_total: tuple[int, int]) -> None:
    """First, last, and two on each side of the current page; a gap marks where pages
    are skipped, never a single page (that page is shown instead)."""
    current, total = current_total
    shown = pager_numbers(current, total)
    numbers = [n for n in shown if n is not None]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1 and numbers[-1] == total
    near = set(range(max(1, current - 2), min(total, current + 2) + 1))
    assert near <= set(numbers) and len(numbers) <= 9
    for before, gap, after in zip(shown, shown[1:], shown[2:], strict=False):
        if gap is None:
            assert before is not None and after is not None and after - before > 2
    for one, two in itertools.pairwise(shown):
        if one is not None and two is not None:
            assert two == one + 1


def test_a_long_lists_pager_is_a_few_links() -> None:
    """Issue 20: a topic of 150 pages links 7 of them from each page, not 150."""
    urls = {n: "tags/t/" if n == 1 else f"tags/t/page/{n}/" for n in range(1, 151)}
    html = pager(current=60, total=150, url_of=urls, page_url="tags/t/page/60/")
    assert html.count("<a ") == 8  # ← Newer, 1, 58, 59, 61, 62, 150, Older →
    assert html.count('<span class="pa-pager__gap">…</span>') == 2
    assert '<span class="pa-pager__current" aria-current="page">60</span>' in html
    assert 'href="../59/"' in html and 'href="../../"' in html and 'href="../150/"' in html


def _converted(source: str) -> tuple[str, list[dict[str, object]]]:
    """A generated page's Markdown as the site's extensions convert it (mkdocs.yml)."""
    body = source.split("---\n", 2)[2]
    md = markdown.Markdown(
        extensions=["attr_list", "toc"], extension_configs={"toc": {"permalink": True}}
    )
    return md.convert(body), md.toc_tokens  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "title",
    ["Computer vision (page 2 of 2)", "Sets {a, b} & {c}", "Odd {: .x}", "{#x}", "Back \\"],
)
def test_a_list_pages_title_has_the_one_id_whatever_it_says(title: str) -> None:
    """The heading's id is TITLE_ID (the skip link's target on every page outside the
    nav) and its text the title: braces in it are text, not attributes."""
    source = page_source(title=title, title_id=TITLE_ID)
    html, toc = _converted(source)
    assert toc[0]["id"] == TITLE_ID and len(toc) == 1
    heading = html.split("\n", 1)[0]
    text = esc(title).replace("&#x27;", "'").replace("&quot;", '"')
    assert heading == (
        f'<h1 id="{TITLE_ID}" tabindex="-1">{text}'
        f'<a class="headerlink" href="#{TITLE_ID}" title="Permanent link">&para;</a></h1>'
    )
    assert BODY_MARKER in html


def test_a_page_in_the_nav_keeps_its_heading_as_markdown_names_it() -> None:
    source = page_source(title="Topics")
    html, toc = _converted(source)
    assert toc[0]["id"] == "topics" and html.startswith('<h1 id="topics">Topics<a ')
    assert source.startswith("---\ntitle: Topics\n---\n")


def test_a_generated_page_names_its_template_in_its_front_matter() -> None:
    source = page_source(title="Year: 2024", template="alike.html", title_id=TITLE_ID)
    assert source.startswith("---\ntitle: 'Year: 2024'\ntemplate: alike.html\n---\n")
