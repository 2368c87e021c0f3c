"""Ordinary pull requests, as contributors write them, applied to a copy of the repository.

Each change is one a contributor makes by following CONTRIBUTING.md; none of them breaks
anything, so the whole test suite must stay green after all of them (tests/
test_contributor_suite.py runs it). The famous papers are here on purpose: a test that
searched the live archive for "attention" or "human feedback" would rank them first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from paper_archive import cli
from paper_archive.disk.pages import paper_of, parse_page, render_page
from paper_archive.record.model import Paper
from paper_archive.record.slugs import base_slug, title_key
from paper_archive.record.tagging import load_vocabulary
from paper_archive.text.safe import inert

ADDED = dt.date(2026, 12, 6)

#: Papers added by hand (with and without ids), as `papers add` would write them.
NEW_PAPERS = (
    Paper(
        title="Attention Is All You Need",
        added=ADDED,
        tags=("sequence-models",),
        published=dt.date(2017, 6, 12),
        author_count=8,
        authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"),
        arxiv="1706.03762",
        abstract=(
            "The dominant sequence transduction models are based on complex recurrent or "
            "convolutional neural networks. We propose a new simple network architecture, "
            "the Transformer, based solely on attention mechanisms."
        ),
    ),
    Paper(
        title="Training language models to follow instructions with human feedback",
        added=ADDED,
        tags=("llms",),
        published=dt.date(2022, 3, 4),
        abstract=(
            "Making language models bigger does not inherently make them better at following "
            "a user's intent. We fine-tune GPT-3 with reinforcement learning from human "
            "feedback, on prompts and labeler-written demonstrations."
        ),
    ),
    Paper(
        title="A Transformer for Typos",
        added=ADDED,
        tags=("llms",),
        abstract="We train a transfromer (sic) on misspelled text and fix the spelling.",
    ),
    # TeX in the title and the abstract, with the characters HTML reserves
    Paper(
        title=r"$\mathcal{O}(n \log n)$ Attention for Very Long Sequences",
        added=ADDED,
        tags=("transformers",),
        published=dt.date(2025, 1, 2),
        author_count=1,
        authors=("Ada Lovelace",),
        arxiv="2501.01234",
        abstract=inert(
            r"We attend over $n$ tokens in $\mathcal{O}(n \log n)$ time, where $x < y$ "
            "& memory is $O(n)$."
        ),
    ),
    # a title and authors beyond ASCII, published on a leap day
    Paper(
        title="Über-Parametrisierte Netze: Généralisation et Mémoire",
        added=ADDED,
        tags=("deep-learning-theory",),
        published=dt.date(2024, 2, 29),
        author_count=2,
        authors=("Zoë Łukasiewicz", "José Núñez"),
        abstract=(
            "Nous étudions la mémoire des réseaux sur-paramétrés. Wir zeigen, dass "
            "Über-Parametrisierung generalisiert."
        ),
    ),
    # five topics, a code link (its notes are added below)
    Paper(
        title="A Survey of Everything in Deep Learning",
        added=ADDED,
        tags=("deep-learning-theory", "llms", "optimization", "surveys", "transformers"),
        published=dt.date(2023, 7, 1),
        author_count=12,
        authors=("Grace Hopper",),
        arxiv="2307.00001",
        code=("https://github.com/example/everything",),
        abstract=(
            "We survey deep learning: attention, diffusion, language models, optimisation "
            "and theory."
        ),
    ),
)

#: The id `papers enrich` would add to a seed page; another page and id when the archive
#: already has it (:func:`_enrichment`).
ENRICHED = ("pointer-networks.md", "1506.03134")

#: A tag a contributor proposes (no page matches its rules yet, so ingest changes nothing).
NEW_TAG = {
    "slug": "protein-design",
    "name": "Protein design",
    "description": "Designing proteins with learned models of structure and sequence.",
    "rule": "\\bprotein design\\b",
}

#: A tag whose rules match pages already in the archive: `papers ingest` adds it to them.
MATCHING_TAG = {
    "slug": "attention-mechanisms",
    "name": "Attention mechanisms",
    "description": "How models attend to parts of their input, and what it costs.",
    "rule": "\\battention\\b",
}

TAG_ENTRY = """
  - slug: {slug}
    name: {name}
    description: {description}
    match:
      title: ['{rule}']
