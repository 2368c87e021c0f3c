"""site/stylesheet.py: a page's stylesheets joined into one file in their order, every
relative url() reaching the file it reached before; what cannot be joined unchanged in
meaning is refused (the pages then keep their links)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import material
import pytest
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.site.stylesheet import (
    PATH,
    NotJoined,
    combine,
    one_link,
    rebase_url,
    rebase_urls,
    theme_stylesheets,
)

from .. import REPO

KATEX = "assets/vendor/katex/katex.min.css"
MATERIAL = Path(material.__file__).parent / "templates"


def _rebased(css: str) -> str:
    """``css`` as a sheet at KATEX's path, rewritten for the joined file's."""
    return rebase_urls(css, KATEX, PATH)


# -- joining ---------------------------------------------------------------------------


def test_sheets_are_joined_in_order_with_one_charset_first() -> None:
    joined = combine(
        [
            (
                "assets/stylesheets/main.css",
                '@charset "UTF-8";html{a:1}\n/*# sourceMappingURL=main.css.map */\n',
            ),
            ("assets/stylesheets/palette.css", "b{c:2}/*# sourceMappingURL=palette.css.map*/"),
            (KATEX, '\ufeff@charset "utf-8";@font-face{src:url(fonts/K.woff2) format("woff2")}'),
            (
                "assets/archive.css",
                "/* ours */\nd{e:url(\"data:image/svg+xml;charset=utf-8,<svg x='1'/>\")}\n",
            ),
        ]
    )
    assert joined is not None
    assert joined.path == PATH == "assets/stylesheets/site.css"
    assert joined.sheets == (
        "assets/stylesheets/main.css",
        "assets/stylesheets/palette.css",
        KATEX,
        "assets/archive.css",
    )
    assert joined.text == (
        '@charset "UTF-8";html{a:1}\n'
        "b{c:2}\n"
        '@font-face{src:url(../vendor/katex/fonts/K.woff2) format("woff2")}\n'
        "/* ours */\nd{e:url(\"data:image/svg+xml;charset=utf-8,<svg x='1'/>\")}\n"
    )


def test_no_charset_without_one_declared() -> None:
    joined = combine([("a.css", "a{b:c}"), ("b.css", "d{e:f}")])
    assert joined is not None and joined.text == "a{b:c}\nd{e:f}\n"


def test_the_sites_own_sheets_join_and_katexs_fonts_are_found_from_the_joined_file(
    tmp_path: Path,
) -> None:
    """Material's two sheets (as its base.html names them), KaTeX's and archive.css:
    Material's first bytes first, no source map left, each url() that is not data:
    reaching a file of the site from the joined file's folder."""
    material_sheets = theme_stylesheets((MATERIAL / "base.html").read_text(encoding="utf-8"))
    assert [re.sub(r"\.[0-9a-f]{8}\.", ".#.", p) for p in material_sheets] == [
        "assets/stylesheets/main.#.min.css",
        "assets/stylesheets/palette.#.min.css",
    ]
    sheets = [(p, (MATERIAL / p).read_text(encoding="utf-8")) for p in material_sheets]
    sheets += [
        (p, (REPO / "docs" / p).read_text(encoding="utf-8")) for p in (KATEX, "assets/archive.css")
    ]
    joined = combine(sheets)
    assert joined is not None
    assert joined.text.startswith(sheets[0][1][:200])  # @charset "UTF-8"; first, as it was
    assert joined.text.count("@charset") == 1
    assert "sourceMappingURL" not in joined.text
    assert "@import" not in "".join(text for _, text in sheets)  # nothing refused
    urls = re.findall(r"url\(([^)]*)\)", joined.text)
    relative = [u.strip("\"'") for u in urls if not u.strip("\"'").startswith("data:")]
    assert len(relative) >= 50  # KaTeX's fonts: 20 faces, three formats each
    for url in relative:  # the vendored fonts are KaTeX's woff2 (the first format)
        assert url.startswith("../vendor/katex/fonts/KaTeX_"), url
        if url.endswith(".woff2"):
            assert (REPO / "docs/assets/stylesheets" / url).resolve().is_file(), url


