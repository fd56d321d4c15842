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
