"""Search in a real browser: Debian's chromium, driven by Playwright, on the seed site."""

from __future__ import annotations

import functools
import html as html_module
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from .. import CORPUS, REPO
from ..browser import HOSTILE_TITLE, Page, type_in_header

pytestmark = pytest.mark.browser


def search(page: Page, base_url: str, query: str) -> None:
    page.page.goto(f"{base_url}search/")
    page.page.fill("#search-query", query)
    page.wait_results()


def test_pointer_networks_first(page: Page, base_url: str) -> None:
    search(page, base_url, "pointer networks")
    assert page.titles()[0] == "Pointer Networks"
    assert page.errors == []


def test_prefix_and_typo(page: Page, base_url: str) -> None:
    search(page, base_url, "protot")
    assert any("Prototyp" in t or "prototyp" in t for t in page.titles())
    page.page.fill("#search-query", "transfromer")
    page.page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results .pa-result__title')].some(e => /Transformer/.test(e.textContent))"
    )
    # The one-typo retry answered: the page says what it searched and marks it.
    status = page.page.text_content("#search-status") or ""
    assert status.startswith("Showing results for transformer"), status
    assert "transfromer" in status
    assert page.page.text_content("#search-status strong") == "transformer"
    assert page.page.get_attribute("#search-results", "data-mode") == "corrected"
    marks = page.page.eval_on_selector_all(
        "#search-results .pa-result__title mark", "els => els.map(e => e.textContent)"
    )
    assert marks and all(m.lower() in ("transformer", "transformers") for m in marks), marks
    # Every word typed right: no correction is claimed.
    page.page.fill("#search-query", "transformer")
    page.wait_full_results("transformer")  # the list of this query, not the one before
    assert page.page.get_attribute("#search-results", "data-mode") == "all"
    assert re.search(r"papers? match", page.page.text_content("#search-status") or "")


def test_header_box_says_when_it_corrected_a_typo(page: Page, base_url: str) -> None:
    page.page.goto(f"{base_url}tags/")
    page.page.fill("#pa-header-q", "transfromer")
    page.page.wait_for_selector("#pa-header-results .pa-result--all a")
    label = page.page.text_content("#pa-header-results .pa-result--all a") or ""
    assert label.startswith("Showing results for \u201ctransformer\u201d: all "), label
    assert page.page.locator("#pa-header-results .pa-result__title mark").count() > 0
    page.page.fill("#pa-header-q", PARTIAL_QUERY)
    page.page.wait_for_function(
        "() => /partial matches/.test(document.querySelector('#pa-header-results .pa-result--all a')?.textContent)"
    )
    assert page.errors == []


PARTIAL_QUERY = "reinforcement learning from human feedback"
PER_WORD = """
([stock, words]) => {
  const index = lunr.Index.load(JSON.parse(stock));
  return words.map(w => index.search(w).map(r => r.ref));
}
"""


def test_partial_matches_when_no_paper_has_every_word(
    page: Page, base_url: str, seed_site: Path
) -> None:
    """No seed paper has all four words; the page says so and lists the papers that
    have most of them first, as lunr.js finds each word on Lunr's own index."""
    docs, stock, _ = stock_and_compact(seed_site)
    words = ["reinforcement", "learning", "human", "feedback"]  # "from": a stop word
    page.page.goto(f"{base_url}tags/")
    page.page.add_script_tag(url=f"{base_url}assets/vendor/lunr/lunr.min.js")
    matched: dict[str, int] = {}
    for refs in page.page.evaluate(PER_WORD, [stock, words]):
        for ref in refs:
            url = base_url + docs[int(ref)].url
            matched[url] = matched.get(url, 0) + 1
    assert matched and max(matched.values()) < len(words)  # the premise: none has all
    best = max(matched.values())

    page.page.goto(f"{base_url}search/?q={PARTIAL_QUERY.replace(' ', '+')}")
    page.wait_results()
    page.page.wait_for_function(
        "() => document.querySelector('#search-results').dataset.stage === 'full'"
    )
    page.page.wait_for_function(
        f"() => /^No paper has every word; showing {len(matched)} papers/"
        ".test(document.querySelector('#search-status').textContent)"
    )
    assert page.page.get_attribute("#search-results", "data-mode") == "partial"
    shown = page.page.eval_on_selector_all(
        "#search-results .pa-result__link", "els => els.map(e => e.href)"
    )
    counts = [matched[url] for url in shown]
    assert counts[0] == best and counts == sorted(counts, reverse=True), counts
    assert page.page.locator("#search-results mark").count() > 0
    assert page.errors == []


