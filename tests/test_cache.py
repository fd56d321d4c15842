"""The build cache: its memory for long-running sessions (`cache.Memory`), and how it stays bounded: what
recent builds used is kept, the rest is dropped, and a prune stopped at any moment (Ctrl-C, kill) leaves a
cache whose index and files agree."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from publisher import fsio
from publisher.cache import KEEP_BUILDS, Cache, Memory, digest
from publisher.cache_uses import PIN_BUILDS


def a_build(cache: Cache, output: Path, *, entries=(), files=()) -> None:
    """What a build does with the cache: read or write `entries` and `files` while recording, then prune."""
    with cache.recording():
        for key in entries:
            if cache.load("bodies", key) is None:
                cache.store("bodies", key, f"body {key}")
        for key in files:
            path = cache.path("cards", key, ".jpg")
            if not path.exists():
                fsio.write_bytes(path, key.encode(), sync=False)
    output.mkdir(exist_ok=True)
    cache.prune(output)


def stored(cache: Cache) -> set[str]:
    return cache.keys("bodies")


def card_files(folder: Path) -> set[str]:
    return {path.stem for path in (folder / "cards").glob("*/*.jpg")}


def rows(folder: Path, table: str) -> list[tuple]:
    with sqlite3.connect(folder / "entries.sqlite") as db:
        return sorted(db.execute(f"SELECT * FROM {table}"))


def test_digest_keys_do_not_move_between_versions():
    """Every cache key is a `digest`: a change in how it hashes would turn every cache cold (and a CI's
    kept cache useless) without anything failing. These were made by the first version."""
    assert digest() == "cae66941d9efbd404e4d88758ea67670"
    assert digest("a", "bc") == "f14abc19c330e936bb9c8506d69bac9b"
    assert digest("合肥", b"\x00\x01") == "43a3c37b40b7999b2a6ca6782179345d"


@given(st.lists(st.one_of(st.text(), st.binary()), max_size=8))
def test_digest_hashes_each_part_behind_its_length(parts):
    reference = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        reference.update(len(data).to_bytes(8, "little") + data)
    assert digest(*parts) == reference.hexdigest()
    if len(parts) >= 2 and parts[0] and isinstance(parts[0], str) and isinstance(parts[1], str):
        assert digest(parts[0] + parts[1]) != digest(parts[0], parts[1])  # parts cannot run together


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


def test_a_session_marks_what_its_builds_used_when_it_prunes_not_at_each_build(tmp_path):
    """Marking 10,000 uses at the end of each preview rebuild stood between a save and the reloaded tab: a
    session keeps them in its memory, and its next prune (in a quiet moment) marks them before it drops."""
    memory, out = Memory(), tmp_path / "out"
    cache = Cache(tmp_path / "cache", memory)
    Cache(tmp_path / "cache").store_many("bodies", [("read", 1), ("unread", 2)])
    before = dict(((kind, key), build) for kind, key, build in rows(cache.folder, "uses"))
    with cache.recording():
        assert cache.load_many("bodies", ["read"]) == {"read": 1}
    assert dict(((kind, key), build) for kind, key, build in rows(cache.folder, "uses")) == before
    assert memory.unmarked == {("bodies", "read")}
    for _ in range(KEEP_BUILDS + 1):
        cache.prune(out)
        with cache.recording():
            cache.load_many("bodies", ["read"])
    assert memory.unmarked == {("bodies", "read")}
    assert Cache(tmp_path / "cache").present("bodies", ["read", "unread"]) == {"read"}


def test_a_session_loads_the_tables_of_its_kinds_once(tmp_path):
    """`load` of a kind the session remembers (the tables each preview rebuild reads whole: folder keys, body
    keys, related links) unpickles it once; what the session stores replaces it; others are read each time."""
    memory = Memory(kinds=("scan",))
    cache = Cache(tmp_path / "cache", memory)
    Cache(tmp_path / "cache").store_many("scan", [("table", {"alpha": "k1"})])
    Cache(tmp_path / "cache").store_many("bodies", [("b", "<p>1</p>")])
    first = cache.load("scan", "table")
    assert first == {"alpha": "k1"} and cache.load("scan", "table") is first
    Cache(tmp_path / "cache").store_many("scan", [("table", {"alpha": "behind"})])  # not the session's
    assert cache.load("scan", "table") is first
    cache.store("scan", "table", {"alpha": "k2"})
    assert cache.load("scan", "table") == {"alpha": "k2"}
    with cache.recording() as uses:
        cache.load("scan", "table")
    assert uses.keys == {"scan": {"table"}}
    assert cache.load("bodies", "b") == "<p>1</p>" and ("bodies", "b") not in memory.entries
    assert cache.load("scan", "missing") is None and ("scan", "missing") not in memory.entries


def test_a_session_answers_which_keys_are_stored_from_its_memory(tmp_path):
    """`present` in a session: the kind's keys are listed once, then kept up to date by the session's own
    stores and prunes (a preview rebuild asks for thousands each time)."""
    memory, out = Memory(), tmp_path / "out"
    cache = Cache(tmp_path / "cache", memory)
    cache.store_many("bodies", [("old", 1), ("kept", 2)])
    assert cache.present("bodies", ["old", "kept", "missing"]) == {"old", "kept"}
    assert memory.keys["bodies"] == {"old", "kept"}
    Cache(tmp_path / "cache").store_many("bodies", [("behind", 3)])  # not the session's: not known to it
    cache.store_many("bodies", [("new", 4)])
    assert cache.present("bodies", ["new", "behind"]) == {"new"}
    with cache.recording() as uses:
        assert cache.present("bodies", ["kept"]) == {"kept"}
    assert uses.keys == {"bodies": {"kept"}}  # what it answered counts as used
    for _ in range(KEEP_BUILDS + 1):
        with cache.recording():
            cache.present("bodies", ["kept"])
        cache.prune(out)
    assert cache.present("bodies", ["old", "kept", "new"]) == {"kept"}
    assert Cache(tmp_path / "cache").present("bodies", ["old", "kept", "new"]) == {"kept"}


def test_what_a_session_remembers_is_marked_used_and_forgotten_when_dropped(tmp_path):
    """Entries served from a preview session's memory count as used; what a prune drops leaves its memory."""
    memory, out = Memory(kinds=("articles",)), tmp_path / "out"
    cache = Cache(tmp_path / "cache", memory)
    a_build(cache, out, entries=["b"])
    cache.store_many("articles", [("kept", 1), ("dropped", 2)])
    assert cache.keys("articles") == {"kept", "dropped"}
    for _ in range(KEEP_BUILDS + 1):
        with cache.recording():
            assert cache.load_many("articles", ["kept"]) == {"kept": 1}  # from memory, no query
        cache.prune(out)
    assert Cache(tmp_path / "cache").keys("articles") == {"kept"}
    assert cache.keys("articles") == {"kept"} and ("articles", "dropped") not in memory.entries


