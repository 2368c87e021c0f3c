"""The scheduled fetch: daily, reviewable, least privilege (the general workflow rules,
actionlint and zizmor are in tests/test_workflows.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .conftest import FIXTURES

#: The hostile recorded responses are replayed by the tests of that class.
HOSTILE_TESTS = Path(__file__).parent.parent / "test_hostile_sources.py"


def _workflow(repo: Path) -> dict[str, Any]:
    return yaml.safe_load((repo / ".github" / "workflows" / "fetch.yml").read_text("utf-8"))


def test_runs_daily_and_on_demand(repo: Path) -> None:
    workflow = _workflow(repo)
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as True
    assert set(on) == {"schedule", "workflow_dispatch"}
    (schedule,) = on["schedule"]
    fields = schedule["cron"].split()
    assert len(fields) == 5 and fields[2:] == ["*", "*", "*"]  # every day
    assert on["workflow_dispatch"]["inputs"]["date"]["required"] is False


def test_only_the_job_may_write_and_only_what_a_pull_request_needs(repo: Path) -> None:
    workflow = _workflow(repo)
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_fetches_the_previous_day_and_opens_a_pull_request(repo: Path) -> None:
    (job,) = _workflow(repo)["jobs"].values()
    steps = job["steps"]
    fetch = next(s for s in steps if "papers fetch hf-daily" in s.get("run", ""))
    assert fetch["env"] == {"REQUESTED_DATE": "${{ inputs.date }}"}  # not inside run:
    assert "date -u -d yesterday +%F" in fetch["run"]
    assert '--date "$day"' in fetch["run"]
    assert "papers validate" in fetch["run"]
    pr = next(s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert pr["uses"].endswith("@271a8d0340265f705b14b6d32b9829c1cb33d45e")
    assert pr["with"]["branch"] == "fetch/hf-daily-${{ steps.fetch.outputs.day }}"
    assert pr["with"]["add-paths"].split() == ["data/sources", "docs/papers"]
    assert steps.index(fetch) < steps.index(pr)


def test_every_recorded_response_is_used_by_a_test() -> None:
    tests = [*Path(__file__).parent.glob("test_*.py"), HOSTILE_TESTS]
    sources = "\n".join(p.read_text("utf-8") for p in tests)
    unused = [p.name for p in sorted(FIXTURES.iterdir()) if p.name not in sources]
    assert unused == []