# -- url() forms, hostile ones ---------------------------------------------------------


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("a{b:url(fonts/a.woff2)}", "a{b:url(../vendor/katex/fonts/a.woff2)}"),
        ("a{b:URL( fonts/a.woff2 )}", "a{b:url(../vendor/katex/fonts/a.woff2)}"),
        ('a{b:url( "fonts/a b.woff2" )}', 'a{b:url("../vendor/katex/fonts/a b.woff2")}'),
        ("a{b:url('fonts/it\\'s.woff')}", "a{b:url('../vendor/katex/fonts/it\\'s.woff')}"),
        (
            'a{b:url("fonts/say \\"hi\\".woff")}',
            'a{b:url("../vendor/katex/fonts/say \\"hi\\".woff")}',
        ),
        ("a{b:url(fonts/x.eot?#iefix)}", "a{b:url(../vendor/katex/fonts/x.eot?#iefix)}"),
        ("a{b:url(x.svg?v=1&w=2#icon)}", "a{b:url(../vendor/katex/x.svg?v=1&w=2#icon)}"),
        # an escape in an unquoted url(): rewritten in quotes when it needs them
        ("a{b:url(fonts/\\28 x\\29.png)}", 'a{b:url("../vendor/katex/fonts/(x).png")}'),
        ("a{b:url(fonts/\\41.png)}", "a{b:url(../vendor/katex/fonts/A.png)}"),
        ("a{b:url(../x.png)}", "a{b:url(../vendor/x.png)}"),
        ("a{b:url(../../x.png)}", "a{b:url(../x.png)}"),
        ("a{b:url(../../../../../x.png)}", "a{b:url(../../x.png)}"),  # not above the root
        ("a{b:url(./fonts/./a/../b.png)}", "a{b:url(../vendor/katex/fonts/b.png)}"),
        ("a{b:url(fonts/)}", "a{b:url(../vendor/katex/fonts/)}"),
        ("a{b:url(?v=2)}", "a{b:url(../vendor/katex/katex.min.css?v=2)}"),
        ("a{b:url(./c:d.png)}", "a{b:url(../vendor/katex/c:d.png)}"),
        ("a{b:url(fonts/é%20ü.png)}", "a{b:url(../vendor/katex/fonts/é%20ü.png)}"),
        # kept: not relative, or not a url()
        ("a{b:url(data:font/woff2;base64,d09GMg==)}", None),
        ("a{b:url('data:image/svg+xml,<svg a=\"1\"/>')}", None),
        ("a{b:url(https://example.org/x.png)}", None),
        ("a{b:url(//cdn.example.org/x.png)}", None),
        ("a{b:url(/x.png)}", None),
        ("a{b:url(#clip)}", None),
        ("a{b:url()}", None),
        ("a{b:url('')}", None),
        ('a{content:"url(fonts/a.png)"}', None),
        ("a{content:'url(fonts/a.png)' \"it's\"}", None),
        ("/* url(fonts/a.png) */a{b:c}", None),
        ("a{b:myurl(fonts/a.png)}", None),
        ("a{b:--url(fonts/a.png)}", None),
        ('[data-x="}"]{b:c}', None),
        ("a{b:c}@layer d;", None),
        ("a\\{b{c:d}", None),
    ],
)
def test_each_url_form_is_rewritten_the_rest_kept(css: str, expected: str | None) -> None:
    assert _rebased(css) == (css if expected is None else expected)


def test_a_url_reaches_from_the_joined_file_the_file_it_reached() -> None:
    """Chromium's own resolution is checked in tests/test_page_size.py; here the URLs'
    rule: a colon in the first part of a rewritten path is kept from reading as a scheme."""
    assert rebase_url("./c:d.png", "assets/stylesheets/x.css", PATH) == "./c:d.png"
    assert rebase_url("a.png", "x.css", "site.css") == "a.png"
    assert rebase_url("a.png", "x.css", "assets/stylesheets/site.css") == "../../a.png"


_SEGMENT = st.sampled_from(["..", ".", "a", "b c", "d:e", "f.woff2", "g'h", "", "%20"])


