"""The memory of a process and of every process under it, sampled from /proc.

``ru_maxrss`` gives the largest single process of a build; issue 20 asks about the
whole build, whose related-lists, exports and search-bundle children run beside the
render. A :class:`TreeSampler` thread reads, every ``interval`` seconds, the resident
size (``VmRSS``) and the proportional set size (``Pss``, shared pages divided among
the processes sharing them: a forked child's copy-on-write pages are counted once)
of the process and its descendants, and keeps:

- the largest single process's RSS;
- the largest sum of RSS over the tree at one sample (pages shared after a fork
  counted in each process);
- the largest sum of PSS at one sample (what the tree really holds).

Sampling misses peaks shorter than ``interval``: the figures are lower bounds, next
to ``ru_maxrss``, which is exact for one process. Linux only.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(tree.get(current, ()))
    return out


def _kb(path: str, key: str) -> int:
    try:
        with Path(path).open(encoding="ascii") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class TreePeak:
    """Peaks over the samples, in MB (10^6 bytes)."""

    largest_rss_mb: float = 0.0
    largest_name: str = ""
    sum_rss_mb: float = 0.0
    sum_pss_mb: float = 0.0
    processes: int = 0  # the most processes seen in one sample
    samples: int = 0
    #: At the sample of the largest PSS sum: each process's (command, RSS, PSS) in MB.
    at_peak: list[tuple[str, float, float]] = field(default_factory=list)

    def line(self) -> str:
        rows = ", ".join(f"{name} {rss:.0f}/{pss:.0f}" for name, rss, pss in self.at_peak)
        return (
            f"largest process {self.largest_rss_mb:.0f} MB RSS ({self.largest_name}); "
            f"whole tree at its peak: {self.sum_pss_mb:.0f} MB PSS, {self.sum_rss_mb:.0f} MB "
            f"RSS summed; at that sample (RSS/PSS MB): {rows}; {self.samples} samples"
        )


def _name(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    words = [w.decode(errors="replace") for w in raw if w]
    if "-m" in words and words.index("-m") + 1 < len(words):
        return words[words.index("-m") + 1]  # python -m MODULE
    return f"{pid}:{' '.join(Path(w).name for w in words[:3])}"


class TreeSampler(threading.Thread):
    """Samples the tree under ``pid`` until :meth:`stop`; :attr:`peak` holds the result."""

    def __init__(self, pid: int, *, interval: float = 0.5) -> None:
        super().__init__(name=f"tree-{pid}", daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = TreePeak()
        self._done = threading.Event()

    def run(self) -> None:
        peak = self.peak
        while not self._done.is_set():
            rows = []
            for pid in _descendants(self.pid):
                rss = _kb(f"/proc/{pid}/status", "VmRSS:") / 1000
                if rss == 0:
                    continue  # gone, or a zombie
                pss = _kb(f"/proc/{pid}/smaps_rollup", "Pss:") / 1000
                rows.append((pid, rss, pss))
            if rows:
                peak.samples += 1
                peak.processes = max(peak.processes, len(rows))
                top = max(rows, key=lambda row: row[1])
                if top[1] > peak.largest_rss_mb:
                    peak.largest_rss_mb, peak.largest_name = top[1], _name(top[0])
                peak.sum_rss_mb = max(peak.sum_rss_mb, sum(r[1] for r in rows))
                pss = sum(r[2] for r in rows)
                if pss > peak.sum_pss_mb:
                    peak.sum_pss_mb = pss
                    peak.at_peak = [(_name(p), rss, ps) for p, rss, ps in rows]
            self._done.wait(self.interval)

    def stop(self) -> TreePeak:
        self._done.set()
        self.join()
        return self.peak
