"""Plan and apply an ingest: raw sources in, paper pages out.

:func:`plan_ingest` is pure: sources' text and the current pages in, a :class:`Plan` of
page texts out. :func:`apply_plan` writes only the pages whose text changes, each through
a temporary file and ``os.replace``. Nothing is ever deleted.

Sources are read below this module, by :mod:`paper_archive.sources` (each by the
parser of its kind, :func:`~paper_archive.sources.load.load_sources`). Entries of one
paper merge by arXiv identifier first, then by title key.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .disk.archive import PageRecord, index_pages, read_pages, read_record, taken_slugs, write_pages
from .disk.pages import PAGE_MAX_BYTES, heading_for, render_page
from .disk.validate import record_diagnostics
from .errors import TextFileError
from .files.textfile import decode
from .record.model import FIELD_ORDER, Paper
from .record.slugs import assign_slugs, base_slug, confusable_characters, confusable_key, title_key
from .record.tagging import Vocabulary, merge_tags, tag_many
from .sources.entry import SourceEntry
from .sources.load import LoadedSource
from .text.safe import extract_links, inert, unsafe_characters

if TYPE_CHECKING:
    from .project import Project
    from .sources.manifest import Source

__all__ = [
    "Plan",
    "apply_plan",
    "merge_entries",
    "plan_ingest",
    "plan_source",
]

log = logging.getLogger(__name__)

ActionKind = Literal["new", "update", "unchanged", "conflict"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A paper merged from every source entry that lists it."""

    key: str
    title: str
    abstract: str
    published: dt.date | None
    author_count: int | None
    sources: tuple[str, ...]
    added: dt.date
    authors: tuple[str, ...] = ()
    arxiv: str | None = None
    categories: tuple[str, ...] = ()
    #: (field, value) as each merged entry gives it (abstracts made inert): a page
    #: holding any of these values agrees with one of the sources.
    seen: frozenset[tuple[str, object]] = frozenset()


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    path: str
    title: str
    text: str | None = None
    changes: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Merge:
    """An entry merged into a paper whose first title differs: both titles named, so
    no paper disappears into another unseen. ``by`` is what matched."""

    source: str
    title: str
    into: str
    by: Literal["arXiv id", "title key"]


@dataclass(slots=True)
class Plan:
    actions: list[Action] = field(default_factory=list)
    listed: int = 0
    merged: int = 0
    #: Entries merged into a paper listed under another title (see :class:`Merge`).
    merges: list[Merge] = field(default_factory=list)
    #: (where, reason): sources aborted and pages left alone.
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def count(self, kind: ActionKind) -> int:
        return sum(1 for a in self.actions if a.kind == kind)

    @property
    def writes(self) -> list[Action]:
        return [a for a in self.actions if a.kind in ("new", "update")]


def _seen(entry: SourceEntry) -> frozenset[tuple[str, object]]:
    values: tuple[tuple[str, object], ...] = (
        ("title", entry.title),
        ("abstract", inert(entry.abstract)),
        ("published", entry.published),
        ("author_count", entry.author_count),
        ("authors", entry.authors or None),
        ("arxiv", entry.arxiv),
    )
    return frozenset(pair for pair in values if pair[1] is not None)


