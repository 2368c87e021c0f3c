"""Hostile pull requests against the site's own pages and the theme's files (issue 17 §2).

The site's pages (docs/about.md, docs/index.md, docs/search.md, …) are pages too: their
front matter reaches the theme, which prints it unescaped. Each case goes through the
real components: the `papers` CLI in a subprocess on a copy of the site, a real strict
MkDocs build of it, and Chromium on the built site.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import Path

import pytest
from paper_archive.disk import sitepages, themefiles
from paper_archive.disk.layout import SITE_FILES

from tests.browser import Page, serve
from tests.sitebuild import make_site, paper
from tests.test_hostile_pages import (
    build_fails,
    build_warns,
    error_lines,
    papers,
    site_text,
    snapshot,
)

IMG = "<img src=x onerror=\"document.title='pwned';alert(1)\">"
B64 = base64.b64encode(IMG.encode()).decode()

#: (id, site page, front matter put before the page's text, line of the first error,
#: what that error says). Every value that reaches HTML, every key the theme reads, and
#: every way of writing YAML that builds something other than text.
VARIANTS = [
    (
        "description-yaml-escapes",
        "about.md",
        '---\ndescription: "\\x3c/title\\x3e\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"\n---\n',
        2,
        "description holds HTML markup",
    ),
    (
        "title-yaml-escapes",
        "contribute.md",
        '---\ntitle: "\\u003cimg src=x onerror=alert(1)\\u003e"\n---\n',
        2,
        "title holds HTML markup",
    ),
    (
        "title-binary",
        "about.md",
        f"---\ntitle: !!binary {B64}\n---\n",
        2,
        "the YAML tag !!binary is not allowed",
    ),
    (
        "title-python-tag",
        "index.md",
        "---\ntitle: !!python/object/apply:os.system ['touch /tmp/pa-pwned']\n---\n",
        2,
        "invalid YAML in front matter",
    ),
    ("title-set", "about.md", "---\ntitle: !!set {a, b}\n---\n", 2, "!!set is not allowed"),
    ("title-int", "about.md", "---\ntitle: 12\n---\n", 2, "title must be text (a string)"),
    ("title-list", "about.md", "---\ntitle:\n  - a\n  - b\n---\n", 2, "title must be text"),
    ("title-null", "about.md", "---\ntitle:\n---\n", 2, "title must be text"),
    ("title-newline", "about.md", '---\ntitle: "a\\nb"\n---\n', 2, "one line of text"),
    ("title-too-long", "about.md", f"---\ntitle: {'x' * 301}\n---\n", 2, "over the limit"),
    (
        "description-date",
        "security.md",
        "---\ndescription: 2024-01-01\n---\n",
        2,
        "description must be text (a string), found date",
    ),
    (
        "redirect-template",
        "about.md",
        '---\ntemplate: redirect.html\nlocation: \'"].join(""));alert(1);//\'\n---\n',
        2,
        "template 'redirect.html' is not one a site page may use",
    ),
    (
        "template-traversal",
        "about.md",
        "---\ntemplate: ../../etc/passwd\n---\n",
        2,
        "template '../../etc/passwd' is not one",
    ),
    ("template-list", "search.md", "---\ntemplate: [search.html]\n---\n", 2, "template ["),
    (
        "hide-nonsense",
        "search.md",
        "---\nhide:\n  - toc\n  - nonsense\n---\n",
        4,
        "hide: 'nonsense'",
    ),
    ("hide-not-a-list", "search.md", "---\nhide: toc\n---\n", 2, "hide must be a list"),
    ("hide-twice", "search.md", "---\nhide: [toc, toc]\n---\n", 2, "listed twice"),
    (
        "unknown-author",
        "about.md",
        "---\nauthor: '\\x22 onload=x'\n---\n",
        2,
        "unknown key 'author'",
    ),
    (
        "unknown-icon",
        "about.md",
        "---\nicon: ../../../../etc/passwd\n---\n",
        2,
        "unknown key 'icon'",
    ),
    (
        "unknown-status",
        "about.md",
        "---\nstatus: 'x\" onmouseover=alert(1)'\n---\n",
        2,
        "unknown key",
    ),
    ("non-string-key", "about.md", "---\n1: x\n---\n", 2, "unknown key 1"),
    ("not-a-mapping", "about.md", "---\n- title\n---\n", 2, "must be a mapping"),
    ("dots-closer", "about.md", "---\ntemplate: redirect.html\n...\n", 2, "template 'redirect"),
    (
        "crlf",
        "about.md",
        f"---\r\ntitle: !!binary {B64}\r\n---\r\n",
        2,
        "!!binary is not allowed",
    ),
    ("bom", "about.md", "\ufeff---\ntemplate: redirect.html\n---\n", 2, "template 'redirect"),
    (
        "multimarkdown",
        "about.md",
        "Template: redirect.html\nLocation: x\n\n",
        1,
        "read by MkDocs as metadata",
    ),
    ("anchors", "about.md", "---\ntitle: &a About\ndescription: *a\n---\n", 2, "anchors"),
    ("duplicate-key", "about.md", "---\ntitle: A\ntitle: B\n---\n", 3, "duplicate key"),
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", [paper("Pointer Networks", tags=("llms",))])


def prepend(root: Path, name: str, front: str) -> Path:
    path = root / "docs" / name
    body = path.read_text("utf-8")
    if body.startswith("---\n"):  # the page's own front matter gives way to the variant's
        body = body.split("\n---\n", 1)[1]
    path.write_bytes((front + body).encode("utf-8"))
    return path


#: The site pages a variant may be put on: the rules are the same for every site page
#: (paper_archive/disk/sitepages.py); the variants written for search.md stay there.
#: Every Markdown page the site lists as its own (layout.py SITE_FILES) but search.md.
PAGES = tuple(
    name.removeprefix("docs/")
    for name in SITE_FILES
    if name.endswith(".md") and "/" not in name.removeprefix("docs/") and name != "docs/search.md"
)


def _rounds() -> list[dict[str, tuple[str, str, str, int, str]]]:
    """The variants in rounds, each round one copy of the site and one ``papers
    validate`` (4 runs for the 28 variants, was 28; issue 18): each variant goes on the
    first page free in a round (its own page first), no page takes two."""
    rounds: list[dict[str, tuple[str, str, str, int, str]]] = []
    for variant in VARIANTS:
        pages = (variant[1],) if variant[1] == "search.md" else (variant[1], *PAGES)
        for taken in rounds:
            free = [page for page in pages if page not in taken]
            if free:
                taken[free[0]] = variant
                break
        else:
            rounds.append({pages[0]: variant})
    return rounds


ROUNDS = _rounds()


@pytest.mark.parametrize(
    "placed", [pytest.param(r, id="+".join(v[0] for v in r.values())) for r in ROUNDS]
)
def test_validate_refuses_site_front_matter_outside_the_allow_list(
    site: Path, placed: dict[str, tuple[str, str, str, int, str]]
) -> None:
    for name, (_, _, front, _, _) in placed.items():
        prepend(site, name, front)
    before = snapshot(site)
    result = papers(site, "validate")
    assert result.returncode == 1, result.stdout
    for name, (case, _, _, line, message) in placed.items():  # each variant, by its id
        errors = [e for e in error_lines(result.stdout) if e.startswith(f"docs/{name}:")]
        assert any(e.startswith(f"docs/{name}:{line}: error: ") and message in e for e in errors), (
            case,
            name,
            errors or result.stdout,
        )
    assert snapshot(site) == before
    assert not Path("/tmp/pa-pwned").exists()


def test_validate_passes_the_site_pages_as_committed(site: Path) -> None:
    """The committed site pages (title, template, hide on search.md) are within it."""
    result = papers(site, "validate")
    assert result.returncode == 0, result.stdout


#: One hostile variant per site page, for the builds (each id from VARIANTS).
BUILD_CASES = {
    "about.md": "description-yaml-escapes",
    "contribute.md": "title-binary",
    "security.md": "redirect-template",
    "benchmarks.md": "multimarkdown",
    "architecture.md": "template-traversal",
    "search.md": "hide-nonsense",
}


#: What a reader's browser would run or follow; a build before the checks published them.
BROWSER_CASES = {name: BUILD_CASES[name] for name in ("about.md", "contribute.md", "security.md")}


def _hostile_site(site: Path, cases: dict[str, str] = BUILD_CASES) -> dict[str, int]:
    by_id = {v[0]: v for v in VARIANTS}
    lines = {}
    for name, case in cases.items():
        _, _, front, line, _ = by_id[case]
        prepend(site, name, front)
        lines[name] = line
    return lines


def test_build_refuses_hostile_site_pages_naming_file_and_line(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lines = _hostile_site(site)
    messages = build_fails(site, caplog, strict=True)
    for name, line in lines.items():
        assert any(m.startswith(f"docs/{name}:{line}: error: ") for m in messages), (name, messages)

    caplog.clear()
    out, warnings = build_warns(site, caplog)  # mkdocs serve: left out, never published
    for name in lines:
        assert f"docs/{name}: left out of the site" in warnings, warnings
        assert not (out / name.removesuffix(".md") / "index.html").exists()
    text = site_text(out)  # counted, not `in`: pytest's diff of the whole site never ends
    assert text.count("alert(1)") == 0 and text.count('http-equiv="refresh"') == 0
    assert (out / "index.html").is_file()


def test_build_gives_the_theme_the_checked_front_matter_escaped(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A description and a title that pass (text with quotes and ampersands) reach the
    page escaped, and only the checked keys reach the theme."""
    description = "Papers & \"quotes\" 'single' > all"
    prepend(
        site,
        "about.md",
        f"---\ntitle: Tom & \"Jerry\"\ndescription: '{description.replace(chr(39), chr(39) * 2)}'\n---\n",
    )
    assert papers(site, "validate").returncode == 0
    out, warnings = build_warns(site, caplog)
    assert not [w for w in warnings if "about.md" in w], warnings
    page = (out / "about/index.html").read_text("utf-8")
    assert f'<meta name="description" content="{html.escape(description)}">' in page
    assert (
        "<title>Tom &amp; &#34;Jerry&#34; - " in page
        or "<title>Tom &amp; &quot;Jerry&quot; - " in page
    )


