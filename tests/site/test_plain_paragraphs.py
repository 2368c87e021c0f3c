"""Plain paragraphs set apart from Markdown's inline pass (text/plain_paragraphs.py),
compared with Python-Markdown itself, configured as mkdocs.yml configures it: a
paragraph called plain converts to itself, and a page stashed, converted and restored
is the page converted whole, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocExtension
from mkdocs.config import load_config
from paper_archive.disk.pages import split_page
from paper_archive.text.plain_paragraphs import VERIFIED, applies, is_plain, restore, stash

from tests import CORPUS, REPO

#: mkdocs.yml's extensions and their settings, as MkDocs hands them to Markdown.
_CONFIG = {"toc": {"permalink": True}, "pymdownx.arithmatex": {"generic": True}}


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=sorted(VERIFIED), extension_configs=_CONFIG)


def _convert(text: str) -> str:
    return _converter().convert(text)


def _stashed_convert(text: str) -> str | None:
    swapped, kept = stash(text)
    html = _convert(swapped)
    return html if kept is None else restore(html, kept)


def _paragraphs(folder: Path) -> list[str]:
    found = []
    for page in sorted(folder.glob("*.md")):
        body = split_page(page.read_text(encoding="utf-8"), path=page.name).body
        found += [p.strip("\n") for p in re.split(r"\n[ \t]*\n", body) if p.strip()]
    return found


def test_the_verified_extensions_are_mkdocs_yml_s() -> None:
    """The stash runs on the site as configured: MkDocs' three built-in extensions and
    those mkdocs.yml lists (a new one must be checked here first)."""
    config = load_config(str(REPO / "mkdocs.yml"))
    assert set(config.markdown_extensions) == VERIFIED and config.mdx_configs == _CONFIG
    assert applies(config.markdown_extensions)
    assert applies(["toc", "tables", "fenced_code", "attr_list", "pymdownx.arithmatex"])
    assert not applies(["toc", "smarty"])  # quotes made curly: not the text as written
    assert not applies(["toc", TocExtension()])  # an object: its settings unknown


def test_every_plain_paragraph_of_the_corpus_converts_to_itself() -> None:
    paragraphs = _paragraphs(CORPUS / "docs" / "papers")
    plain = [p for p in paragraphs if is_plain(p)]
    assert len(plain) > 0.8 * len([p for p in paragraphs if not p.startswith("#")])
    for text in plain:
        assert _convert(text) == f"<p>{text}</p>", text


@pytest.mark.parametrize(
    "text",
    [
        "Uses $x^2$ inline.",
        "A *bold* claim.",
        "snake_case names",
        "See [this](x.md).",
        "Under <b>tags</b>.",
        "R&D at scale",
        "A {: .class} list",
        "Code `x` here",
        "Escaped \\(x\\)",
        "Two\nlines",
        " Leading space",
        "Trailing space ",
        "1. A list",
        "- A list",
        "# A heading",
        "> Quoted",
        "Tab\there",
        "A | B",
        "Image ![x](y.png)",
        "",
    ],
)
def test_what_any_pattern_or_block_looks_at_is_not_plain(text: str) -> None:
    assert not is_plain(text)


_WORDS = st.lists(
    st.sampled_from(
        list("abcXYZ019 .,;:'\"()/%#-+=?@–—é∞")
        + list("*_$&<>[]{}`\\|!~^\t")  # what is_plain refuses: a text with one is not
        + ["http://x.org", "--", "==", "...", "  ", "e.g.", "(c)", "1.", "::"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(head=st.sampled_from("aZé"), rest=_WORDS)
def test_a_plain_paragraph_is_its_own_html(head: str, rest: str) -> None:
    text = head + rest
    if is_plain(text):
        assert _convert(text) == f"<p>{text}</p>"


_BLOCKS = st.lists(
    st.one_of(
        st.builds(lambda h, r: (h + r).strip() or h, st.sampled_from("aZé"), _WORDS),
        st.sampled_from(
            [
                "# Title: $x$",
                "## Notes",
                "Math $E=mc^2$ here.",
                "- item\n- item two",
                "```\nplain inside a fence\n```",
                "```\n\nplain after a blank in a fence\n\n```",
                "<!-- archive:notes -->",
                "<div>\n\nplain in raw html\n\n</div>",
                "| a | b |\n|---|---|\n| c | d |",
                "    indented code",
                "Setext\n===",
                "PAPLAINPARAGRAPH0X",
            ]
        ),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(blocks=_BLOCKS, gap=st.sampled_from(["\n\n", "\n\n\n", "\n \n"]))
def test_a_page_stashed_and_restored_is_the_page_converted_whole(
    blocks: list[str], gap: str
) -> None:
    text = gap.join(blocks) + "\n"
    restored = _stashed_convert(text)
    if restored is not None:  # None: the page is converted again as written
        assert restored == _convert(text)


def test_a_token_markdown_did_not_print_as_its_own_paragraph_asks_for_a_conversion() -> None:
    text = "```\n\nplain inside a fence\n\n```\n"
    swapped, kept = stash(text)
    assert kept is not None and "plain inside a fence" not in swapped
    assert restore(_convert(swapped), kept) is None
    assert stash("Already PAPLAINPARAGRAPH0X here.\n\nPlain.\n") == (
        "Already PAPLAINPARAGRAPH0X here.\n\nPlain.\n",
        None,
    )


def test_a_paper_body_is_stashed_but_its_title_math_and_notes_are_not() -> None:
    body = "# A Title\n\nA plain abstract.\n\nMath $x$ too.\n\n<!-- archive:notes -->\n\nA note.\n"
    swapped, kept = stash(body)
    assert kept is not None
    assert list(kept.texts.values()) == ["A plain abstract.", "A note."]
    assert swapped.startswith("# A Title\n\nPAPLAINPARAGRAPH0X\n\nMath $x$ too.")
    assert restore(_convert(swapped), kept) == _convert(body)