"""

#: The first topic of data/tags.yaml renamed and described differently, whichever it
#: is: a pull request that edits the vocabulary changes no expectation here.
REWORDED = {"name": "{} (renamed)", "description": "{} Reworded by a contributor."}

NOTES = "\n## Notes\n\nA contributor's note: the code is linked from the authors' page.\n"

#: The pages the notes go to, when the archive has them (else pages without notes).
NOTED = (
    "deep-learning-is-robust-to-massive-label-noise.md",
    f"{base_slug(NEW_PAPERS[-1].title)}.md",
)


def apply(root: Path) -> list[str]:
    """Make every change in the repository copy at ``root``; returns the paths changed.

    The changes fit the archive they are applied to, as a contributor's would: a paper
    the archive already has (its file name, its title once folded or its arXiv id) is
    not added again, the id goes to a page without one, a tag's slug and name are new,
    the notes go to pages that exist. So the live archive's own growth (this list's
    famous papers added for real, the id enriched, the tags taken) never fails it."""
    pages = root / "docs" / "papers"
    parsed = {
        page.name: parse_page(page.read_text(encoding="utf-8"), path=f"docs/papers/{page.name}")
        for page in sorted(pages.glob("*.md"))
    }
    archive = {name: paper_of(page, path=f"docs/papers/{name}") for name, page in parsed.items()}
    titles = {title_key(paper.title) for paper in archive.values()}
    ids = {paper.arxiv for paper in archive.values() if paper.arxiv}
    changed = []
    for paper in NEW_PAPERS:
        path = pages / f"{base_slug(paper.title)}.md"
        if path.exists() or title_key(paper.title) in titles or paper.arxiv in ids:
            continue  # the archive has it already
        path.write_text(render_page(paper), encoding="utf-8")
        changed.append(path)
    enrichment = _enrichment(archive, ids)
    if enrichment is not None:
        name, arxiv = enrichment
        path = pages / name
        enriched = dataclasses.replace(archive[name], arxiv=arxiv)  # as `papers enrich` writes it
        path.write_text(render_page(enriched, body=parsed[name].body), encoding="utf-8")
        changed.append(path)
    for noted in _noted(pages):
        noted.write_text(noted.read_text(encoding="utf-8") + NOTES, encoding="utf-8")
        changed.append(noted)
    tags = root / "data" / "tags.yaml"
    text = tags.read_text(encoding="utf-8")
    for key, wording in REWORDED.items():
        line = re.search(rf"^    {key}: ([^>|\s].*)$", text, re.MULTILINE)  # one line
        assert line is not None, f"no {key} in data/tags.yaml"
        reworded = f"    {key}: {wording.format(line[1])}"
        text = text[: line.start()] + reworded + text[line.end() :]
    taken = load_vocabulary(tags).tags
    slugs, names = {tag.slug for tag in taken}, {tag.name.casefold() for tag in taken}
    for tag in (NEW_TAG, MATCHING_TAG):
        slug, name, number = tag["slug"], tag["name"], 1
        while slug in slugs or name.casefold() in names:  # the archive has this tag already
            number += 1
            slug, name = f"{tag['slug']}-{number}", f"{tag['name']} {number}"
        slugs.add(slug)
        names.add(name.casefold())
        text = text.rstrip("\n") + "\n" + TAG_ENTRY.format(**{**tag, "slug": slug, "name": name})
    tags.write_text(text, encoding="utf-8")
    changed.append(tags)
    # The new tag's rules applied to the archive, as its pull request would commit them.
    before = {page: page.read_bytes() for page in pages.glob("*.md")}
    assert cli.main(["--root", str(root), "--quiet", "ingest"]) == 0
    retagged = [page for page, text in before.items() if page.read_bytes() != text]
    assert retagged, "the matching tag matched no page: pick another rule"
    changed += [page for page in retagged if page not in changed]
    return sorted({path.relative_to(root).as_posix() for path in changed})


def _enrichment(archive: dict[str, Paper], ids: set[str]) -> tuple[str, str] | None:
    """The page `papers enrich` would give an id, and the id: :data:`ENRICHED` while
    the archive lacks both, else the first page without an id and the first id
    2612.NNNNN not taken; none when every page has one."""
    name, arxiv = ENRICHED
    if name in archive and archive[name].arxiv is None and arxiv not in ids:
        return ENRICHED
    bare = [page for page, paper in archive.items() if paper.arxiv is None]
    if not bare:
        return None
    number = 1
    while f"2612.{number:05d}" in ids:
        number += 1
    return bare[0], f"2612.{number:05d}"


def _noted(pages: Path) -> list[Path]:
    """The pages a contributor adds notes to: :data:`NOTED` where the archive has them,
    else the first pages (by name) without notes."""
    chosen = [pages / name for name in NOTED if (pages / name).exists()]
    for page in sorted(pages.glob("*.md")):
        if len(chosen) == len(NOTED):
            break
        if page not in chosen and "## Notes" not in page.read_text(encoding="utf-8"):
            chosen.append(page)
    return chosen
