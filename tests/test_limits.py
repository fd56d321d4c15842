"""`read_bounded`: a file up to the limit is read whole; a larger one is refused, as is a non-file."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.limits import UnsafeFile, read_bounded


def test_a_file_is_read_whole_up_to_the_limit(tmp_path):
    path = tmp_path / "ja.md"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, limit=100) == b"x" * 100
    path.write_bytes(b"")
    assert read_bounded(path, limit=100) == b""


def test_a_file_over_the_limit_is_refused_with_its_name(tmp_path):
    path = tmp_path / "ja.md"
    path.write_bytes(b"x" * 101)
    with pytest.raises(UnsafeFile, match="ja.md"):
        read_bounded(path, limit=100)


def test_a_device_is_not_read():
    with pytest.raises(UnsafeFile, match="/dev/zero"):
        read_bounded(Path("/dev/zero"))
