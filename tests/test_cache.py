"""The build cache's memory for long-running sessions (`cache.Memory`)."""

from __future__ import annotations

from publisher.cache import Cache, Memory


def test_entries_written_by_one_build_are_remembered_for_the_next(tmp_path):
    memory = Memory(kinds=("articles",))
    first = Cache(tmp_path / "cache", memory)
    assert first.keys("bodies") == set()
    first.store_many("articles", [("a", {"title": "x"})])
    first.store_many("bodies", [("b", "<p>body</p>")])
    second = Cache(tmp_path / "cache", memory)
    found = second.load_many("articles", ["a", "missing"])
    assert found == {"a": {"title": "x"}} and found["a"] is memory.entries[("articles", "a")]
    assert second.keys("bodies") == {"b"}
    assert ("bodies", "b") not in memory.entries  # only the kinds asked for are kept
    assert Cache(tmp_path / "cache").load_many("bodies", ["b"]) == {"b": "<p>body</p>"}
