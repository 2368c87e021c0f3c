"""``papers add``: the plan (pure), the write, and the command line."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paper_archive import cli
from paper_archive.add import (
    Addition,
    DuplicatePaperError,
    InvalidSubmissionError,
    PageExistsError,
    Submission,
    UnknownTagError,
    add_paper,
    plan_add,
    write_addition,
)
from paper_archive.commands import add
from paper_archive.console import Console
from paper_archive.disk.pages import parse_page, render_page
from paper_archive.disk.validate import check_archive
from paper_archive.errors import ArchiveError
from paper_archive.project import Project
from paper_archive.record.model import Paper
from paper_archive.record.slugs import suffixed_slug
from paper_archive.record.tagging import Vocabulary
from paper_archive.sources.entry import SourceEntry
from paper_archive.text.safe import has_raw_html

TODAY = dt.date(2026, 11, 23)
ABSTRACT = "We introduce a new neural architecture that points at positions of its input."
POINTER = render_page(
    Paper(
        title="Pointer Networks",
        added=dt.date(2026, 1, 2),
        tags=("sequence-models",),
        abstract="We introduce a new neural architecture.",
    )
)


def plan(sub: Submission, vocabulary: Vocabulary, pages: dict[str, str] | None = None) -> Addition:
    return plan_add(sub, pages or {}, vocabulary, today=TODAY)


def reparsed(addition: Addition) -> Paper:
    parsed = parse_page(addition.text, path=addition.path)
    return Paper.from_front_matter(parsed.meta, abstract=parsed.body.abstract)


# --- the plan ------------------------------------------------------------------------


def test_new_page_has_the_record_and_round_trips(vocabulary: Vocabulary) -> None:
    sub = Submission(
        title="  Sparse Pointer Networks ",
        abstract=f"{ABSTRACT}\nCode at https://github.com/example/spn.\n",
        published=dt.date(2024, 3, 20),
        authors=("Ada Lovelace", "Alan Turing"),
        code=("https://example.org/project",),
        arxiv="2403.12345",
    )
    addition = plan(sub, vocabulary)
    assert addition.path == "docs/papers/sparse-pointer-networks.md"
    paper = addition.paper
    assert paper.title == "Sparse Pointer Networks"
    assert paper.added == TODAY
    assert paper.published == dt.date(2024, 3, 20)
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.author_count == 2
    assert paper.arxiv == "2403.12345"
    assert paper.code == ("https://example.org/project", "https://github.com/example/spn")
    assert paper.sources == ()
    assert paper.abstract == f"{ABSTRACT} Code at https://github.com/example/spn."  # one paragraph
    assert reparsed(addition) == paper
    meta = parse_page(addition.text, path=addition.path).meta
    assert list(meta) == [
        "title",
        "tags",
        "added",
        "published",
        "author_count",
        "authors",
        "arxiv",
        "code",
    ]
    assert meta["added"] == TODAY and meta["arxiv"] == "2403.12345"


def test_tags_are_the_vocabularys_plus_those_given(vocabulary: Vocabulary) -> None:
    sub = Submission(
        title="Denoising Diffusion Models for Molecules",
        abstract="We train diffusion models on molecular graphs with a new noise schedule.",
        tags=("surveys", "graph-neural-networks"),
    )
    tags = plan(sub, vocabulary).paper.tags
    assert "diffusion-models" in tags  # found by the rules
    assert vocabulary.tag(sub.title, sub.abstract) != tags
    assert set(vocabulary.tag(sub.title, sub.abstract)) | {
        "surveys",
        "graph-neural-networks",
    } == set(tags)
    assert list(tags) == sorted(set(tags))


def test_refuses_a_duplicate_title_naming_the_existing_page(vocabulary: Vocabulary) -> None:
    pages = {"docs/papers/pointer-networks.md": POINTER}
    for title in ("Pointer Networks", "POINTER   networks!", "Pointer—Networks"):
        with pytest.raises(DuplicatePaperError) as caught:
            plan(Submission(title=title, abstract=ABSTRACT), vocabulary, pages)
        assert caught.value.existing == "docs/papers/pointer-networks.md"
        assert str(caught.value).startswith("docs/papers/pointer-networks.md: ")
        assert "'Pointer Networks'" in str(caught.value)


def test_duplicate_found_under_any_file_name(vocabulary: Vocabulary) -> None:
    pages = {"docs/papers/some-other-name.md": POINTER}
    with pytest.raises(DuplicatePaperError) as caught:
        plan(Submission(title="Pointer networks.", abstract=ABSTRACT), vocabulary, pages)
    assert caught.value.existing == "docs/papers/some-other-name.md"


def test_refuses_an_unknown_tag_listing_close_ones(vocabulary: Vocabulary) -> None:
    sub = Submission(title="A Paper", abstract=ABSTRACT, tags=("difusion-models", "zzzzzz", "llms"))
    with pytest.raises(UnknownTagError) as caught:
        plan(sub, vocabulary)
    assert caught.value.suggestions["difusion-models"][0] == "diffusion-models"
    assert caught.value.suggestions["zzzzzz"] == []
    assert "llms" not in caught.value.suggestions
    message = str(caught.value)
    assert message.startswith("docs/papers/a-paper.md: not written: ")
    assert "unknown tag 'difusion-models' (did you mean diffusion-models," in message
    assert "unknown tag 'zzzzzz';" in message
    assert "data/tags.yaml" in message


def test_title_with_a_taken_slug_gets_the_suffixed_one(vocabulary: Vocabulary) -> None:
    pages = {"docs/papers/pointer-networks.md": POINTER}
    addition = plan(Submission(title="Pointer Nétworks", abstract=ABSTRACT), vocabulary, pages)
    assert addition.path == f"docs/papers/{suffixed_slug('Pointer Nétworks')}.md"
    together = {**pages, addition.path: addition.text}
    errors = [d for d in check_archive(together, vocabulary=vocabulary) if d.severity == "error"]
    assert errors == []


def test_an_unreadable_page_at_the_slug_blocks_the_add(vocabulary: Vocabulary) -> None:
    pages = {"docs/papers/pointer-networks.md": "---\ntitle: [unclosed\n---\n"}
    with pytest.raises(ArchiveError) as caught:
        plan(Submission(title="Pointer Networks", abstract=ABSTRACT), vocabulary, pages)
    assert str(caught.value).startswith("docs/papers/pointer-networks.md: ")
    assert "cannot be read" in str(caught.value)


def test_other_unreadable_pages_are_reported_not_fatal(vocabulary: Vocabulary) -> None:
    pages = {"docs/papers/broken.md": "no front matter\n"}
    addition = plan(Submission(title="Pointer Networks", abstract=ABSTRACT), vocabulary, pages)
    assert [path for path, _ in addition.unreadable] == ["docs/papers/broken.md"]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"title": "   "}, "the title is empty"),
        ({"title": "Two\nLines"}, "the title must be one line"),
        ({"abstract": " \n "}, "the abstract is empty"),
        ({"published": dt.date(2027, 1, 1)}, "is after today"),
        ({"code": ("javascript:alert(1)",)}, "is not an http(s) URL"),
        ({"authors": ("Ada", "")}, "each author name"),
        ({"authors": ("Ada", "Bob"), "author_count": 1}, "author count 1"),
        ({"arxiv": "not-an-id"}, "arxiv"),
    ],
)
def test_refuses_malformed_fields(vocabulary: Vocabulary, changes: dict, fragment: str) -> None:
    sub = Submission(**{"title": "A Paper", "abstract": ABSTRACT, **changes})
    with pytest.raises(InvalidSubmissionError, match=r"not (added|written)") as caught:
        plan(sub, vocabulary)
    assert fragment in str(caught.value)


def test_hostile_abstract_and_title_are_stored_inert(vocabulary: Vocabulary) -> None:
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> & [x](javascript:alert(3))'
    sub = Submission(title="<b>Bold</b> & <i>Risky</i> Title", abstract=hostile)
    addition = plan(sub, vocabulary)
    assert addition.paper.abstract == (
        '&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror="alert(2)"&gt; &amp; '
        "[x](javascript:alert(3))"
    )
    body = parse_page(addition.text, path=addition.path).raw.body
    assert not has_raw_html(body)
    assert "# &lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;Risky&lt;/i&gt; Title" in body
    assert reparsed(addition).title == "<b>Bold</b> & <i>Risky</i> Title"  # exact in the record


@pytest.mark.parametrize(
    "title",
    ["no", "2024-01-01", "- item", "key: value", "# hash", "*alias", "&anchor", "[x]", "'q'", "@x"],
)
def test_titles_yaml_would_misread_round_trip(vocabulary: Vocabulary, title: str) -> None:
    addition = plan(Submission(title=title, abstract=ABSTRACT), vocabulary)
    assert reparsed(addition).title == title


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    title=st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60
    ).filter(lambda t: t.strip()),
    abstract=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(
        lambda t: t.strip()
    ),
)
def test_any_title_and_abstract_round_trip(
    vocabulary: Vocabulary, title: str, abstract: str
) -> None:
    addition = plan(Submission(title=title, abstract=abstract), vocabulary)
    paper = reparsed(addition)
    assert paper.title == title.strip()
    assert paper == addition.paper
    assert not has_raw_html(parse_page(addition.text, path=addition.path).raw.body)


def test_from_entry_takes_a_listing_entry(vocabulary: Vocabulary) -> None:
    entry = SourceEntry(
        title="Pointer Networks",
        abstract=ABSTRACT,
        line=3,
        author_count=3,
        published=dt.date(2015, 6, 9),
    )
    sub = Submission.from_entry(entry, arxiv="1506.03134", tags=("surveys",))
    paper = plan(sub, vocabulary).paper
    assert (paper.published, paper.author_count, paper.arxiv) == (
        dt.date(2015, 6, 9),
        3,
        "1506.03134",
    )
    assert "surveys" in paper.tags


# --- writing -------------------------------------------------------------------------


def test_add_paper_writes_the_page(archive: Project, vocabulary: Vocabulary) -> None:
    addition = add_paper(
        archive, Submission(title="Pointer Networks", abstract=ABSTRACT), today=TODAY
    )
    written = archive.root / addition.path
    assert written.read_text(encoding="utf-8") == addition.text
    assert [p.name for p in archive.pages_dir.iterdir()] == ["pointer-networks.md"]  # no temp left
    with pytest.raises(DuplicatePaperError):
        add_paper(archive, Submission(title="Pointer Networks", abstract=ABSTRACT), today=TODAY)
    assert written.read_text(encoding="utf-8") == addition.text


def test_never_overwrites_an_existing_file(archive: Project, vocabulary: Vocabulary) -> None:
    addition = plan(Submission(title="Pointer Networks", abstract=ABSTRACT), vocabulary)
    target = archive.root / addition.path
    target.write_text("someone else's file\n", encoding="utf-8")
    with pytest.raises(PageExistsError, match="never replaces"):
        write_addition(addition, root=archive.root)
    assert target.read_text(encoding="utf-8") == "someone else's file\n"
    target.unlink()
    target.symlink_to(archive.root / "elsewhere.md")  # dangling: exists() is False
    with pytest.raises(PageExistsError):
        write_addition(addition, root=archive.root)
    assert not (archive.root / "elsewhere.md").exists()


# --- the command line ----------------------------------------------------------------


def papers(project: Project, *args: str) -> int:
    return cli.main(["--root", str(project.root), *args])


@pytest.fixture
def abstract_file(tmp_path: Path) -> Path:
    path = tmp_path / "abstract.txt"
    path.write_text(ABSTRACT + "\n", encoding="utf-8")
    return path


def test_cli_add_prints_the_path_and_the_next_step(
    archive: Project, abstract_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = papers(
        archive,
        "add",
        "--title",
        "Pointer Networks",
        "--abstract-file",
        str(abstract_file),
        "--published",
        "2015-06-09",
        "--tag",
        "surveys",
        "--author",
        "Oriol Vinyals",
        "--code",
        "https://example.org/ptr",
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "wrote docs/papers/pointer-networks.md" in out
    assert "git add docs/papers/pointer-networks.md && git commit" in out
    assert "pull request" in out
    meta = parse_page(
        (archive.pages_dir / "pointer-networks.md").read_text(encoding="utf-8"), path="x"
    ).meta
    assert meta["authors"] == ["Oriol Vinyals"] and meta["code"] == ["https://example.org/ptr"]
    assert "surveys" in meta["tags"]


def test_cli_add_refusals_exit_1_with_the_reason(
    archive: Project, abstract_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["add", "--abstract-file", str(abstract_file)]
    assert papers(archive, *base, "--title", "Pointer Networks") == 0
    capsys.readouterr()
    assert papers(archive, *base, "--title", "pointer networks") == 1
    assert "docs/papers/pointer-networks.md: the archive already has" in capsys.readouterr().err
    assert papers(archive, *base, "--title", "Other", "--tag", "llm") == 1
    err = capsys.readouterr().err
    assert "unknown tag 'llm' (did you mean llms" in err
    with pytest.raises(SystemExit) as usage:  # argparse's usage error
        papers(archive, *base, "--title", "Other", "--published", "2024-13-01")
    assert usage.value.code == 2
    assert "not a date" in capsys.readouterr().err
    assert papers(archive, "add", "--title", "Other", "--abstract-file", "missing.txt") == 1
    assert "missing.txt: cannot read the abstract" in capsys.readouterr().err
    assert sorted(p.name for p in archive.pages_dir.iterdir()) == ["pointer-networks.md"]


def test_cli_add_needs_a_terminal_to_prompt(
    archive: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert papers(archive, "add") == 2
    assert "give --title and --abstract-file" in capsys.readouterr().err
    assert papers(archive, "add", "--title", "Only a title") == 2
    assert "both required" in capsys.readouterr().err


def test_cli_add_reads_the_abstract_from_stdin(
    archive: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ABSTRACT))
    assert papers(archive, "add", "--title", "Pointer Networks", "--abstract-file", "-") == 0
    text = (archive.pages_dir / "pointer-networks.md").read_text(encoding="utf-8")
    assert text.endswith(f"{ABSTRACT}\n")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _scripted(answers: list[str], asked: list[str]) -> add.Ask:
    replies: Iterator[str] = iter(answers)

    def ask(prompt: str) -> str:
        asked.append(prompt)
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    return ask


def test_prompts_in_a_terminal_ask_again_on_bad_answers(archive: Project) -> None:
    args = cli.build_parser().parse_args(["--root", str(archive.root), "add"])
    out = io.StringIO()
    asked: list[str] = []
    answers = [
        "",  # no title: asked again
        "Pointer Networks",
        "arXiv:1506.03134v2",  # normalised, as --arxiv-id does
        "We introduce a new neural architecture",
        "that points at its input.",
        "",
        "2015-13-45",  # not a date: asked again
        "2015-06-09",
        "Oriol Vinyals",
        "Meire Fortunato",
        "",
        "sequence-modles",  # unknown: asked again, with the close one
        "surveys",
        "ftp://nope",  # not http(s): asked again
        "https://example.org/ptr",
    ]
    code = add.run(
        args, Console(out=out, err=out), stdin=_Terminal(), ask=_scripted(answers, asked)
    )
    shown = out.getvalue()
    assert code == 0, shown
    assert "a title is needed" in shown
    assert "is not a date" in shown
    assert "did you mean sequence-models" in shown
    assert "'ftp://nope' is not an http(s) URL" in shown
    assert "wrote docs/papers/pointer-networks.md" in shown
    paper = Paper.from_front_matter(
        parse_page(
            (archive.pages_dir / "pointer-networks.md").read_text(encoding="utf-8"), path="x"
        ).meta
    )
    assert paper.authors == ("Oriol Vinyals", "Meire Fortunato")
    assert paper.published == dt.date(2015, 6, 9)
    assert paper.code == ("https://example.org/ptr",)
    assert "surveys" in paper.tags
    assert paper.arxiv == "1506.03134"
    assert any(prompt.startswith("arXiv id") for prompt in asked)


def test_prompts_ask_for_an_arxiv_id_and_refuse_a_bad_one(archive: Project) -> None:
    """The id is asked for right after the title; a malformed one is explained and
    asked again; an empty answer records none."""
    args = cli.build_parser().parse_args(["--root", str(archive.root), "add"])
    out = io.StringIO()
    asked: list[str] = []
    answers = ["Attention Is All You Need", "1706.xyz", "1706.03762", "An abstract.", ""]
    answers += ["", "", "", ""]  # published, authors, tags, code: all empty
    code = add.run(
        args, Console(out=out, err=out), stdin=_Terminal(), ask=_scripted(answers, asked)
    )
    assert code == 0, out.getvalue()
    assert "not an arXiv identifier: '1706.xyz'" in out.getvalue()
    assert asked[1] == asked[2] and asked[1].startswith("arXiv id")
    text = (archive.pages_dir / "attention-is-all-you-need.md").read_text(encoding="utf-8")
    assert Paper.from_front_matter(parse_page(text, path="x").meta).arxiv == "1706.03762"


@pytest.mark.parametrize("not_a_name", ["2020-06-19", "19/06/2020", "2020", "1234 5678", "---"])
def test_prompts_refuse_an_author_that_is_not_a_name(archive: Project, not_a_name: str) -> None:
    """A date or a number given as an author is explained and asked again; the names
    around it are kept, in order."""
    args = cli.build_parser().parse_args(["--root", str(archive.root), "add"])
    out = io.StringIO()
    answers = ["Pointer Networks", "", "An abstract.", "", "2015-06-09"]
    answers += ["Oriol Vinyals", not_a_name, "Meire Fortunato", "", "", ""]
    code = add.run(args, Console(out=out, err=out), stdin=_Terminal(), ask=_scripted(answers, []))
    shown = out.getvalue()
    assert code == 0, shown
    assert f"{not_a_name!r}" in shown and "not an author's name" in shown
    text = (archive.pages_dir / "pointer-networks.md").read_text(encoding="utf-8")
    paper = Paper.from_front_matter(parse_page(text, path="x").meta)
    assert paper.authors == ("Oriol Vinyals", "Meire Fortunato")


def test_author_flag_refuses_a_date(archive: Project, capsys: pytest.CaptureFixture[str]) -> None:
    abstract = archive.root / "abstract.txt"
    abstract.write_text("An abstract.", encoding="utf-8")
    flags = ["--title", "Pointer Networks", "--abstract-file", str(abstract)]
    with pytest.raises(SystemExit) as exit_:
        papers(archive, "add", *flags, "--author", "2020-06-19")
    assert exit_.value.code == 2
    assert "'2020-06-19' looks like a date, not an author's name" in capsys.readouterr().err
    assert list(archive.pages_dir.iterdir()) == []


def test_prompts_ended_early_write_nothing(archive: Project) -> None:
    args = cli.build_parser().parse_args(["--root", str(archive.root), "add"])
    out = io.StringIO()
    code = add.run(
        args, Console(out=out, err=out), stdin=_Terminal(), ask=_scripted(["A Title"], [])
    )
    assert code == 1
    assert "cancelled: nothing written" in out.getvalue()
    assert list(archive.pages_dir.iterdir()) == []
