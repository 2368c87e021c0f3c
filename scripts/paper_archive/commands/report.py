"""How commands that plan page writes report them: conflicts, skips, what is written."""

from __future__ import annotations

from ..console import Console
from ..ingest import Plan


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
