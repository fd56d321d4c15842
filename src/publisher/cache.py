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

Content keys never match again once their inputs change, so the cache keeps
only what recent builds used (as Cargo's last-use tracker and `hugo --gc`
do): a build notes in memory every entry it reads or writes (`recording`),
marks them in one transaction at its end (a session with a `Memory`, the
preview, at its next prune instead), and `prune` then drops what none
of the last `KEEP_BUILDS` builds used, except what the last build of another
output folder used (a preview beside `dist/`). A no-op build writes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import weakref
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from .cache_uses import FILE_PREFIX, compact, prune_uses, stamp_uses

try:
    import fcntl
except ImportError:  # Windows: no shared lock, so the cache is never pruned there
    fcntl = None  # type: ignore[assignment]

CACHE_VERSION = "1"

KEEP_BUILDS = 3
"""Entries used by none of the last this-many builds are dropped (an edit undone soon is still cached)."""
_RECORDING: ContextVar[_Uses | None] = ContextVar("publisher_cache_uses", default=None)


def digest(*parts: bytes | str) -> str:
    """A short, stable hash of `parts` (each prefixed with its length as 8 little-endian bytes, so parts
    cannot run together). Hashed in one call: a rebuild makes thousands of these, mostly of short parts."""
    chunks: list[bytes] = []
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        chunks.append(len(data).to_bytes(8, "little"))
        chunks.append(data)
    return hashlib.blake2b(b"".join(chunks), digest_size=16).hexdigest()


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


class _Uses:
    """What a recording build read or wrote, by kind (kept in memory, marked once at its end)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.keys: dict[str, set[str]] = {}
        self.stored: dict[str, set[str]] = {}
        """Stored meanwhile, so marked already (`store_many` marks what it stores)."""

    def forget(self) -> None:
        """Mark nothing at the end (a build with nothing to do writes nothing)."""
        self.keys.clear()

    def unmarked(self) -> list[tuple[str, str]]:
        return [(kind, key) for kind, keys in self.keys.items() for key in keys - self.stored.get(kind, set())]


@dataclass(frozen=True)
class Pruned:
    """What `Cache.prune` dropped."""

    entries: int
    files: int


@dataclass(frozen=True)
class Usage:
    """How big the cache is (`Cache.usage`)."""

    entries: int
    """Entries in the index."""
    files: int
    """Files in the cache folder, the index included."""
    size: int
    """Their bytes."""


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
    files are not read again anyway: `content.scan` keeps folder keys by their stat). Owned by the
    process's session, never by a module."""

    def __init__(self, kinds: tuple[str, ...] = ()):
        self.kinds = frozenset(kinds)
        self.entries: dict[tuple[str, str], Any] = {}
        self.keys: dict[str, set[str]] = {}
        self.parsed: dict[str, tuple[tuple[int, int, int], Any]] = {}
        """Files of the cache folder read whole (the build states), by path: the (modification time, size,
        inode) they had, and what they held, read-only. Any other stat: read the file again."""
        self.unmarked: set[tuple[str, str]] = set()
        """(kind, key) pairs the session's builds used, not yet marked in the index: `Cache.prune` marks them
        first (the preview prunes in its quiet moments). Marking 10,000 rows at the end of each rebuild took
        20-30 ms between a save and the reloaded tab."""

    def forget(self, dropped: list[tuple[str, str]]) -> None:
        """What `prune` dropped is not in the cache any more."""
        for kind, key in dropped:
            self.entries.pop((kind, key), None)
            if kind in self.keys:
                self.keys[kind].discard(key)


