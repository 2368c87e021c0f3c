"""Why the lists are built in Python: site/render.py against the same markup from Jinja2.

    python tests/benchmarks/bench_list_html.py [--papers 10000] [--runs 5]

Writes ``--papers`` list items (title with math, date, three tags, summary), 100 to a
page as on a tag page, once with :func:`paper_archive.site.render.paper_list` and once
with a compiled Jinja2 template (autoescape, the same helpers), checks that both give
the same HTML once entities are decoded, and prints the best wall time of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import sys
import timeit
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import jinja2  # noqa: E402
from paper_archive.site.collect import Entry  # noqa: E402
from paper_archive.site.render import human_date, paper_list, relative_url  # noqa: E402
from paper_archive.text.mathtext import INLINE_MATH  # noqa: E402

from tests.sitebuild import paper  # noqa: E402

TEMPLATE = (
    "{% macro math(t) %}{% for p in split(t) %}{% if p[1] %}"
    '<span class="arithmatex">\\({{ p[0] }}\\)</span>{% else %}{{ p[0] }}{% endif %}'
    "{% endfor %}{% endmacro %}"
    '<ol class="pa-list">{% for e in entries %}<li>'
    '<a href="{{ rel(e.url, page_url) }}">{{ math(e.paper.title) }}</a>'
    "<span>{{ date(e.paper.published) }}</span>"
    '{% set tags = e.paper.tags|select("in", names)|list %}{% if tags %}<span class="pa-tags">'
    '{% for t in tags %}<a href="{{ rel("tags/" ~ t ~ "/", page_url) }}">'
    "{{ names[t] }}</a>{% endfor %}</span>{% endif %}"
    "{% if e.summary %}<span>{{ math(e.summary) }}</span>{% endif %}"
    "</li>{% endfor %}</ol>"
)


def split(text: str) -> list[tuple[str, bool]]:
    out, last = [], 0
    for match in INLINE_MATH.finditer(text):
        out += [(text[last : match.start()], False), (match[1], True)]
        last = match.end()
    return [*out, (text[last:], False)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    names = {f"t{i}": f"Topic {i} & co" for i in range(30)}
    entries = [
        Entry(
            paper=paper(
                f"Paper {i}: CO$_2$ <b> & more",
                published=dt.date(2020, 1, 1 + i % 28),
                tags=(f"t{i % 30}", f"t{i * 7 % 30}", f"t{i * 11 % 30}"),
            ),
            src_uri=f"papers/p{i}.md",
            url=f"papers/p{i}/",
            summary=f"A summary {i} with $x$ & <y>.",
        )
        for i in range(args.papers)
    ]
    pages = [entries[i : i + 100] for i in range(0, len(entries), 100)]
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)

    def python() -> list[str]:
        return [paper_list(chunk, page_url="tags/t1/", names=names) for chunk in pages]

    def jinja() -> list[str]:
        return [
            template.render(
                entries=chunk,
                page_url="tags/t1/",
                names=names,
                rel=relative_url,
                date=human_date,
                split=split,
            )
            for chunk in pages
        ]

    same = html.unescape("".join(python())) == html.unescape("".join(jinja()))
    sys.stdout.write(f"{args.papers:,} list items, same HTML: {same}\n")
    for name, run in (("python (site/render.py)", python), ("jinja2 template", jinja)):
        best = min(timeit.repeat(run, number=1, repeat=args.runs))
        sys.stdout.write(f"{name:24} {best:.3f} s\n")


if __name__ == "__main__":
    main()
