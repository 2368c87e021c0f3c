"""The search bundle of a site build, behind one small API, and the process that builds it.

:func:`plan_bundle` names the bundle by a hash of its inputs, :meth:`BundlePlan.start`
finds it in the cache or builds it in a separate process while MkDocs renders pages,
and :meth:`BundlePlan.finish` writes it into the site.

    python -m paper_archive.search.build INPUT.json CACHE_DIR

INPUT.json holds ``{"key": …, "tag_names": {…}, "boosts": {…}, "aliases": [[…], …],
"docs": [SearchDoc fields, …]}``. The sharded bundle (search/shards.py) goes to
CACHE_DIR/<key>/ (see :func:`cached_or_built`); nothing is printed on success, a message
on standard error and exit status 1 on failure.

Design notes: docs/modules.md, `search/build.py`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from .. import jobs
from ..errors import ArchiveError
from ..files.cachefiles import CacheDir, remove
from ..files.textfile import atomic_write_bytes, atomic_write_json_list, writing
from ..jobs import Job, input_path
from ..remembering import PLAIN, Remembers
from ..settings import SearchBoosts
from ..site.collect import Archive
from .bundle import (
    BOOSTS,
    Aliases,
    SearchDoc,
    content_key,
    documents,
    index_fields,
    max_file_bytes,
)
from .bundle import worker_bundle as joined_scripts
from .shardcheck import Refused, manifest_name, read_checked
from .shards import build_sharded

log = logging.getLogger("mkdocs.plugins.paper_archive.search")

#: The bundles' folder in the project's cache (settings.cache_dir, gitignored; not
#: ``.cache/``, see above).
CACHE_DIR = "search"
#: Where the bundle goes in the built site.
SITE_DIR = "assets/search"
#: Served as one file each (one request): lunr.js and the engine (index, query,
#: answer) for the page's first stage on /search/; the same plus the shared helpers and
#: the worker adapter for the worker; and the page's script (shared helpers, search
#: client, UI helpers, header box, /search/ page) on every page.
ENGINE_PARTS = (
    "assets/vendor/lunr/lunr.min.js",
    "assets/search/index.js",
    "assets/search/query.js",
    "assets/search/answer.js",
)
SHARED_PART = "assets/search/shared.js"
WORKER_PARTS = (*ENGINE_PARTS, SHARED_PART, "assets/search/worker.js")
PAGE_PARTS = (
    SHARED_PART,
    "assets/search/client.js",
    "assets/search/ui.js",
    "assets/search/header-box.js",
    "assets/search/search-page.js",
)
#: The names' key under ``mkdocs serve --dirty``.
SERVE_KEY = "serve"


class SearchBuildError(ArchiveError):
    """The process building the bundle failed."""


@dataclass
class BundlePlan:
    """One build's search bundle: what the pages point at, and how it gets there."""

    key: str  # hash of the inputs: the cache entry
    names: dict[str, str]  # "manifest" or script role -> file name in SITE_DIR
    cache: CacheDir
    docs: list[SearchDoc]
    tag_names: dict[str, str]
    scripts: dict[str, bytes]  # file name -> content
    aliases: Aliases = ()  # the vocabulary's alias groups, shipped in the manifest
    job: Job | None = field(default=None, repr=False)
    #: The sharded bundle (file name in the cache -> content), once read and checked.
    files: dict[str, bytes] | None = field(default=None, repr=False)
    boosts: SearchBoosts = BOOSTS  # the fields' (settings.search_boosts): in the key
    serve: bool = False  # named with SERVE_KEY in the site (the cache: by key)
    #: Under ``mkdocs serve --dirty``: the served site holds this bundle already (the
    #: same key, written by this process): nothing to read, check or write.
    served: bool = False
    #: How many documents: what bounds a bundle file's size, kept when :attr:`docs`
    #: is dropped (:meth:`start`).
    papers: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.papers = len(self.docs)

    @property
    def cache_dir(self) -> Path:
        return self.cache.folder(CACHE_DIR)

    def entry(self, *, check: bool = True) -> dict[str, bytes] | None:
        """The cache entry of :attr:`key`, every file read without following links and
        checked (:func:`~.shardcheck.read_checked`), or None: missing, or ignored (said
        at INFO). ``check`` False: the entry this build's own process just wrote, where
        nothing was before (:meth:`start` removed it): read, its files not checked
        again."""
        folder = self.cache_dir / self.key
        limit = max_file_bytes(self.papers)

        def read(name: str) -> bytes | None:
            return self.cache.read(folder / name, max_bytes=limit)

        if not check:
            own = self._own_files()
            return None if own is None else dict(own)
        try:
            return read_checked(
                read,
                self.docs,
                self.tag_names,
                self.key,
                index_fields(self.boosts)[1],
                self.aliases,
            )
        except Refused as refused:
            self.cache.ignored(folder / refused.name, refused.reason)
            return None

    def _own_files(self) -> Iterator[tuple[str, bytes]] | None:
        """The entry this build's own process just wrote, a file at a time, read without
        following links and not checked again; None when it holds no manifest."""
        folder = self.cache_dir / self.key
        limit = max_file_bytes(self.papers)
        if self.cache.read(folder / manifest_name(self.key), max_bytes=limit) is None:
            return None

        def files() -> Iterator[tuple[str, bytes]]:
            for path in sorted(folder.iterdir()):
                if (content := self.cache.read(path, max_bytes=limit)) is not None:
                    yield path.name, content

        return files()

    @property
    def cached(self) -> bool:
        return self.files is not None

    def start(self) -> None:
        """Start building the bundle in a separate process, unless the cache holds it."""
        self.files = self.entry()
        if self.files is None:
            remove(self.cache_dir / self.key)  # what is there is not used: made again
            input_file = input_path(self.cache_dir, self.key)
            write_input(
                input_file, self.docs, self.tag_names, self.key, self.aliases, boosts=self.boosts
            )
            self.job = Job.start(
                "paper_archive.search.build", input_file, str(self.cache_dir), items=self.papers
            )
        # Checked against (the cache entry) or handed to the process (its input file),
        # the documents are not read again: what the process writes is read back
        # unchecked (:meth:`wait`). Every paper's abstract and authors once more (~2 KB
        # a paper) are not held through the render.
        self.docs = []

    def wait(self) -> dict[str, bytes]:
        """Wait for the bundle (file name -> content); :class:`SearchBuildError` if its
        process failed or what it wrote is not there."""
        self._job_done()
        if self.files is None:
            self.files = self.entry(check=self.job is None)
        if self.files is None:
            raise self._no_bundle()
        return self.files

    def _job_done(self) -> None:
        """Wait for the process, if any: :class:`SearchBuildError` if it failed."""
        failure = self.job.wait() if self.job is not None else None
        if failure is not None:
            raise SearchBuildError(f"building the search index failed: {failure}")

    def cancel(self) -> None:
        """End the process, if any, and remove its input file (a failed build)."""
        if self.job is not None:
            self.job.cancel()

    def site_files(self) -> dict[str, bytes]:
        """The bundle's files as the site names them (:meth:`wait` first): under
        ``mkdocs serve``, named with :data:`SERVE_KEY`, the manifest saying so."""
        files = self.wait()
        if not self.serve:
            return files
        renamed: dict[str, bytes] = {}
        for name, content in files.items():
            kind, _, rest = name.split(".", 2)
            data = content
            if kind == "manifest":
                manifest = json.loads(content)
                manifest["key"] = SERVE_KEY
                manifest["facets"] = f"facets.{SERVE_KEY}.json"
                data = json.dumps(manifest, separators=(",", ":"), ensure_ascii=False).encode()
            renamed[f"{kind}.{SERVE_KEY}.{rest}"] = data
        return renamed

    def finish(self, site_dir: Path) -> list[str]:
        """Wait for the bundle and write it and the scripts into the built site (the
        bytes checked, not the cache files copied: see :meth:`entry`); the names
        written (in SITE_DIR)."""
        target = site_dir / SITE_DIR
        if self.serve or self.job is None or self.files is not None:
            files: Iterable[tuple[str, bytes]] = self.site_files().items()
        else:  # a plain build's own process wrote the entry: copied a file at a time, not
            # held whole (~2.5 KB a paper: 250 MB at 100,000, at the build's peak); an
            # entry no process of this build wrote is checked by wait(), as before
            files = self._waited_own_files()
        with writing(target):
            target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, content in files:
            atomic_write_bytes(target / name, content)
            written.append(name)
        for name, content in self.scripts.items():
            with writing(target / name):
                (target / name).write_bytes(content)
        return [*written, *self.scripts]

    def _waited_own_files(self) -> Iterator[tuple[str, bytes]]:
        """:meth:`wait`, without holding the entry: its files one at a time."""
        self._job_done()
        own = self._own_files()
        if own is None:
            raise self._no_bundle()
        return own

    def _no_bundle(self) -> SearchBuildError:
        """What :meth:`wait` raises when the entry its process wrote is not there."""
        return SearchBuildError(f"search index: {self.cache_dir} holds no bundle {self.key}")


