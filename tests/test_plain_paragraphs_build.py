"""Paper pages' plain paragraphs kept out of Markdown's inline pass, and pages that are
a title and plain paragraphs kept out of Markdown (issue 20: build time), through real
builds: `mkdocs build` from its command line writes the site it writes with both off,
every byte, and a build with the serve layer on (each page converted as MkDocs reads
it) writes the same; the stash is used on the abstracts, most paper pages are converted
without Markdown, and a page whose token Markdown did not print as a paragraph is
converted again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from paper_archive.site import plain_pages
from paper_archive.text import plain_paragraphs

from .sitebuild import build_site, hook_variant, make_site, paper, site_files

pytestmark = pytest.mark.slow

FENCED = "Plain abstracts in a fence"


def _site(root: Path) -> Path:
    papers = [
        paper("Plain Abstract Routing", tags=("llms",), abstract="Routing tokens to experts."),
        paper("Math Abstract Routing", tags=("llms",), abstract="Routing $k$ tokens."),
        paper(FENCED, tags=("llms",), abstract="A plain abstract before the notes."),
    ]
    root = make_site(root, papers, with_seed=True, sample=12)
    page = root / "docs/papers/plain-abstracts-in-a-fence.md"
    page.write_text(  # a plain line between blank lines inside a fence: not a paragraph
        page.read_text(encoding="utf-8") + "\n## Notes\n\n```\n\nplain in a fence\n\n```\n",
        encoding="utf-8",
    )
    return root


def _cli_build(root: Path, *, plain: bool) -> dict[str, bytes]:
    if not plain:  # the one hook, its object made with the stash off
        hook_variant(root, "plain=False")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764460800", "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).parent / "mkdocs"
    run = subprocess.run(
        [str(mkdocs), "build", "--strict", "-d", "site"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return site_files(root / "site")


def test_mkdocs_build_writes_the_same_site_with_plain_paragraphs_set_apart(
    tmp_path: Path,
) -> None:
    stashed = _cli_build(_site(tmp_path / "stashed"), plain=True)
    whole = _cli_build(_site(tmp_path / "whole"), plain=False)
    assert stashed.keys() == whole.keys()
    assert [name for name in stashed if stashed[name] != whole[name]] == []
    page = stashed["papers/plain-abstract-routing/index.html"].decode()
    assert "<p>Routing tokens to experts.</p>" in page and "PAPLAIN" not in page
    fenced = stashed["papers/plain-abstracts-in-a-fence/index.html"].decode()
    assert "plain in a fence" in fenced and "PAPLAIN" not in fenced


def test_the_stash_is_used_and_a_page_it_misses_is_converted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In this process, the serve layer on (each page converted as MkDocs reads it)."""
    restored: list[bool] = []
    restore = plain_paragraphs.restore

    def counted(html: str, kept: plain_paragraphs.Stash) -> str | None:
        result = restore(html, kept)
        restored.append(result is not None)
        return result

    converted: list[str] = []
    convert = plain_pages.convert

    def counted_pages(markdown: str, how: plain_pages.Settings) -> plain_pages.Converted | None:
        result = convert(markdown, how)
        if result is not None:
            converted.append(result.title)
        return result

    monkeypatch.setattr(plain_paragraphs, "restore", counted)
    monkeypatch.setattr(plain_pages, "convert", counted_pages)
    site = build_site(_site(tmp_path / "kept"))
    pages = len(list((site / "papers").glob("*/index.html")))
    assert restored.count(False) == 1  # the fenced page, converted again as written
    assert restored.count(True) > 0.7 * pages  # most abstracts are plain
    assert len(converted) > 0.5 * pages  # most pages are a title and plain paragraphs
    assert "Plain Abstract Routing" in converted
    assert "Math Abstract Routing" not in converted and FENCED not in converted
    fenced = (site / "papers/plain-abstracts-in-a-fence/index.html").read_text("utf-8")
    assert "<p>A plain abstract before the notes.</p>" in fenced
    assert "<code>\nplain in a fence\n</code>" in fenced.replace("\n\n", "\n")
