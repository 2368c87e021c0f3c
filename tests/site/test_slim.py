"""site/slim.py's one-pass icon rewrite gives what replacing each icon in turn gives; the
theme's palette script leaves the page for a file only when its partial is that script."""

from __future__ import annotations

from pathlib import Path

import material
from hypothesis import given
from hypothesis import strategies as st
from paper_archive.site.slim import Sprite, external_script, script_file, sprite, use_icons

ICONS = {
    "material/menu": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18"/></svg>',
    "material/arrow-up": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M13 20h-2"/></svg>',
    "fontawesome/brands/github": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 496 512"><path d="M165.9 397"/></svg>',
}
SPRITE = sprite(ICONS)
#: Pieces a page is made of: the icons, SVG that only looks like one (same opening tag,
#: other content; an unclosed tag), and text.
PIECES = [
    *(icon.strip() for icon in ICONS.values()),
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">',
    "<svg",
    "<svg class='x'>",
    '<span class="md-icon">',
    "</span>\n",
    "text é ",
]


def one_at_a_time(html: str, icons: Sprite, *, href: str) -> str:
    """The rule, as written before: each icon in the sprite's order, every occurrence."""
    for icon in icons.icons:
        html = html.replace(icon.svg, f'{icon.opening}<use href="{href}#{icon.id}"/></svg>')
    return html


@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_one_pass_is_each_icon_replaced_in_turn(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert use_icons(html, SPRITE, href="../assets/icons.svg") == one_at_a_time(
        html, SPRITE, href="../assets/icons.svg"
    )


def test_an_icon_is_a_reference_to_the_sprite_and_the_rest_is_kept() -> None:
    menu = ICONS["material/menu"]
    html = f"<p>a{menu}b{menu}</p><svg viewBox='1'></svg>"
    out = use_icons(html, SPRITE, href="x.svg")
    use = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><use href="x.svg#material-menu"/></svg>'
    assert out == f"<p>a{use}b{use}</p><svg viewBox='1'></svg>"
    assert use_icons("<p>no icon</p>", SPRITE, href="x.svg") == "<p>no icon</p>"


MATERIAL_PALETTE = Path(material.__file__).parent / "templates/partials/javascripts/palette.html"


def test_materials_palette_partial_is_one_script_and_becomes_a_file() -> None:
    template = MATERIAL_PALETTE.read_text(encoding="utf-8")
    script = script_file(template, "palette")
    assert script is not None
    assert script.inline == template.split("-#}", 1)[1].strip()  # what a page carries
    assert script.inline.startswith("<script>var palette=__md_get(")
    assert script.text == script.inline[len("<script>") : -len("</script>")] + "\n"
    assert script.path.startswith("assets/palette.") and script.path.endswith(".js")
    assert script_file(template, "palette") == script  # named by its content


def test_a_partial_with_template_code_or_markup_stays_inline() -> None:
    assert script_file("<script>var a = {{ config.x }};</script>", "p") is None
    assert script_file("<script>{% if x %}a(){% endif %}</script>", "p") is None
    assert script_file("<script async>a()</script>", "p") is None
    assert script_file("<script>a()</script><p>b</p>", "p") is None
    assert script_file("{# note #}\n<script>a()</script>\n", "p") is not None


def test_the_first_copy_of_the_script_becomes_a_reference() -> None:
    script = script_file("<script>a()</script>", "p")
    assert script is not None
    page = "<header><script>a()</script></header><pre><script>a()</script></pre>"
    assert external_script(page, script, src="../../assets/p.x.js") == (
        '<header><script src="../../assets/p.x.js"></script></header>'
        "<pre><script>a()</script></pre>"
    )
    assert external_script("<p>no script</p>", script, src="x.js") == "<p>no script</p>"
