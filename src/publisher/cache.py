"""The build cache: results stored under the hash of everything they depend on.

Entries are keyed by content, never by time stamps, so a cache entry can only
be reused when its inputs are byte-for-byte the same. Every key includes the
hash of publisher's own code, so upgrading publisher invalidates everything.
The cache lives in `.publisher/cache/` beside `publisher.toml` (git-ignored);
deleting it only makes the next build a cold one.

Small entries (parsed articles, rendered bodies, ...) live in one SQLite
file: thousands of them are written per cold build, and creating a file
each costs a millisecond or more on many disks. Files that are copied into
the output as they are (image variants) are plain files under `path()`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_VERSION = "1"


def digest(*parts: bytes | str) -> str:
    """A short, stable hash of `parts` (length-prefixed, so parts cannot run together)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of publisher's own source files: a new version renders differently."""
    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=16)
    h.update(CACHE_VERSION.encode())
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """Hash of every file (names and bytes) under `folder`, hidden files excluded."""
    h = hashlib.blake2b(digest_size=16)
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                h.update(relative.as_posix().encode())
                h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return h.hexdigest()


_OPEN: "weakref.WeakSet[Cache]" = weakref.WeakSet()


def _close_before_fork() -> None:
    """SQLite connections must not cross a fork: close them; each process opens its own when needed."""
    for cache in list(_OPEN):
        cache.close()


os.register_at_fork(before=_close_before_fork)


class Memory:
    """What a long-running process (a preview session) keeps between its builds of one site, so a rebuild
    after one save does not unpickle a thousand entries again: the entries of `kinds` as read or written
    (values are immutable models, shared, never copied) and the keys stored per kind (the Markdown
    files are not read again anyway: `content.scan` keeps folder keys by their stat). Owned by the process's session, never by a module."""

    def __init__(self, kinds: tuple[str, ...] = ()):
        self.kinds = frozenset(kinds)
        self.entries: dict[tuple[str, str], Any] = {}
        self.keys: dict[str, set[str]] = {}


class Cache:
    """Pickled objects by (kind, key) in `folder/entries.sqlite`; files under `folder/<kind>/`.
    With a `memory`, what is read and written is remembered for the process's next builds too."""

    def __init__(self, folder: Path, memory: Memory | None = None):
        self.folder = folder
        self.memory = memory
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._broken = False

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def path(self, kind: str, key: str, suffix: str = ".pickle") -> Path:
        """Where a file entry of `kind` is kept (for entries that are files, such as image variants)."""
        return self.folder / kind / key[:2] / f"{key}{suffix}"

    def _connection(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._db is None or self._pid != os.getpid():  # a forked worker opens its own
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.folder / "entries.sqlite", timeout=60, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, value BLOB, "
                           "PRIMARY KEY (kind, key)) WITHOUT ROWID")
                # The table keeps values inside its rows, so finding which keys are stored would read
                # megabytes of rendered pages; this index holds the keys alone (`present`, `keys`).
                db.execute("CREATE INDEX IF NOT EXISTS entries_keys ON entries (kind, key)")
            except (OSError, sqlite3.Error):
                self._broken = True  # no cache: every build is a cold one, but builds still work
                return None
            self._db, self._pid = db, os.getpid()
            _OPEN.add(self)
        return self._db

    def keys(self, kind: str) -> set[str]:
        """Every key stored under `kind` (one query instead of one per key)."""
        if self.memory is not None and kind in self.memory.keys:
            return set(self.memory.keys[kind])
        db = self._connection()
        try:
            found = {row[0] for row in db.execute("SELECT key FROM entries WHERE kind = ?", (kind,))} if db else set()
        except sqlite3.Error:
            return set()
        if self.memory is not None and db is not None:
            self.memory.keys[kind] = set(found)
        return found

    def present(self, kind: str, keys: list[str]) -> set[str]:
        """Which of `keys` are stored under `kind`, without reading their values (indexed lookups: the time
        does not grow with what older builds left in the cache, as a scan of every key would)."""
        db = self._connection()
        found: set[str] = set()
        if db is None:
            return found
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            try:
                found.update(row[0] for row in db.execute(
                    f"SELECT key FROM entries WHERE kind = ? AND key IN ({','.join('?' * len(chunk))})",
                    (kind, *chunk)))
            except sqlite3.Error:
                return found
        return found

    def load_many(self, kind: str, keys: list[str]) -> dict[str, Any]:
        """The entries of `keys` that are stored (and readable), in a few queries."""
        memory = self.memory if self.memory is not None and kind in self.memory.kinds else None
        found: dict[str, Any] = {}
        if memory is not None:
            found = {key: memory.entries[(kind, key)] for key in keys if (kind, key) in memory.entries}
            keys = [key for key in keys if key not in found]
            if not keys:
                return found
        db = self._connection()
        if db is None:
            return found
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            try:
                rows = db.execute(f"SELECT key, value FROM entries WHERE kind = ? AND key IN "
                                  f"({','.join('?' * len(chunk))})", (kind, *chunk)).fetchall()
            except sqlite3.Error:
                return found
            for key, value in rows:
                try:
                    found[key] = pickle.loads(value)
                except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
                    continue
                if memory is not None:
                    memory.entries[(kind, key)] = found[key]
        return found

    def load(self, kind: str, key: str) -> Any | None:
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
                TypeError):
            return None

    def store(self, kind: str, key: str, value: Any) -> None:
        self.store_many(kind, ((key, value),))

    def store_many(self, kind: str, items) -> None:
        """Store (key, value) pairs in one transaction."""
        db = self._connection()
        if db is None:
            return
        items = list(items)
        try:
            rows = [(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items]
            with db:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            return  # a cache that cannot be written only makes the next build slower
        if self.memory is not None:
            if kind in self.memory.keys:
                self.memory.keys[kind].update(key for key, _value in items)
            if kind in self.memory.kinds:
                self.memory.entries.update(((kind, key), value) for key, value in items)
