"""A paper page that is its title and plain paragraphs, converted without Markdown
(site/plain_pages.py), compared with MkDocs' own ``Page.render`` under mkdocs.yml's
configuration: the same HTML, table of contents, title and anchors, for every such
page of the corpus and for generated ones; anything else is left to MkDocs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocExtension
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from paper_archive.disk.pages import split_page
from paper_archive.site.plain_pages import Settings, convert
from paper_archive.site.plain_pages import settings as settings_of
from paper_archive.text.plain_paragraphs import stash

from tests import CORPUS, REPO

_CONFIG: MkDocsConfig = load_config(str(REPO / "mkdocs.yml"))
HOW = settings_of(_CONFIG.markdown_extensions, _CONFIG.mdx_configs)


def _page(markdown: str) -> Page:
    file = File("papers/a-paper.md", _CONFIG.docs_dir, _CONFIG.site_dir, True)
    page = Page(None, file, _CONFIG)
    page.markdown = markdown
    return page


def _rendered(page: Page) -> dict[str, Any]:
    return {
        "content": page.content,
        "toc": [(a.title, a.id, a.level, a.children, getattr(a, "active", None)) for a in page.toc],
        "title": page._title_from_render,
        "anchors": page.present_anchor_ids,
        "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
    }


def _by_mkdocs(markdown: str) -> dict[str, Any]:
    page = _page(markdown)
    page.render(_CONFIG, Files([page.file]))
    return _rendered(page)


def _by_plain_pages(markdown: str) -> dict[str, Any] | None:
    """What the hook sets (plugin/paper_pages.convert_plain), through MkDocs' render
    call as a build makes it."""
    from paper_archive.plugin import paper_pages
    from paper_archive.plugin.state import Build

    page = _page(markdown)
    build = Build.__new__(Build)
    build.plain_pages = HOW
    paper_pages.convert_plain(markdown, page=page, build=build)
    if "render" not in vars(page):
        return None
    page.render(_CONFIG, Files([page.file]))
    assert "render" not in vars(page)  # one call: MkDocs' own from then on
    return _rendered(page)


def test_mkdocs_yml_s_configuration_is_one_it_knows() -> None:
    assert settings_of(_CONFIG.markdown_extensions, _CONFIG.mdx_configs) == Settings(True)


@pytest.mark.parametrize(
    ("extensions", "configs", "expected"),
    [
        (["toc", "attr_list"], {}, Settings(permalink=False)),
        (["toc"], {"toc": {"permalink": False}}, Settings(permalink=False)),
        (["toc"], {"toc": {"permalink": "#"}}, None),  # its own link text
        (["toc"], {"toc": {"permalink": True, "slugify": str.lower}}, None),
        (["toc"], {"toc": {"permalink": True, "toc_depth": 2}}, None),
        (["toc", "smarty"], {"toc": {"permalink": True}}, None),
        (["tables", "attr_list"], {}, None),  # no toc: no heading id
        (["toc", TocExtension()], {}, None),
    ],
)
def test_any_other_configuration_is_left_to_mkdocs(
    extensions: list[object], configs: dict[str, object], expected: Settings | None
) -> None:
    assert settings_of(extensions, configs) == expected


def test_the_corpus_pages_convert_as_mkdocs_renders_them() -> None:
    converted = 0
    pages = sorted((CORPUS / "docs" / "papers").glob("*.md"))
    for path in pages:
        body = split_page(path.read_text(encoding="utf-8"), path=path.name).body
        for markdown in (body, stash(body)[0]):  # as written, and as the stash hands it on
            ours = _by_plain_pages(markdown)
            if ours is not None:
                converted += 1
                assert ours == _by_mkdocs(markdown), path.name
    assert converted > len(pages)  # most pages, as written and stashed


@pytest.mark.parametrize(
    "markdown",
    [
        "# Title: $x$\n\nPlain.",
        "# C# and F#\n\nPlain.",
        "# Closing hashes ##\n\nPlain.",
        "# Two  spaces\n\nPlain.",
        "## Second level\n\nPlain.",
        "#Title\n\nPlain.",
        "# Title\n\nA *bold* claim.",
        "# Title\n\n\n\nPlain after two blank lines.",
        "# Title\n\nTwo\nlines.",
        "# Title\n\nPlain.\n\n<!-- archive:notes -->\n\nA note.",
        "Plain before a title.\n\n# Title",
        "",
    ],
)
def test_anything_else_is_left_to_mkdocs(markdown: str) -> None:
    assert _by_plain_pages(markdown) is None
    assert convert(markdown, Settings(permalink=True)) is None


@pytest.mark.parametrize(
    "markdown",
    [
        '# A Chain: Graph "Quoted" it\'s Über 2.0\n\nPAPLAINPARAGRAPH0X\n\nSecond one.\n',
        "# 中文标题\n\nA title of no ASCII letter: its id is made up.",
        "# Title Only\n",
        "\n\n# Leading Blank Lines\n\nPlain.\n\n",
    ],
)
def test_a_title_and_plain_paragraphs_convert_as_mkdocs_renders_them(markdown: str) -> None:
    ours = _by_plain_pages(markdown)
    assert ours is not None
    assert ours == _by_mkdocs(markdown)


_TEXT = st.lists(
    st.sampled_from(
        list("abcXYZ019 .,;:'\"()/%-+=?@–—éÜ∞中")
        + list("#*_$&<>[]{}`\\|!~^\t")  # what a plain title or paragraph may not hold
        + ["  ", "e.g.", "1.", "::", "PAPLAINPARAGRAPH0X"]
    ),
    max_size=24,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    title=st.builds(lambda h, r: h + r, st.sampled_from("aZé中"), _TEXT),
    paragraphs=st.lists(st.builds(lambda h, r: h + r, st.sampled_from("aZé"), _TEXT), max_size=4),
)
def test_a_generated_page_converts_as_mkdocs_renders_it(title: str, paragraphs: list[str]) -> None:
    markdown = "\n\n".join([f"# {title}", *paragraphs]) + "\n"
    ours = _by_plain_pages(markdown)
    if ours is not None:
        assert ours == _by_mkdocs(markdown)