def _option_counts(page: Page, select: str) -> dict[str, int]:
    options = page.page.eval_on_selector_all(
        f"{select} option", "els => els.map(e => [e.value, e.textContent])"
    )
    return {value: int(re.search(r"\((\d+)\)$", text).group(1)) for value, text in options if value}


def test_filters_narrow_results_and_counts_are_right(page: Page, base_url: str) -> None:
    page.page.goto(f"{base_url}search/?q=language")
    page.wait_results()
    page.page.wait_for_function(
        "() => document.querySelector('#search-results').dataset.stage === 'full'"
    )
    total = int(re.match(r"(\d+)", page.page.text_content("#search-status")).group(1))
    tag_counts = _option_counts(page, "#search-tag")
    assert tag_counts["llms"] < total
    page.page.select_option("#search-tag", "llms")
    page.page.wait_for_function(
        f"() => /^{tag_counts['llms']} papers? match/.test(document.querySelector('#search-status').textContent)"
    )
    assert "tag=llms" in page.page.url
    # Every shown result carries the tag.
    tags = page.page.eval_on_selector_all(
        "#search-results .pa-result", "els => els.map(e => e.textContent)"
    )
    assert tags and all("Large language models" in t for t in tags)
    year_counts = _option_counts(page, "#search-year")
    year, expected = max(year_counts.items(), key=lambda kv: kv[1])
    page.page.select_option("#search-year", year)
    page.page.wait_for_function(
        f"() => /^{expected} papers? match/.test(document.querySelector('#search-status').textContent)"
    )
    years = page.page.eval_on_selector_all(
        "#search-results .pa-result__year", "els => els.map(e => e.textContent)"
    )
    assert set(years) == {year} and len(years) == min(expected, 20)  # 20 per page
    query = parse_qs(urlparse(page.page.url).query)
    assert query == {"q": ["language"], "tag": ["llms"], "year": [year]}


def test_url_round_trip_and_back_button(page: Page, base_url: str) -> None:
    page.page.goto(f"{base_url}search/?q=pointer+networks&tag=sequence-models")
    page.wait_results()
    assert page.page.input_value("#search-query") == "pointer networks"
    assert page.page.input_value("#search-tag") == "sequence-models"
    assert page.titles()[0] == "Pointer Networks"
    page.page.select_option("#search-tag", "")
    page.page.wait_for_function("() => !location.search.includes('tag=')")
    page.page.go_back()
    page.page.wait_for_function("() => location.search.includes('tag=sequence-models')")
    page.page.wait_for_function(
        "() => document.querySelector('#search-tag').value === 'sequence-models'"
    )
    assert page.page.input_value("#search-query") == "pointer networks"


def test_lunr_syntax_characters_never_throw(page: Page, base_url: str) -> None:
    page.page.goto(f"{base_url}search/")
    for query in [
        ":~*^",
        "title:pointer",
        "+neural -graph",
        '"quoted words',
        "model^",
        "~",
        "-",
        "*",
    ]:
        page.page.fill("#search-query", query)
        page.page.wait_for_function(  # this query's answer is drawn
            "q => document.getElementById('search-results').dataset.q === q", arg=query
        )
    page.page.fill("#search-query", "title:pointer")
    page.wait_results()
    assert page.titles()[0] == "Pointer Networks"
    page.page.fill("#search-query", ":~*^")
    page.page.wait_for_function(
        "() => document.querySelector('#search-status').textContent.length > 0"
    )
    assert page.errors == []