def plan_bundle(
    archive: Archive,
    docs_dir: Path,
    cache: CacheDir,
    *,
    serve: bool = False,
    boosts: SearchBoosts = BOOSTS,
    memo: Remembers = PLAIN,
) -> BundlePlan:
    """The bundle of ``archive``: its key and names, and the scripts of the front end.

    ``serve``: name the files with :data:`SERVE_KEY` instead of the content hash.
    ``boosts``: the fields' (settings.search_boosts), part of the key.
    """
    docs = documents(archive, memo=memo)
    tag_names = {tag.slug: tag.name for tag in archive.vocabulary.tags}
    aliases = archive.vocabulary.alias_groups
    key = content_key(docs, tag_names, aliases, boosts=boosts, memo=memo)
    files, scripts = front_end(docs_dir, manifest_name(SERVE_KEY if serve else key))
    return BundlePlan(
        key, files, cache, docs, tag_names, scripts, boosts=boosts, aliases=aliases, serve=serve
    )


def front_end(docs_dir: Path, manifest: str) -> tuple[dict[str, str], dict[str, bytes]]:
    """The front end of a bundle whose manifest is named ``manifest``: the files' names
    by role (the manifest's with them) and the scripts by name, each named by its hash.

    The page's script begins with the other roles' names (``self.PaSearchNames``, read
    by shared.js ``client.files``), so that no page carries them: ~230 bytes a page, 23
    MB at 100,000 papers (issue 20). Its name, hashed over them, changes with them."""
    files = {"manifest": manifest}
    scripts: dict[str, bytes] = {}
    for role, parts in (("engine", ENGINE_PARTS), ("worker", WORKER_PARTS), ("page", PAGE_PARTS)):
        content = joined_scripts([docs_dir / part for part in parts])
        if role == "page":
            names = json.dumps(files, sort_keys=True, separators=(",", ":"))
            content = f"self.PaSearchNames={names};\n".encode() + content
        name = f"{role}.{hashlib.sha256(content).hexdigest()[:12]}.js"
        files[role] = name
        scripts[name] = content
    return files, scripts


