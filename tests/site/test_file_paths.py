"""MkDocs' paths of a file, kept from one build to the next (serve/file_paths.py): the
same as MkDocs' own for every File, whatever it was made from."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File
from paper_archive.serve.file_paths import FilePaths, Paths


def _mkdocs(file: File) -> Paths:
    return Paths(file.abs_src_path, file.url, file.abs_dest_path)


def _file(
    uri: str,
    *,
    docs: str = "/p/docs",
    site: str = "/p/site",
    urls: bool = True,
    dest: str | None = None,
) -> File:
    made = File(uri, docs, site, urls, dest_uri=dest)
    assert made.dest_uri  # as MkDocs' get_files asks each file first
    return made


URIS = ("papers/a-b.md", "index.md", "tags/x/README.md", "about.md", "assets/a b.css", "x%y.md")


def test_known_paths_are_mkdocs_own_for_files_made_alike_or_not() -> None:
    paths = FilePaths()
    for uri in URIS:
        assert paths.of(_file(uri)) == _mkdocs(_file(uri))
    paths.done()
    again = _file("papers/a-b.md")
    assert again.abs_src_path  # asked for already, as plugin/site_pages.py does
    assert paths.of(again) == _mkdocs(_file("papers/a-b.md"))
    assert "url" not in vars(again)  # given back, not worked out again
    paths.done()
    for made in (
        {},  # the same as last build
        {"urls": False},  # use_directory_urls changed (mkdocs.yml edited)
        {"docs": "/q/docs"},
        {"site": "/q/site"},
        {"dest": "other/place.html"},  # an output path a plugin set, then given back
        {"dest": "other/place.html"},
    ):
        for uri in URIS:
            assert paths.of(_file(uri, **made)) == _mkdocs(_file(uri, **made)), (uri, made)
        paths.done()


def test_a_file_whose_paths_were_set_is_asked() -> None:
    paths = FilePaths()
    paths.of(_file("papers/a.md"))
    paths.done()
    moved = _file("papers/a.md")
    moved.dest_uri = "elsewhere/a.html"  # as a plugin may
    assert paths.of(moved) == _mkdocs(_file("papers/a.md", dest="elsewhere/a.html"))
    assert paths.of(moved).abs_dest_path == str(Path("/p/site/elsewhere/a.html"))
    made = _file("papers/b.md")  # as File.generated does
    made.abs_src_path = "/cache/b.md"
    assert paths.of(made).abs_src_path == "/cache/b.md"
    paths.done()
    linked = _file("papers/b.md")
    linked.url = "elsewhere/"  # a URL a plugin set: the File's own, not the one before
    assert paths.of(linked) == Paths(
        "/p/docs/papers/b.md", "elsewhere/", "/p/site/papers/b/index.html"
    )


def test_only_the_last_build_is_kept() -> None:
    paths = FilePaths()
    paths.of(_file("papers/a.md"))
    paths.done()
    paths.done()  # a build that asked for nothing
    assert paths._known == {}
