"""A contributor's pull request, played end to end on a copy of the repository.

`papers add` a new paper → `papers validate` passes → `papers ingest --check` passes →
`mkdocs build --strict` passes and the site lists the paper on its page, its tag pages
and its year page. A duplicate title, an unknown tag, and hand-written pages that are
broken each fail with a message naming the file (and the line, for a page).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from paper_archive import cli
from paper_archive.disk.pages import parse_page
from paper_archive.project import Project
from paper_archive.record.model import Paper
from paper_archive.record.slugs import suffixed_slug

from .sitebuild import build_site, make_site

pytestmark = pytest.mark.slow

TODAY_EPOCH = "1795435200"  # 2026-11-23 12:00 UTC: `added` of the new page
ABSTRACT = (
    "We train pointer networks to sort sequences far longer than those seen in training, "
    "and release the code at https://github.com/example/long-sort."
)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The repository as a contributor clones it: config, hooks, data, every page."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    return Project(make_site(tmp_path / "checkout", with_seed=True))


@pytest.fixture
def small_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The same checkout with every 13th seed page (and the page a duplicate names), for
    the broken pages: their point is the message and the failing build, not the archive's
    size (a strict build of ~40 pages instead of 543). Not for ``ingest --check``, which
    wants every page the sources produce."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    root = make_site(
        tmp_path / "checkout", with_seed=True, sample=13, keep=("pointer-networks.md",)
    )
    return Project(root)


def papers(project: Project, *args: str) -> int:
    return cli.main(["--root", str(project.root), *args])


def page_files(project: Project) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in project.pages_dir.glob("*.md")}


def assert_site_lists_paper(
    site: Path, *, slug: str, title: str, tags: Sequence[str], published: dt.date | None
) -> None:
    """What a reader sees once the pull request is merged: the paper's own page, and the
    paper listed (title and link) on a page of each of its tags and on its year page."""
    link = f"papers/{slug}/"
    assert title in (site / link / "index.html").read_text(encoding="utf-8")
    assert tags, "a paper with no tag is on no tag page"
    for tag in tags:
        tag_dir = site / "tags" / tag
        listing = [tag_dir / "index.html", *sorted(tag_dir.glob("page/*/index.html"))]
        assert any(
            link in text and title in text
            for text in (page.read_text(encoding="utf-8") for page in listing)
        ), f"{title!r} is not on any page of tag {tag!r}"
    year = str(published.year) if published else "undated"
    year_page = (site / "archive" / year / "index.html").read_text(encoding="utf-8")
    assert link in year_page and title in year_page, f"{title!r} is not on the {year} page"


def test_add_validate_build_and_the_site_lists_the_paper(
    checkout: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(ABSTRACT + "\n", encoding="utf-8")
    before = page_files(checkout)

    code = papers(
        checkout,
        "add",
        "--title",
        "Pointer Networks for Sorting Long Sequences",
        "--abstract-file",
        str(abstract),
        "--published",
        "2024-03-20",
        "--author",
        "Ada Lovelace",
        "--tag",
        "surveys",
    )
    out = capsys.readouterr().out
    assert code == 0, out
    slug = "pointer-networks-for-sorting-long-sequences"
    path = f"docs/papers/{slug}.md"
    assert f"wrote {path}" in out
    assert f"git add {path} && git commit" in out
    after = page_files(checkout)
    assert set(after) - set(before) == {f"{slug}.md"}
    assert all(after[name] == text for name, text in before.items())  # nothing else touched

    parsed = parse_page(after[f"{slug}.md"], path=path)
    paper = Paper.from_front_matter(parsed.meta, abstract=parsed.body.abstract)
    assert paper.added == dt.date(2026, 11, 23)
    assert paper.code == ("https://github.com/example/long-sort",)
    assert {"sequence-models", "surveys"} <= set(paper.tags)

    assert papers(checkout, "validate") == 0
    assert "0 error(s)" in capsys.readouterr().out
    assert papers(checkout, "ingest", "--check") == 0
    capsys.readouterr()

    site = build_site(checkout.root, site=tmp_path / "site")  # strict
    assert_site_lists_paper(
        site, slug=slug, title=paper.title, tags=paper.tags, published=paper.published
    )


def test_add_refuses_a_duplicate_title_naming_the_page(
    checkout: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(ABSTRACT, encoding="utf-8")
    before = page_files(checkout)
    code = papers(checkout, "add", "--title", "POINTER networks", "--abstract-file", str(abstract))
    assert code == 1
    assert "docs/papers/pointer-networks.md: the archive already has this paper" in (
        capsys.readouterr().err
    )
    assert page_files(checkout) == before


def test_add_refuses_an_unknown_tag_listing_close_ones(
    checkout: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(ABSTRACT, encoding="utf-8")
    before = page_files(checkout)
    code = papers(
        checkout,
        "add",
        "--title",
        "A Brand New Sampler",
        "--abstract-file",
        str(abstract),
        "--tag",
        "difusion-models",
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: docs/papers/a-brand-new-sampler.md: not written: ")
    assert "unknown tag 'difusion-models' (did you mean diffusion-models" in err
    assert page_files(checkout) == before


GOOD_FRONT = (
    "---\ntitle: {title}\ntags:\n- {tag}\nadded: 2026-11-23\n---\n\n# {title}\n\n{abstract}\n"
)

DUPLICATE = f"{suffixed_slug('POINTER NETWORKS!')}.md"  # the name validate asks for

# (case, file written, its text, file reported, line, message, the strict build fails)
# The site builds a duplicate's two pages: `papers validate`, a CI step, is what fails.
HAND_WRITTEN = [
    (
        "broken YAML",
        "my-new-paper.md",
        "---\ntitle: My New Paper\ntags: [surveys\nadded: 2026-11-23\n---\n\n# My New Paper\n\nText.\n",
        "my-new-paper.md",
        4,
        "invalid YAML",
        True,
    ),
    (
        # Reported on the page that sorts second, naming the first.
        "duplicate title",
        DUPLICATE,
        GOOD_FRONT.format(title="POINTER NETWORKS!", tag="surveys", abstract="Text."),
        "pointer-networks.md",
        2,
        f"same paper as docs/papers/{DUPLICATE}",
        False,
    ),
    (
        # YAML reads it as a date, which datetime refuses: once a traceback, no line.
        "date that does not exist",
        "my-new-paper.md",
        "---\ntitle: My New Paper\ntags:\n- surveys\nadded: 2026-02-30\n---\n\n# My New Paper\n\nText.\n",
        "my-new-paper.md",
        5,
        "invalid YAML in front matter: '2026-02-30' is not a valid date",
        True,
    ),
    (
        "unknown tag",
        "my-new-paper.md",
        GOOD_FRONT.format(title="My New Paper", tag="difusion-models", abstract="Text."),
        "my-new-paper.md",
        4,
        "unknown tag 'difusion-models' (did you mean diffusion-models",
        True,
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "reported", "line", "message", "build_fails"),
    [case[1:] for case in HAND_WRITTEN],
    ids=[case[0] for case in HAND_WRITTEN],
)
def test_a_broken_hand_written_page_fails_naming_file_and_line(
    small_checkout: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    name: str,
    text: str,
    reported: str,
    line: int,
    message: str,
    build_fails: bool,
) -> None:
    checkout = small_checkout
    (checkout.pages_dir / name).write_text(text, encoding="utf-8")
    where = f"docs/papers/{reported}:{line}: error: "

    assert papers(checkout, "validate") == 1
    out = capsys.readouterr().out
    assert f"{where}{message}" in out, out
    assert papers(checkout, "validate", str(checkout.pages_dir / reported)) == 1  # pre-commit's way
    assert f"{where}{message}" in capsys.readouterr().out
    if not build_fails:
        return
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_site(checkout.root, site=tmp_path / "site")
    logged = [r.getMessage() for r in caplog.records]
    assert any(f"docs/papers/{reported}:{line}:" in m for m in logged), logged


def test_add_still_works_beside_a_broken_page_and_names_it(
    checkout: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout.pages_dir / "my-new-paper.md").write_text("no front matter\n", encoding="utf-8")
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(ABSTRACT, encoding="utf-8")
    assert (
        papers(checkout, "add", "--title", "Another Paper", "--abstract-file", str(abstract)) == 0
    )
    captured = capsys.readouterr()
    assert "warning: docs/papers/my-new-paper.md was not compared" in captured.err
    assert (checkout.pages_dir / "another-paper.md").is_file()


def test_add_records_a_known_arxiv_id_without_fetching(
    checkout: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`papers add --arxiv-id ID` writes the id it is given, offline; `--arxiv` fetches."""

    def no_network() -> None:
        raise AssertionError("papers add --arxiv-id made a request")

    monkeypatch.setattr("paper_archive.fetch.http.new_client", no_network)
    abstract = tmp_path / "abstract.txt"
    abstract.write_text(ABSTRACT, encoding="utf-8")
    add = ["add", "--abstract-file", str(abstract)]

    assert (
        papers(checkout, *add, "--title", "Sorting Networks", "--arxiv-id", "arXiv:2403.07691v2")
        == 0
    )
    out = capsys.readouterr().out
    assert "wrote docs/papers/sorting-networks.md" in out
    page = checkout.pages_dir / "sorting-networks.md"
    meta = parse_page(page.read_text(encoding="utf-8"), path="sorting-networks.md").meta
    assert meta["arxiv"] == "2403.07691"  # no prefix, no version
    assert papers(checkout, "validate", str(page)) == 0
    capsys.readouterr()

    # The same id under another title is the same paper: refused, naming the page.
    before = page_files(checkout)
    assert papers(checkout, *add, "--title", "Other Title", "--arxiv-id", "2403.07691") == 1
    assert (
        "docs/papers/sorting-networks.md: the archive already has arXiv 2403.07691"
        in capsys.readouterr().err
    )
    # Not an arXiv id, or both flags: usage errors; nothing written.
    with pytest.raises(SystemExit) as usage:
        papers(checkout, *add, "--title", "Other Title", "--arxiv-id", "2403.769")
    assert usage.value.code == 2
    assert "not an arXiv identifier: '2403.769'" in capsys.readouterr().err
    assert papers(checkout, "add", "--arxiv", "2403.00001", "--arxiv-id", "2403.00001") == 2
    assert "not both" in capsys.readouterr().err
    assert page_files(checkout) == before
