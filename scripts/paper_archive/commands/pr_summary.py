"""``papers pr-summary``: the papers a pull request adds or changes, as Markdown.

CI appends the output to ``$GITHUB_STEP_SUMMARY``. Pure parts: :func:`parse_name_status`
reads ``git diff --name-status -z`` and :func:`render_summary` writes the Markdown. Titles
come from the pull request's pages and are untrusted: they are escaped, never trusted as
Markdown or HTML.

Every other path the pull request touches is listed too (:func:`parse_other_changes`),
each flagged for review: a paper PR that also changes a hook, a workflow, a test or a
site page must not hide that change behind a list of papers.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal
from urllib.parse import quote, urlsplit

import yaml
from yaml_env_tag import construct_env_tag

from ..console import Console
from ..disk import layout
from ..disk.archive import page_title
from ..errors import ArchiveError, TextFileError
from ..files.textfile import decode
from ..project import PAGES_DIR
from .base import EXIT_OK, project_for

DOCS_DIR = "docs"

Status = Literal["added", "changed", "removed", "renamed"]
_ORDER: tuple[Status, ...] = ("added", "changed", "renamed", "removed")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


@dataclass(frozen=True, slots=True, order=True)
class PageChange:
    """A page the diff touches; ``old_path`` is set for a rename."""

    path: str
    status: Status
    old_path: str | None = None


def _is_page(path: str, pages_dir: str) -> bool:
    pure = PurePosixPath(path)
    return pure.suffix == ".md" and pure.parent == PurePosixPath(pages_dir)


def _name_status(output: str) -> Iterator[tuple[str, str, str]]:
    """``(code, old path, new path)`` for each record of ``git diff --name-status -z``."""
    fields = output.split("\0")
    index = 0
    while index < len(fields) and fields[index]:
        code = fields[index][0]
        if code in "RC":
            yield code, fields[index + 1], fields[index + 2]
            index += 3
        else:
            yield code, fields[index + 1], fields[index + 1]
            index += 2


def _changes(output: str, keep: Callable[[str], bool]) -> list[PageChange]:
    """The changes to the paths ``keep`` selects: a rename out of the selection counts as
    a removal, one into it as an addition; a copy (``C``) as an addition."""
    changes: list[PageChange] = []
    for code, old, new in _name_status(output):
        old_kept, new_kept = keep(old), keep(new)
        if code == "R" and old_kept and new_kept:
            changes.append(PageChange(new, "renamed", old_path=old))
        elif code == "R" and old_kept:
            changes.append(PageChange(old, "removed"))
        elif code in "ARC" and new_kept:
            changes.append(PageChange(new, "added"))
        elif code in "MT" and new_kept:
            changes.append(PageChange(new, "changed"))
        elif code == "D" and old_kept:
            changes.append(PageChange(old, "removed"))
    return sorted(changes)


def parse_name_status(output: str, *, pages_dir: str = PAGES_DIR) -> list[PageChange]:
    """Changes to pages (``<pages_dir>/*.md``) in ``git diff --name-status -z`` output."""
    return _changes(output, lambda path: _is_page(path, pages_dir))


def parse_other_changes(output: str, *, pages_dir: str = PAGES_DIR) -> list[PageChange]:
    """Every changed path in ``git diff --name-status -z`` output that is *not* a page
    (``<pages_dir>/*.md``): both sides of a rename, a copy's new side."""
    return _changes(output, lambda path: not _is_page(path, pages_dir))


def review_note(path: str, *, pages_dir: str = PAGES_DIR) -> str:
    """Why a changed path that is not a paper page needs a reviewer's eye."""
    if path.startswith(f"{pages_dir}/"):
        return "not a paper page: `papers validate` refuses it"
    if path.startswith(f"{layout.DOCS_DIR}/"):
        return "outside docs/papers/: part of the published site, review it"
    return "outside docs/papers/: review it (code, checks or data)"


def md_text(text: str) -> str:
    """Untrusted text as literal Markdown: one line, HTML characters as entities,
    Markdown punctuation backslash-escaped."""
    line = " ".join(text.split())
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", line)


def site_page_url(site_url: str, path: str) -> str:
    """The built page of ``docs/papers/<slug>.md``: ``<site_url>papers/<slug>/``."""
    relative = PurePosixPath(path).relative_to(DOCS_DIR).with_suffix("")
    return f"{site_url.rstrip('/')}/{quote(relative.as_posix())}/"


def render_summary(
    changes: Sequence[PageChange],
    *,
    titles: Mapping[str, str | None],
    file_url: str | None = None,
    site_url: str | None = None,
    others: Sequence[PageChange] = (),
) -> str:
    """The job summary. ``titles`` maps a path to its page's title (``None``: the page
    does not parse); ``file_url`` is where files are browsed at the pull request's head
    (``https://github.com/o/r/blob/<sha>``), ``site_url`` where the site is published;
    ``others`` are the changed paths that are not paper pages."""
    lines = ["## Papers in this pull request", ""]
    if not changes:
        lines.append("No paper pages are added, changed or removed.")
    else:
        counts = {s: sum(1 for c in changes if c.status == s) for s in _ORDER}
        lines.append(", ".join(f"{n} {s}" for s, n in counts.items() if n) + ".")
        lines.append("")
        for status in _ORDER:
            for change in (c for c in changes if c.status == status):
                lines.append(_summary_line(change, titles, file_url=file_url, site_url=site_url))
    if others:
        lines += ["", "## Other files in this pull request (review each)", ""]
        for change in others:
            was = f", was {md_text(change.old_path)}" if change.old_path is not None else ""
            lines.append(
                f"- ⚠️ **{change.status}** {md_text(change.path)}{was}: {review_note(change.path)}"
            )
    return "\n".join(lines) + "\n"


def _summary_line(
    change: PageChange,
    titles: Mapping[str, str | None],
    *,
    file_url: str | None,
    site_url: str | None,
) -> str:
    path = md_text(change.path)
    if change.status == "removed":
        return f"- **removed** {path}"
    title = titles.get(change.path)
    label = md_text(title) if title else "*(front matter does not parse: see `papers validate`)*"
    if file_url and title:
        label = f"[{label}]({file_url.rstrip('/')}/{quote(change.path)})"
    parts = [f"- **{change.status}** {label} ({path}"]
    if change.old_path is not None:
        parts.append(f", was {md_text(change.old_path)}")
    parts.append(")")
    if site_url:
        when = "after merge" if change.status in ("added", "renamed") else "now"
        parts.append(f" · [on the site]({site_page_url(site_url, change.path)}) ({when})")
    return "".join(parts)


class _MkdocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` by MkDocs' own constructor (``pyyaml-env-tag``), any
    other tag as ``None``.

    Decision: not ``mkdocs.utils.yaml.yaml_load``, which builds on PyYAML's full
    ``yaml.Loader``: a pull request's mkdocs.yml is untrusted, and that loader runs
    ``!!python/object/apply`` tags. Nor ``mkdocs.config.load_config``: it loads the theme
    and the plugins to read one key."""


_MkdocsLoader.add_constructor("!ENV", construct_env_tag)
_MkdocsLoader.add_multi_constructor("", lambda _loader, _suffix, _node: None)


def configured_site_url(mkdocs_yml: Path) -> str | None:
    """``site_url`` from ``mkdocs.yml``, unless it is missing or a local address."""
    try:
        text = mkdocs_yml.read_text(encoding="utf-8")
        config = yaml.load(text, Loader=_MkdocsLoader)
    except (OSError, yaml.YAMLError):
        return None
    url = config.get("site_url") if isinstance(config, dict) else None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    host = urlsplit(url).hostname or ""
    return None if host in ("localhost", "127.0.0.1", "::1") else url


# --- command line --------------------------------------------------------------------


def _git(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise ArchiveError(f"git {' '.join(args)} failed: {message}")
    return result.stdout


def _title_at(root: Path, head: str, path: str) -> str | None:
    try:
        text = decode(_git(root, "show", f"{head}:{path}"), path=path)
    except TextFileError:  # not UTF-8 or a NUL: `papers validate` names the line
        return None
    return page_title(text, path=path)


def collect(
    root: Path, *, base: str, head: str, pages_dir: str
) -> tuple[list[PageChange], dict[str, str | None], list[PageChange]]:
    """The page changes from ``base`` (its merge base with ``head``) to ``head``, the
    title of each page at ``head``, and every other changed path."""
    diff = _git(root, "diff", "--name-status", "-z", "--find-renames", f"{base}...{head}")
    names = diff.decode("utf-8", "replace")
    changes = parse_name_status(names, pages_dir=pages_dir)
    titles = {c.path: _title_at(root, head, c.path) for c in changes if c.status != "removed"}
    return changes, titles, parse_other_changes(names, pages_dir=pages_dir)


def run(args: argparse.Namespace, console: Console) -> int:
    """The ``papers pr-summary`` handler."""
    project = project_for(args)
    changes, titles, others = collect(
        project.root, base=args.base, head=args.head, pages_dir=PAGES_DIR
    )
    site_url = args.site_url or configured_site_url(project.root / "mkdocs.yml")
    summary = render_summary(
        changes, titles=titles, file_url=args.file_url or None, site_url=site_url, others=others
    )
    console.say(summary.rstrip("\n"))
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "pr-summary",
        help="Markdown list of the papers a branch adds or changes (CI job summary)",
        description="Compare HEAD with the merge base of --base and print, as Markdown, "
        "every paper page added, changed, renamed or removed, with links.",
    )
    parser.add_argument("--base", required=True, metavar="REF", help="the target branch")
    parser.add_argument("--head", default="HEAD", metavar="REF", help="default: HEAD")
    parser.add_argument(
        "--file-url",
        metavar="URL",
        help="where files are browsed at HEAD, e.g. https://github.com/OWNER/REPO/blob/SHA",
    )
    parser.add_argument(
        "--site-url", metavar="URL", help="the published site (default: mkdocs.yml site_url)"
    )
    parser.set_defaults(handler=run)
    return parser
