"""Ingest with richer entries: merging by arXiv id, then title; category tags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from paper_archive.disk.pages import render_page
from paper_archive.errors import VocabularyError
from paper_archive.files import yamlio
from paper_archive.ingest import merge_entries, plan_ingest
from paper_archive.record.model import Paper
from paper_archive.record.tagging import Vocabulary, parse_vocabulary
from paper_archive.sources import Source
from paper_archive.sources.entry import SourceEntry
from paper_archive.sources.load import LoadedSource

DAY = dt.date(2026, 11, 23)
ABSTRACT = "We study a problem at length and report what we found in many experiments."


def loaded(source_id: str, *entries: SourceEntry) -> LoadedSource:
    return LoadedSource(Source(id=source_id, path=Path(f"{source_id}.json")), tuple(entries))


def entry(title: str, **extra: object) -> SourceEntry:
    return SourceEntry(title=title, abstract=extra.pop("abstract", ABSTRACT), line=1, **extra)  # type: ignore[arg-type]


def test_same_arxiv_id_merges_across_titles() -> None:
    candidates, listed, merged = merge_entries(
        [
            loaded("a", entry("Neural ODEs", arxiv="1806.07366", categories=("cs.LG",))),
            loaded(
                "b",
                entry(
                    "Neural Ordinary Differential Equations",
                    arxiv="1806.07366",
                    authors=("Ricky T. Q. Chen",),
                    categories=("cs.LG", "stat.ML"),
                ),
            ),
            loaded("c", entry("neural ordinary differential equations")),  # by title alias
        ],
        today=DAY,
    )
    assert (listed, merged, len(candidates)) == (3, 2, 1)
    (cand,) = candidates
    assert cand.title == "Neural ODEs"  # first source wins
    assert cand.authors == ("Ricky T. Q. Chen",)  # filled from the second
    assert cand.categories == ("cs.LG", "stat.ML")
    assert cand.sources == ("a", "b", "c")


def test_same_title_without_ids_merges_and_keeps_both_ids_apart_from_others() -> None:
    candidates, _, merged = merge_entries(
        [
            loaded("a", entry("Pointer Networks"), entry("Other Paper", arxiv="2403.00001")),
            loaded("b", entry("POINTER networks", arxiv="1506.03134")),
        ],
        today=DAY,
    )
    assert merged == 1
    pointer = next(c for c in candidates if c.key == "pointer networks")
    assert pointer.arxiv == "1506.03134" and pointer.sources == ("a", "b")


def page(title: str, **extra: object) -> str:
    return render_page(Paper(title=title, added=DAY, abstract=ABSTRACT, **extra))  # type: ignore[arg-type]


def test_existing_page_found_by_arxiv_id_despite_another_title(vocabulary: Vocabulary) -> None:
    pages = {"docs/papers/neural-odes.md": page("Neural ODEs", arxiv="1806.07366", sources=("x",))}
    plan = plan_ingest(
        [loaded("new", entry("A Retitled Paper", arxiv="1806.07366", authors=("A. Author",)))],
        pages,
        vocabulary,
        pages_dir="docs/papers",
        today=DAY,
    )
    (action,) = plan.actions
    assert (action.kind, action.path) == ("update", "docs/papers/neural-odes.md")
    assert action.changes == ("authors", "sources")
    assert action.text is not None
    meta = yamlio.load(action.text.split("---\n")[1])
    assert meta["title"] == "Neural ODEs"  # a page from other sources keeps its title
    assert meta["sources"] == ["new", "x"]
    assert meta["authors"] == ["A. Author"]


def test_page_made_from_the_same_source_still_reports_hand_edits(vocabulary: Vocabulary) -> None:
    pages = {
        "docs/papers/pointer-networks.md": page(
            "Pointer Networks", sources=("s",), published=dt.date(2015, 6, 1)
        )
    }
    plan = plan_ingest(
        [loaded("s", entry("Pointer Networks", published=dt.date(2015, 6, 9)))],
        pages,
        vocabulary,
        pages_dir="docs/papers",
        today=DAY,
    )
    (action,) = plan.actions
    assert action.kind == "conflict" and action.conflicts == ("published",)


def test_two_candidates_for_one_page_are_not_both_applied(vocabulary: Vocabulary) -> None:
    pages = {"docs/papers/paper-a.md": page("Paper A", arxiv="2403.00001", sources=("x",))}
    plan = plan_ingest(
        [loaded("n", entry("Paper B", arxiv="2403.00001"), entry("paper a", arxiv="2403.00002"))],
        pages,
        vocabulary,
        pages_dir="docs/papers",
        today=DAY,
    )
    assert [a.path for a in plan.actions] == ["docs/papers/paper-a.md"]
    assert len(plan.skipped) == 1 and "merge them by hand" in plan.skipped[0][1]


def test_new_page_gets_category_tags(vocabulary: Vocabulary) -> None:
    orpo = "ORPO: Monolithic Preference Optimization without Reference Model"
    assert "natural-language-processing" not in vocabulary.tag(orpo, ABSTRACT)
    plan = plan_ingest(
        [loaded("n", entry(orpo, arxiv="2403.07691", categories=("cs.CL", "cs.AI")))],
        {},
        vocabulary,
        pages_dir="docs/papers",
        today=DAY,
    )
    (action,) = plan.actions
    assert action.text is not None
    meta = yamlio.load(action.text.split("---\n")[1])
    assert "natural-language-processing" in meta["tags"]
    assert meta["arxiv"] == "2403.07691"


@pytest.mark.parametrize(
    ("categories", "tags"),
    [
        (["cs.CL"], ("natural-language-processing",)),
        (["cs.CV", "cs.CR"], ("computer-vision", "robustness")),
        (["q-bio.BM"], ("ai-for-science",)),  # a whole archive
        (["quant-ph"], ("ai-for-science",)),
        (["cs.LG", "stat.ML"], ()),  # too broad to mean a tag
        ([], ()),
    ],
)
def test_categories_map_onto_tags(
    vocabulary: Vocabulary, categories: list[str], tags: tuple[str, ...]
) -> None:
    assert vocabulary.for_categories(categories) == tags


@pytest.mark.parametrize("value", ["cs.CL", "[cs CL]", "[1]", "['../x']"])
def test_bad_arxiv_categories_name_the_tag(value: str) -> None:
    text = f"tags:\n  - slug: a\n    name: A\n    description: d\n    match: {{title: ['x']}}\n    arxiv_categories: {value}\n"
    with pytest.raises(VocabularyError, match="tag 'a': 'arxiv_categories' must be a list"):
        parse_vocabulary(text, path="data/tags.yaml")
