"""The content scan: one key per article folder, and the remembered keys of folders that did not change."""

from __future__ import annotations

import os
import time

import pytest

from publisher.cache import Cache
from publisher.config import load_config
from publisher.content import scan_content
from support.factory import article, make_site, translation

_LATER = time.time_ns() + 3600 * 1_000_000_000  # an hour from now: every file is settled


@pytest.fixture
def config(tmp_path):
    return load_config(make_site(tmp_path, {"guide": {"ja.md": article(), "zh.md": translation()},
                                            "notes": {"ja.md": article(title="メモ")}}))


def _remembered(cache: Cache, config) -> dict:
    """The folders the scan remembered (the single `scan` entry of the cache)."""
    entries = [cache.load("scan", key) for key in cache.keys("scan")]
    return entries[0] if entries else {}


def test_a_remembered_scan_gives_the_keys_of_a_full_read(config, tmp_path):
    cache = Cache(tmp_path / "cache")
    full = scan_content(config)
    assert scan_content(config, cache, clock_ns=_LATER) == full  # reads and remembers
    assert set(_remembered(cache, config)) == {"guide", "notes"}
    assert scan_content(config, cache, clock_ns=_LATER) == full  # from what it remembered


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(config, tmp_path):
    """`cp -p`, `rsync -t` or an editor that restores the time: the change time still moves."""
    cache = Cache(tmp_path / "cache")
    before = scan_content(config, cache, clock_ns=_LATER)
    source = config.content_dir / "guide" / "ja.md"
    info = source.stat()
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("本文です。", "本文でした"), encoding="utf-8")  # same length in bytes
    os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert source.stat().st_size == info.st_size and source.stat().st_mtime_ns == info.st_mtime_ns
    after = scan_content(config, cache, clock_ns=_LATER)
    assert after.keys[0] != before.keys[0] and after.keys[1] == before.keys[1]
    assert after == scan_content(config)


def test_files_written_just_before_a_scan_are_not_remembered(config, tmp_path):
    """A second write within the same tick of a coarse file-system clock would leave the times equal."""
    cache = Cache(tmp_path / "cache")
    newest = max(path.stat().st_ctime_ns for path in config.content_dir.rglob("*"))
    scan_content(config, cache, clock_ns=newest + 1_000_000_000)  # one second after the last write
    assert _remembered(cache, config) == {}
    scan_content(config, cache, clock_ns=newest + 3_000_000_000)
    assert set(_remembered(cache, config)) == {"guide", "notes"}


def test_new_removed_and_renamed_files_change_the_key(config, tmp_path):
    cache = Cache(tmp_path / "cache")
    notes = config.content_dir / "notes"
    keys = [scan_content(config, cache, clock_ns=_LATER)]
    (notes / "chart.png").write_bytes(b"\x89PNG")
    keys.append(scan_content(config, cache, clock_ns=_LATER))
    (notes / "chart.png").rename(notes / "figure.png")
    keys.append(scan_content(config, cache, clock_ns=_LATER))
    assert keys[-1] == scan_content(config)
    (notes / "figure.png").unlink()
    keys.append(scan_content(config, cache, clock_ns=_LATER))
    assert len({scan.keys[1] for scan in keys[:3]}) == 3 and keys[3] == keys[0]
    assert {scan.keys[0] for scan in keys} == {keys[0].keys[0]}


def test_folders_not_reported_changed_keep_their_remembered_key_without_a_look(config, tmp_path):
    """A watcher's report (`changed`) stands in for the stat of the other folders; folders the cache does
    not know, and every folder when no report is given, are looked at as always."""
    cache = Cache(tmp_path / "cache")
    before = scan_content(config, cache, clock_ns=_LATER)
    for name in ("guide", "notes"):
        with open(config.content_dir / name / "ja.md", "a", encoding="utf-8") as stream:
            stream.write("\n追記。\n")
    reported = scan_content(config, cache, clock_ns=_LATER, changed=frozenset({"guide"}))
    assert reported.keys[0] != before.keys[0]  # guide: reported, read again
    assert reported.keys[1] == before.keys[1]  # notes: not reported, taken as unchanged
    assert set(_remembered(cache, config)) == {"guide", "notes"}
    assert scan_content(config, cache, clock_ns=_LATER) == scan_content(config)  # no report: every folder

    (config.content_dir / "added").mkdir()
    (config.content_dir / "added" / "ja.md").write_text(article(title="追加"), encoding="utf-8")
    with_new = scan_content(config, cache, clock_ns=_LATER, changed=frozenset())
    assert [folder.name for folder in with_new.folders] == ["added", "guide", "notes"]
    assert with_new == scan_content(config)  # a folder the cache does not know is read whatever the report


def test_the_scan_names_each_folders_files_whether_read_remembered_or_reported(config, tmp_path):
    """The build takes each article's images from `files` instead of listing the folders again, so they
    must be the folder's regular files however the scan came by its key."""
    cache = Cache(tmp_path / "cache")
    notes = config.content_dir / "notes"
    (notes / "chart.png").write_bytes(b"\x89PNG")
    (notes / "drafts").mkdir()  # a folder is not a file
    (notes / "drafts" / "old.png").write_bytes(b"\x89PNG")
    expected = {"guide": ("ja.md", "zh.md"), "notes": ("chart.png", "ja.md")}
    assert scan_content(config, cache, clock_ns=_LATER).files_of() == expected  # read
    assert scan_content(config, cache, clock_ns=_LATER).files_of() == expected  # remembered
    assert scan_content(config, cache, clock_ns=_LATER, changed=frozenset()).files_of() == expected  # reported
    (notes / "figure.png").write_bytes(b"\x89PNG")
    reported = scan_content(config, cache, clock_ns=_LATER, changed=frozenset({"notes"}))
    assert reported.files_of()["notes"] == ("chart.png", "figure.png", "ja.md")
    assert scan_content(config).files_of() == {"guide": None, "notes": None}  # no cache: not known