@given(
    st.lists(_SEGMENT, min_size=1, max_size=6),
    st.sampled_from(["", "?v=1", "#x", "?#iefix"]),
    st.sampled_from(["x.css", "a/x.css", "a/b/c/x.css", "assets/stylesheets/x.css"]),
    st.sampled_from([PATH, "site.css", "a/b/site.css", "z/site.css"]),
)
def test_a_rebased_url_resolves_to_the_same_address(
    segments: list[str], tail: str, sheet: str, target: str
) -> None:
    url = "./" + "/".join(segments) + tail  # "./": never a scheme, never from the root
    base = "http://h/"
    rebased = rebase_url(url, sheet, target)
    assert urljoin(base + target, rebased) == urljoin(base + sheet, url)


@pytest.mark.parametrize(
    "css",
    [
        '@import url("other.css");a{b:c}',
        "a{b:c}@IMPORT 'other.css';",
        "@namespace svg url(http://www.w3.org/2000/svg);",
        "@\\69mport 'other.css';",
        'a{b:image-set("x.png" 1x, "y.png" 2x)}',
        "a{b:-webkit-image-set(url(x.png) 1x)}",
        'a{b:src("x.png")}',
        "a{b:\\75 rl(x.png)}",  # an escaped "u": url( all the same
        "a{b:url(a b.png)}",
        "a{b:url(a(b).png)}",
        'a{b:url("x.png" format(woff))}',
        "a{b:url('fonts\\\\x.png')}",  # a backslash: a browser reads "/"
        "a{b:url(%2e%2e/x.png)}",
        "a{b:url(x.png}",
        "a{b:c",
        "a{b:c}}",
        "a{b:c}/* open",
        'a{content:"open}',
        "a{b:c}@layer d",  # would take the next sheet's first rule in
        "a{b:c} stray",
    ],
)
def test_what_cannot_be_joined_unchanged_is_refused(css: str) -> None:
    with pytest.raises(NotJoined):
        _rebased(css)
    assert combine([("a.css", "a{b:c}"), (KATEX, css)]) is None
    assert combine([(KATEX, css), ("a.css", "a{b:c}")]) is None


def test_another_declared_encoding_is_refused() -> None:
    assert combine([("a.css", '@charset "ISO-8859-1";a{b:c}'), ("b.css", "d{e:f}")]) is None


# -- the template's sheets and the page's links ----------------------------------------


def test_a_base_template_without_a_styles_block_names_no_sheet() -> None:
    assert theme_stylesheets("<head>{% block libs %}{% endblock %}</head>") == ()
    assert theme_stylesheets(
        '{% block styles %}<link rel="stylesheet" href="{{ \'a/b.css\' | url }}">'
        '{% if x %}<link rel="stylesheet" href="{{ \'c.css\' | url }}">{% endif %}'
        '{% endblock %}<link rel="stylesheet" href="{{ \'later.css\' | url }}">'
    ) == ("a/b.css", "c.css")


HEAD = (
    '<html><head>\n<title>T</title>\n<link rel="stylesheet" href="../a.css">\n'
    '<link rel="stylesheet" href="../b.css">\n<script src="x.js"></script>\n</head>\n'
)


def test_the_run_of_links_becomes_one() -> None:
    page = HEAD + "<body><p>x</p></body></html>"
    assert one_link(page, ["../a.css", "../b.css"], "../site.css") == (
        '<html><head>\n<title>T</title>\n<link rel="stylesheet" href="../site.css">\n'
        '<script src="x.js"></script>\n</head>\n<body><p>x</p></body></html>'
    )


@pytest.mark.parametrize(
    "sheets",
    [
        ["../b.css", "../a.css"],  # another order
        ["../a.css", "../b.css", "../c.css"],  # one more than the page has
        ["a.css", "b.css"],  # hrefs of another page's depth
        [],
    ],
)
def test_a_page_without_that_exact_run_is_kept(sheets: list[str]) -> None:
    page = HEAD + "<body></body></html>"
    assert one_link(page, sheets, "../site.css") == page


def test_links_outside_the_head_are_kept() -> None:
    run = '<link rel="stylesheet" href="a.css">\n<link rel="stylesheet" href="b.css">'
    page = f"<head><title>T</title></head><body>{run}</body>"
    assert one_link(page, ["a.css", "b.css"], "site.css") == page
    assert one_link(run, ["a.css", "b.css"], "site.css") == run  # no head at all
