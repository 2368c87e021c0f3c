"""Compiled templates kept between the builds of one process (serve/template_code.py):
with Jinja's own environments and loaders, and through MkDocs' own builds."""

from __future__ import annotations

from pathlib import Path
from types import CodeType

import jinja2
import pytest
from paper_archive.serve.template_code import MemoryBytecodeCache, for_environment

from ..sitebuild import build_site, make_site


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


EDITED = '{% block extrahead %}<meta name="pa-edited" content="1">'


def test_every_build_of_a_process_shares_the_themes_compiled_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real builds through MkDocs' API, as a test run or a script that builds twice does:
    the second site compiles only its own overrides, never Material's templates again,
    and an override edited between builds is compiled again and shows."""
    compiled: list[str] = []
    original = jinja2.Environment._compile

    def counting(self: jinja2.Environment, source: str, filename: str) -> CodeType:
        compiled.append(filename)
        return original(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counting)
    first, second = (make_site(tmp_path / name, with_seed=True, sample=100) for name in "ab")
    build_site(first)  # compiles the theme, unless a build of this process did before

    compiled.clear()
    override = second / "overrides" / "main.html"
    text = override.read_text(encoding="utf-8")
    assert "{% block extrahead %}" in text
    override.write_text(text.replace("{% block extrahead %}", EDITED, 1), encoding="utf-8")
    site = build_site(second)
    # only the second site's own overrides (its own files): none of Material's templates
    assert compiled
    assert [name for name in compiled if not Path(name).is_relative_to(second)] == []
    assert '<meta name="pa-edited" content="1">' in (site / "index.html").read_text("utf-8")


def test_environments_configured_apart_never_share_code(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>{{ title }}</p><p><< title >></p>", encoding="utf-8")
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
    angled = jinja2.Environment(
        loader=jinja2.FileSystemLoader(tmp_path),
        variable_start_string="<<",
        variable_end_string=">>",
    )
    assert for_environment(plain) is for_environment(
        jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
    )
    assert for_environment(plain) is not for_environment(angled)
    plain.bytecode_cache, angled.bytecode_cache = for_environment(plain), for_environment(angled)
    assert plain.get_template("page.html").render(title="A") == "<p>A</p><p><< title >></p>"
    assert angled.get_template("page.html").render(title="B") == "<p>{{ title }}</p><p>B</p>"
