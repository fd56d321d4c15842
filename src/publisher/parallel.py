"""`map` on every CPU core, for the stages that do the same work for many articles.

Worker processes are forked, so they start with the parser, templates and
models already loaded, and with the jobs themselves: only job numbers go to
the workers, only results come back.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many jobs, starting workers costs more than it saves.
PARALLEL_THRESHOLD = 24

_SHARED: tuple[Callable, list] | None = None


def run_parallel(function: Callable[[T], R], jobs: list[T], workers: int | None = None,
                 threshold: int = PARALLEL_THRESHOLD, chunksize: int | None = None) -> Iterable[R]:
    """`map(function, jobs)` in job order, on `workers` processes (None: one per core) when there are
    at least `threshold` jobs; in this process otherwise. `function` must be a module-level function
    (or a `functools.partial` of one). `chunksize`: jobs sent to a worker at once (default: up to 16;
    1 for long jobs, so no worker is left with a queue of them at the end)."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < threshold or not hasattr(os, "fork"):
        yield from map(function, jobs)
        return
    global _SHARED
    _SHARED = (function, jobs)
    try:
        with worker_pool(workers) as pool:
            chunks = chunksize or max(1, min(16, len(jobs) // (workers * 4)))
            yield from pool.map(_shared_call, range(len(jobs)), chunksize=chunks)
    finally:
        _SHARED = None


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Forked workers that leave Ctrl-C to the parent: it stops the pool and reports the
    interruption once, instead of every worker printing its own traceback."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=_ignore_interrupts)


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _shared_call(index: int):
    assert _SHARED is not None
    function, jobs = _SHARED
    return function(jobs[index])