def test_chromium_runs_no_script_from_a_site_pages_front_matter(
    site: Path, browser: object, caplog: pytest.LogCaptureFixture
) -> None:
    """The reader's view of a non-strict build (mkdocs serve) of a pull request that
    puts a hostile front matter in each site page, and one that passes the checks but
    is full of quotes: no dialog, no injected element, the description read back whole."""
    _hostile_site(site, BROWSER_CASES)
    description = 'He said "quoted" & left, 1 < 2 > 0'
    prepend(site, "index.md", f"---\ntitle: Home\ndescription: '{description}'\n---\n")
    out, _ = build_warns(site, caplog)
    opened = Page(browser)
    try:
        with serve(out) as base:
            for name in ("", "about/", "contribute/", "security/", "search/"):
                response = opened.page.goto(base + name)
                assert response is not None
                if response.status == 404:  # left out of the site
                    continue
                opened.page.wait_for_load_state("load")
                injected = opened.page.evaluate(
                    "() => document.querySelectorAll('[onerror], [onload], "
                    "meta[http-equiv=refresh]').length"
                )
                assert injected == 0, name
                assert opened.page.title() != "pwned"
            opened.page.goto(base)
            content = opened.page.evaluate(
                "() => document.querySelector('meta[name=description]').content"
            )
            assert content == description
        assert opened.dialogs == []
    finally:
        opened.close()


