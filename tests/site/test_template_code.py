"""Compiled templates kept between the builds of one `mkdocs serve` process
(serve/template_code.py), with Jinja's own environments and loaders."""

from __future__ import annotations

from pathlib import Path

import jinja2
from paper_archive.serve.template_code import MemoryBytecodeCache


class _Counting(jinja2.Environment):
    compiled = 0

    def _compile(self, source: str, filename: str):  # type: ignore[no-untyped-def]
        _Counting.compiled += 1
        return super()._compile(source, filename)


def _env(folder: Path, cache: MemoryBytecodeCache) -> jinja2.Environment:
    # A new environment per build, as MkDocs makes one.
    return _Counting(loader=jinja2.FileSystemLoader(folder), bytecode_cache=cache)


def test_a_template_compiles_once_per_process_and_again_when_edited(tmp_path: Path) -> None:
    cache = MemoryBytecodeCache()
    (tmp_path / "page.html").write_text("<p>{{ title | e }}</p>", encoding="utf-8")
    _Counting.compiled = 0
    assert _env(tmp_path, cache).get_template("page.html").render(title="A&B") == "<p>A&amp;B</p>"
    assert _env(tmp_path, cache).get_template("page.html").render(title="C") == "<p>C</p>"
    assert _Counting.compiled == 1  # the second build's environment reused the code

    (tmp_path / "page.html").write_text("<h1>{{ title | e }}</h1>", encoding="utf-8")
    assert _env(tmp_path, cache).get_template("page.html").render(title="D") == "<h1>D</h1>"
    assert _Counting.compiled == 2  # the source's checksum changed: compiled again

    cache.clear()
    assert _env(tmp_path, cache).get_template("page.html").render(title="E") == "<h1>E</h1>"
    assert _Counting.compiled == 3
