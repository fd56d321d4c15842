"""The cyclic collector is paused while a build runs, resumed after it (even when it fails), and running in the
processes a build forks."""

from __future__ import annotations

import dataclasses
import gc

import pytest

from publisher.config import load_config
from publisher.gcpause import paused_gc
from publisher.parallel import run_parallel
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture


def _collector_enabled(_job: int) -> bool:
    return gc.isenabled()


class _Watcher:
    """A contributor that notes whether the collector runs while the build calls it."""

    name = "watcher"

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[bool] = []
        self.fail = fail

    def __call__(self, config, site, options):
        self.seen.append(gc.isenabled())
        if self.fail:
            raise RuntimeError("a contributor's bug")
        return {}


def test_a_build_pauses_the_collector_and_resumes_it_after(tmp_path):
    config_path = copy_fixture(tmp_path)
    config = dataclasses.replace(load_config(config_path), cache_dir=tmp_path / "cache")
    watcher = _Watcher()
    assert gc.isenabled()
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", contributors=(watcher,)))
    assert watcher.seen == [False] and gc.isenabled()
    failing = _Watcher(fail=True)
    (config_path.parent / "articles/alpha/ja.md").write_text(
        (config_path.parent / "articles/alpha/ja.md").read_text("utf-8") + "\n追記。\n", "utf-8")
    with pytest.raises(RuntimeError):
        build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", contributors=(failing,)))
    assert failing.seen == [False] and gc.isenabled(), "resumed after a failed build too"


def test_paused_gc_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_forked_workers_collect_their_own_garbage():
    with paused_gc():
        assert list(run_parallel(_collector_enabled, list(range(8)), workers=2, threshold=2)) == [True] * 8
        assert not gc.isenabled()
    assert gc.isenabled()
