from __future__ import annotations

import io
import re

from paper_archive.console import PROGRESS_MIN_ITEMS, Console


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_long_runs() -> None:
    err = _Terminal()
    console = Console(out=io.StringIO(), err=err)
    items = list(console.progress(range(500), total=500, label="writing pages"))
    assert items == list(range(500))
    text = err.getvalue()
    assert "\rwriting pages [" in text and text.rstrip().endswith("] 500/500")
    assert "#" * 30 in text


def test_no_progress_bar_when_piped_short_or_quiet() -> None:
    for err, total, quiet in (
        (io.StringIO(), 500, False),  # not a terminal (CI logs)
        (_Terminal(), PROGRESS_MIN_ITEMS - 1, False),  # too short to need one
        (_Terminal(), 500, True),  # --quiet
    ):
        console = Console(out=io.StringIO(), err=err, quiet=quiet)
        assert list(console.progress(range(total), total=total, label="x")) == list(range(total))
        assert err.getvalue() == ""


def test_bar_shows_the_time_left_and_lines_print_above_it() -> None:
    err, out = _Terminal(), io.StringIO()
    console = Console(out=out, err=err)
    with console.bar(total=3, label="looking up", unit="page") as advance:
        advance(1)
        console.warn("a lookup failed")
        console.say("check a page")
        advance(2)
    text = err.getvalue()
    assert re.search(r"\rlooking up: +33%\|.*\| 1/3 \[\d\d:\d\d<\d\d:\d\d", text)
    # The bar is wiped before a line and drawn again after it; gone at the end.
    before, after = text.split("warning: a lookup failed\n")
    assert re.fullmatch(r"\r +\r", before[before.rindex("]") + 1 :])
    assert "1/3" in after and "3/3" in after and re.search(r"\r +\r\Z", after)
    assert out.getvalue() == "check a page\n"


def test_no_bar_when_piped_or_quiet() -> None:
    for err, quiet in ((io.StringIO(), False), (_Terminal(), True)):
        console = Console(out=io.StringIO(), err=err, quiet=quiet)
        with console.bar(total=3, label="looking up", unit="page") as advance:
            advance(3)
            console.say("done")
        assert err.getvalue() == ""
