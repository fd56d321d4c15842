"""`parallel.Background`: a function run in a forked process while the build goes on."""

from __future__ import annotations

import os
import signal
import time

import pytest

from publisher.errors import BuildRefused, Problem
from publisher.parallel import Background, BackgroundDied, run_parallel


def _square_all(numbers: list[int]) -> list[int]:
    return list(run_parallel(_square, numbers, workers=2, threshold=2))


def _square(number: int) -> int:
    return number * number


def _refuse(path: str) -> None:
    raise BuildRefused([Problem(path, None, "image", "the image cannot be read")], "1 error")


def _niceness_and_parent() -> tuple[int, int]:
    return os.nice(0), os.getppid()


def _sleep_forever() -> None:
    while True:
        time.sleep(1)


def test_background_returns_the_value_made_on_its_workers():
    work = Background(_square_all, list(range(40)), name="test-squares")
    assert work.wait() == [n * n for n in range(40)]


def test_background_raises_here_what_it_raised_there_with_its_problems():
    work = Background(_refuse, "articles/alpha/photo.jpg", name="test-refuse")
    with pytest.raises(BuildRefused) as raised:
        work.wait()
    assert [problem.path for problem in raised.value.problems] == ["articles/alpha/photo.jpg"]


def test_background_runs_at_the_lower_priority_asked_for():
    before = os.nice(0)
    niceness, parent = Background(_niceness_and_parent, name="test-nice", niceness=5).wait()
    assert niceness == min(19, before + 5) and parent == os.getpid()
    assert os.nice(0) == before  # this process keeps its own


def test_a_background_killed_from_outside_is_reported_as_died():
    work = Background(_sleep_forever, name="test-killed")
    os.kill(work._process.pid, signal.SIGKILL)
    with pytest.raises(BackgroundDied):
        work.wait()


def test_cancel_stops_it_at_once():
    work = Background(_sleep_forever, name="test-cancel")
    started = time.monotonic()
    work.cancel()
    assert not work._process.is_alive() and time.monotonic() - started < 5
    work.cancel()  # a second time: nothing


# Ctrl-C while forking. Python runs fork's hooks (logging's lock) as callbacks: a KeyboardInterrupt raised in
# one used to be printed ("Exception ignored in: <function _releaseLock ...>") and dropped, and a build
# interrupted at that moment went on and exited 0. Each script below makes the moment certain: a hook
# that runs in the parent right after the fork sends the process Ctrl-C.
_INTERRUPTED_WHILE_FORKING = """
import os, signal, sys, time
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
try:
    {call}
    time.sleep(2)
except KeyboardInterrupt:
    print("interrupted")
else:
    print("lost")
"""


@pytest.mark.parametrize("call", [
    "from publisher.parallel import Background; Background(time.sleep, 0.1, name='t').wait()",
    "from publisher.parallel import run_parallel; list(run_parallel(abs, list(range(-40, 0)), workers=2))",
    "import tempfile; from publisher.search.pagefind import index_site; index_site(__import__('pathlib').Path("
    "tempfile.mkdtemp()))",
], ids=["background", "workers", "pagefind"])
def test_ctrl_c_while_forking_is_delivered_not_lost(call):
    import subprocess
    import sys

    script = _INTERRUPTED_WHILE_FORKING.format(call=call)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1:] == ["interrupted"], done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr


def test_held_interrupts_arrive_when_let_go():
    """Whichever thread of this process the signal reaches (pytest's process has several by now)."""
    from publisher.parallel import interrupts_held

    reached = False
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # held: nothing raised here
            reached = True
    assert reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_nothing_is_held_off_the_main_thread_where_no_handler_runs():
    import threading

    from publisher.parallel import interrupts_held

    seen = []

    def fork_from_a_thread() -> None:
        with interrupts_held():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=fork_from_a_thread)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]