def test_entries_no_recent_build_used_are_dropped_and_the_rest_kept(tmp_path):
    cache, out = Cache(tmp_path / "cache"), tmp_path / "out"
    a_build(cache, out, entries=["a0", "shared"], files=["c0aa"])
    for number in range(1, KEEP_BUILDS + 1):  # each build edits the article: a new body and card each time
        a_build(cache, out, entries=[f"a{number}", "shared"], files=[f"c{number}aa"])
    assert stored(cache) == {"shared"} | {f"a{n}" for n in range(1, KEEP_BUILDS + 1)}
    assert card_files(cache.folder) == {f"c{n}aa" for n in range(1, KEEP_BUILDS + 1)}
    a_build(cache, out, entries=["shared"], files=[])
    a_build(cache, out, entries=["shared"], files=[])
    assert stored(cache) == {"shared", f"a{KEEP_BUILDS}"}
    a_build(cache, out, entries=["shared"], files=[])
    assert stored(cache) == {"shared"} and card_files(cache.folder) == set()


def test_reading_outside_a_build_marks_nothing(tmp_path):
    cache, out = Cache(tmp_path / "cache"), tmp_path / "out"
    a_build(cache, out, entries=["a"], files=["c0aa"])
    before = rows(cache.folder, "uses"), rows(cache.folder, "meta")
    assert cache.load("bodies", "a") == "body a" and cache.present("bodies", ["a"]) == {"a"}
    assert cache.path("cards", "c0aa", ".jpg").exists()
    assert (rows(cache.folder, "uses"), rows(cache.folder, "meta")) == before


