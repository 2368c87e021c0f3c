from __future__ import annotations

import io

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
