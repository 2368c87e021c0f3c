"""A build's helper job (paper_archive/jobs.py) says the same whether it was forked from
a one-thread process (a plain ``mkdocs build``) or started as ``python -m MODULE`` (the
threaded ``mkdocs serve``): success is silent, a failure is the module's own message.
The builds that use both ways are in tests/site/ (byte-identical sites,
test_build_failure.py: no child left behind)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paper_archive import jobs
from paper_archive.site import related

MODULE = "paper_archive.site.related"


def _finished(
    monkeypatch: pytest.MonkeyPatch, fork: bool, input_file: Path, *args: str
) -> str | None:
    monkeypatch.setattr(jobs, "can_fork", lambda: fork)
    job = jobs.Job.start(MODULE, input_file, *args)
    assert isinstance(job.process, jobs.Forked) is fork
    return job.wait()


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "python -m"])
def test_a_job_succeeds_silently_and_removes_its_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fork: bool
) -> None:
    docs = [related.Doc("a", "Sparse experts", "Routing tokens.", ("llms",))]
    key = related.content_key(docs)
    input_file = jobs.input_path(tmp_path, key)
    related.write_input(input_file, docs, key)
    assert _finished(monkeypatch, fork, input_file, str(tmp_path)) is None
    assert not input_file.exists()
    assert json.loads(related.cache_file(tmp_path, key).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("CACHE",), "related papers: [Errno 2] No such file or directory"),  # no input
        ((), "usage: python -m paper_archive.site.related INPUT.json CACHE_DIR"),
    ],
    ids=["missing input", "wrong arguments"],
)
def test_a_failed_job_says_the_same_forked_or_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    missing = tmp_path / "missing.json"
    forked = _finished(monkeypatch, True, missing, *args)
    started = _finished(monkeypatch, False, missing, *args)
    assert forked == started
    assert forked is not None and forked.startswith(said), forked
