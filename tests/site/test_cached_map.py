"""`cached_map`: answers kept in the build cache by key; only the jobs without one are run."""

from __future__ import annotations

from publisher.cache import Cache
from publisher.site.cached_map import cached_map


def _double(number: int) -> int:
    return 2 * number


def _triple(number: int) -> int:
    return 3 * number


def _is_int(value: object) -> bool:
    return isinstance(value, int)


def test_answers_come_from_the_cache_and_only_the_missing_jobs_run(tmp_path):
    cache = Cache(tmp_path / "cache")
    assert cached_map(cache, "numbers", {"a": 1, "b": 2}, _double, _is_int) == {"a": 2, "b": 4}
    # a function that would answer otherwise shows which answers were made again: only c's
    assert cached_map(cache, "numbers", {"a": 1, "b": 2, "c": 5}, _triple, _is_int) == {"a": 2, "b": 4, "c": 15}


def test_an_answer_the_check_refuses_is_made_again(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.store_many("numbers", [("a", "not a number")])
    assert cached_map(cache, "numbers", {"a": 4}, _double, _is_int) == {"a": 8}
    assert cache.load("numbers", "a") == 8


def test_many_jobs_run_on_every_core_in_order_and_without_a_cache(tmp_path):
    jobs = {f"k{n:03d}": n for n in range(200)}
    assert cached_map(None, "numbers", jobs, _double, _is_int) == {key: 2 * n for key, n in jobs.items()}
    cache = Cache(tmp_path / "cache")
    assert cached_map(cache, "numbers", jobs, _triple, _is_int) == {key: 3 * n for key, n in jobs.items()}
    assert cached_map(cache, "numbers", jobs, _double, _is_int) == {key: 3 * n for key, n in jobs.items()}
