"""A build's helper job (paper_archive/jobs.py) says the same whether it was forked from
a one-thread process (a plain ``mkdocs build``), run in the process when it is small and
the process cannot fork (a threaded ``mkdocs serve`` of a small archive), or started as
``python -m MODULE`` (a large one): success is silent, a failure is the module's own
message.
The builds that use both ways are in tests/site/ (byte-identical sites,
test_build_failure.py: no child left behind)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paper_archive import jobs
from paper_archive.site import related
from paper_archive.site.related import cache as related_cache

MODULE = "paper_archive.site.related"


#: How a job runs: (the process can fork, the documents its input holds, the kind).
WAYS = {
    "forked": (True, 1, "Forked"),
    "inline": (False, 1, "Inline"),
    "python -m": (False, jobs.INLINE_UP_TO + 1, "Popen"),
}


def _finished(
    monkeypatch: pytest.MonkeyPatch, way: str, input_file: Path, *args: str
) -> str | None:
    fork, items, kind = WAYS[way]
    monkeypatch.setattr(jobs, "can_fork", lambda: fork)
    job = jobs.Job.start(MODULE, input_file, *args, items=items)
    assert type(job.process).__name__ == kind
    return job.wait()


def _input(folder: Path) -> tuple[Path, str]:
    docs = [related.Doc("a", "Sparse experts", "Routing tokens.", ("llms",))]
    key = related.content_key(docs)
    input_file = jobs.input_path(folder, key)
    related.write_input(input_file, docs, key)
    return input_file, key


@pytest.mark.parametrize("way", list(WAYS))
def test_a_job_succeeds_silently_and_removes_its_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, way: str, capfd: pytest.CaptureFixture[str]
) -> None:
    input_file, key = _input(tmp_path)
    assert _finished(monkeypatch, way, input_file, str(tmp_path)) is None
    assert not input_file.exists()
    assert json.loads(related.cache_file(tmp_path, key).read_text(encoding="utf-8"))
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("CACHE",), "related papers: [Errno 2] No such file or directory"),  # no input
        ((), "usage: python -m paper_archive.site.related INPUT.json CACHE_DIR"),
    ],
    ids=["missing input", "wrong arguments"],
)
def test_a_failed_job_says_the_same_whichever_way_it_ran(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: tuple[str, ...],
    said: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "missing.json"
    messages = [_finished(monkeypatch, way, missing, *args) for way in WAYS]
    assert messages[0] is not None and messages[0].startswith(said), messages[0]
    assert messages == [messages[0]] * len(WAYS)
    # An inline job's message is the build's to report, never written to stderr here.
    assert capfd.readouterr().err == ""


def test_an_inline_jobs_crash_is_its_traceback_and_status_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A bug in the job (an exception its module does not turn into a message) fails the
    build with the traceback, as a ``python -m`` process's would."""

    def computed(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug in the job")

    monkeypatch.setattr(related_cache, "compute_and_cache", computed)
    monkeypatch.setattr(jobs, "can_fork", lambda: False)
    input_file, _ = _input(tmp_path)
    job = jobs.Job.start(MODULE, input_file, str(tmp_path), items=1)
    said = job.wait()
    assert said is not None and said.startswith("Traceback"), said
    assert said.endswith("RuntimeError: a bug in the job")
    assert not input_file.exists()
    assert capfd.readouterr().err == ""


def test_an_inline_job_cancelled_before_it_ran_never_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A failed build cancels its jobs: an inline one has not run yet (it runs when
    waited for), and then never does; its input is removed all the same."""
    monkeypatch.setattr(jobs, "can_fork", lambda: False)
    input_file, key = _input(tmp_path)
    job = jobs.Job.start(MODULE, input_file, str(tmp_path), items=1)
    job.cancel()
    assert job.wait() is None
    assert not input_file.exists()
    assert not related.cache_file(tmp_path, key).exists()
