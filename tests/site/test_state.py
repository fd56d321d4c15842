"""The build state of an output folder (`site/state.py`): saved by each build, read by the next; a session
with a memory (the preview) reads back the state it saved itself without parsing it again, but never one
that another build has replaced since."""

from __future__ import annotations

from pathlib import Path

from publisher.cache import Cache, Memory
from publisher.errors import Problem
from publisher.site import state as build_state


def _state(build_id: str) -> build_state.BuildState:
    return build_state.BuildState(build_id=build_id, inputs="inputs", files={"ja/index.html": "k1"},
                                  live=["alpha/ja"], warnings=[Problem(None, 3, "ranking", "古い集計", "warning")],
                                  page_inputs={"ja/index.html": "p1"}, pages=["ja/index.html"])


def test_a_saved_state_reads_back_the_same_without_a_memory(tmp_path: Path) -> None:
    cache, out = Cache(tmp_path / "cache"), tmp_path / "out"
    assert build_state.load(cache, out) is None
    build_state.save(cache, out, _state("first"))
    loaded = build_state.load(cache, out)
    assert loaded == _state("first") and loaded is not build_state.load(cache, out)  # parsed each time


def test_a_session_reads_its_own_state_from_memory_until_another_build_replaces_it(tmp_path: Path) -> None:
    session = Cache(tmp_path / "cache", Memory())
    other = Cache(tmp_path / "cache")  # another process: `publish build --out` of the same folder
    out = tmp_path / "out"
    saved = _state("session")
    build_state.save(session, out, saved)
    assert build_state.load(session, out) is saved  # not parsed again
    build_state.save(other, out, _state("other"))
    assert build_state.load(session, out).build_id == "other"  # the file changed: read again
    build_state.forget(session, out)
    assert build_state.load(session, out) is None and session.memory.parsed == {}