def test_hostile_title_is_text(page: Page, base_url: str) -> None:
    search(page, base_url, "zebra")
    assert page.titles()[0] == HOSTILE_TITLE
    assert page.page.locator("#search-results script").count() == 0
    assert page.page.locator("#search-results img").count() == 0
    page.page.click("#search-results .pa-result__link")
    page.page.wait_for_selector("#pa-title")
    assert page.page.text_content("#pa-title") == HOSTILE_TITLE
    assert page.page.title().startswith(HOSTILE_TITLE)
    assert page.dialogs == [] and page.errors == []


def test_math_is_rendered_by_the_vendored_katex(page: Page, base_url: str) -> None:
    slug = "joint-inversion-of-time-lapse-surface-gravity-and-seismic-data-for-monitoring-of"
    requests: list[str] = []
    page.page.on("request", lambda r: requests.append(r.url))
    page.page.goto(f"{base_url}papers/{slug}/")
    page.page.wait_for_selector("#pa-title .katex")
    assert any(url.endswith("assets/vendor/katex/katex.min.js") for url in requests)
    assert all(url.startswith(base_url) for url in requests), [
        u for u in requests if not u.startswith(base_url)
    ]
    page.page.goto(f"{base_url}tags/")
    page.page.wait_for_load_state("networkidle")
    assert page.errors == []


def test_no_console_errors_on_any_page(page: Page, base_url: str) -> None:
    failed: list[str] = []
    page.page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    fetched_sitemap: list[str] = []
    page.page.on("request", lambda r: "sitemap.xml" in r.url and fetched_sitemap.append(r.url))
    for path in [
        "",
        "papers/pointer-networks/",
        "tags/",
        "tags/llms/",
        "archive/",
        "archive/2024/",
        "archive/undated/",
        "search/?q=graph",
        "benchmarks/",
    ]:
        page.page.goto(base_url + path)
        page.page.wait_for_load_state("networkidle")
    assert page.errors == [] and failed == []
    # Feed autodiscovery links must not pass for language alternates: Material would
    # fetch (and parse) the whole sitemap on every page that has one.
    assert fetched_sitemap == []


def test_header_box_keyboard_on_a_paper_page(page: Page, base_url: str) -> None:
    page.page.goto(f"{base_url}papers/pointer-networks/")
    page.page.keyboard.press("/")
    assert page.page.evaluate("document.activeElement.id") == "pa-header-q"
    type_in_header(page.page, "monotone boltzmann")
    assert "Monotone deep Boltzmann machines" in page.page.text_content("#pa-header-results")
    page.page.keyboard.press("ArrowDown")
    assert page.page.locator(".pa-result__link--active").count() == 1
    page.page.keyboard.press("Enter")
    page.page.wait_for_url("**/papers/monotone-deep-boltzmann-machines/")
    assert page.errors == []


def test_an_answer_after_the_reader_left_the_box_stays_closed(page: Page, base_url: str) -> None:
    """A reader types and clicks the page before the answer comes (a loaded machine: the
    box's 40 ms debounce outlasted by slow keystrokes). The answer must not open the list
    over the page they went back to; arrow-down in the box shows it. The typing, the
    blur and the click run in one task, so the answer always comes after them."""
    page.page.goto(f"{base_url}papers/pointer-networks/")
    page.page.evaluate(
        """() => {
          const box = document.getElementById("pa-header-q");
          box.focus();
          box.value = "learning";
          box.dispatchEvent(new Event("input", { bubbles: true }));
          box.blur();
          document.querySelector("article").click();
        }"""
    )
    page.page.wait_for_function(
        "() => document.querySelectorAll('#pa-header-results .pa-result__link').length > 0"
    )
    assert page.page.locator("#pa-header-results").is_hidden()
    assert page.page.get_attribute("#pa-header-q", "aria-expanded") == "false"
    page.page.focus("#pa-header-q")
    page.page.keyboard.press("ArrowDown")
    page.page.wait_for_selector("#pa-header-results", state="visible")
    assert page.page.get_attribute("#pa-header-q", "aria-expanded") == "true"
    assert page.errors == []