def test_what_a_command_stores_outside_a_build_is_kept_for_a_few_builds(tmp_path):
    """`publish check` stores fact-check results without recording: they survive the next builds."""
    cache, out = Cache(tmp_path / "cache"), tmp_path / "out"
    a_build(cache, out, entries=["a"])
    cache.store("factcheck", "report", {"ok": True})
    for _ in range(KEEP_BUILDS):
        a_build(cache, out, entries=["a"])
    assert cache.load("factcheck", "report") == {"ok": True}
    a_build(cache, out, entries=["a"])
    assert cache.load("factcheck", "report") is None


def test_the_last_build_of_another_output_keeps_what_it_used(tmp_path):
    """A preview rebuilt on every save must not empty the cache of `dist/`'s next build, and the reverse."""
    cache, dist, preview = Cache(tmp_path / "cache"), tmp_path / "dist", tmp_path / "preview"
    a_build(cache, dist, entries=["live"], files=["cardaa"])
    for number in range(KEEP_BUILDS + 5):
        a_build(cache, preview, entries=[f"draft{number}"])
    assert "live" in stored(cache) and card_files(cache.folder) == {"cardaa"}
    dist.rmdir()  # that output is gone: nothing keeps its entries any more
    a_build(cache, preview, entries=["draft"])
    assert "live" not in stored(cache) and card_files(cache.folder) == set()


def test_an_output_not_built_for_many_builds_keeps_nothing(tmp_path):
    cache, dist, preview = Cache(tmp_path / "cache"), tmp_path / "dist", tmp_path / "preview"
    a_build(cache, dist, entries=["live"])
    for number in range(PIN_BUILDS - 1):
        a_build(cache, preview, entries=["draft"])
    assert "live" in stored(cache)
    a_build(cache, preview, entries=["draft"])
    assert stored(cache) == {"draft"}


def test_no_prune_while_another_build_uses_the_cache(tmp_path):
    cache, out = Cache(tmp_path / "cache"), tmp_path / "out"
    a_build(cache, out, entries=["old"])
    other = Cache(tmp_path / "cache")
    for _ in range(KEEP_BUILDS):
        with other.recording():  # a build in progress (another process, or the preview's thread)
            with cache.recording():
                cache.store("bodies", "new", "body")
            assert cache.prune(out) is None
    assert stored(cache) == {"old", "new"}
    assert cache.prune(out) is not None


def test_entries_and_files_left_by_an_older_publisher_are_dropped(tmp_path):
    """A cache from before uses were marked: its entries have no use, and go at the first prune."""
    folder = tmp_path / "cache"
    folder.mkdir()
    with sqlite3.connect(folder / "entries.sqlite") as db:
        db.execute("CREATE TABLE entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key)) WITHOUT ROWID")
        db.execute("INSERT INTO entries VALUES ('bodies', 'stale', x'00')")
    fsio.write_bytes(folder / "cards" / "ol" / "old.jpg", b"jpeg", sync=False)
    cache, out = Cache(folder), tmp_path / "out"
    a_build(cache, out, entries=["new"], files=["newcard"])
    assert stored(cache) == {"new"} and card_files(folder) == {"newcard"}


