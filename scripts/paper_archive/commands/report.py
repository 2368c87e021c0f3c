"""How commands that plan page writes report them: conflicts, skips, what is written."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..console import Console
from ..ingest import Plan


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to the archive's root when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def skipped_item_line(where: str, position: int, reason: str) -> str:
    """The one line of an upstream item left out, the same from ``papers fetch`` and
    every later ``papers ingest`` of the stored source (stdout; a workflow may parse
    it): ``skipped: <file>: item <N>: <reason>``. ``<file>`` is the stored source
    relative to the archive (the response's URL when nothing was stored); ``N`` is the
    item's 1-based position in the response (in a saved listing: among its papers, the
    reason naming the line).
    """
    return f"skipped: {where}: item {position}: {reason}"


def report_skipped_items(where: str, skipped: Iterable[tuple[int, str]], console: Console) -> None:
    """Say each item of ``where`` left out by its parser (:func:`skipped_item_line`)."""
    for position, reason in skipped:
        console.say(skipped_item_line(where, position, reason))


def report_plan(
    plan: Plan,
    console: Console,
    *,
    preview: bool,
    list_writes: bool = True,
    force_hint: bool = False,
) -> None:
    """Conflicts and skips as warnings; then, if ``list_writes``, each page written (or,
    in a preview, that would be)."""
    hint = " (use --force to take the source)" if force_hint else ""
    for action in plan.actions:
        if action.kind == "conflict":
            console.warn(
                f"{action.path}: conflict on {', '.join(action.conflicts)}: the page "
                f"disagrees with its source; left as it is{hint}"
            )
    for where, reason in plan.skipped:
        console.warn(f"skipped {where}: {reason}")
    if not list_writes:
        return
    for action in plan.writes:
        verb = "create" if action.kind == "new" else "update"
        detail = f" ({', '.join(action.changes)})" if action.changes else ""
        console.say(f"{'would ' + verb if preview else verb + 'd'} {action.path}{detail}")


def plan_counts(plan: Plan, *, preview: bool, merged: bool = False) -> str:
    """``new N, updated N, unchanged N, …``: what a plan does (or would do)."""
    verb = "would be " if preview else ""
    parts = [
        f"{verb}new {plan.count('new')}",
        f"{verb}updated {plan.count('update')}",
        f"unchanged {plan.count('unchanged')}",
        *([f"merged duplicates {plan.merged}"] if merged else []),
        f"conflicts {plan.count('conflict')}",
        f"skipped {len(plan.skipped)}",
    ]
    return ", ".join(parts)


def code_span(text: str) -> str:
    """``text`` as one Markdown code span: shown as typed, never a link, a mention, an
    image or HTML (upstream titles are data). The fence is one backtick longer than any
    run of backticks inside (CommonMark); line breaks become spaces."""
    flat = " ".join(text.splitlines())
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def fetch_summary(
    *,
    heading: str,
    source: str | None,
    plan: Plan | None,
    skipped_items: Sequence[tuple[int, str]],
    preview: bool,
) -> str:
    """A Markdown summary of one ``papers fetch``, for a pull request's body: the source
    kept, the pages added and updated, conflicts, and every item or page left out with
    its reason. Every value from upstream is in a code span (:func:`code_span`)."""
    writes = plan.writes if plan is not None else []
    new = [a for a in writes if a.kind == "new"]
    updated = [a for a in writes if a.kind == "update"]
    conflicts = [a for a in plan.actions if a.kind == "conflict"] if plan is not None else []
    page_skips = plan.skipped if plan is not None else []
    out = [f"## {heading}", ""]
    if source is None:
        out.append("Nothing stored: the response lists no paper that can be added.")
    else:
        out.append(f"Source: {code_span(source)}{' (dry run: nothing written)' if preview else ''}")
    out += [
        "",
        f"New pages: {len(new)}, updated: {len(updated)}, conflicts: {len(conflicts)}, "
        f"items skipped: {len(skipped_items)}, pages skipped: {len(page_skips)}.",
    ]

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.extend(["", f"### {title} ({len(lines)})", "", *lines])

    section("New pages", [f"- {code_span(a.path)}: {code_span(a.title)}" for a in new])
    section(
        "Updated pages",
        [f"- {code_span(a.path)}: {code_span(', '.join(a.changes))}" for a in updated],
    )
    section(
        "Conflicts: pages left as they are",
        [f"- {code_span(a.path)}: {code_span(', '.join(a.conflicts))}" for a in conflicts],
    )
    section(
        "Skipped items",
        [f"- item {position}: {code_span(reason)}" for position, reason in skipped_items],
    )
    section(
        "Skipped pages",
        [f"- {code_span(where)}: {code_span(reason)}" for where, reason in page_skips],
    )
    return "\n".join(out) + "\n"