class Cache:
    """Pickled objects by (kind, key) in `folder/entries.sqlite`; files under `folder/<kind>/`.
    With a `memory`, what is read and written is remembered for the process's next builds too."""

    def __init__(self, folder: Path, memory: Memory | None = None):
        self.folder = folder
        self.memory = memory
        self._where = os.path.abspath(folder)
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
        self._note(FILE_PREFIX + kind, (key + suffix,))
        return self.folder / kind / key[:2] / f"{key}{suffix}"

    def keep_files(self, kind: str, keys: Iterable[str], suffix: str) -> None:
        """Note file entries of `kind` as used, as `path` does, without making their paths (a build keeps
        thousands it has no need to look at)."""
        self._note(FILE_PREFIX + kind, [key + suffix for key in keys])

    def _note(self, kind: str, keys, *, stored: bool = False) -> None:
        """Remember `keys` as used by the build recording now, if any (in memory: no write per lookup)."""
        uses = _RECORDING.get()
        if uses is not None and uses.folder == self._where:
            uses.keys.setdefault(kind, set()).update(keys)
            if stored:
                uses.stored.setdefault(kind, set()).update(keys)

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
                # The number of the last build that used each entry (`prune`), apart from the values, so
                # that marking an entry used does not rewrite its value. No index on `build`: it would
                # double the cost of marking, and `prune` reads this small table whole once a build.
                db.execute("CREATE TABLE IF NOT EXISTS uses (kind TEXT, key TEXT, build INTEGER, "
                           "PRIMARY KEY (kind, key)) WITHOUT ROWID")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID")
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
        does not grow with what older builds left in the cache, as a scan of every key would). With a `memory`,
        from the keys it holds for `kind`, listed once (a preview's rebuilds ask for thousands each time)."""
        if self.memory is not None:
            if kind not in self.memory.keys:
                self.keys(kind)  # into the memory, unless the cache cannot be read
            if kind in self.memory.keys:
                found = self.memory.keys[kind].intersection(keys)
                self._note(kind, found)
                return found
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
                break
        self._note(kind, found)
        return found

    def load_many(self, kind: str, keys: list[str]) -> dict[str, Any]:
        """The entries of `keys` that are stored (and readable), in a few queries."""
        found = self._load_many(kind, keys)
        self._note(kind, found)
        return found

    def _load_many(self, kind: str, keys: list[str]) -> dict[str, Any]:
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
        memory = self.memory if self.memory is not None and kind in self.memory.kinds else None
        if memory is not None and (kind, key) in memory.entries:
            self._note(kind, (key,))
            return memory.entries[(kind, key)]
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            value = pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
                TypeError):
            return None
        if value is not None:
            self._note(kind, (key,))
            if memory is not None:
                memory.entries[(kind, key)] = value
        return value

    def store(self, kind: str, key: str, value: Any) -> None:
        self.store_many(kind, ((key, value),))

    def store_many(self, kind: str, items) -> None:
        """Store (key, value) pairs in one transaction, marked used by the coming build (so that a command
        other than a build, such as `publish check`, keeps what it stores for a few builds)."""
        db = self._connection()
        if db is None:
            return
        items = list(items)
        try:
            rows = [(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items]
            with db:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)", rows)
                stamp_uses(db, [(kind, key) for key, _value in items])
        except sqlite3.Error:
            return  # a cache that cannot be written only makes the next build slower
        self._note(kind, [key for key, _value in items], stored=True)
        if self.memory is not None:
            if kind in self.memory.keys:
                self.memory.keys[kind].update(key for key, _value in items)
            if kind in self.memory.kinds:
                self.memory.entries.update(((kind, key), value) for key, value in items)

    @contextlib.contextmanager
    def recording(self) -> Iterator[_Uses]:
        """Note every entry that a `Cache` on this folder reads or writes in this thread meanwhile, and mark
        them used in one transaction when the block ends without an error (nothing noted: no write). A
        shared lock is held meanwhile: `prune` waits for no build and drops nothing while one is running.
        With a `memory`, they are kept there instead, and marked by the next `prune` (`Memory.unmarked`)."""
        uses = _Uses(self._where)
        token = _RECORDING.set(uses)
        try:
            with self._lock(shared=True):
                yield uses
                if self.memory is not None:
                    self.memory.unmarked.update(uses.unmarked())
                else:
                    self._mark(uses.unmarked())
        finally:
            _RECORDING.reset(token)

    def _mark(self, used: list[tuple[str, str]]) -> None:
        db = self._connection() if used else None
        if db is None:
            return
        try:
            with db:
                db.execute("BEGIN")
                stamp_uses(db, used)
        except sqlite3.Error:
            pass

    @contextlib.contextmanager
    def _lock(self, *, shared: bool) -> Iterator[bool]:
        """Hold the cache's lock file (shared: a build; exclusive: `prune`, which does not wait); yields
        whether it is held."""
        if fcntl is None:
            yield shared
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / "lock", "a+b")
        except OSError:
            yield shared  # a build still works without a cache; `prune` does nothing
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False  # another build is running: prune another time
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def prune(self, output: Path | None, keep: int = KEEP_BUILDS) -> Pruned | None:
        """After a successful build of `output`: drop the entries and files that none of the last `keep`
        builds used, unless the last build of another output folder that still exists used them (within
        `PIN_BUILDS`). `output` None: no build, a prune on request (`publish cache --prune`). None when it
        could not run (another build holds the cache, or no cache).

        Files are removed inside the transaction that deletes their rows, before it commits: stopped at any
        point (Ctrl-C, kill), a row may be left for a file already gone, which only means that file is made
        again; never a row's entry missing or a file no row accounts for."""
        db = self._connection()
        if db is None or fcntl is None:
            return None
        with self._lock(shared=False) as held:
            if not held:
                return None
            if self.memory is not None and self.memory.unmarked:
                self._mark(list(self.memory.unmarked))
                self.memory.unmarked.clear()
            try:
                dropped, files = prune_uses(db, self.folder, os.path.abspath(output) if output else None, keep)
            except (OSError, sqlite3.Error):
                return None
            compact(db)
        if self.memory is not None:
            self.memory.forget(dropped)
        return Pruned(entries=len(dropped), files=files)

    def usage(self) -> Usage:
        """How big the cache is on disk (the PDF cache inside it included), its write-ahead log first folded
        into the index (else a prune that was just made shows as growth: its deletions sit in the log)."""
        db = self._connection() if (self.folder / "entries.sqlite").is_file() else None
        try:
            entries = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] if db else 0
            if db is not None:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            entries = 0
        files = [path for path in self.folder.rglob("*") if path.is_file()] if self.folder.is_dir() else []
        return Usage(entries=entries, files=len(files), size=sum(path.stat().st_size for path in files))
