"""The site's settings (issue 19 §3): mkdocs.yml's ``extra.paper_archive``, typed,
documented, checked, and each one changing the real build it names.

The builds run on pages the tests generate: 30 papers in one topic whose abstracts
share words with their neighbours (each has six close enough to be related), and two
papers that match one word in the title and in the abstract, to rank.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from paper_archive.settings import (
    SearchBoosts,
    Settings,
    SettingsError,
    documented,
    key_lines,
    settings_from_extra,
    settings_in_text,
)

from . import REPO
from .browser import fetch, free_port
from .lunr_node import run as lunr_node
from .papers_cli import papers
from .polling import until
from .serving import ctrl_c, serve_process
from .sitebuild import build_site, make_site, paper

MKDOCS = Path(sys.executable).with_name("mkdocs")
NOUNS = """anchor basalt cobalt dune ember fjord glacier harbor island jungle kelp lagoon
meadow nectar orchid prairie quartz reef savanna tundra umber valley willow yarrow zephyr
atoll bayou canyon delta estuary""".split()  # noqa: SIM905
WINDOW = 5  # words of each abstract: paper i shares 4, 3, 2, 1 with i±1, ±2, ±3, ±4
TOPIC = "llms"
TITLE_HIT = "Lantern Design"  # the ranking pair: "lantern" in the title…
ABSTRACT_HIT = "Unrelated Beacon Notes"  # … and, many times, in the abstract


def _papers() -> list[Any]:
    out = [
        paper(
            f"{NOUNS[i].capitalize()} and {NOUNS[(i + 1) % len(NOUNS)]} systems",
            tags=(TOPIC,),
            published=dt.date(2020 + i % 3, 1 + i % 12, 1),
            added=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            abstract=" ".join(NOUNS[(i + j) % len(NOUNS)] for j in range(WINDOW)) + ".",
        )
        for i in range(len(NOUNS))
    ]
    out.append(paper(TITLE_HIT, published=dt.date(2021, 5, 1), abstract="Glass and light."))
    out.append(
        paper(
            ABSTRACT_HIT,
            published=dt.date(2021, 6, 1),
            abstract="A lantern, a lantern and a lantern: lantern lantern lantern.",
        )
    )
    return out


def _set(root: Path, **values: Any) -> None:
    """Change ``extra.paper_archive`` in ``root``'s mkdocs.yml (a dotted key for a boost)."""
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        name = key.rpartition(".")[2]
        shown = yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()
        text, count = re.subn(
            rf"(?m)^(\s+{re.escape(name)}:)[^\n#]*?(\s*(#.*)?)$",
            rf"\g<1> {shown}\g<2>",
            text,
            count=1,
        )
        assert count == 1, key
    path.write_text(text, encoding="utf-8")


def _list_pages(site: Path) -> int:
    return len(list((site / "tags" / TOPIC).glob("**/index.html")))


def _related_count(html: str) -> int:
    """How many papers a paper page's related list names."""
    found = re.search(r'<ul class="pa-related">(.*?)</ul>', html, re.DOTALL)
    return found.group(1).count("<li>") if found else 0


def _related_lengths(site: Path) -> list[int]:
    return [
        _related_count(page.read_text(encoding="utf-8"))
        for page in sorted((site / "papers").glob("*/index.html"))
    ]