def test_enter_in_header_box_opens_the_search_page(page: Page, base_url: str) -> None:
    page.page.goto(f"{base_url}tags/")
    page.page.fill("#pa-header-q", "density estimation")
    page.page.keyboard.press("Enter")
    page.page.wait_for_url("**/search/?q=density+estimation")
    page.wait_results()
    assert page.page.input_value("#search-query") == "density estimation"


def test_arrows_and_enter_on_the_search_page(page: Page, base_url: str) -> None:
    search(page, base_url, "pointer networks")
    page.page.focus("#search-query")
    page.page.keyboard.press("ArrowDown")
    page.page.keyboard.press("Enter")
    page.page.wait_for_url("**/papers/pointer-networks/")


def test_the_site_ships_the_sharded_bundle(page: Page, base_url: str) -> None:
    """The built site's pages name the sharded bundle's manifest: /search/ fetches it,
    the facets and the files its query needs (search/shards.py), no unsharded index."""
    page.page.goto(f"{base_url}search/?q=pointer")
    page.wait_results()
    page.page.wait_for_function(
        "() => document.querySelector('#search-results').dataset.stage === 'full'"
    )
    fetched = page.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    bundle = [u for u in fetched if re.search(r"\.[0-9a-f]{16}\.(\d+\.)?json$", u)]
    kinds = {re.sub(r".*/(\w+)\.[0-9a-f]{16}\..*", r"\1", u) for u in bundle}
    assert {"manifest", "facets", "post", "frag"} <= kinds, bundle
    assert kinds <= {"manifest", "facets", "post", "frag", "terms"}, bundle
    # On other pages nothing is loaded until the reader uses the search box.
    page.page.goto(f"{base_url}tags/")
    page.page.wait_for_load_state("networkidle")
    fetched = page.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not any(re.search(r"\.[0-9a-f]{16}\.json$", url) for url in fetched), fetched


def test_empty_and_no_match_states(page: Page, base_url: str) -> None:
    page.page.goto(f"{base_url}search/")
    page.page.wait_for_function(
        "() => /Type to search/.test(document.querySelector('#search-status').textContent)"
    )
    page.page.fill("#search-query", "qwxzv")
    page.page.wait_for_function(
        "() => /No papers match/.test(document.querySelector('#search-status').textContent)"
    )
    status = page.page.text_content("#search-status")
    # What is searched, and the query on arXiv and Scholar (tests/test_reader_pages.py).
    assert "qwxzv" in status and "arXiv ids" in status
    page.page.wait_for_selector("#search-elsewhere a", state="visible")


def test_pages_carry_no_search_settings_the_script_has_them(seed_site: Path) -> None:
    """Issue 20: the bundle's names are at the head of the page's script (search/build.py
    front_end), not in every page; a paper page has the script alone, found beside the
    files it names. The /search/ page keeps them for its inline boot script."""
    html = (seed_site / "papers/pointer-networks/index.html").read_text(encoding="utf-8")
    assert "pa-search" not in html.split("</head>")[0]
    (src,) = re.findall(r'<script src="([^"]*assets/search/page\.[0-9a-f]{12}\.js)" async>', html)
    script = (seed_site / "papers/pointer-networks" / src).resolve()
    head = re.match(r"self\.PaSearchNames=(\{[^}]*\});\n", script.read_text(encoding="utf-8"))
    assert head is not None
    names = json.loads(head[1])
    assert set(names) == {"engine", "manifest", "worker"}
    assert all((script.parent / name).is_file() for name in names.values())
    search = (seed_site / "search/index.html").read_text(encoding="utf-8")
    (meta,) = re.findall(r"<meta name=\"pa-search\" content='([^']*)'>", search)
    assert json.loads(html_module.unescape(meta))["manifest"] == names["manifest"]