def write_input(
    path: Path,
    docs: list[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    aliases: Aliases = (),
    *,
    boosts: SearchBoosts = BOOSTS,
) -> None:
    # Fields by name (SearchDoc is flat): asdict's deep copy took 0.6 s at 10,000.
    names = [f.name for f in fields(SearchDoc)]
    head = {"key": key, "tag_names": tag_names, "boosts": boosts.as_dict(), "aliases": aliases}
    records = ({name: getattr(doc, name) for name in names} for doc in docs)
    atomic_write_json_list(path, head, "docs", records)  # a link there: replaced


def read_input(
    path: Path,
) -> tuple[list[SearchDoc], dict[str, str], str, SearchBoosts, Aliases]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    docs = [SearchDoc(**{**doc, "tags": tuple(doc["tags"])}) for doc in payload["docs"]]
    aliases = tuple(tuple(group) for group in payload.get("aliases", ()))
    return docs, payload["tag_names"], payload["key"], SearchBoosts(**payload["boosts"]), aliases


def bundle_files(
    docs: Sequence[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    aliases: Aliases = (),
    *,
    boosts: SearchBoosts = BOOSTS,
) -> dict[str, bytes]:
    """The sharded bundle's files (name -> content) of ``docs``: pure, documents in and
    files out, its arguments plain picklable data (a :class:`BundlePlan` holds them all:
    ``bundle_files(plan.docs, plan.tag_names, plan.key, plan.aliases,
    boosts=plan.boosts)``), so it runs as well in a worker process beside MkDocs' render
    as here. The same documents give the same bytes (search/shards.py)."""
    return build_sharded(docs, tag_names, key, index_fields(boosts)[1], aliases=aliases).files


def cached_or_built(
    docs: list[SearchDoc],
    tag_names: dict[str, str],
    key: str,
    cache_dir: Path,
    aliases: Aliases = (),
    *,
    boosts: SearchBoosts = BOOSTS,
) -> Path:
    """The directory holding this key's sharded bundle: from the cache, or built into
    it now (search/shards.py). Runs in the bundle's process during the build; writes
    through a temporary directory and a rename, so a cache entry is complete or absent
    (what it holds is checked when read: :meth:`BundlePlan.entry`)."""
    target = cache_dir / key
    if (target / manifest_name(key)).is_file():
        return target
    files = bundle_files(docs, tag_names, key, aliases, boosts=boosts)
    tmp = cache_dir / f".{key}.{os.getpid()}.tmp"
    remove(tmp)  # whatever is there (a link to elsewhere): never written through
    tmp.mkdir(parents=True)
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    try:
        tmp.rename(target)
    except OSError:  # another build won the race: its entry is identical
        remove(tmp)
    return target


def main(argv: list[str] | None = None) -> int:

    def work(input_file: Path, cache_dir: Path) -> None:
        docs, tag_names, key, boosts, aliases = read_input(input_file)
        cached_or_built(docs, tag_names, key, cache_dir, aliases, boosts=boosts)

    return jobs.run(argv, work, usage=__doc__ or "", label="search bundle")


if __name__ == "__main__":
    sys.exit(main())