def on_disk(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("entries.sqlite*"))


def test_files_of_a_build_stopped_before_its_end_go_within_a_few_builds(tmp_path):
    """A killed build's workers may have written files whose use was never marked: found, then dropped."""
    cache, out = Cache(tmp_path / "cache"), tmp_path / "out"
    a_build(cache, out, files=["keptaa"])
    fsio.write_bytes(cache.path("cards", "strayaa", ".jpg"), b"jpeg", sync=False)  # no build recording
    for _ in range(PIN_BUILDS + KEEP_BUILDS):
        a_build(cache, out, files=["keptaa"])
    assert card_files(cache.folder) == {"keptaa"}


def test_the_index_shrinks_on_disk_after_a_big_prune(tmp_path):
    cache, out = Cache(tmp_path / "cache"), tmp_path / "out"
    with cache.recording():
        cache.store_many("bodies", ((f"old{n}", os.urandom(20_000)) for n in range(300)))
    cache.prune(out)
    big = on_disk(cache.folder)
    for _ in range(KEEP_BUILDS):
        a_build(cache, out, entries=["new"])
    assert stored(cache) == {"new"}
    assert on_disk(cache.folder) < big / 10


# --- stopped mid-prune ------------------------------------------------------------

PRUNE = """
import sys
from pathlib import Path
from publisher.cache import Cache
cache = Cache(Path(sys.argv[1]))
cache.load("bodies", "live")  # connected and imported: the prune alone is left
print("ready", flush=True)
print(cache.prune(Path(sys.argv[2])), flush=True)
"""


def stale_cache(folder: Path, out: Path) -> Cache:
    """A cache of 1,500 entries and 1,500 files no recent build used, and one entry and one file in use."""
    cache = Cache(folder)
    with cache.recording():
        cache.store_many("bodies", ((f"old{n:04d}", os.urandom(2_000)) for n in range(1_500)))
        for n in range(1_500):
            fsio.write_bytes(cache.path("cards", f"{n:04d}old", ".jpg"), b"jpeg", sync=False)
    out.mkdir(exist_ok=True)
    cache.prune(out)
    for _ in range(KEEP_BUILDS - 1):
        a_build(cache, out, entries=["live"], files=["livecard"])
    with cache.recording():  # the build whose prune is stopped
        cache.load("bodies", "live")
        cache.path("cards", "livecard", ".jpg")
    cache.close()
    return cache


def assert_consistent(folder: Path) -> None:
    """Every entry and every file has its row; what the last builds used is all there; the cache still works."""
    with sqlite3.connect(folder / "entries.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        uses = set(db.execute("SELECT kind, key FROM uses"))
        entries = set(db.execute("SELECT kind, key FROM entries"))
    assert entries <= uses
    assert {("file:cards", path.name) for path in (folder / "cards").glob("*/*")} <= uses
    cache = Cache(folder)
    assert cache.load("bodies", "live") == "body live"
    assert cache.path("cards", "livecard", ".jpg").read_bytes() == b"livecard"


def test_a_prune_stopped_at_any_moment_leaves_a_consistent_cache(tmp_path):
    rng = random.Random(int(os.environ.get("PUBLISHER_KILL_SEED", "7")))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    for attempt, how in enumerate([signal.SIGINT, signal.SIGKILL] * 3):
        folder, out = tmp_path / f"cache{attempt}", tmp_path / "out"
        stale_cache(folder, out)
        child = subprocess.Popen([sys.executable, "-c", PRUNE, str(folder), str(out)], env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.15))
        child.send_signal(how)
        child.communicate(timeout=60)
        assert_consistent(folder)
        cache = Cache(folder)
        a_build(cache, out, entries=["live"], files=["livecard"])  # and the next build prunes what is left
        assert stored(cache) == {"live"} and card_files(folder) == {"livecard"}
        assert_consistent(folder)
