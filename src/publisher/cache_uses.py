"""The cache's record of use: which build last used each entry (`uses`), and the prune that drops what no
recent build used (`Cache.prune`). SQLite statements on the cache's connection, inside the caller's lock.

Split from `cache.py`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

PIN_BUILDS = 20
"""An output folder's last build keeps what it used until this many builds of other outputs followed it."""
NEVER = -(1 << 62)
"""The stamp of entries found without a use marked (see `_adopt`)."""
FILE_PREFIX = "file:"
"""Prefix of the kinds that are files (`Cache.path()`): their keys are file names."""


def _builds(db: sqlite3.Connection) -> int:
    """How many builds have been counted by `prune` (uses marked now are stamped with the next number)."""
    row = db.execute("SELECT value FROM meta WHERE name = 'builds'").fetchone()
    return int(row[0]) if row else 0


def stamp_uses(db: sqlite3.Connection, used: list[tuple[str, str]]) -> None:
    """Mark (kind, key) pairs used by the coming build, inside the caller's transaction."""
    stamp = _builds(db) + 1
    db.executemany("INSERT OR REPLACE INTO uses (kind, key, build) VALUES (?, ?, ?)",
                   [(kind, key, stamp) for kind, key in used])


def prune_uses(db: sqlite3.Connection, folder: Path, output: str | None,
               keep: int) -> tuple[list[tuple[str, str]], int]:
    """Count a build of `output` (None: a prune on request) and drop the entries and files used by none of
    the last `keep` builds, nor by the last build of another output folder within `PIN_BUILDS`: their
    (kind, key) pairs and how many files went. Files are removed before the transaction commits."""
    with db:
        db.execute("BEGIN IMMEDIATE")
        build = _builds(db) + (output is not None)  # a prune on request is no build: it counts none
        outputs = {name[len("output:"):]: int(value) for name, value in
                   db.execute("SELECT name, value FROM meta WHERE name LIKE 'output:%'")}
        outputs = {where: last for where, last in outputs.items()
                   if last > build - PIN_BUILDS and os.path.isdir(where)}
        if output is not None:
            outputs[output] = build
        threshold = min([build - keep, *(last - 1 for last in outputs.values())])
        _adopt(db, folder, build)
        doomed = db.execute("SELECT kind, key FROM uses WHERE build <= ?", (threshold,)).fetchall()
        files = [folder / kind[len(FILE_PREFIX):] / key[:2] / key for kind, key in doomed
                 if kind.startswith(FILE_PREFIX)]
        for path in files:
            path.unlink(missing_ok=True)
        rows = [(kind, key) for kind, key in doomed if not kind.startswith(FILE_PREFIX)]
        db.executemany("DELETE FROM entries WHERE kind = ? AND key = ?", rows)
        db.execute("DELETE FROM uses WHERE build <= ?", (threshold,))
        db.execute("DELETE FROM meta WHERE name LIKE 'output:%'")
        db.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                       [("builds", build), *((f"output:{where}", last) for where, last in outputs.items())])
    return rows, len(files)


def _adopt(db: sqlite3.Connection, folder: Path, build: int) -> None:
    """Give entries and files that no use was ever marked for a stamp older than any build: they go now.
    Entries: those a publisher from before uses were marked left (once). Files: those too, and those a
    build stopped before its end wrote (its marks are lost): looked for once per kind, then every
    `PIN_BUILDS` builds (listing thousands of files every build would cost more than they weigh)."""
    kinds = [kind for (kind,) in db.execute("SELECT DISTINCT kind FROM uses WHERE kind LIKE 'file:%'")]
    done = {name for (name,) in db.execute("SELECT name FROM meta WHERE name LIKE 'adopted:%'")}
    if build % PIN_BUILDS == 0:
        done = {"adopted:"} & done
    if "adopted:" not in done:
        db.execute("INSERT OR IGNORE INTO uses (kind, key, build) SELECT kind, key, ? FROM entries", (NEVER,))
        db.execute("INSERT INTO meta (name, value) VALUES ('adopted:', 1)")
    for kind in kinds:
        if f"adopted:{kind}" in done:
            continue
        where = folder / kind[len(FILE_PREFIX):]
        names = [(kind, path.name, NEVER) for path in where.glob("??/*") if path.is_file()]
        db.executemany("INSERT OR IGNORE INTO uses (kind, key, build) VALUES (?, ?, ?)", names)
        db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, 1)", (f"adopted:{kind}",))


def compact(db: sqlite3.Connection) -> None:
    """Give the space of dropped entries back to the disk when it is a quarter of the file or more (SQLite
    only reuses it otherwise; VACUUM copies the live entries only, and rolls back whole if stopped)."""
    try:
        db.execute("PRAGMA busy_timeout = 2000")  # another process reading: compact another time
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        if free >= 256 and free * 4 >= pages:
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy VACUUM wrote into the log
    except sqlite3.Error:
        pass
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.execute("PRAGMA busy_timeout = 60000")
