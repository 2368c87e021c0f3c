"""Hostile math against the reader's tab (issue 17 §5).

An abstract of ``$\\sqrt{\\sqrt{…x…}}$`` 160 levels deep passed `papers validate` and
the strict build, and crashed Chromium's tab on that paper's page. Math is bounded at
`validate` and in the build (paper_archive/mathbounds.py), and the page's renderer
(docs/assets/math.js) applies the same bounds before KaTeX sees a span, so a page that
carries such math anyway (a stale cache, a page the checks never saw) stays alive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from paper_archive.text import mathbounds

from tests.browser import Page, serve
from tests.sitebuild import build_site, make_site, paper
from tests.test_hostile_pages import build_fails, build_warns, error_lines, papers

N = mathbounds.MAX_DEPTH


def sqrt(levels: int) -> str:
    return "\\sqrt{" * levels + "x" + "}" * levels


#: TeX a hostile page may carry; each over a bound (the id says which).
HOSTILE = {
    "sqrt-160": sqrt(160),
    "sqrt-over": sqrt(N + 1),
    "left-right": "\\left(" * (N + 1) + "x" + "\\right)" * (N + 1),
    "environments": "\\begin{matrix}" * (N + 1) + "x" + "\\end{matrix}" * (N + 1),
    "sqrt-optional": "\\sqrt[" * (N + 1) + "3" + "]{x}" * (N + 1),
    "superscripts": "x^{" * (N + 1) + "2" + "}" * (N + 1),
    "bgroup": "\\bgroup " * (N + 1) + "x" + " \\egroup" * (N + 1),
    "long": "x+" * (mathbounds.MAX_CHARS // 2) + "y",
    "macro": "\\def\\a#1{\\sqrt{\\sqrt{#1}}}\\a{\\a{\\a{x}}}",
    "newcommand": "\\newcommand{\\b}[1]{#1}\\b{x}",
}
#: Within every bound: rendered.
FINE = {
    "at-depth": sqrt(N),
    "at-length": "x+" * ((mathbounds.MAX_CHARS - 1) // 2) + "y",
    "everyday": "\\mathcal{O}(n \\log n) \\leq \\frac{a^{2}}{\\sqrt{b_{i}}}",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path / "site",
        [paper("Pointer Networks", tags=("llms",), abstract="We learn $x^2$ with pointers.")],
    )


def _page(root: Path, body: str, *, title: str = "Deep Math") -> tuple[Path, int]:
    """A paper page whose abstract is ``body``; the line the abstract is on."""
    path = root / "docs/papers/deep-math.md"
    path.write_text(
        f"---\ntitle: '{title}'\ntags: []\nadded: 2026-11-23\n---\n\n# {title}\n\n{body}\n",
        "utf-8",
    )
    return path, 9


#: Every (form, TeX) pair over a bound, by test id.
OVER_THE_BOUNDS = {
    f"{form}-{name}": (form, tex)
    for name, tex in HOSTILE.items()
    for form in ("${}$", "$${}$$", "\\({}\\)", "\\[{}\\]")
}


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str], dict[str, str]]:
    """One site holding a page per pair of OVER_THE_BOUNDS (``deep-math-<n>.md``), all
    given to one run of the real ``papers validate``: its exit code, its error lines and
    each case's ``page:line`` (the abstract's line). One subprocess instead of one per case (issue 18: ~0.3 s of
    CPU each); validate reads every file it is given and names each file's problems."""
    root = make_site(tmp_path_factory.mktemp("hostile-math") / "site")
    pages: dict[str, str] = {}
    for number, (case, (form, tex)) in enumerate(OVER_THE_BOUNDS.items()):
        title = f"Deep Math {number}"
        path, line = _page(
            root, "Intro text. " + form.replace("{}", tex) + " More text.", title=title
        )
        pages[case] = f"{path.rename(path.with_name(f'deep-math-{number}.md')).name}:{line}"
    paths = [str(root / "docs/papers" / page.split(":")[0]) for page in pages.values()]
    result = papers(root, "validate", *paths)
    return result.returncode, error_lines(result.stdout), pages