def merge_entries(
    loaded: Iterable[LoadedSource], *, today: dt.date, merges: list[Merge] | None = None
) -> tuple[list[Candidate], int, int]:
    """One candidate per paper: entries with the same arXiv identifier merge first,
    then entries with the same title key. The first source (by id) wins each field it
    has; the candidate is keyed by its first title's key.

    Returns candidates sorted by key, entries listed, and entries merged into another.
    Each merge of an entry whose title is not the kept title's exact text is appended
    to ``merges`` (an entry listed twice with one title is the same listing twice).
    """
    merged: dict[str, Candidate] = {}
    by_title: dict[str, str] = {}
    by_arxiv: dict[str, str] = {}
    listed = 0
    for item in sorted(loaded, key=lambda s: s.source.id):
        added = item.source.added or today
        for entry in item.entries:
            listed += 1
            key = title_key(entry.title)
            target = by_arxiv.get(entry.arxiv) if entry.arxiv else None
            target = target or by_title.get(key)
            if target is None:
                target = key
                merged[key] = Candidate(
                    key=key,
                    title=entry.title,
                    abstract=entry.abstract,
                    published=entry.published,
                    author_count=entry.author_count,
                    sources=(item.source.id,),
                    added=added,
                    authors=entry.authors,
                    arxiv=entry.arxiv,
                    categories=entry.categories,
                    seen=_seen(entry),
                )
            else:
                known = merged[target]
                if merges is not None and entry.title != known.title:
                    by_id = bool(entry.arxiv and by_arxiv.get(entry.arxiv) == target)
                    merges.append(
                        Merge(
                            source=item.source.id,
                            title=entry.title,
                            into=known.title,
                            by="arXiv id" if by_id else "title key",
                        )
                    )
                if known.arxiv and entry.arxiv and known.arxiv != entry.arxiv:
                    log.warning(
                        "%s: %r is arXiv %s here but %s in an earlier source; kept %s",
                        item.source.id,
                        entry.title,
                        entry.arxiv,
                        known.arxiv,
                        known.arxiv,
                    )
                merged[target] = replace(
                    known,
                    published=known.published or entry.published,
                    author_count=known.author_count or entry.author_count,
                    sources=tuple(sorted({*known.sources, item.source.id})),
                    added=min(known.added, added),
                    authors=known.authors or entry.authors,
                    arxiv=known.arxiv or entry.arxiv,
                    categories=tuple(dict.fromkeys((*known.categories, *entry.categories))),
                    seen=known.seen | _seen(entry),
                )
            by_title.setdefault(key, target)
            if entry.arxiv:
                by_arxiv.setdefault(entry.arxiv, target)
    return [merged[k] for k in sorted(merged)], listed, listed - len(merged)


def _reconcile(
    existing: PageRecord, cand: Candidate, tags: tuple[str, ...], *, force: bool
) -> Action:
    """What an existing page becomes. A page value missing is filled in from the source.
    A page value that differs is kept when it agrees with one of the candidate's entries
    or when the page was made from other sources (a paper fetched again elsewhere);
    otherwise it is a hand edit: a conflict, or the source's value under ``force``."""
    page = existing.paper
    assert page is not None, existing.path  # only loaded pages are matched
    source_abstract = inert(cand.abstract)
    made_from_these = bool(set(page.sources) & set(cand.sources))
    values: dict[str, object] = {}
    conflicts: list[str] = []
    for name, page_value, source_value in (
        ("title", page.title, cand.title),
        ("published", page.published, cand.published),
        ("author_count", page.author_count, cand.author_count),
        ("abstract", page.abstract, source_abstract),
        ("authors", page.authors or None, cand.authors or None),
        ("arxiv", page.arxiv, cand.arxiv),
    ):
        if source_value is None or page_value == source_value:
            continue
        if page_value in (None, ""):
            values[name] = source_value
        elif not made_from_these or (name, page_value) in cand.seen:
            log.info("%s: kept the page's %s; a source differs", existing.path, name)
        elif force:
            values[name] = source_value
        else:
            conflicts.append(name)
    if conflicts:
        return Action("conflict", existing.path, page.title, conflicts=tuple(conflicts))

    updated = replace(
        page,
        **values,  # type: ignore[arg-type]
        sources=tuple(sorted({*page.sources, *cand.sources})),
        tags=merge_tags(page.tags, tags),
        code=tuple(sorted({*page.code, *extract_links(cand.abstract)})),
    )
    if updated == page:
        # Same record: leave the page's own formatting alone, however it was written.
        return Action("unchanged", existing.path, page.title)
    heading = heading_for(updated.title) if "title" in values else existing.body.heading
    body = replace(existing.body, heading=heading, abstract=updated.abstract)
    text = render_page(updated, body=body)
    if text == existing.text:
        return Action("unchanged", existing.path, page.title)
    changes = [
        name
        for name in (*FIELD_ORDER, "abstract")
        if name != "added" and getattr(updated, name) != getattr(page, name)
    ]
    return Action(
        "update", existing.path, page.title, text=text, changes=tuple(changes or ["format"])
    )


