"""The build cache's memory for long-running sessions (`cache.Memory`)."""

from __future__ import annotations

import os

from publisher.cache import Cache, Memory, file_digest


def test_memory_reads_a_file_again_when_it_changed_even_at_the_same_size(tmp_path):
    memory = Memory()
    path = tmp_path / "ja.md"
    path.write_bytes(b"first")
    reads = []

    def read(p):
        reads.append(p)
        return p.read_bytes()

    assert memory.file_digest(path, read) == file_digest(b"first")
    assert memory.file_digest(path, read) == file_digest(b"first")
    assert len(reads) == 1
    stat = path.stat()
    path.write_bytes(b"other")  # same size; the time stamp put back: the change time still moves
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert memory.file_digest(path, read) == file_digest(b"other")
    assert len(reads) == 2


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
