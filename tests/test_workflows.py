"""GitHub files are safe by construction: every workflow under .github/workflows/ is
checked here, whoever adds it, by our own rules and by actionlint and zizmor (offline).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from . import REPO, codeowners
from .workflow_run import Runner

GITHUB = REPO / ".github"
WORKFLOWS = sorted([*GITHUB.glob("workflows/*.yml"), *GITHUB.glob("workflows/*.yaml")])
BIN = Path(sys.executable).parent

# `uses: owner/repo[/path]@<40 hex> # v1.2.3`
_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
_USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>\s+#.*)?$")
_VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+(\.\d+){0,2}\b")


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def _triggers(workflow: dict[str, Any]) -> set[str]:
    # YAML 1.1 reads the key `on` as True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    if isinstance(on, dict):
        return set(on)
    raise AssertionError(f"no triggers: {on!r}")


def _steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def _all_uses(workflow: dict[str, Any]) -> list[str]:
    uses = [step["uses"] for _, step in _steps(workflow) if "uses" in step]
    uses += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]  # reusable
    return uses


workflow_files = pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])


def test_the_workflows_exist() -> None:
    assert {"ci.yml", "deploy.yml"} <= {p.name for p in WORKFLOWS}


@workflow_files
def test_parses_as_a_workflow(path: Path) -> None:
    workflow = _load(path)
    assert workflow.get("name")
    assert _triggers(workflow)
    assert isinstance(workflow.get("jobs"), dict) and workflow["jobs"]


@workflow_files
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [m for m in map(_USES_LINE.match, path.read_text(encoding="utf-8").splitlines()) if m]
    parsed = _all_uses(_load(path))
    assert sorted(m["ref"] for m in lines) == sorted(parsed), "a uses: not on its own line"
    for match in lines:
        ref = match["ref"]
        if ref.startswith("./"):
            continue  # an action in this repository
        assert _PINNED.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
        comment = match["comment"] or ""
        assert _VERSION_COMMENT.match(comment), f"{path.name}: {ref} has no '# vX.Y.Z' comment"


@workflow_files
def test_no_pull_request_target(path: Path) -> None:
    assert "pull_request_target" not in _triggers(_load(path))
    code = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    ]
    assert not any("pull_request_target" in line for line in code)


@workflow_files
def test_no_expressions_inside_run(path: Path) -> None:
    for job_id, step in _steps(_load(path)):
        run = step.get("run")
        if run is not None:
            assert "${{" not in run, f"{path.name}: job {job_id}: pass values through env:"


@workflow_files
def test_checkouts_keep_no_credentials(path: Path) -> None:
    for job_id, step in _steps(_load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert (step.get("with") or {}).get("persist-credentials") is False, (
                f"{path.name}: job {job_id}: checkout without persist-credentials: false"
            )


@workflow_files
def test_token_is_read_only_at_the_top(path: Path) -> None:
    permissions = _load(path).get("permissions")
    assert permissions is not None, f"{path.name}: declare top-level permissions"
    if isinstance(permissions, dict):
        assert all(value in ("read", "none") for value in permissions.values()), permissions
    else:
        assert permissions in ("read-all", {}), permissions


def test_deploy_is_least_privilege_and_serialised() -> None:
    workflow = _load(GITHUB / "workflows" / "deploy.yml")
    assert _triggers(workflow) == {"push", "workflow_dispatch"}
    assert workflow[True if True in workflow else "on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    jobs = workflow["jobs"]
    writers = {
        job_id for job_id, job in jobs.items() if "write" in (job.get("permissions") or {}).values()
    }
    assert writers == {"deploy"}
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["needs"] == "build"
    build_runs = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in build_runs
    assert "mkdocs build --strict" in build_runs
    used = [s.get("uses", "").split("@")[0] for s in jobs["build"]["steps"] + deploy["steps"]]
    for action in (
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in used


def _size_check() -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    build = _load(GITHUB / "workflows" / "deploy.yml")["jobs"]["build"]
    steps = build["steps"]
    (check,) = [s for s in steps if s.get("name") == "Check the site fits GitHub Pages"]
    return build, check, steps


@pytest.mark.parametrize(
    ("limit", "files", "fails"),
    [("1000", "10", True), ("100000", "1", True), ("100000", "10", False)],
)
def test_deploy_stops_a_site_past_the_pages_limits(
    tmp_path: Path, limit: str, files: str, fails: bool
) -> None:
    """Issue 20: GitHub Pages publishes at most 1 GB. The build job measures the site
    before uploading it and stops, naming the size and where to go (docs/deploy.md),
    when it is over; run here on a small site with small limits."""
    build, check, steps = _size_check()
    upload = next(i for i, s in enumerate(steps) if "upload-pages-artifact" in s.get("uses", ""))
    assert steps.index(check) < upload
    assert check["env"] == {"MAX_BYTES": "1000000000", "MAX_FILES": "200000"}
    runner = Runner(tmp_path, {})
    site = runner.workspace / "site"
    (site / "papers" / "a").mkdir(parents=True)
    (site / "index.html").write_text("x" * 1500, encoding="utf-8")
    (site / "papers" / "a" / "index.html").write_text("y" * 500, encoding="utf-8")
    done = runner.run(build, {**check, "env": {"MAX_BYTES": limit, "MAX_FILES": files}})
    assert (done.returncode != 0) is fails, done.stdout + done.stderr
    assert "site: 2000 bytes in 2 files; largest file: 1500 index.html" in done.stdout
    if fails and limit == "1000":
        assert "::error::The site is 2000 bytes, over GitHub Pages' limit of 1000" in done.stdout
        assert "docs/deploy.md" in done.stdout
    elif fails:
        assert "::error::The site has 2 files, over 1" in done.stdout
    assert "2000 bytes in 2 files" in runner.summary.read_text(encoding="utf-8")


def test_deploy_keeps_the_ten_minute_deployment_timeout() -> None:
    deploy = _load(GITHUB / "workflows" / "deploy.yml")["jobs"]["deploy"]
    (step,) = [s for s in deploy["steps"] if "deploy-pages" in s.get("uses", "")]
    assert step["with"]["timeout"] == 600000
    assert (REPO / "docs" / "deploy.md").is_file()


def test_deploy_builds_a_100000_paper_archive_within_its_job_limit() -> None:
    """Issue 20: a 100,000-paper build took 25 min on a loaded 2-core machine; the
    build job's limit leaves it twice that, so an archive past GitHub Pages' size stops
    at the size check, with its figures, rather than at a timeout."""
    build = _load(GITHUB / "workflows" / "deploy.yml")["jobs"]["build"]
    assert build["timeout-minutes"] >= 50
    assert f"the build job itself has {build['timeout-minutes']} minutes" in (
        REPO / "docs" / "deploy.md"
    ).read_text(encoding="utf-8")


def test_ci_runs_every_check() -> None:
    workflow = _load(GITHUB / "workflows" / "ci.yml")
    assert {"pull_request", "push"} <= _triggers(workflow)
    runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["checks"]["steps"])
    for command in (
        "bash .ci/setup",  # Debian chromium for the browser tests, then the project
        ".venv/bin/ruff check",
        ".venv/bin/ruff format --check",
        ".venv/bin/python -m mypy",  # configured in pyproject.toml
        ".ci/eslint/node_modules/.bin/eslint --config .ci/eslint/eslint.config.js",
        ".venv/bin/python -m pytest",
        ".venv/bin/papers validate",
        ".venv/bin/papers ingest --check",
        ".venv/bin/mkdocs build --strict",
    ):
        assert command in runs, command
    setup = (REPO / ".ci" / "setup").read_text(encoding="utf-8")
    assert "apt-get install" in setup and "chromium" in setup


def test_ci_summary_is_made_by_the_base_branchs_code() -> None:
    """The order of CI's steps: the job that runs the pull request's code (setup.py,
    conftest.py) writes no summary; the summary job, on its own runner and needing no
    other job, installs the BASE commit outside the checkout and never runs the checkout."""
    jobs = _load(GITHUB / "workflows" / "ci.yml")["jobs"]
    assert next(iter(jobs)) == "summary"
    checks = "\n".join(str(step) for step in jobs["checks"]["steps"])
    assert "pr-summary" not in checks and "GITHUB_STEP_SUMMARY" not in checks

    job = jobs["summary"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert "needs" not in job and "container" not in job
    assert not (job.get("permissions") or {})  # the workflow's read-only token
    assert job["env"] == {
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        "HEAD_SHA": "${{ github.event.pull_request.head.sha }}",
    }
    steps = job["steps"]
    (checkout,) = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"] == {"path": "pr", "fetch-depth": 0, "persist-credentials": False}
    runs = [s for s in steps if "run" in s]
    assert [s.get("id") for s in runs].count("install") == 1
    assert runs[0]["run"].strip() == (
        'git -C pr worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"'
    )
    for step in runs[1:]:  # never inside the checkout, never its .venv
        assert step["working-directory"] == "${{ runner.temp }}", step["name"]
        assert ".venv" not in step["run"] and " pr/" not in step["run"], step["name"]
    install = next(s for s in runs if s.get("id") == "install")
    assert 'pip install --quiet "$RUNNER_TEMP/base"' in install["run"]
    assert "-e" not in install["run"].split()
    summary = runs[-1]["run"]
    assert summary.startswith('"$RUNNER_TEMP/venv/bin/papers" --root "$RUNNER_TEMP/base"')
    assert 'pr-summary --base "$BASE_SHA" --head "$HEAD_SHA"' in summary
    assert summary.endswith('>> "$GITHUB_STEP_SUMMARY"')


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_actionlint_reports_nothing() -> None:
    actionlint, shellcheck = BIN / "actionlint", BIN / "shellcheck"
    assert actionlint.is_file() and shellcheck.is_file(), (
        "install the dev extras: pip install -e '.[dev]'"
    )
    # shellcheck checks run: scripts; pyflakes is off, there are no Python scripts.
    result = _run(
        actionlint, "-no-color", "-oneline", f"-shellcheck={shellcheck}", "-pyflakes=", *WORKFLOWS
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_catches_an_injection(tmp_path: Path) -> None:
    """The linter really runs: an expression in a run: script is reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    result = _run(BIN / "actionlint", "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", bad)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


