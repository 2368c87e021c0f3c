"""The serve layer (paper_archive/serve/) only makes rebuilds faster: with it and
without it, the site is the same, byte for byte.

One project is built twice in one process through MkDocs' API, as ``mkdocs serve
--dirty`` rebuilds it: once whole, then, after an edit to a paper and to a topic, as a
dirty rebuild with everything the first build remembered (memo, parsed entries, page
texts, the ledger of outputs). A second project, edited alike, is built once by a
:class:`PaperArchive` whose serve layer is off (``Process(remember=False)``: every
result computed afresh, every page rendered). Every file of the two sites compares
equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from paper_archive.serve.process import Mode, Process

from .sitebuild import config_with, make_site, site_files


def _edit(root: Path) -> None:
    page = sorted((root / "docs" / "papers").glob("*.md"))[3]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.rstrip("\n") + " Edited with a new zyxwvut word.\n", encoding="utf-8")
    tags = root / "data" / "tags.yaml"
    text = tags.read_text(encoding="utf-8")
    assert "description: " in text
    tags.write_text(text.replace("description: ", "description: Edited. ", 1), encoding="utf-8")


@pytest.mark.slow  # three builds of the seed's 543 pages
def test_the_serve_layer_changes_no_byte_of_the_site(tmp_path: Path) -> None:
    served_root = make_site(tmp_path / "served", with_seed=True)
    served = tmp_path / "served-site"
    process = Process(mode=Mode(serving=False, dirty=True))
    build(config_with(served_root, served, process))
    _edit(served_root)
    # not strict: MkDocs warns that a dirty build is one (as `mkdocs serve --dirty` does)
    build(config_with(served_root, served, process, strict=False), dirty=True)
    assert len(process.memo) > 0 and process.ledger.has_ledger(str(served))  # it was used

    plain_root = make_site(tmp_path / "plain", with_seed=True)
    _edit(plain_root)
    plain = tmp_path / "plain-site"
    build(config_with(plain_root, plain, Process(remember=False)))

    with_layer, without = site_files(served), site_files(plain)
    # `mkdocs build --dirty` leaves the bundle of the build before in place, unnamed by
    # any page (as on main; `mkdocs serve --dirty` names one bundle <kind>.serve.json)
    old = {p for p in set(with_layer) - set(without) if p.startswith("assets/search/")}
    assert sorted(set(with_layer) - old) == sorted(without)
    edited = [path for path, data in with_layer.items() if b"zyxwvut" in data]
    assert any(path.startswith("papers/") for path in edited)  # the edit was rebuilt
    different = [path for path in without if with_layer[path] != without[path]]
    assert different == []