def test_sitepages_allow_list_matches_what_the_committed_pages_use(repo: Path) -> None:
    for path in sorted((repo / "docs").glob("*.md")):
        meta, problems = sitepages.front_matter(path.read_text("utf-8"))
        assert problems == [], path
        assert set(meta) <= set(sitepages.KEYS)


# --- theme files ---------------------------------------------------------------------


def test_theme_files_outside_the_list_are_refused_and_not_published(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (site / "overrides/evil.htm").write_text("<script>alert('htm')</script>", "utf-8")
    (site / "overrides/assets").mkdir()
    (site / "overrides/assets/x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script></svg>', "utf-8"
    )
    result = papers(site, "validate")
    assert result.returncode == 1, result.stdout
    errors = error_lines(result.stdout)
    for path in ("overrides/evil.htm", "overrides/assets/x.svg"):
        assert any(e.startswith(f"{path}:1: error: not one of the theme's files") for e in errors)

    messages = build_fails(site, caplog, strict=True)
    assert any(m.startswith("overrides/evil.htm:1: error:") for m in messages), messages
    assert any(m.startswith("overrides/assets/x.svg:1: error:") for m in messages), messages
    caplog.clear()
    out, warnings = build_warns(site, caplog)
    assert "overrides/evil.htm: left out of the site" in warnings
    assert not (out / "evil.htm").exists() and not (out / "assets/x.svg").exists()
    assert site_text(out).count("alert(") == 0
    assert (out / "partials/search-boot.js").is_file()  # a listed theme file is published


def _template(theme: Path) -> str:
    (theme / "partials/footer.html").write_text("<script>alert('footer')</script>", "utf-8")
    return "overrides/partials/footer.html"


def _link(theme: Path) -> str:
    (theme / "env.txt").symlink_to("/proc/self/environ")
    return "overrides/env.txt"


def _folder_link(theme: Path) -> str:
    (theme / "linked").symlink_to(theme.parent / "docs")
    return "overrides/linked"


@pytest.mark.parametrize("make", [_template, _link, _folder_link])
def test_theme_templates_and_links_outside_the_list_stop_the_build(
    site: Path, caplog: pytest.LogCaptureFixture, make: Callable[[Path], str]
) -> None:
    path = make(site / "overrides")
    result = papers(site, "validate")
    assert result.returncode == 1, result.stdout
    assert any(e.startswith(f"{path}:1: error: ") for e in error_lines(result.stdout)), (
        result.stdout
    )
    for strict in (True, False):  # not even mkdocs serve builds it
        messages = build_fails(site, caplog, strict=strict)
        assert any(f"{path}:1: error: " in m for m in messages), messages
        caplog.clear()


def test_theme_files_the_committed_theme_is_within_the_list(repo: Path) -> None:
    assert themefiles.scan(repo) == []
    assert {
        p.relative_to(repo).as_posix() for p in (repo / "overrides").rglob("*") if p.is_file()
    } == set(themefiles.THEME_FILES)