def _find_existing(
    cand: Candidate,
    by_arxiv: Mapping[str, PageRecord],
    by_key: Mapping[str, PageRecord],
    by_slug: Mapping[str, PageRecord],
) -> PageRecord | None:
    """The page of a candidate: by arXiv id, then by any title its entries give, then
    (for a page whose title was edited by hand) by slug and a shared source."""
    if cand.arxiv and cand.arxiv in by_arxiv:
        return by_arxiv[cand.arxiv]
    others = {title_key(str(v)) for name, v in cand.seen if name == "title"} - {cand.key}
    titles = [cand.key, *sorted(others)]
    for key in titles:
        if key in by_key:
            return by_key[key]
    slug_match = by_slug.get(base_slug(cand.title))
    if slug_match and slug_match.paper and set(slug_match.paper.sources) & set(cand.sources):
        return slug_match
    return None


def plan_ingest(
    loaded: Iterable[LoadedSource],
    pages: Mapping[str, str],
    vocabulary: Vocabulary,
    *,
    pages_dir: str,
    today: dt.date,
    force: bool = False,
    skipped: list[tuple[str, str]] | None = None,
    validate_pages: bool = False,
) -> Plan:
    """Decide what each page should become. ``pages`` maps ``<pages_dir>/<slug>.md`` to
    the current text of every existing page.

    No planned page is one ``papers validate`` would refuse and the page now is not
    (:func:`_new_errors`): a page whose text holds a character no page may hold or is
    over the size limit, or a new page whose title is another's in look-alike letters,
    is left out of the plan with the reason. ``validate_pages`` runs every check of
    ``validate`` on each planned page (its YAML read back: about 0.5 ms a page; a first
    ingest of the synthetic 10,000 papers took 24 s instead of 15 s with it, one run
    each on a loaded 2-core machine), as ``papers fetch`` does for the few pages of one
    response; a bulk ingest relies on the parsers' checks
    (:mod:`paper_archive.sources.checks`) for the rest. What every plan checks costs
    about 0.2 s of that first ingest's 17 s under a profiler, the parsers' checks 0.4 s."""
    plan = Plan(skipped=list(skipped or []))
    candidates, plan.listed, plan.merged = merge_entries(loaded, today=today, merges=plan.merges)
    index = index_pages(pages)
    by_key, by_slug, broken = index.by_title_key(), index.by_slug(), index.broken
    matched = {
        cand.key: tuple(sorted({*tags, *vocabulary.for_categories(cand.categories)}))
        for cand, tags in zip(
            candidates,
            tag_many(vocabulary, [(c.title, c.abstract) for c in candidates]),
            strict=True,
        )
    }
    by_arxiv = index.by_arxiv()

    fresh: list[Candidate] = []
    claimed: dict[str, str] = {}
    for cand in candidates:
        existing = _find_existing(cand, by_arxiv, by_key, by_slug)
        if existing is not None:
            if existing.path in claimed:
                plan.skipped.append(
                    (
                        f"{cand.title!r} ({', '.join(cand.sources)})",
                        f"matches {existing.path}, already matched by {claimed[existing.path]!r} "
                        "(same arXiv id or title); merge them by hand",
                    )
                )
                continue
            claimed[existing.path] = cand.title
            plan.actions.append(_reconcile(existing, cand, matched[cand.key], force=force))
            continue
        broken_path = f"{pages_dir}/{base_slug(cand.title)}.md"
        if broken_path in broken:
            plan.skipped.append(
                (broken_path, f"page exists but cannot be read: {broken[broken_path]}")
            )
            continue
        fresh.append(cand)

    taken = taken_slugs({r.path: r.paper.title for r in by_slug.values() if r.paper}, broken)
    slugs = assign_slugs((c.title for c in fresh), taken)
    for cand in fresh:
        paper = Paper(
            title=cand.title,
            added=cand.added,
            tags=matched[cand.key],
            published=cand.published,
            author_count=cand.author_count,
            authors=cand.authors,
            arxiv=cand.arxiv,
            code=extract_links(cand.abstract),
            sources=cand.sources,
            abstract=inert(cand.abstract),
        )
        path = f"{pages_dir}/{slugs[cand.key]}.md"
        plan.actions.append(Action("new", path, cand.title, text=render_page(paper)))
    look_alikes = _look_alikes(plan.actions, index.titles())
    for action in [a for a in plan.actions if a.text is not None]:
        refused = look_alikes.get(action.path) or _new_errors(
            action, index.records.get(action.path), vocabulary, full=validate_pages
        )
        if refused:
            plan.actions.remove(action)
            plan.skipped.append(
                (action.path, f"not written: `papers validate` would refuse it: {refused}")
            )
    plan.actions.sort(key=lambda a: a.path)
    return plan