def _bundle(site: Path) -> dict[str, str]:
    """The built site's sharded search bundle: file name -> text."""
    folder = site / "assets" / "search"
    return {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.json")}


def _ranked(site: Path, query: str) -> list[str]:
    """The URLs the engine (in Node) answers ``query`` with, from the built bundle."""
    return _answer(_bundle(site), query)


def _answer(files: dict[str, str], query: str) -> list[str]:
    (manifest,) = [name for name in files if name.startswith("manifest.")]
    request = {"files": files, "manifest": manifest, "queries": [query]}
    (answer,) = lunr_node("sharded", request)  # type: ignore[misc]
    return [url for url, _ in answer["results"]]


def _urls(files: dict[str, str]) -> dict[str, str]:
    """Each paper's title -> URL, from the bundle's result fragments."""
    return {
        title: url
        for name, text in files.items()
        if name.startswith("frag.")
        for title, url, *_ in json.loads(text)
    }


def _title_url(site: Path, title: str) -> str:
    return _urls(_bundle(site))[title]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated papers built with mkdocs.yml as committed (every default)."""
    root = make_site(tmp_path_factory.mktemp("settings") / "default", _papers())
    build_site(root)
    return root


# -- the one statement of the settings ---------------------------------------------


def test_mkdocs_yml_states_every_setting_at_its_default() -> None:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert settings_in_text(text) == Settings()
    stated = {".".join(key) for key in key_lines(text) if key and key != ("search_boosts",)}
    assert stated == {key for key, _, _ in documented()}


def test_docs_page_documents_every_setting_with_its_default() -> None:
    page = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = re.findall(r"(?m)^\| `([a-z_.]+)` \| `([^`]*)` \|", page)
    shown = {True: "true", False: "false"}  # as YAML writes them
    assert rows == [
        (key, shown[default] if isinstance(default, bool) else str(default))
        for key, default, _ in documented()
    ]
    nav = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", "x", (REPO / "mkdocs.yml").read_text("utf-8")))
    assert "settings.md" in json.dumps(nav["nav"])


# -- the checks: every bad key named, at its line ------------------------------------

BAD = """\
site_name: x
extra:
  paper_archive:
    per_page: ten
    related_count: 0
    feed_length: 50.5
    cache_dir: ../elsewhere
    search_boosts:
      title: high
      abstract: 0
      body: 3
    per_pge: 20
"""


def test_every_bad_setting_is_refused_naming_the_key_and_its_line() -> None:
    with pytest.raises(SettingsError) as caught:
        settings_in_text(BAD)
    assert str(caught.value).splitlines() == [
        "mkdocs.yml:4: extra.paper_archive.per_page: must be an integer from 10 to 1000, got 'ten'",
        "mkdocs.yml:5: extra.paper_archive.related_count: must be an integer from 1 to 20, got 0",
        "mkdocs.yml:6: extra.paper_archive.feed_length: must be an integer from 1 to 1000, got 50.5",
        "mkdocs.yml:7: extra.paper_archive.cache_dir: must be a folder of the project, a relative "
        "path of plain names (letters, digits, '.', '_', '-') such as .paper-archive-cache, "
        "got '../elsewhere'",
        "mkdocs.yml:9: extra.paper_archive.search_boosts.title: must be a number from 0.1 to 100, "
        "got 'high'",
        "mkdocs.yml:10: extra.paper_archive.search_boosts.abstract: must be a number from 0.1 to "
        "100, got 0",
        "mkdocs.yml:11: extra.paper_archive.search_boosts.body: unknown setting; the settings are "
        "title, arxiv, tags, year, abstract, authors",
        "mkdocs.yml:12: extra.paper_archive.per_pge: unknown setting; did you mean per_page? the "
        "settings are per_page, related_count, feed_length, shared_chrome, cache_dir, "
        "search_boosts",
    ]
    assert caught.value.location is not None and caught.value.location.line == 4


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([1], "extra.paper_archive: must be a mapping of settings, got a list"),
        ({"per_page": True}, "per_page: must be an integer from 10 to 1000, got true"),
        ({"per_page": 9}, "per_page: must be an integer from 10 to 1000, got 9"),
        ({"per_page": 1001}, "per_page: must be an integer from 10 to 1000, got 1001"),
        ({"related_count": None}, "related_count: must be an integer from 1 to 20, got nothing"),
        ({"shared_chrome": "no"}, "shared_chrome: must be true or false, got 'no'"),
        ({"shared_chrome": 0}, "shared_chrome: must be true or false, got 0"),
        ({"cache_dir": "/tmp/x"}, "cache_dir: must be a folder of the project"),
        ({"cache_dir": "docs/cache"}, "cache_dir: must not be in the project's docs/ folder"),
        ({"cache_dir": "a//b"}, "cache_dir: must be a folder of the project"),
        ({"cache_dir": 3}, "cache_dir: must be a folder of the project"),
        ({"search_boosts": 5}, "search_boosts: must be a mapping of settings, got 5"),
        ({"search_boosts": {"year": float("nan")}}, "search_boosts.year: must be a number"),
        ({"search_boosts": {"year": 101}}, "search_boosts.year: must be a number from 0.1 to 100"),
    ],
)
def test_a_bad_value_is_refused(given: object, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from_extra({"paper_archive": given})
    assert str(caught.value).startswith("mkdocs.yml: extra.paper_archive")
    assert message in str(caught.value)


def test_good_values_are_read_and_the_rest_defaulted() -> None:
    assert settings_from_extra({}) == settings_from_extra({"paper_archive": None}) == Settings()
    got = settings_from_extra(
        {
            "paper_archive": {
                "per_page": 10,
                "related_count": 20,
                "cache_dir": "build/pa-cache",
                "search_boosts": {"title": 2.0, "abstract": 0.5},
            },
            "social": [],  # the rest of extra: the theme's, not ours
        }
    )
    assert got == Settings(
        per_page=10,
        related_count=20,
        cache_dir="build/pa-cache",
        search_boosts=SearchBoosts(title=2, abstract=0.5),
    )
    assert type(got.search_boosts.title) is int  # 2.0 and 2 make the same index


def test_settings_in_text_refuses_what_mkdocs_alone_would_resolve() -> None:
    """``papers validate`` reads mkdocs.yml without MkDocs: ``!ENV`` elsewhere is fine,
    inside the settings it is named."""
    assert settings_in_text("site_url: !ENV [X, 'y']\nextra: {}\n") == Settings()
    with pytest.raises(SettingsError, match=r"^mkdocs.yml:3: extra.paper_archive: .*!ENV"):
        settings_in_text("extra:\n  paper_archive:\n    cache_dir: !ENV CACHE\n")


# -- real builds ----------------------------------------------------------------------


def test_settings_change_the_build_and_nothing_made_before_is_reused(
    default_build: Path, tmp_path: Path
) -> None:
    """Built with the defaults, then again in the same process and the same project with
    other values: the list pages, the related lists, the feed and the search ranking
    follow, though the memos and the cache hold what the first build made."""
    root = default_build
    site = root / "site"
    per_topic = len(NOUNS)
    assert _list_pages(site) == 1
    lengths = _related_lengths(site)
    assert max(lengths) == Settings().related_count and lengths.count(5) >= per_topic
    assert site.joinpath("feed.xml").read_text("utf-8").count("<entry>") == per_topic + 2
    title_first, abstract_first = _title_url(site, TITLE_HIT), _title_url(site, ABSTRACT_HIT)
    assert _ranked(site, "lantern")[:2] == [title_first, abstract_first]

    _set(
        root,
        per_page=10,
        related_count=3,
        feed_length=7,
        **{"search_boosts.title": 1, "search_boosts.abstract": 50},
    )
    again = build_site(root, site=tmp_path / "again")
    assert _list_pages(again) == -(-per_topic // 10)
    assert (again / "tags" / TOPIC / "page" / "3" / "index.html").is_file()
    lengths = _related_lengths(again)
    assert max(lengths) == 3 and lengths.count(3) >= per_topic
    assert again.joinpath("feed.xml").read_text("utf-8").count("<entry>") == 7
    assert _ranked(again, "lantern")[:2] == [abstract_first, title_first]
    # Both related lists are cached, each under a key that holds its length.
    cached = sorted((root / ".paper-archive-cache" / "related").glob("related-*.json"))
    assert len(cached) == 1  # the newest only (older ones are dropped)
    assert all(len(items) <= 3 for items in json.loads(cached[0].read_text("utf-8"))["lists"])


def test_cache_dir_moves_the_cache_and_changes_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")  # both builds on one day
    root = make_site(tmp_path / "moved", _papers())
    _set(root, cache_dir="build-cache/pa")
    site = build_site(root)
    cache = root / "build-cache" / "pa"
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == [
        "exports",
        "pages",
        "related",
        "search",
    ]
    assert not (root / ".paper-archive-cache").exists()
    default = make_site(tmp_path / "again", _papers())
    assert _tree(site) == _tree(build_site(default))


def test_a_bad_setting_fails_mkdocs_build_naming_the_key(tmp_path: Path) -> None:
    root = make_site(tmp_path / "bad", _papers()[:2])
    _set(root, per_page="ten", related_count=0)
    text = (root / "mkdocs.yml").read_text("utf-8")
    text = text.replace("    feed_length:", "    feed_lenght: 9\n    feed_length:")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    lines = key_lines(text)
    built = subprocess.run(
        [MKDOCS, "build", "--strict", "--site-dir", str(tmp_path / "out")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 1, built.stderr
    assert "Traceback" not in built.stderr
    expected = [
        (
            lines[("per_page",)],
            "extra.paper_archive.per_page: must be an integer from 10 to 1000, got 'ten'",
        ),
        (
            lines[("related_count",)],
            "extra.paper_archive.related_count: must be an integer from 1 to 20, got 0",
        ),
        (
            lines[("feed_lenght",)],
            "extra.paper_archive.feed_lenght: unknown setting; did you mean feed_length?",
        ),
    ]
    for line, message in expected:
        assert f"mkdocs.yml:{line}: {message}" in built.stderr, built.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not (root / ".paper-archive-cache").exists()  # stopped before anything is made

    checked = papers(root, "validate")  # CI's first step says the same, at the same lines
    assert checked.returncode == 1
    for line, message in expected:
        assert f"mkdocs.yml:{line}: error: {message}" in checked.stdout, checked.stdout


def test_validate_follows_cache_dir(tmp_path: Path) -> None:
    """A file committed in the cache the settings name is refused, wherever it is."""
    root = make_site(tmp_path / "tracked", [])
    _set(root, cache_dir="build-cache")
    (root / "build-cache" / "related").mkdir(parents=True)
    (root / "build-cache" / "related" / "related-0.json").write_text("{}", encoding="utf-8")
    git = shutil.which("git") or "git"
    for args in (["init", "-q"], ["add", "--force", "-A"]):
        subprocess.run([git, *args], cwd=root, check=True, capture_output=True)
    checked = papers(root, "validate")
    assert checked.returncode == 1
    assert (
        "build-cache/related/related-0.json:1: error: a file of the build cache is committed"
        in (checked.stdout)
    )


def _until(what: str, check: Callable[[], object], seconds: float = 90) -> None:
    until(what, check, seconds)


@pytest.mark.slow  # a real `mkdocs serve` in a subprocess
def test_serve_follows_a_settings_change(tmp_path: Path) -> None:
    """`mkdocs serve --dirty` (the README's command): saving mkdocs.yml with other
    settings rebuilds with them; nothing the process remembered from the settings
    before (the related index of 5 a paper, the pages of 100) is served again."""
    root = make_site(tmp_path / "site", _papers())
    address = f"127.0.0.1:{free_port()}"
    log = (tmp_path / "serve.log").open("w")
    server = serve_process(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", address],
        cwd=root,
        tmpdir=tmp_path / "tmpdir",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stderr=log,
    )
    base = f"http://{address}/"
    paper_page = f"{base}papers/anchor-and-basalt-systems/"

    def related(count: int) -> bool:
        return _related_count(fetch(paper_page) or "") == count

    def served_files() -> dict[str, str] | None:
        """The served sharded bundle: file name -> text (names with the serve key)."""
        text = fetch(f"{base}assets/search/manifest.serve.json")
        if text is None:
            return None
        manifest = json.loads(text)
        names = [
            manifest["facets"],
            *(f"terms.serve.{i}.json" for i in range(len(manifest["dictionary"]))),
            *(f"post.serve.{i}.json" for i in range(len(manifest["shards"]))),
            *(f"frag.serve.{i}.json" for i in range(-(-manifest["docs"] // manifest["fragments"]))),
        ]
        files = {"manifest.serve.json": text}
        for name in names:
            content = fetch(f"{base}assets/search/{name}")
            if content is None:
                return None
            files[name] = content
        return files

    def boosts(expected: list[float]) -> bool:
        text = fetch(f"{base}assets/search/manifest.serve.json")
        return text is not None and json.loads(text)["boosts"] == expected

    try:
        _until("the site is served with 5 related papers a page", lambda: related(5))
        _until(
            "the served bundle has the default boosts", lambda: boosts([10, 10, 3, 2, 1, 1, 2, 4])
        )
        _set(root, related_count=3, per_page=10, **{"search_boosts.abstract": 50})
        _until("the paper page lists 3 related papers", lambda: related(3))
        _until(
            "the topic has a third page", lambda: fetch(f"{base}tags/{TOPIC}/page/3/") is not None
        )
        _until("the served bundle has the new boosts", lambda: boosts([10, 10, 3, 2, 50, 1, 2, 4]))
        files = served_files()
        assert files is not None
        assert _answer(files, "lantern")[:1] == [_urls(files)[ABSTRACT_HIT]]
        _set(root, related_count=5)  # back: the lists of 5, not the index of 3
        _until("the paper page lists 5 related papers again", lambda: related(5))
    finally:
        ctrl_c(server)
        log.close()
