"""The contributor suite's changes fit any archive, the live one as it grows included.

tests/test_contributor_suite.py applies tests/contributor_changes.py to a copy of the
repository, live archive and all. The archive grows by exactly such pull requests: the
famous papers added for real, `papers enrich` giving pointer-networks its id, a tag
taken. Applied to an archive that already has every one of its changes (the frozen
corpus after a first application), a second application must still make a valid pull
request, not fail on what the first one left.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from paper_archive.disk.pages import load_paper
from paper_archive.record.model import Paper
from paper_archive.record.slugs import title_key
from paper_archive.record.tagging import load_vocabulary

from . import CORPUS, REPO
from .contributor_changes import ENRICHED, MATCHING_TAG, NEW_PAPERS, NEW_TAG, apply
from .contributor_env import contributor_git as git


def _papers(root: Path) -> dict[str, Paper]:
    return {
        page.name: load_paper(page.read_text(encoding="utf-8"), path=page.name)
        for page in sorted((root / "docs" / "papers").glob("*.md"))
    }


def test_the_changes_apply_again_to_an_archive_that_has_them(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    shutil.copytree(CORPUS / "data", root / "data")
    shutil.copytree(CORPUS / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "seed")

    seed_ids = sum(1 for paper in _papers(root).values() if paper.arxiv)
    runs = []
    for _ in range(2):  # the second: the archive has every change of the first
        changed = apply(root)
        listed = git(root, "status", "--porcelain", "--untracked-files=all")
        assert sorted(line[3:] for line in listed.splitlines()) == changed
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "PR")
        runs.append(changed)

    papers = _papers(root)
    for paper in NEW_PAPERS:  # each famous paper once, not added again
        same = [name for name, p in papers.items() if title_key(p.title) == title_key(paper.title)]
        assert len(same) == 1, (paper.title, same)
    first_new = {path for path in runs[0] if path.startswith("docs/papers/")}
    assert len(first_new) > len(NEW_PAPERS)  # added, enriched, noted, retagged
    name, arxiv = ENRICHED
    assert papers[name].arxiv == arxiv
    ids = [p.arxiv for p in papers.values() if p.arxiv]
    added_ids = sum(1 for paper in NEW_PAPERS if paper.arxiv)
    assert len(ids) == len(set(ids)) == seed_ids + added_ids + 2  # and one enriched by each
    slugs = {tag.slug for tag in load_vocabulary(root / "data" / "tags.yaml").tags}
    for tag in (NEW_TAG, MATCHING_TAG):  # taken by the first: the second's is new
        assert {tag["slug"], f"{tag['slug']}-2"} <= slugs
    assert "data/tags.yaml" in runs[1]