def _look_alikes(actions: Iterable[Action], titles: Mapping[str, str]) -> dict[str, str]:
    """New pages whose title is another page's in look-alike characters (a homoglyph:
    same :func:`~paper_archive.record.slugs.confusable_key`, another title key), which
    ``papers validate`` refuses on both pages: path -> why. Computed only when there
    are new pages."""
    new = sorted((a.path, a.title) for a in actions if a.kind == "new")
    if not new:
        return {}
    by_key: dict[str, list[tuple[str, str]]] = {}
    for path, title in sorted(titles.items()):
        by_key.setdefault(confusable_key(title), []).append((path, title))
    out: dict[str, str] = {}
    for path, title in new:
        alike = by_key.setdefault(confusable_key(title), [])
        other = next((p for p, t in alike if title_key(t) != title_key(title)), None)
        if other is not None:
            out[path] = (
                f"its title looks the same as {other}'s, spelled with other characters "
                f"({', '.join(confusable_characters(title)) or 'look-alike letters'})"
            )
        else:
            alike.append((path, title))
    return out


def _errors(text: str, path: str, vocabulary: Vocabulary, *, full: bool) -> set[str]:
    """The messages of ``papers validate``'s errors on one page's text: those of the
    text alone (every reader's decoding, the characters no page may hold, the size),
    and with ``full`` every check of the page (:func:`~.validate.record_diagnostics`)."""
    try:
        decode(text.encode("utf-8"), path=path)  # what every reader of the page does
    except (UnicodeEncodeError, TextFileError) as exc:
        return {str(exc)}
    found = {f"the page holds {char}" for char in unsafe_characters(text)}
    if len(text) > PAGE_MAX_BYTES // 4 and len(text.encode("utf-8")) > PAGE_MAX_BYTES:
        found.add(f"page is larger than the limit of {PAGE_MAX_BYTES // 1024} KB")
    if full:
        diagnostics = record_diagnostics(read_record(text, path=path), vocabulary=vocabulary)
        found |= {d.message for d in diagnostics if d.severity == "error"}
    return found


def _new_errors(
    action: Action, before: PageRecord | None, vocabulary: Vocabulary, *, full: bool
) -> str:
    """The errors ``papers validate`` would find in a planned page that the page does
    not have now, joined (empty: none): ingest never makes a page validate refuses,
    whatever rule an entry slipped past its parser's checks; a page already refused
    for a hand edit is still updated."""
    assert action.text is not None
    errors = _errors(action.text, action.path, vocabulary, full=full)
    if errors and before is not None:
        errors -= _errors(before.text, action.path, vocabulary, full=full)
    return "; ".join(sorted(errors))


def apply_plan(plan: Plan, *, root: Path, on_write: Callable[[Action], None] | None = None) -> int:
    """Write every new or updated page under ``root``, atomically; returns the number
    written (:func:`paper_archive.disk.archive.write_pages`)."""
    return write_pages(plan.writes, root=root, on_write=on_write)


def plan_source(
    project: Project,
    source: Source,
    entries: tuple[SourceEntry, ...],
    vocabulary: Vocabulary,
    *,
    today: dt.date,
) -> Plan:
    """The ingest plan of one source against every page of the archive (pure reads):
    how ``papers fetch`` ingests the response it has just stored."""
    return plan_ingest(
        [LoadedSource(source=source, entries=entries)],
        read_pages(project.pages_dir, root=project.root),
        vocabulary,
        pages_dir=project.pages_dir.relative_to(project.root).as_posix(),
        today=today,
        validate_pages=True,
    )