def test_lunr_js_is_served_by_the_site(seed_site: Path) -> None:
    assert (seed_site / "assets/vendor/lunr/lunr.min.js").is_file()
    worker = (seed_site / "assets/search/worker.js").read_text(encoding="utf-8")
    assert (
        'importScripts("../vendor/lunr/lunr.min.js", "index.js", "query.js", "answer.js", "shared.js")'
        in worker
    )
    assert not list(REPO.glob("site/**/cdn*"))


EQUIVALENCE = """
async ([compact, stock, queries]) => {
  const ours = new PaIndex(JSON.parse(compact));
  const lunrIndex = lunr.Index.load(JSON.parse(stock));
  const out = [];
  for (const q of queries) {
    const a = ours.search(q), b = lunrIndex.search(q);
    out.push([q, a.map(r => [r.ref, r.score]), b.map(r => [r.ref, r.score])]);
  }
  return out;
}
"""


@functools.cache
def stock_and_compact(seed_site: Path) -> tuple[tuple[object, ...], str, str]:
    """The seed site's search documents, Lunr's own serialized index of them (built by
    the lunr Python package) and the compact index the site ships, both as JSON text:
    the page parses it (Playwright's own serialisation of these objects took seconds
    per call). Made once for the module's tests."""
    import json

    from paper_archive.record.tagging import load_vocabulary
    from paper_archive.search.bundle import FIELDS_FULL, compact_index, documents, populated_builder
    from paper_archive.site.collect import collect

    pages = sorted((seed_site.parent / "docs" / "papers").glob("*.md"))
    archive = collect(
        ((f"papers/{p.name}", f"papers/{p.stem}/", p.read_text(encoding="utf-8")) for p in pages),
        load_vocabulary(CORPUS / "data" / "tags.yaml"),
    )
    docs = documents(archive)
    stock = json.dumps(populated_builder(docs, FIELDS_FULL).build().serialize())
    compact = json.dumps(compact_index(docs, FIELDS_FULL))
    return tuple(docs), stock, compact


def test_engine_scores_like_lunr_js(page: Page, base_url: str, seed_site: Path) -> None:
    """The compact index and its engine rank and score as lunr.js does on Lunr's own
    serialized index of the same documents (built by the lunr Python package): its
    wildcard and typo expansion (a bounded scan of the terms) finds lunr.TokenSet's."""
    _, stock, compact = stock_and_compact(seed_site)
    page.page.goto(f"{base_url}tags/")
    page.page.wait_for_function(
        "() => typeof window.lunr === 'undefined'"
    )  # not on the main thread
    page.page.add_script_tag(url=f"{base_url}assets/vendor/lunr/lunr.min.js")
    for part in ("index", "query", "answer"):
        page.page.add_script_tag(url=f"{base_url}assets/search/{part}.js")
    queries = [
        "pointer networks", "language model", "diffus*", "bayesian neural network", "+graph -convolution",
        "title:transformer", "transformer~1", "density^3 estimation", "deep learning", "-neural",
        "transfromer~2", "netwrok~2 pointer", "bayesain~2", "*ing", "*former*", "gra*h", "netw*k",
        "diffusion~2 +model",
    ]  # fmt: skip
    results = page.page.evaluate(EQUIVALENCE, [compact, stock, queries])
    for query, ours, theirs in results:
        assert {ref for ref, _ in ours} == {ref for ref, _ in theirs}, query
        lunr_scores = dict(theirs)
        for ref, score in ours:
            assert abs(score - lunr_scores[ref]) <= 0.002 * max(1.0, abs(score)), (
                query,
                ref,
                score,
                lunr_scores[ref],
            )
        if ours and len(ours) > 1 and abs(theirs[0][1] - theirs[1][1]) > 0.01:
            assert ours[0][0] == theirs[0][0], query
