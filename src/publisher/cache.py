"""The build cache: results stored under the hash of everything they depend on.

Entries are keyed by content, never by time stamps, so a cache entry can only
be reused when its inputs are byte-for-byte the same. Every key includes the
hash of publisher's own code, so upgrading publisher invalidates everything.
The cache lives in `.publisher/cache/` beside `publisher.toml` (git-ignored);
deleting it only makes the next build a cold one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
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


def write_atomically(path: Path, data: bytes) -> None:
    """Write `path` so that readers see the old bytes or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


class Cache:
    """Pickled objects under `folder/<kind>/<key[:2]>/<key>`."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, kind: str, key: str, suffix: str = ".pickle") -> Path:
        return self.folder / kind / key[:2] / f"{key}{suffix}"

    def load(self, kind: str, key: str) -> Any | None:
        try:
            with open(self.path(kind, key), "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None

    def store(self, kind: str, key: str, value: Any) -> None:
        try:
            write_atomically(self.path(kind, key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
