"""A paper page for machines and for readers going onward: the head's metadata
(description, OpenGraph, Twitter, Highwire, JSON-LD), the links that lead to the paper,
readable sources, and notes kept apart from the abstract.

Pure functions first, then a real build of a fixture site read with html.parser.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import bibtexparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.record.arxiv_id import html_url
from paper_archive.record.slugs import base_slug
from paper_archive.site.collect import Entry
from paper_archive.site.meta import page_meta, plain_abstract, shorten
from paper_archive.site.paper_page import (
    NOTES_MARKER,
    Source,
    mark_notes,
    paper_view,
    search_links,
    sources_of,
    split_notes,
)
from paper_archive.site.provenance import (
    SourceInfo,
    fetched_day,
    kind_label,
    source_info,
    unknown_source,
)
from paper_archive.site.render import script_json
from paper_archive.sources import manifest_text
from paper_archive.text.mathtext import plain_text

from ..browser import Page, serve
from ..chrome_node import with_chrome
from ..sitebuild import build_site, make_site, paper
from ..theme import render_jinja2

D = dt.date
PUBLIC = "https://papers.example.org/"
LONG_ABSTRACT = (
    "We introduce a new neural architecture to learn the conditional probability of an "
    "output sequence with elements that are discrete tokens corresponding to positions "
    "in an input sequence. Such problems cannot be trivially addressed by existent "
    "approaches such as sequence-to-sequence."
)
HOSTILE = "</script><script>alert(1)</script> \"Quoted\" & 'single' $x^2$"
NO_ID_TITLE = "Sorting Networks & Friends: 100% of $O(n)$?"
FEED_ID = "hf-api-2024-03-11-0a1b2c3d"
FEED_URL = "https://huggingface.co/api/daily_papers?date=2024-03-11"


def entry_of(p: object, slug: str = "p") -> Entry:
    return Entry(paper=p, src_uri=f"papers/{slug}.md", url=f"papers/{slug}/", summary="")  # type: ignore[arg-type]


# -- pure: description, JSON in a script, tags --------------------------------------


def test_description_is_the_abstract_cut_at_a_word() -> None:
    text = shorten(plain_abstract(LONG_ABSTRACT))
    assert len(text) <= 160 and text.endswith("…")
    assert LONG_ABSTRACT.startswith(text[:-1])
    assert LONG_ABSTRACT[len(text) - 1] in " ,."  # cut between words
    assert shorten("Short.") == "Short."


def test_plain_abstract_decodes_entities_math_and_markdown() -> None:
    assert plain_abstract("a &lt;b&gt; &amp; CO$_2$ **bold** [link](https://x.y)") == (
        "a <b> & CO₂ bold link"
    )


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_script_json_round_trips_and_cannot_close_a_script(data: object) -> None:
    text = script_json(data)
    assert json.loads(text) == data
    assert not {"<", ">", "&"} & set(text)


def test_page_meta_with_arxiv_id() -> None:
    p = paper(
        "Pointer $N$etworks",
        published=D(2015, 6, 9),
        tags=("sequence-models", "not-a-tag"),
        abstract=LONG_ABSTRACT,
        authors=("Oriol Vinyals", "Meire Fortunato", "Navdeep Jaitly"),
        arxiv="1506.03134",
    )
    meta = page_meta(entry_of(p))
    tags = [(t.name, t.content) for t in meta.tags]
    assert ("citation_title", "Pointer Networks") in tags
    assert not [name for name, _ in tags if name.startswith(("og:", "twitter:"))]
    assert ("citation_publication_date", "2015/06/09") in tags
    assert ("citation_arxiv_id", "1506.03134") in tags
    assert ("citation_pdf_url", "https://arxiv.org/pdf/1506.03134") in tags
    authors = [c for k, c in tags if k == "citation_author"]
    assert authors == ["Oriol Vinyals", "Meire Fortunato", "Navdeep Jaitly"]


def test_page_meta_without_public_site_id_or_date() -> None:
    meta = page_meta(entry_of(paper("T", abstract="")))
    keys = [t.name for t in meta.tags]
    assert "citation_arxiv_id" not in keys and "citation_publication_date" not in keys
    assert "citation_author" not in keys
    assert meta.description == "T"  # no abstract: the title, never the site blurb


# -- pure: links, sources, notes ----------------------------------------------------


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="$"), min_size=1))
def test_search_links_carry_the_title_url_encoded(title: str) -> None:
    expected = " ".join(title.split())
    links = search_links(title)
    assert [label for label, _ in links] == [
        "Search arXiv for this title",
        "Search Semantic Scholar for this title",
        "Search Google Scholar for this title",
    ]
    for _, url in links:
        parts = urlsplit(url)
        assert parts.scheme == "https" and " " not in url
        query = parse_qs(parts.query, keep_blank_values=True)
        assert query.get("q", query.get("query")) == [expected]


@given(st.text(min_size=1))
def test_search_links_are_the_urls_urlencode_writes(title: str) -> None:
    query = plain_text(title)
    assert [url for _, url in search_links(title)] == [
        "https://arxiv.org/search/?" + urlencode({"query": query, "searchtype": "title"}),
        "https://www.semanticscholar.org/search?" + urlencode({"q": query}),
        "https://scholar.google.com/scholar?" + urlencode({"q": query}),
    ]


def test_arxiv_html_version_only_where_arxiv_has_one() -> None:
    assert html_url("2403.12345") == "https://arxiv.org/html/2403.12345"
    assert html_url("arXiv:2312.00001v2") == "https://arxiv.org/html/2312.00001"
    assert html_url("1506.03134") is None
    assert html_url("hep-th/9711200") is None


def test_paper_view_links_by_arxiv_id_or_title_search() -> None:
    def page_of(p: object) -> str:
        view = paper_view(entry_of(p), names={}, page_url="papers/p/", site_url=None)
        return render_jinja2(paper=view, page={"content": ""})

    with_id = page_of(paper("X", arxiv="2403.12345"))
    for url in ("abs", "pdf", "html"):
        assert f'href="https://arxiv.org/{url}/2403.12345"' in with_id
    assert "Search" not in with_id
    without = page_of(paper("X"))
    assert without.count("for this title</a>") == 3
    assert "arxiv.org/abs" not in without


@pytest.mark.parametrize(
    ("manifest", "label", "url"),
    [
        (
            {"id": "a", "kind": "hf-daily-papers-listing", "url": None, "fetched_at": None},
            "Hugging Face Daily Papers listing, fetch date not recorded",
            None,
        ),
        (
            {"id": "b", "kind": "arxiv-atom", "url": "https://export.arxiv.org/api/query?x=1"},
            "arXiv API, fetch date not recorded",
            "https://export.arxiv.org/api/query?x=1",
        ),
        (
            {"id": "c", "kind": "my_own-feed", "url": "javascript:alert(1)", "fetched_at": "x"},
            "My own feed, fetch date not recorded",
            None,
        ),
    ],
)
def test_source_info(manifest: dict[str, object], label: str, url: str | None) -> None:
    info = source_info(manifest)
    assert (info.label, info.url) == (label, url)


def test_sources_read_the_same_are_counted_and_unknown_ids_kept() -> None:
    listing = source_info({"id": "a", "kind": "hf-daily-papers-listing", "page_date": "Mar 11"})
    assert listing.label == "Hugging Face Daily Papers listing for Mar 11, fetch date not recorded"
    same = SourceInfo(id="b", label=listing.label)
    found = sources_of(["a", "b", "c"], {"a": listing, "b": same})
    assert found == (Source(listing.label, None, 2), Source(unknown_source("c").label, None, 1))
    assert unknown_source("c").label == "Listing file c"
    # printed as "<label> (2 sources)": tests/site/test_paper_page.py


def test_fetched_day_and_kind_label() -> None:
    assert fetched_day(dt.datetime(2024, 3, 11, 23, 59, tzinfo=dt.UTC)) == "2024-03-11"
    assert fetched_day("2024-03-11T08:00:00Z") == "2024-03-11"
    assert fetched_day(None) is None
    assert kind_label("hf-daily-api") == "Hugging Face Daily Papers API"


def test_mark_notes() -> None:
    bare = "# T\n\nThe abstract.\n"
    assert mark_notes(bare) == bare
    marked = mark_notes("# T\n\nThe abstract.\n\nA note.\n\nMore.\n")
    assert marked == f"# T\n\nThe abstract.\n\n{NOTES_MARKER}\n\nA note.\n\nMore.\n"
    own_heading = mark_notes("# T\n\nThe abstract.\n\n## Notes\n\nA note.\n")
    assert own_heading == f"# T\n\nThe abstract.\n\n{NOTES_MARKER}\n\nA note.\n"
    assert split_notes(f"<p>a</p>{NOTES_MARKER}<p>n</p>") == ("<p>a</p>", "<p>n</p>")
    assert split_notes("<p>a</p>") == ("<p>a</p>", "")


# -- the built site -------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.walk()
            if n.tag == tag and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


_VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "area", "col", "base"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def metas(doc: Node) -> list[tuple[str, str]]:
    """``(name or property, content)`` of every ``<meta>`` in the head."""
    (head,) = doc.find("head")
    return [
        (m.attrs.get("name") or m.attrs.get("property", ""), m.attrs.get("content", ""))
        for m in head.find("meta")
        if "content" in m.attrs
    ]


def built(site: Path, title: str) -> Node:
    return parse((site / "papers" / base_slug(title) / "index.html").read_text("utf-8"))


def raw(site: Path, title: str) -> str:
    return (site / "papers" / base_slug(title) / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(
        tmp_path_factory.mktemp("meta"),
        [
            paper(
                "Pointer Networks",
                published=D(2015, 6, 9),
                tags=("sequence-models",),
                abstract=LONG_ABSTRACT,
                authors=("Oriol Vinyals", "Meire Fortunato", "Navdeep Jaitly"),
                arxiv="1506.03134",
                sources=("hf-listing-73f64d40",),
            ),
            paper("A Recent Paper", published=D(2024, 3, 11), arxiv="2403.12345"),
            paper(
                NO_ID_TITLE,
                abstract="Sorting, briefly.",
                sources=(FEED_ID, "hf-listing-38e464cb"),
            ),
            paper(HOSTILE, published=D(2024, 1, 2), tags=("llms",), abstract=f"About {HOSTILE}."),
        ],
    )
    # A fetched source, written by the project's own manifest writer.
    data = b'{"papers": []}'
    sources = root / "data" / "sources"
    (sources / f"{FEED_ID}.json").write_bytes(data)
    (sources / f"{FEED_ID}.yaml").write_text(
        manifest_text(
            source_id=FEED_ID,
            file_name=f"{FEED_ID}.json",
            data=data,
            kind="hf-daily-api",
            origin="Hugging Face Daily Papers API",
            added=D(2024, 3, 12),
            url=FEED_URL,
            fetched_at=dt.datetime(2024, 3, 11, 8, 0, tzinfo=dt.UTC),
        ),
        encoding="utf-8",
    )
    # Notes a contributor added after the abstract, one page with its own heading.
    for title, notes in [
        ("Pointer Networks", "A contributor's note on errata.\n\n### Errata\n\nFig. 2 is off.\n"),
        (NO_ID_TITLE, "## Notes\n\nSeen at a workshop.\n"),
    ]:
        path = root / "docs" / "papers" / f"{base_slug(title)}.md"
        path.write_text(path.read_text("utf-8") + "\n" + notes, encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", PUBLIC)
        return build_site(root)


ONCE = [
    "description",
    "citation_title",
    "citation_publication_date",
    "citation_arxiv_id",
    "citation_pdf_url",
]


def test_head_metadata_once_each(site: Path) -> None:
    doc = built(site, "Pointer Networks")
    found = metas(doc)
    keys = [k for k, _ in found]
    for key in ONCE:
        assert keys.count(key) == 1, key
    # Each value once (issue 20): <title>, the canonical link and the description name
    # the paper, the site and the URL (link previews read them), citation_* the rest;
    # no JSON-LD, OpenGraph or Twitter tag repeats them.
    assert not [key for key in keys if key.startswith(("og:", "twitter:"))], keys
    assert not doc.find("script", type="application/ld+json")
    (title,) = doc.find("title")
    assert title.text() == "Pointer Networks - Paper Archive"
    (canonical,) = [link for link in doc.find("link") if link.attrs.get("rel") == "canonical"]
    assert canonical.attrs["href"] == PUBLIC + "papers/pointer-networks/"
    values = dict(found)
    description = values["description"]
    assert description.endswith("…") and len(description) <= 160
    assert LONG_ABSTRACT.startswith(description[:-1])  # the abstract, not the site blurb
    assert values["citation_title"] == "Pointer Networks"
    assert [v for k, v in found if k == "citation_author"] == [
        "Oriol Vinyals",
        "Meire Fortunato",
        "Navdeep Jaitly",
    ]
    assert values["citation_publication_date"] == "2015/06/09"
    assert values["citation_arxiv_id"] == "1506.03134"
    assert values["citation_pdf_url"] == "https://arxiv.org/pdf/1506.03134"
    (icon,) = [link for link in doc.find("link") if link.attrs.get("rel") == "icon"]
    assert icon.attrs["href"].endswith("assets/favicon.svg")
    assert (site / "assets" / "favicon.svg").read_text("utf-8").startswith("<svg")


def test_abstract_once_in_the_page(site: Path) -> None:
    """Issue 20: the abstract is in the page once, in its body; the head carries a
    description cut to preview length (the meta description)."""
    html = raw(site, "Pointer Networks")
    tail = LONG_ABSTRACT[-60:]  # past any description's cut
    assert html.count(tail) == 1
    (section,) = parse(html).find("section", **{"aria-label": "Abstract"})
    assert section.text().strip() == LONG_ABSTRACT
    values = dict(metas(parse(html)))
    assert len(values["description"]) <= 160


def test_paper_without_id_or_date_has_no_such_tags(site: Path) -> None:
    doc = built(site, NO_ID_TITLE)
    keys = [k for k, _ in metas(doc)]
    assert keys.count("description") == 1
    assert "citation_arxiv_id" not in keys and "citation_pdf_url" not in keys
    assert "citation_publication_date" not in keys
    assert dict(metas(doc))["description"] == "Sorting, briefly."
    assert dict(metas(doc))["citation_title"] == "Sorting Networks & Friends: 100% of O(n)?"


def test_hostile_title_stays_inert(site: Path) -> None:
    html = raw(site, HOSTILE)
    assert "</script><script>alert(1)" not in html
    doc = parse(html)
    # No script carries the title: the chrome file reads the header's back from the
    # page's <title> (site/chrome.py readable_title), where it is escaped text.
    assert not [s for s in doc.find("script") if "alert(1)" in s.text()]
    assert re.search(r"<script>__pa_chrome\(0\)</script>", html)
    plain = "</script><script>alert(1)</script> \"Quoted\" & 'single' x²"
    # As the parser reads it, the header shows the title as text (site/chrome.py).
    page = parse(with_chrome(site / "papers" / base_slug(HOSTILE) / "index.html"))
    (topic,) = page.find("div", **{"data-md-component": "header-topic"})
    assert " ".join(topic.text().split()) == " ".join(plain.split())
    values = dict(metas(doc))
    assert values["citation_title"] == plain
    assert values["description"] == f"About {plain}."
    # The only scripts are the archive's own.
    assert not [s for s in doc.find("script") if "alert" in s.attrs.get("src", "")]


def test_arxiv_links(site: Path) -> None:
    old = built(site, "Pointer Networks")
    hrefs = [a.attrs["href"] for a in old.find("ul", class_="pa-links")[0].find("a")]
    assert hrefs == ["https://arxiv.org/abs/1506.03134", "https://arxiv.org/pdf/1506.03134"]
    recent = built(site, "A Recent Paper")
    hrefs = [a.attrs["href"] for a in recent.find("ul", class_="pa-links")[0].find("a")]
    assert hrefs == [
        "https://arxiv.org/abs/2403.12345",
        "https://arxiv.org/pdf/2403.12345",
        "https://arxiv.org/html/2403.12345",
    ]
    assert not recent.find("div", class_="pa-find")


def test_title_search_links(site: Path) -> None:
    doc = built(site, NO_ID_TITLE)
    (find,) = doc.find("div", class_="pa-find")
    (searches,) = find.find("ul", class_="pa-links")
    links = {a.text(): a.attrs["href"] for a in searches.find("a")}
    expected_title = "Sorting Networks & Friends: 100% of O(n)?"
    hosts = {
        "Search arXiv for this title": ("arxiv.org", "/search/", "query"),
        "Search Semantic Scholar for this title": ("www.semanticscholar.org", "/search", "q"),
        "Search Google Scholar for this title": ("scholar.google.com", "/scholar", "q"),
    }
    assert set(links) == set(hosts)
    for label, (host, path, parameter) in hosts.items():
        parts = urlsplit(links[label])
        assert (parts.scheme, parts.netloc, parts.path) == ("https", host, path)
        assert parse_qs(parts.query)[parameter] == [expected_title]
        assert "%26" in parts.query and "%25" in parts.query  # & and % encoded
    assert parse_qs(urlsplit(links["Search arXiv for this title"]).query)["searchtype"] == ["title"]
    assert "No arXiv id is recorded" in doc.find("div", class_="pa-find")[0].text()
    assert "arxiv.org/abs" not in raw(site, NO_ID_TITLE)
    # Searches are not for crawlers to follow; no link opens a new tab, so none needs
    # noopener (issue 20: bytes on every page).
    assert {a.attrs.get("rel") for a in searches.find("a")} == {"nofollow"}
    assert "noopener" not in raw(site, NO_ID_TITLE) and 'target="' not in raw(site, NO_ID_TITLE)


def test_sources_are_named_and_linked(site: Path) -> None:
    (sources,) = built(site, NO_ID_TITLE).find("ul", class_="pa-sources")
    items = [li.text() for li in sources.find("li")]
    assert items == [
        "Hugging Face Daily Papers API, fetched 2024-03-11",
        "Hugging Face Daily Papers listing for Mar 11, fetch date not recorded",
    ]
    (link,) = sources.find("a")
    assert link.attrs["href"] == FEED_URL and link.text().startswith("Hugging Face")
    assert "hf-listing-" not in sources.text()


def test_notes_are_under_their_own_heading(site: Path) -> None:
    doc = built(site, "Pointer Networks")
    (abstract,) = doc.find("section", **{"aria-label": "Abstract"})
    (notes,) = doc.find("section", class_="pa-paper__notes")
    assert "A contributor's note" not in abstract.text() and "Errata" not in abstract.text()
    assert abstract.text().strip() == LONG_ABSTRACT
    headings = [h.text() for h in notes.find("h2")]
    assert headings == ["Notes"]
    assert "A contributor's note on errata." in notes.text() and "Fig. 2 is off." in notes.text()
    assert [h.text().rstrip("¶") for h in notes.find("h3")] == ["Errata"]  # with its permalink
    # The contributor's own "## Notes" heading is not printed twice.
    other = built(site, NO_ID_TITLE)
    assert [h.text() for h in other.find("h2")].count("Notes") == 1
    (other_notes,) = other.find("section", class_="pa-paper__notes")
    assert "Seen at a workshop." in other_notes.text()
    assert (
        "Seen at a workshop." not in other.find("section", **{"aria-label": "Abstract"})[0].text()
    )
    assert not built(site, "A Recent Paper").find("section", class_="pa-paper__notes")


def test_bibtex_block_uses_the_archive_key(site: Path) -> None:
    (block,) = built(site, "Pointer Networks").find("pre", class_="pa-cite")
    assert block.text().startswith("@misc{vinyals2015pointer,")
    assert "url = {https://arxiv.org/abs/1506.03134}" in block.text()
    (no_id,) = built(site, NO_ID_TITLE).find("pre", class_="pa-cite")
    assert f"url = {{{PUBLIC}papers/{base_slug(NO_ID_TITLE)}/}}" in no_id.text()
    # Each page's block is its entry in the archive's /papers.bib.gz, and parses.
    everything = gzip.decompress((site / "papers.bib.gz").read_bytes()).decode("utf-8")
    for title in ("Pointer Networks", NO_ID_TITLE, HOSTILE, "A Recent Paper"):
        (entry,) = built(site, title).find("pre", class_="pa-cite")
        assert entry.text() + "\n" in everything, title
        library = bibtexparser.parse_string(entry.text())
        assert library.failed_blocks == [] and len(library.entries) == 1, title
    (pointer,) = bibtexparser.parse_string(block.text()).entries
    assert pointer.fields_dict["author"].value == (
        "Oriol Vinyals and Meire Fortunato and Navdeep Jaitly"
    )
    assert pointer.fields_dict["eprint"].value == "1506.03134"


def test_local_site_url_is_never_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path, [paper("Local Paper", arxiv="2403.12345")])
    monkeypatch.delenv("SITE_URL", raising=False)  # mkdocs.yml's 127.0.0.1 default
    site = build_site(root)
    html = (site / "papers" / "local-paper" / "index.html").read_text("utf-8")
    doc = parse(html)
    assert metas(doc) and not [v for _, v in metas(doc) if "127.0.0.1" in v]
    (block,) = doc.find("pre", class_="pa-cite")
    assert "127.0.0.1" not in block.text()


# -- in Chromium ------------------------------------------------------------------------

_HEAD = """() => ({
    descriptions: [...document.querySelectorAll('meta[name="description"]')].map(m => m.content),
    citation: document.querySelector('meta[name="citation_title"]').content,
    og: document.querySelectorAll('meta[property^="og:"], meta[name^="twitter:"]').length,
    jsonLd: document.querySelectorAll('script[type="application/ld+json"]').length,
})"""


@pytest.mark.browser
def test_seed_paper_page_in_the_browser(page: Page, base_url: str) -> None:
    """A seed paper (no arXiv id, like all 543): its head parses, the title searches and
    its readable source are what a reader sees."""
    page.page.goto(base_url + "papers/pointer-networks/")
    head = page.page.evaluate(_HEAD)
    assert len(head["descriptions"]) == 1 and head["descriptions"][0].startswith("We introduce")
    assert head["citation"] == "Pointer Networks"
    assert head["og"] == 0 and head["jsonLd"] == 0  # each value once (issue 20)
    search = page.page.get_by_role("link", name="Search arXiv for this title")
    assert search.is_visible()
    assert parse_qs(urlsplit(search.get_attribute("href") or "").query)["query"] == [
        "Pointer Networks"
    ]
    assert (
        page.page.locator(".pa-sources li")
        .first.inner_text()
        .startswith("Hugging Face Daily Papers listing")
    )
    assert page.page.locator("pre.pa-cite").inner_text().startswith("@misc{")
    assert page.errors == [] and page.dialogs == []


@pytest.mark.browser
def test_notes_and_hostile_title_in_the_browser(page: Page, site: Path) -> None:
    with serve(site) as url:
        page.page.goto(url + "papers/pointer-networks/")
        notes = page.page.get_by_role("heading", name="Notes", exact=True)
        assert notes.is_visible()
        abstract = page.page.locator("section[aria-label=Abstract]").inner_text()
        assert "contributor" not in abstract
        after = page.page.locator(".pa-paper__notes").inner_text()
        assert "A contributor's note on errata." in after
        page.page.goto(url + f"papers/{base_slug(HOSTILE)}/")
        head = page.page.evaluate(_HEAD)
        assert head["citation"].startswith("</script><script>alert(1)")
        assert page.dialogs == []
