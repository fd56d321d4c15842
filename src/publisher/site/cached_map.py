"""`map` over jobs whose answers the build cache keeps by key: only the jobs it has no answer for are run,
on every core when there are many, and their answers stored.

For the per-document work of `publish check` (the house style, the links), which parsed every body twice
on every run: 27 s at 1,000 articles, where the build parses a body only when it changed.
"""

from __future__ import annotations

from typing import Callable, Mapping, TypeVar

from ..cache import Cache
from ..parallel import run_parallel

T = TypeVar("T")
R = TypeVar("R")


def cached_map(cache: Cache | None, kind: str, jobs: Mapping[str, T], function: Callable[[T], R],
               valid: Callable[[object], bool]) -> dict[str, R]:
    """`{key: function(job)}` for every key of `jobs`: from `cache` (entries of `kind`) when it holds an
    answer `valid` accepts, else made (`run_parallel`: `function` must be a module-level function) and
    stored. The keys must hold everything the answer depends on, the code included."""
    known = cache.load_many(kind, list(jobs)) if cache is not None and jobs else {}
    answers = {key: value for key, value in known.items() if valid(value)}
    missing = [key for key in jobs if key not in answers]
    made = list(zip(missing, run_parallel(function, [jobs[key] for key in missing])))
    answers.update(made)
    if cache is not None and made:
        cache.store_many(kind, made)
    return answers
