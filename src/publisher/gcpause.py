"""Python's cyclic garbage collector paused while a build runs.

A build makes millions of small objects that live until it ends: the loaded
articles, the pages' records and, in an edit, the search index it patches
(about 300,000 page entries for the Japanese index at 1,000 articles, each
a list with lists of numbers). While they are made, the collector runs again
and again over all of them, finding nothing: reading that index took 1.1 s
with it and 0.35 s without, and a body edit at 1,000 articles (PDFs on)
from about 5.1 s to 3.75 s. Reference counting still frees everything that is not
in a cycle; the few cycles a build leaves are collected once it ends (by the
collector, resumed). The peak memory of a cold build was the same with and
without (870 MB, Pagefind's).

Processes forked during the build (the page workers, the PDFs' background
process) run many independent jobs for long: they resume the collector at
their start (`resume_in_child`), after freezing what they inherited, so that
the collector does not walk (and copy) the parent's objects.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is as it was afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def resume_in_child() -> None:
    """In a process forked from a build: what it inherited is left to reference counting (frozen), and the
    collector runs again for what it makes itself."""
    gc.freeze()
    gc.enable()
