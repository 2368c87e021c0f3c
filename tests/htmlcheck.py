"""Find live HTML in rendered output: what a browser would run or follow."""

from __future__ import annotations

from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "img", "iframe", "svg", "object", "embed", "style", "form", "math"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action"} and value is not None:
                scheme = value.strip().lower().split(":", 1)[0]
                if ":" in value and scheme not in {"http", "https", "mailto"}:
                    self.problems.append(f"{tag}[{name}={value}]")


def live_html(html: str) -> list[str]:
    """Elements and attributes in ``html`` that would execute or navigate to script."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.problems
