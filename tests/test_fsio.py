"""fsio: a file or folder is old or new, never half; nobody's file is overwritten; failures leave no temporary."""

import os
import stat
from pathlib import Path

import pytest

from publisher import fsio
from publisher.errors import PublisherError


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _failing_fdopen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write puts half its bytes on disk, then fails as a full disk does."""
    real = os.fdopen

    class Stream:
        def __init__(self, handle):
            self._stream = real(handle, "wb")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._stream.close()

        def write(self, data):
            self._stream.write(data[: len(data) // 2])
            self._stream.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda handle, mode="r", *a, **k: Stream(handle))


def test_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    fsio.write_text(path, "一\n")
    fsio.write_text(path, "二\r\n")  # line ends as given
    assert path.read_bytes() == "二\r\n".encode()
    fsio.write_bytes(tmp_path / "deep" / "b.bin", b"\x00\x01", sync=False)
    assert (tmp_path / "deep" / "b.bin").read_bytes() == b"\x00\x01"
    assert _names(tmp_path) == ["a.txt", "deep"]


def test_a_write_that_fails_half_way_keeps_the_old_file_and_no_temporary(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "zh.md"
    path.write_bytes(b"old")
    _failing_fdopen(monkeypatch)
    with pytest.raises(OSError, match="No space"):
        fsio.write_bytes(path, b"new bytes, twice as long as half")
    with pytest.raises(OSError, match="No space"):
        fsio.write_new(tmp_path / "fresh.md", "new")
    with pytest.raises(OSError, match="No space"):
        fsio.save_new_file(tmp_path, "hero", "png", b"png bytes")
    with pytest.raises(OSError, match="No space"):
        fsio.replace_if_unchanged(path, b"old", "new")
    assert path.read_bytes() == b"old"
    assert _names(tmp_path) == ["zh.md"]


def test_a_failed_rename_keeps_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "zh.md"
    path.write_bytes(b"old")

    def failing_replace(src, dst):
        raise OSError(5, "Input/output error", str(dst))

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="Input/output"):
        fsio.write_text(path, "new")
    assert path.read_bytes() == b"old" and _names(tmp_path) == ["zh.md"]


def test_a_replaced_file_keeps_its_permissions_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "script.sh"
    path.write_text("old", "utf-8")
    path.chmod(0o640)
    fsio.write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    previous = os.umask(0o027)
    try:
        fsio.write_text(tmp_path / "new.txt", "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_replace_if_unchanged_never_overwrites_someone_elses_save(tmp_path: Path) -> None:
    path = tmp_path / "ja.md"
    path.write_text("mine", "utf-8")
    path.chmod(0o600)
    fsio.replace_if_unchanged(path, b"mine", "revised")
    assert path.read_text("utf-8") == "revised" and stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("theirs", "utf-8")
    with pytest.raises(fsio.FileChangedError, match="saved by someone else meanwhile.*nothing of theirs is lost"):
        fsio.replace_if_unchanged(path, b"revised", "mine again")
    assert path.read_text("utf-8") == "theirs"
    path.unlink()
    with pytest.raises(PublisherError, match="removed or moved meanwhile"):
        fsio.replace_if_unchanged(path, b"theirs", "mine again")
    assert _names(tmp_path) == []


def test_new_files_never_replace_existing_ones(tmp_path: Path) -> None:
    fsio.write_new(tmp_path / "ja.md", "first")
    with pytest.raises(FileExistsError):
        fsio.write_new(tmp_path / "ja.md", "second")
    assert (tmp_path / "ja.md").read_text("utf-8") == "first"
    (tmp_path / "hero-2.png").write_bytes(b"taken")
    paths = [fsio.save_new_file(tmp_path, "hero", "png", bytes([n])) for n in range(3)]
    assert [p.name for p in paths] == ["hero.png", "hero-3.png", "hero-4.png"]
    assert [p.read_bytes() for p in paths] == [b"\x00", b"\x01", b"\x02"]
    assert (tmp_path / "hero-2.png").read_bytes() == b"taken"
    assert _names(tmp_path) == ["hero-2.png", "hero-3.png", "hero-4.png", "hero.png", "ja.md"]


def _fill(text: str):
    def build(staging: Path) -> str:
        (staging / "ja.md").write_text(text, "utf-8")
        return staging.name

    return build


def test_swap_folder_builds_beside_the_target_and_backs_up_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "articles" / "guide"
    staged_name, backup = fsio.swap_folder(target, _fill("one"), staging_prefix=".import-guide-")
    assert staged_name.startswith(".import-guide-") and backup is None
    assert (target / "ja.md").read_text("utf-8") == "one"
    (tmp_path / "articles" / ".backup" / "guide-1").mkdir(parents=True)
    _, backup = fsio.swap_folder(target, _fill("two"), staging_prefix=".import-guide-",
                                 backup=tmp_path / "articles" / ".backup" / "guide-1")
    assert backup == tmp_path / "articles" / ".backup" / "guide-1-2"
    assert (backup / "ja.md").read_text("utf-8") == "one" and (target / "ja.md").read_text("utf-8") == "two"
    with pytest.raises(fsio.SwapError, match="File exists"):
        fsio.swap_folder(target, _fill("three"), staging_prefix=".import-guide-")
    assert (target / "ja.md").read_text("utf-8") == "two"
    assert _names(tmp_path / "articles") == [".backup", "guide"]


def test_a_failed_build_or_rename_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "guide"
    fsio.swap_folder(target, _fill("one"), staging_prefix=".draft-guide-")

    def half_built(staging: Path) -> None:
        (staging / "ja.md").write_text("half", "utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        fsio.swap_folder(target, half_built, staging_prefix=".draft-guide-", backup=tmp_path / ".backup" / "g")
    assert _names(tmp_path) == ["guide"] and (target / "ja.md").read_text("utf-8") == "one"

    real_rename = os.rename

    def failing_rename(src, dst):
        if Path(src).name.startswith(".draft-"):
            raise OSError(5, "Input/output error", str(dst))
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(fsio.SwapError, match="Input/output") as info:
        fsio.swap_folder(target, _fill("two"), staging_prefix=".draft-guide-", backup=tmp_path / ".backup" / "g")
    assert isinstance(info.value, OSError) and info.value.filename == str(target)
    assert (target / "ja.md").read_text("utf-8") == "one"  # the old folder was put back
    assert _names(tmp_path) == [".backup", "guide"] and _names(tmp_path / ".backup") == []
