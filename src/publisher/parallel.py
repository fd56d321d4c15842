"""`map` on every CPU core, for the stages that do the same work for many articles.

Worker processes are forked, so they start with the parser, templates and
models already loaded, and with the jobs themselves: only job numbers go to
the workers, only results come back.

Workers die with the process that started them: on Linux the kernel sends
them SIGKILL when it exits (`prctl(PR_SET_PDEATHSIG)`), even after a
`kill -9`, so no orphan keeps writing or keeps the output lock. Elsewhere a
worker checks its parent before each job.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from multiprocessing.connection import Connection
from typing import Callable, Generic, Iterable, Iterator, TypeVar

from .gcpause import resume_in_child

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
            with interrupts_held():  # the workers are forked as the jobs are handed out
                answers = pool.map(_shared_call, range(len(jobs)), chunksize=chunks)
            yield from answers
    finally:
        _SHARED = None


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C (and SIGTERM, where Python handles it) held back while this process forks (a worker, a
    background process, a program started with a `preexec_fn`), and delivered when the fork has returned.

    Python runs fork's hooks (logging's lock among them) as callbacks: a KeyboardInterrupt raised in one is
    printed (`Exception ignored in: <function _releaseLock ...>`) and dropped, and the build went on to the
    end and exited 0 as if never interrupted. Meanwhile the handlers only note the signal, whichever thread
    it reached (Python runs handlers in the main thread). A fork from another thread needs nothing: no
    handler runs there, so nothing can be raised in its hooks."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {number: signal.signal(number, lambda caught, _frame: held.append(caught))
                for number in (signal.SIGINT, signal.SIGTERM) if callable(signal.getsignal(number))}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(held):
            previous[number](number, None)  # Python's handler (KeyboardInterrupt for Ctrl-C), here


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Forked workers that leave Ctrl-C to the parent: it stops the pool and reports the
    interruption once, instead of every worker printing its own traceback."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=_start_worker,
                               initargs=(os.getpid(),))


def _start_worker(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and die with it; collect its own garbage (a build pauses the
    collector: `gcpause`)."""
    global _PARENT
    _PARENT = parent
    resume_in_child()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)


_PR_SET_PDEATHSIG = 1
_PARENT: int | None = None


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent exits (Linux); exit now if it already has."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _shared_call(index: int):
    if _PARENT is not None and os.getppid() != _PARENT:
        os._exit(1)  # orphaned (where the kernel cannot be asked to kill us): stop before the next job
    assert _SHARED is not None
    function, jobs = _SHARED
    return function(jobs[index])


class BackgroundDied(Exception):
    """The background process ended without an answer (killed, or out of memory)."""


class Background(Generic[R]):
    """`function(*args)` in a forked process while this one goes on; `wait` returns its value, or raises here
    what it raised there. The process starts with this one's modules and objects (fork: nothing pickled on
    the way in), leaves Ctrl-C to this one, and dies with it. `niceness` lowers its priority (and its
    workers'): work done on the cores the rest of the build leaves idle."""

    def __init__(self, function: Callable[..., R], *args: object, name: str, niceness: int = 0):
        context = get_context("fork")
        self._answer, answer = context.Pipe(duplex=False)
        self._process = context.Process(target=_answer_in_background,
                                        args=(function, args, answer, os.getpid(), niceness), name=name)
        with interrupts_held():
            self._process.start()
        answer.close()

    def wait(self) -> R:
        """The function's value once it returns. Raises what it raised, or `BackgroundDied`."""
        try:
            kind, value = self._answer.recv()
        except EOFError:  # it died without answering
            raise BackgroundDied() from None
        finally:
            self.cancel()
        if kind == "raised":
            raise value
        return value

    def cancel(self) -> None:
        """Stop it, and its workers with it (they die with their parent); nothing if it has ended."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=10)
        self._answer.close()


def _answer_in_background(function: Callable, args: tuple, answer: Connection, parent: int, niceness: int) -> None:
    """In the background process (started as a worker is): send ("returned", value) or ("raised", the
    exception) to the parent."""
    _start_worker(parent)
    if niceness:
        os.nice(niceness)
    try:
        result: tuple[str, object] = ("returned", function(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent
        result = ("raised", exc)
    try:
        answer.send(result)
    except Exception:  # a value or exception that cannot be pickled: its type and text
        answer.send(("raised", RuntimeError(f"{type(result[1]).__name__}: {result[1]}")))
    answer.close()