@pytest.mark.parametrize("case", list(OVER_THE_BOUNDS))
def test_validate_refuses_math_over_the_bounds(
    validated: tuple[int, list[str], dict[str, str]], case: str
) -> None:
    returncode, errors, pages = validated
    assert returncode == 1, errors
    where = f"docs/papers/{pages[case]}: error: math"
    assert any(e.startswith(where) for e in errors), (where, errors)


def test_validate_refuses_deep_math_in_a_title_and_in_a_site_page(site: Path) -> None:
    _page(site, "Text.", title=f"Deep ${sqrt(N + 1)}$ Title")
    about = site / "docs/about.md"
    lines = about.read_text("utf-8").split("\n")
    lines.insert(2, f"$${sqrt(160)}$$")
    about.write_text("\n".join(lines), "utf-8")
    result = papers(site, "validate")
    errors = error_lines(result.stdout)
    assert any(e.startswith("docs/papers/deep-math.md:2: error: math nests") for e in errors), (
        errors
    )
    assert any(e.startswith("docs/about.md:3: error: math nests 160") for e in errors), errors


def test_validate_passes_math_within_the_bounds(site: Path) -> None:
    _page(site, " ".join(f"${tex}$" for tex in FINE.values()))
    result = papers(site, "validate", str(site / "docs/papers/deep-math.md"))
    assert result.returncode == 0, result.stdout


def test_build_refuses_a_page_with_deep_math(site: Path, caplog: pytest.LogCaptureFixture) -> None:
    _, line = _page(site, f"An abstract with ${sqrt(160)}$ in it.")
    messages = build_fails(site, caplog, strict=True)
    assert any(
        m.startswith(f"docs/papers/deep-math.md:{line}: error: math nests") for m in messages
    )
    caplog.clear()
    out, _ = build_warns(site, caplog)
    assert not (out / "papers/deep-math").exists()


@pytest.mark.browser
def test_chromium_math_js_keeps_the_tab_alive_on_math_that_bypassed_the_checks(
    site: Path, browser: object
) -> None:
    """A built paper page whose math is replaced by hostile spans, as a stale cache or
    an unchecked page would carry them: the tab does not crash, answers, shows each
    hostile span as its source, and renders what is within the bounds (math.js and
    mathbounds.py agree on every sample)."""
    out = build_site(site)
    page_file = out / "papers/pointer-networks/index.html"
    built = page_file.read_text("utf-8")
    marker = '<span class="arithmatex">\\(x^2\\)</span>'
    assert marker in built
    samples = {**HOSTILE, **FINE, "href": "\\href{javascript:alert(1)}{x}"}
    spans = "".join(
        f'<span class="arithmatex" id="m-{name}">\\({tex}\\)</span> '
        for name, tex in samples.items()
    )
    page_file.write_text(built.replace(marker, spans, 1), "utf-8")

    opened = Page(browser)
    crashed: list[bool] = []
    opened.page.on("crash", lambda _: crashed.append(True))
    try:
        with serve(out) as base:
            opened.page.goto(base + "papers/pointer-networks/")
            opened.page.wait_for_function(
                "n => document.querySelectorAll('.arithmatex[data-pa-math]').length >= n",
                arg=len(samples),
                timeout=20_000,
            )
            states = opened.page.evaluate(
                "() => Object.fromEntries([...document.querySelectorAll('[id^=m-]')]"
                ".map(e => [e.id.slice(2), e.getAttribute('data-pa-math')]))"
            )
            texts = opened.page.evaluate(
                "() => Object.fromEntries([...document.querySelectorAll('[id^=m-]')]"
                ".map(e => [e.id.slice(2), e.textContent]))"
            )
            script_links = opened.page.evaluate(
                "() => document.querySelectorAll('a[href^=javascript]').length"
            )
        assert not crashed
        for name, tex in samples.items():
            refused = any(mathbounds.problems(f"${tex}$"))
            assert states[name] == ("refused" if refused else "rendered"), (name, states[name])
            if refused:
                assert texts[name] == f"\\({tex}\\)"  # the source, as it was
        assert script_links == 0 and opened.dialogs == []
    finally:
        opened.close()