def test_zizmor_reports_nothing() -> None:
    zizmor = BIN / "zizmor"
    assert zizmor.is_file(), "install the dev extras: pip install -e '.[dev]'"
    result = _run(zizmor, "--offline", "--no-progress", "--color", "never", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout + result.stderr


def test_zizmor_catches_unpinned_and_credentials(tmp_path: Path) -> None:
    """The auditor really runs: a tag-pinned checkout that keeps its token is reported."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    result = _run(BIN / "zizmor", "--offline", "--no-progress", "--color", "never", bad)
    assert result.returncode != 0
    assert "artipacked" in result.stdout and "unpinned-uses" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("rules", "path", "owners"),
    [
        # The examples of GitHub's "About code owners", path by path.
        ("* @g\n*.js @js", "src/app/x.js", ("@js",)),
        ("* @g\n*.js @js", "src/app/x.py", ("@g",)),
        ("/build/logs/ @d", "build/logs/a/b.log", ("@d",)),
        ("/build/logs/ @d", "src/build/logs/b.log", ()),
        ("docs/* d@example.com", "docs/getting-started.md", ("d@example.com",)),
        ("docs/* d@example.com", "docs/build-app/troubleshooting.md", ()),
        ("apps/ @o", "src/apps/x/y.rb", ("@o",)),
        ("/docs/ @d", "docs/a/b.md", ("@d",)),
        ("/docs/ @d", "src/docs/b.md", ()),
        ("**/logs @o", "deeply/nested/logs/x.txt", ("@o",)),
        ("/apps/ @o\n/apps/github", "apps/github/x.rb", ()),  # no owner: unowned
        ("/apps/ @o\n/apps/github", "apps/other/x.rb", ("@o",)),
        ("/mkdocs.yml @m", "mkdocs.yml", ("@m",)),
        ("/mkdocs.yml @m", "sub/mkdocs.yml", ()),
    ],
)
def test_codeowners_reader_follows_githubs_rules(rules: str, path: str, owners: tuple) -> None:
    assert codeowners.owners_of(codeowners.parse(rules), path) == owners


def test_codeowners_reader_refuses_what_github_does_not_support() -> None:
    for line in ("!/docs/papers/", "/docs/[ab]/ @m", "/x/ maintainers"):
        with pytest.raises(ValueError, match="CODEOWNERS:1"):
            codeowners.parse(line)


#: The only paths a change needs no maintainer for: what a contributor adds.
UNOWNED = re.compile(r"\A(?:docs/papers|data/sources)/.+\Z")


def test_codeowners_own_every_path_but_pages_and_sources() -> None:
    """Last match wins: every tracked path, and the new root files a hostile pull request
    would add (they run during `pip install -e .` and `pytest`), needs a maintainer,
    except pages and raw sources."""
    rules = codeowners.load(GITHUB / "CODEOWNERS")
    tracked = (
        subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split("\0")
    )
    hostile = [
        "setup.py",
        "setup.cfg",
        "conftest.py",
        "sitecustomize.py",
        "pip/__main__.py",
        "Makefile",
        ".github/scripts/take-artifact.sh",
        "docs/papers.md",
        "docs/assets/new.js",
        "data/sources.yaml",
        "data/new.yaml",
        "docs/papers/new-paper.md",
        "data/sources/hf-daily-2026-11-22-0123abcd.json",
        "tests/docs/papers/x.md",
    ]
    paths = [p for p in tracked if p] + hostile
    assert len(paths) > 100
    wrong = [
        (path, owners)
        for path in paths
        if bool(owners := codeowners.owners_of(rules, path)) == bool(UNOWNED.match(path))
    ]
    assert wrong == []
    for path in ("setup.py", "conftest.py", "mkdocs.yml", "hooks/collect_papers.py"):
        assert codeowners.owners_of(rules, path) == ("@paper-archive/maintainers",), path


def test_issue_form_asks_for_title_link_and_why() -> None:
    form = _load(GITHUB / "ISSUE_TEMPLATE" / "suggest-a-paper.yml")
    assert form["name"] and form["description"]
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    for field in ("title", "link", "why"):
        assert fields[field]["validations"]["required"] is True, field
    config = _load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert isinstance(config["blank_issues_enabled"], bool)


def test_pull_request_template_is_a_checklist() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^- \[ \] ", text, flags=re.MULTILINE)) >= 5
    assert "papers validate" in text


# -- the scheduled fetch (fetch.yml): daily, reviewable, least privilege ---------------


def test_runs_daily_and_on_demand() -> None:
    workflow = _load(GITHUB / "workflows" / "fetch.yml")
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as True
    assert set(on) == {"schedule", "workflow_dispatch"}
    (schedule,) = on["schedule"]
    fields = schedule["cron"].split()
    assert len(fields) == 5 and fields[2:] == ["*", "*", "*"]  # every day
    assert on["workflow_dispatch"]["inputs"]["date"]["required"] is False


# -- fetch.yml and enrich.yml: parse without write permission, open the pull request
# from an artifact with no project code ------------------------------------------------

#: The workflows that open a pull request with what a run of `papers` found.
PULL_REQUEST_WORKFLOWS = ("fetch.yml", "enrich.yml")
#: All a job holding write permissions may use.
WRITER_ACTIONS = {
    "actions/checkout",
    "actions/download-artifact",
    "peter-evans/create-pull-request",
}
_PROJECT_CODE = re.compile(r"\bpip\b|\bpapers\b|\.venv|\bpython|\bmkdocs\b|\bpytest\b|\.ci/")

#: An echo of plain text (variables, no command substitution): the body's words.
_ECHO = re.compile(r'^\s*echo(?: "(?:[^"\\$`]|\\.|\$(?!\())*")?$', flags=re.MULTILINE)


def _reader_and_writer(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    workflow = _load(GITHUB / "workflows" / name)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    (reader_id, reader), (_, writer) = workflow["jobs"].items()
    assert reader["permissions"] == {"contents": "read"}
    assert writer["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert writer["needs"] == reader_id
    return reader, writer


def _uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


@pytest.mark.parametrize("name", PULL_REQUEST_WORKFLOWS)
def test_the_job_that_parses_may_not_write(name: str) -> None:
    reader, _ = _reader_and_writer(name)
    runs = "\n".join(step.get("run", "") for step in reader["steps"])
    assert ".venv/bin/python -m pip install -q -e ." in runs
    assert "2>&1 | tee" in runs and "set -o pipefail" in runs  # the log, failures kept
    assert ".venv/bin/papers validate" in runs and ".venv/bin/papers ingest --check" in runs
    assert 'cp --parents -t "$RUNNER_TEMP/artifact/files"' in runs
    (upload,) = [s for s in reader["steps"] if _uses(s) == "actions/upload-artifact"]
    assert upload["with"]["path"] == "${{ runner.temp }}/artifact"
    assert upload["with"]["if-no-files-found"] == "error"
    assert reader["steps"][-1] is upload


@pytest.mark.parametrize("name", PULL_REQUEST_WORKFLOWS)
def test_the_job_that_writes_runs_no_project_code(name: str) -> None:
    """No install, no `papers`, no Python; main checked out (never another ref); the
    artifact taken by the plain-bash take-artifact.sh before the pull request."""
    reader, writer = _reader_and_writer(name)
    steps = writer["steps"]
    assert {_uses(s) for s in steps if "uses" in s} == WRITER_ACTIONS
    for step in steps:
        if "run" in step:
            commands = _ECHO.sub("", step["run"])  # the body's text names `papers`
            assert not _PROJECT_CODE.search(commands), (name, step["run"])
        assert not any("secrets." in str(v) for v in (step.get("with") or {}).values())
    (checkout,) = [s for s in steps if _uses(s) == "actions/checkout"]
    assert checkout["with"] == {"persist-credentials": False}  # main: no ref, no repository
    (upload,) = [s for s in reader["steps"] if _uses(s) == "actions/upload-artifact"]
    (download,) = [s for s in steps if _uses(s) == "actions/download-artifact"]
    assert download["with"]["name"] == upload["with"]["name"]
    folder = download["with"]["path"].replace("${{ runner.temp }}", "$RUNNER_TEMP")
    take = next(i for i, s in enumerate(steps) if "take-artifact.sh" in s.get("run", ""))
    assert steps[take]["run"].strip() == f'bash .github/scripts/take-artifact.sh "{folder}"'
    body = next(i for i, s in enumerate(steps) if "quote-lines.sh" in s.get("run", ""))
    assert f'"{folder}/log.txt"' in steps[body]["run"]
    (pr,) = [s for s in steps if _uses(s) == "peter-evans/create-pull-request"]
    assert take < body < steps.index(pr)
    assert pr["uses"].endswith("@271a8d0340265f705b14b6d32b9829c1cb33d45e")
    assert set(pr["with"]["add-paths"].split()) <= {"data/sources", "docs/papers"}
    assert pr["with"]["body-path"] == "${{ runner.temp }}/body.md"
    assert "body" not in pr["with"]


def test_fetches_the_previous_day_and_opens_a_pull_request() -> None:
    reader, writer = _reader_and_writer("fetch.yml")
    fetch = next(s for s in reader["steps"] if "papers fetch hf-daily" in s.get("run", ""))
    assert fetch["env"] == {"REQUESTED_DATE": "${{ inputs.date }}"}  # not inside run:
    assert "date -u -d yesterday +%F" in fetch["run"]
    assert '.venv/bin/papers fetch hf-daily --date "$day" 2>&1 | tee' in fetch["run"]
    assert reader["outputs"] == {"day": "${{ steps.fetch.outputs.day }}"}
    body = next(s for s in writer["steps"] if s.get("id") == "body")
    assert body["env"] == {"DAY": "${{ needs.fetch.outputs.day }}"}
    assert '[[ "$DAY" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]' in body["run"]  # checked again
    assert "quote-lines.sh 'skipped|left out'" in body["run"]
    pr = writer["steps"][-1]
    assert pr["with"]["branch"] == "fetch/hf-daily-${{ steps.body.outputs.day }}"
    assert pr["with"]["add-paths"].split() == ["data/sources", "docs/papers"]


def test_enrich_runs_weekly_with_a_bound_and_opens_a_pull_request() -> None:
    workflow = _load(GITHUB / "workflows" / "enrich.yml")
    on = workflow.get("on", workflow.get(True))
    assert set(on) == {"schedule", "workflow_dispatch"}
    (schedule,) = on["schedule"]
    fields = schedule["cron"].split()
    assert len(fields) == 5 and fields[2:4] == ["*", "*"] and fields[4].isdigit()  # weekly
    assert on["workflow_dispatch"]["inputs"]["limit"]["required"] is False
    reader, writer = _reader_and_writer("enrich.yml")
    enrich = next(s for s in reader["steps"] if "papers enrich" in s.get("run", ""))
    assert enrich["env"] == {"REQUESTED_LIMIT": "${{ inputs.limit }}"}
    assert '.venv/bin/papers enrich --limit "$limit" 2>&1 | tee' in enrich["run"]
    assert "^[1-9][0-9]{0,3}$" in enrich["run"]  # a number, bounded
    pr = writer["steps"][-1]
    assert pr["with"]["branch"] == "enrich/arxiv"
    assert pr["with"]["add-paths"].split() == ["docs/papers"]
