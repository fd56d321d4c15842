"""Measuring one command as the benches do: wall time, CPU time, and the peak memory of its whole process
tree (PSS, so pages shared with forked workers count once). Used by build_bench and turns_bench.

Split from build_bench.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One measured command."""

    seconds: float
    """Wall-clock time from start to exit."""
    max_rss_mb: float
    """ru_maxrss of the process (and of children it waited for): the largest single process."""
    tree_peak_mb: float
    """Highest sum of PSS over the process and all its descendants, read at new highs of their RSS (`PSS_INTERVAL`)."""
    cpu_seconds: float
    """User and system CPU time of the process and of the children it waited for (workers, Pagefind): a wall
    time well above it on one core means the run waited, mostly for the disk."""
    output: str
    """What the command printed (stdout then stderr)."""


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def _proc_kb(path: str, field: str) -> int | None:
    """The figure (kB) on the line starting with `field` of a /proc file; None when unreadable."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _rss_kb(pid: int) -> int:
    """The process's proportional set size (PSS): pages it shares with its forked
    workers count once across the tree, not once per process as RSS would; RSS
    where the kernel gives no PSS."""
    pss = _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:")
    return pss if pss is not None else _status_rss_kb(pid)


def _tree(root: int) -> list[int]:
    """The process and its descendants."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.append(pid)
            todo.extend(_children(pid))
    return found


def _status_rss_kb(pid: int) -> int:
    """The process's resident size from /proc/PID/status: cheap to read (PSS walks the page tables)."""
    return _proc_kb(f"/proc/{pid}/status", "VmRSS:") or 0


PSS_INTERVAL = 0.25
"""Seconds between two PSS readings at most. Reading one process's PSS costs about 13 ms at 800 MB (the
kernel walks its page tables); read every 20 ms it took about half a core, and made an edit build
measured beside it 0.6 s (13 %) slower on this 2-core machine. The tree's RSS, cheap, is read every
20 ms, and its PSS when the RSS reaches a new high."""


def publish_environment(site: Path) -> dict[str, str]:
    """The environment `publish` runs in: this one, with Python's bytecode cached as an installed publisher
    has it. A machine that sets PYTHONDONTWRITEBYTECODE (this project's does) would otherwise compile every
    module the build imports on every run, about 0.05 s of a no-op and 0.15 s of an edit that users do not
    pay. The bytecode goes into the site folder (`.bench-pycache`), never into the source tree."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(site / ".bench-pycache")
    return environment


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Runs `command` (in `env`, default this environment), returns its time and memory; exits with its
    output if it fails."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            highest, last_pss, pending = 0, 0.0, False
            while not done.is_set():
                pids = _tree(proc.pid)
                rss = sum(_status_rss_kb(pid) for pid in pids)
                if rss > highest:
                    highest, pending = rss, True
                if pending and time.monotonic() - last_pss >= PSS_INTERVAL:
                    peak[0] = max(peak[0], sum(_rss_kb(pid) for pid in pids))
                    last_pss, pending = time.monotonic(), False
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.exit(f"build_bench: `{' '.join(command)}` failed in {cwd} (exit {proc.returncode}):\n{output[-4000:]}")
    return Run(seconds=seconds, max_rss_mb=usage.ru_maxrss / 1024, tree_peak_mb=peak[0] / 1024,
               cpu_seconds=usage.ru_utime + usage.ru_stime, output=output)
