"""BibTeX keys and entries, papers.json and its schema, robots.txt: pure and built."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from paper_archive.record.model import Paper
from paper_archive.site.bibtex import (
    BibPaper,
    base_key,
    bibliography,
    citation_keys,
    entry,
    escape,
    last_name,
)
from paper_archive.site.exports import papers_json, public_base, robots_txt

from ..sitebuild import build_site, make_site, paper

D = dt.date
HOSTILE = [
    "Braces { and } here",
    "Percent % and & amp",
    "Back\\slash \\emph{x}",
    "Under_score #1 ~ ^",
]


def _paper(title: str, **fields: object) -> Paper:
    return Paper(title=title, added=fields.pop("added", D(2026, 1, 1)), **fields)  # type: ignore[arg-type]


def _parse(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    return library


# -- keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        (
            {
                "title": "Pointer Networks",
                "authors": ("Oriol Vinyals",),
                "published": D(2015, 6, 9),
            },
            "vinyals2015pointer",
        ),
        (
            {"title": "The Art of War", "authors": ("Sun Tzu",), "published": D(2020, 1, 1)},
            "tzu2020art",
        ),
        (
            {
                "title": "On Learning",
                "authors": ("Schölkopf, Bernhard",),
                "published": D(2001, 1, 1),
            },
            "scholkopf2001learning",
        ),
        ({"title": "A Study", "authors": ("Martin Luther King Jr.",)}, "kingstudy"),
        ({"title": "Pointer Networks", "published": D(2015, 6, 9)}, "pointer2015networks"),
        ({"title": "$\\alpha$-Nets for All"}, "netsall"),
        ({"title": "日本語のタイトル"}, "paper"),
    ],
)
def test_keys_read_like_google_scholars(fields: dict[str, object], key: str) -> None:
    assert base_key(_paper(**fields)) == key  # type: ignore[arg-type]


def test_last_names() -> None:
    assert last_name("Oriol Vinyals") == "vinyals"
    assert last_name("Vinyals, Oriol") == "vinyals"
    assert last_name("Jürgen Schmidhuber") == "schmidhuber"
    assert last_name("李飞飞") == ""


def test_keys_are_unique_and_stable_when_papers_are_added() -> None:
    same = {"authors": ("Oriol Vinyals",), "published": D(2015, 6, 9)}
    first = [
        ("pointer-networks", _paper("Pointer Networks", added=D(2020, 1, 1), **same)),
        ("pointer-networks-2", _paper("Pointer Networks Again", added=D(2021, 1, 1), **same)),
    ]
    keys = citation_keys(first)
    assert keys == {
        "pointer-networks": "vinyals2015pointer",
        "pointer-networks-2": "vinyals2015pointera",
    }
    later = [*first, ("pointer-networks-3", _paper("Pointer Nets", added=D(2022, 1, 1), **same))]
    grown = citation_keys(later)
    assert {k: grown[k] for k in keys} == keys
    assert grown["pointer-networks-3"] == "vinyals2015pointerb"
    assert citation_keys(reversed(later)) == grown  # input order does not matter


def test_suffixes_never_take_another_papers_plain_key() -> None:
    papers = [
        (f"p{i}", _paper("Pointer", authors=("A Vinyals",), added=D(2020, 1, 1 + i)))
        for i in range(3)
    ]
    papers.append(
        ("other", _paper("Pointera", authors=("A Vinyals",)))
    )  # plain key "vinyalspointera"
    keys = citation_keys(papers)
    assert len(set(keys.values())) == len(keys) == 4
    assert keys["other"] == "vinyalspointera"


# -- entries -----------------------------------------------------------------------


def test_entry_fields_parse_back() -> None:
    item = BibPaper(
        key="vinyals2015pointer",
        paper=_paper(
            "Pointer Networks",
            authors=("Oriol Vinyals", "Meire Fortunato", "Navdeep Jaitly"),
            published=D(2015, 6, 9),
            arxiv="1506.03134",
        ),
        url="https://arxiv.org/abs/1506.03134",
        keywords=("Sequence models",),
    )
    (parsed,) = _parse(entry(item)).entries
    assert parsed.entry_type == "misc" and parsed.key == "vinyals2015pointer"
    fields = {f.key: f.value for f in parsed.fields}
    assert fields == {
        "title": "{Pointer Networks}",
        "author": "Oriol Vinyals and Meire Fortunato and Navdeep Jaitly",
        "year": "2015",
        "eprint": "1506.03134",
        "archivePrefix": "arXiv",
        "keywords": "Sequence models",
        "url": "https://arxiv.org/abs/1506.03134",
    }


def test_old_style_ids_carry_their_primary_class() -> None:
    item = BibPaper("x", _paper("Old", arxiv="hep-th/9901001"), url=None)
    fields = {f.key: f.value for f in _parse(entry(item)).entries[0].fields}
    assert fields["primaryClass"] == "hep-th" and "url" not in fields


@pytest.mark.parametrize("title", HOSTILE)
def test_latex_specials_are_escaped_and_values_stay_balanced(title: str) -> None:
    item = BibPaper("k", _paper(title, authors=("Ann { Brace", "Bob and Alice")), url=None)
    library = _parse(bibliography([item, BibPaper("k2", _paper("Next"), url=None)]))
    assert [e.key for e in library.entries] == ["k", "k2"]  # nothing swallowed the next entry
    fields = {f.key: f.value for f in library.entries[0].fields}
    assert fields["title"] == "{" + escape(title) + "}"
    assert fields["author"] == "Ann \\textbraceleft{} Brace and {Bob and Alice}"
    for special in "%&#_~^":
        assert special not in fields["title"].replace(f"\\{special}", "").replace(
            "\\textasciitilde{}", ""
        ).replace("\\textasciicircum{}", "")


def test_escape_keeps_balanced_math_and_escapes_the_rest() -> None:
    assert escape("CO$_2$ & $x^{2}$") == "CO$_2$ \\& $x^{2}$"
    # Math BibTeX cannot take (an unbalanced brace, a % comment) becomes readable text.
    assert escape("$\\}$ {") == "\\textbraceright{} \\textbraceleft{}"
    assert escape("$a%b$ x") == "a\\%b x"


# -- JSON, robots.txt, public URLs -------------------------------------------------


def test_public_base() -> None:
    assert public_base("https://example.org/archive") == "https://example.org/archive/"
    for local in [
        "http://127.0.0.1:8000/",
        "http://localhost:8000/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "",
        None,
    ]:
        assert public_base(local) is None, local


def test_papers_json_of_an_empty_archive_is_valid_json() -> None:
    from paper_archive.record.tagging import load_vocabulary
    from paper_archive.site.collect import Archive

    from .. import CORPUS

    empty = Archive((), load_vocabulary(CORPUS / "data" / "tags.yaml"))
    assert json.loads(papers_json(empty, keys={}, names={}, base=None)) == {
        "$schema": "papers.schema.json",
        "papers": [],
    }


def test_robots_txt() -> None:
    assert "Sitemap: https://example.org/archive/sitemap.xml\n" in robots_txt(
        base="https://example.org/archive/"
    )
    assert "Sitemap:" not in robots_txt(base=None).replace("# No Sitemap line", "")


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    papers = [
        paper(
            "Pointer Networks",
            published=D(2015, 6, 9),
            tags=("sequence-models",),
            authors=("Oriol Vinyals",),
            arxiv="1506.03134",
        ),
        paper(
            "Pointer Networks Revisited",
            published=D(2015, 7, 1),
            tags=("sequence-models",),
            authors=("O. Vinyals",),
            added=D(2026, 11, 24),
        ),
        *(paper(t, tags=("llms",), abstract=f"Abstract of {t}.") for t in HOSTILE),
    ]
    root = make_site(tmp_path_factory.mktemp("exports"), papers)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", "https://example.org/archive/")
        return build_site(root)


def _gunzipped(path: Path) -> str:
    """A published ``.bib.gz`` file's text, as a reader's ``gunzip`` gives it."""
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def test_built_bibtex_files(public_site: Path) -> None:
    library = _parse(_gunzipped(public_site / "papers.bib.gz"))
    keys = [e.key for e in library.entries]
    assert len(keys) == len(set(keys)) == 2 + len(HOSTILE)
    by_key = {e.key: {f.key: f.value for f in e.fields} for e in library.entries}
    assert by_key["vinyals2015pointer"]["url"] == "https://arxiv.org/abs/1506.03134"
    assert by_key["vinyals2015pointera"]["url"] == (
        "https://example.org/archive/papers/pointer-networks-revisited/"
    )
    hostile = next(f for f in by_key.values() if "Braces" in f["title"])
    assert hostile["url"] == "https://example.org/archive/papers/braces-and-here/"
    assert hostile["title"] == "{Braces \\textbraceleft{} and \\textbraceright{} here}"
    topic = _parse(_gunzipped(public_site / "tags/llms/papers.bib.gz"))
    assert {e.key for e in topic.entries} < set(keys)
    assert len(topic.entries) == len(HOSTILE)
    assert _gunzipped(public_site / "tags/surveys/papers.bib.gz") == ""
    bibs = list(public_site.rglob("*.bib.gz"))
    assert len(bibs) > 2 and not list(public_site.rglob("*.bib"))
    for path in bibs:
        assert "127.0.0.1" not in _gunzipped(path)


def test_built_json_validates_against_its_published_schema(public_site: Path) -> None:
    data = json.loads(gzip.decompress((public_site / "papers.json.gz").read_bytes()))
    schema = json.loads((public_site / "papers.schema.json").read_text(encoding="utf-8"))
    assert data["$schema"] == "https://example.org/archive/papers.schema.json" == schema["$id"]
    jsonschema.validators.validator_for(schema).check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(data)
    by_title = {p["title"]: p for p in data["papers"] if p["title"] in HOSTILE}
    assert set(by_title) == set(HOSTILE)
    record = next(p for p in data["papers"] if p.get("arxiv") == "1506.03134")
    assert record["url"] == "https://example.org/archive/papers/pointer-networks/"
    assert record["published"] == "2015-06-09" and record["authors"] == ["Oriol Vinyals"]
    assert record["citation_key"] == "vinyals2015pointer"
    # The schema refuses what the archive never writes.
    bad = {"papers": [{**record, "published": "9 June 2015"}]}
    assert list(validator.iter_errors(bad))
    assert list(validator.iter_errors({"papers": [{**record, "surprise": 1}]}))


def test_built_robots_txt_names_the_sitemap(public_site: Path) -> None:
    robots = (public_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/archive/sitemap.xml" in robots
    assert (public_site / "sitemap.xml").is_file()


def test_about_and_home_pages_link_every_export(public_site: Path) -> None:
    """A reader finds the data from the About page and the home page, and every link
    leads to a file the build wrote."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            href = dict(attrs).get("href")
            if tag == "a" and href:
                self.hrefs.append(href)

    wanted = {"feed.xml", "papers.bib.gz", "papers.json.gz", "papers.schema.json"}
    for page, prefix in (("about/index.html", "../"), ("index.html", "")):
        parser = Links()
        parser.feed((public_site / page).read_text(encoding="utf-8"))
        linked = {h.removeprefix(prefix) for h in parser.hrefs if h.startswith(prefix)}
        assert wanted <= linked, (page, sorted(linked))
    for name in wanted:
        assert (public_site / name).is_file(), name


def test_which_feed_a_page_announces() -> None:
    from paper_archive.site.exports import feed_of

    names = {"llms": "Large language models"}
    assert feed_of("index.md", site_name="A", names=names) == ("feed.xml", "A")
    assert feed_of("tags/index.md", site_name="A", names=names) == ("feed.xml", "A")
    assert feed_of("tags/llms/index.md", site_name="A", names=names) == (
        "tags/llms/feed.xml",
        "A: Large language models",
    )
    assert feed_of("tags/llms/page/2/index.md", site_name="A", names=names)
    assert feed_of("tags/unknown/index.md", site_name="A", names=names) is None
    assert feed_of("papers/pointer-networks.md", site_name="A", names=names) is None


def test_whole_archive_files_are_deterministic_gzip() -> None:
    """papers.json.gz and papers.bib.gz: the same text gives the same bytes (no time or
    name in the header), and gunzip gives the text back."""
    from paper_archive.site.exports import gzip_text

    text = '{"papers": []}\n' * 1000
    data = gzip_text(text)
    assert data == gzip_text(text)
    assert data[4:8] == b"\0\0\0\0"  # MTIME
    assert gzip.decompress(data).decode("utf-8") == text
    assert len(data) < len(text) // 10
