"""`mkdocs serve` benchmark: start, save a paper → served, tag edit → served, memory.

    python tests/benchmarks/bench_serve.py [--sizes 543 10000] [--rebuilds 20]
        [--command "mkdocs serve --dirty"] [--no-anchor]

For each size, a copy of the site (tests/benchmarks/sites.py) is served by a real
`mkdocs serve` process started as the README says (``--command`` to compare another
way), and timed from outside, as a maintainer sees it:

- *ready*: from starting the process to the first paper page served;
- *save → served*: a paper page's abstract gets a new word; time until the served HTML
  of that page has it (the server answers once the rebuild is complete, so this is the
  whole rebuild, the file watcher's polling included);
- *tag edit → served*: a topic's description in data/tags.yaml changes; time until
  that topic's served page shows it;
- *CPU*: the serve process's own CPU time (user + system, its waited-for children
  included and shown apart: the related process, and the search one once a thread has
  waited for it, which may be before or after ready) to the first page served, and each
  save's share (CPU time spent from the save to its page served): on a shared machine
  wall times swell with the load, CPU times far less;
- *RSS*: the serve process's resident memory after the first build, after the first
  save and after ``--rebuilds`` consecutive saves (each waited for), and the growth
  from the first build and from the first save (what a first save allocates once,
  e.g. the related-papers index, is not growth across rebuilds).

The anchor is mkdocs-material with its search and tags plugins over the same pages
(``sites.ANCHOR_CONFIG``), served the same way, with the same saves (it has no tag
vocabulary). Figures: docs/benchmarks.md ("Serve").
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.sites import archive_with_site  # noqa: E402
from tests.browser import fetch, free_port  # noqa: E402

README_COMMAND = "mkdocs serve --dirty"
TIMEOUT = 600.0


def _wait_for(url: str, text: str, start: float, limit: float = TIMEOUT) -> float | None:
    """Seconds from ``start`` until ``url`` serves ``text``; None if not within ``limit``."""
    while time.perf_counter() - start < limit:
        page = fetch(url, timeout=TIMEOUT)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def _must(seconds: float | None, what: str) -> float:
    if seconds is None:
        raise SystemExit(f"{what}: not served within {TIMEOUT:.0f} s")
    return seconds


def _cpu_split(pid: int) -> tuple[float, float]:
    """User + system CPU time of process ``pid``, and of its children it waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    tick = os.sysconf("SC_CLK_TCK")
    return (utime + stime) / tick, (cutime + cstime) / tick


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` and of its children it waited for."""
    return sum(_cpu_split(pid))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class ServeRun:
    ready: float = 0.0
    ready_cpu: float = 0.0
    ready_children_cpu: float = 0.0  # of it, the children waited for by then
    saves: list[float] = field(default_factory=list)
    saves_cpu: list[float] = field(default_factory=list)
    tag_edit: float | None = None
    tag_edit_tried: bool = False
    rss_first: float = 0.0
    rss_saved: float = 0.0  # after the first save: what the rebuilds keep from then on
    rss_last: float = 0.0
    rss_max: float = 0.0


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path}: {old!r} not found")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _tag_to_edit(root: Path) -> tuple[str, str]:
    """A topic slug and its description line in data/tags.yaml."""
    text = (root / "data" / "tags.yaml").read_text(encoding="utf-8")
    match = re.search(r"^\s*-?\s*slug:\s*(\S+)\s*$", text, re.MULTILINE)
    description = re.search(r"^(\s*description:\s*)(.+)$", text, re.MULTILINE)
    if match is None or description is None:
        raise SystemExit("data/tags.yaml: no slug/description to edit")
    return match.group(1), description.group(2).strip().strip("'\"")


def serve_run(root: Path, config: str, command: str, *, rebuilds: int, tag_edit: bool) -> ServeRun:
    port = free_port()
    argv = [sys.executable, "-m", *shlex.split(command)]
    argv += ["-f", str(root / config), "-a", f"127.0.0.1:{port}"]
    log = (root / f"serve-{config}.log").open("w")
    start = time.perf_counter()
    server = subprocess.Popen(
        argv,
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    run = ServeRun()
    base = f"http://127.0.0.1:{port}/"
    pages = sorted((root / "docs" / "papers").glob("*.md"))
    try:
        page = pages[len(pages) // 2]
        url = f"{base}papers/{page.stem}/"
        run.ready = _must(_wait_for(url, "<html", start), "first build")
        own, children = _cpu_split(server.pid)
        run.ready_cpu, run.ready_children_cpu = own + children, children
        run.rss_first = _rss_mb(server.pid)
        run.rss_max = run.rss_first
        for number in range(rebuilds):
            target = pages[(len(pages) // 2 + number) % len(pages)]
            word = f"Benchmark{config.split('.')[0]}{number}x"  # not seen by earlier runs
            text = target.read_text(encoding="utf-8")
            target.write_text(f"{text.rstrip()}\n\n{word}\n", encoding="utf-8")  # abstract
            began, cpu = time.perf_counter(), _cpu_seconds(server.pid)
            seconds = _wait_for(f"{base}papers/{target.stem}/", word, began)
            run.saves.append(_must(seconds, f"save of {target.name}"))
            run.saves_cpu.append(_cpu_seconds(server.pid) - cpu)
            rss = _rss_mb(server.pid)
            run.rss_saved = run.rss_saved or rss
            run.rss_max = max(run.rss_max, rss)
            run.rss_last = rss
        if tag_edit:
            slug, description = _tag_to_edit(root)
            changed = f"{description} Benchmarkedit"
            _edit(root / "data" / "tags.yaml", description, changed)
            began = time.perf_counter()
            # No rebuild at all is the answer when data/ is not watched: give up after
            # three times the slowest save (at least 20 s).
            limit = max(20.0, 3 * max(run.saves, default=0.0))
            run.tag_edit = _wait_for(f"{base}tags/{slug}/", "Benchmarkedit", began, limit)
            run.tag_edit_tried = True
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return run


def _secs(values: list[float]) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    median = ordered[len(ordered) // 2]
    return f"{ordered[0]:.2f} / {median:.2f} / {ordered[-1]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[543, 10_000])
    parser.add_argument("--rebuilds", type=int, default=20)
    parser.add_argument("--command", default=README_COMMAND)
    parser.add_argument("--anchor-command", default="mkdocs serve")
    parser.add_argument("--no-anchor", action="store_true")
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    out = sys.stdout
    out.write(
        "| papers | site | command | ready (s) | ready CPU: all (of it children) (s) "
        "| save → served, min / median / max (s) | a save's CPU, each (s) "
        "| tag edit → served (s) | RSS first → first save → last (max) MB "
        "| growth from first / from first save |\n"
    )
    out.write("|---:|---|---|---:|---:|---|---|---:|---|---:|\n")
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for size in args.sizes:
            root = archive_with_site(Path(tmp) / f"site-{size}", size)
            sites = [("ours", "mkdocs.yml", args.command, True)]
            if not args.no_anchor:
                sites.append(("anchor", "anchor.yml", args.anchor_command, False))
            for name, config, command, tags in sites:
                run = serve_run(root, config, command, rebuilds=args.rebuilds, tag_edit=tags)
                growth = (run.rss_last - run.rss_first) / run.rss_first * 100
                steady = (run.rss_last - run.rss_saved) / (run.rss_saved or 1) * 100
                tag = "–" if not run.tag_edit_tried else "no rebuild"
                if run.tag_edit is not None:
                    tag = f"{run.tag_edit:.2f}"
                out.write(
                    f"| {size} | {name} | `{command}` | {run.ready:.1f} "
                    f"| {run.ready_cpu:.1f} ({run.ready_children_cpu:.1f}) "
                    f"| {_secs(run.saves)} ({len(run.saves)} saves) "
                    f"| {' '.join(f'{c:.2f}' for c in run.saves_cpu)} | {tag} | {run.rss_first:.0f} → "
                    f"{run.rss_saved:.0f} → {run.rss_last:.0f} ({run.rss_max:.0f}) "
                    f"| {growth:+.0f}% / {steady:+.0f}% |\n"
                )
                out.write(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
                out.flush()
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
