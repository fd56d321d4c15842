"""What the article folders hold, as one hash per folder, before anything is parsed.

Every build starts here, and a build with nothing to do ends here, so it
must be cheap at a thousand articles. A folder's key is the hash of its
Markdown bytes and of the names, sizes and times of its other files. Reading
and hashing every Markdown file costs most of a no-op build, so, as git does
for its index, a folder whose files all have the same size, modification and
change times and inode as when its key was made, and were not changed in the
last seconds before that (a change within the same clock tick would leave the
times equal), keeps its key without being read again. The change time
(`st_ctime`) moves on every write and cannot be set back by `touch` or
`cp -p`, so an edit always shows.

A long-running process that watches the folders (the preview server) may
say which folders changed since the last scan (`changed`): the others keep
the key the cache has for them without even a stat, and only the folder list
is read. The watcher's word stands in for the stat, so the caller must pass
None (every folder checked) whenever it may have missed a change.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache, code_version, digest
from ..config import SiteConfig
from ..limits import UnsafeFile, read_bounded

#: A file changed less than this long before its folder's key was made is read again at the next scan.
RACY_SECONDS = 2

_KIND = "scan"


@dataclass(frozen=True)
class ContentScan:
    """The article folders and a content hash of each, before anything is parsed."""

    folders: tuple[Path, ...]
    """Article folders, sorted by name."""
    keys: tuple[str, ...]
    """Per folder: hash of its Markdown bytes and the names, sizes and times of its other files."""
    files: tuple[tuple[str, ...] | None, ...] = field(default=(), compare=False)
    """Per folder: the names of its regular files, sorted, as the scan saw them (None: not known, list it).
    The build finds each article's images there instead of listing every folder once more. Not compared:
    two scans are equal when they found the same content."""

    def files_of(self) -> dict[str, tuple[str, ...] | None]:
        """`files` by folder name (an article's slug)."""
        return {folder.name: names for folder, names in zip(self.folders, self.files)}

    @property
    def fingerprint(self) -> str:
        """One hash of all the content: equal fingerprints, equal content."""
        return digest(*self.keys)


def scan_content(config: SiteConfig, cache: Cache | None = None, *, clock_ns: int | None = None,
                 changed: frozenset[str] | None = None) -> ContentScan:
    """Hash every article folder (no parsing). With a `cache`, folders whose files did not change since the
    last scan keep their key without being read (see the module's docstring). `clock_ns`: the file system's
    time now, in nanoseconds (default: the system clock). `changed`: the names of the only folders that
    can have changed since the cache's last scan (a watcher's report); None: any may have."""
    if not config.content_dir.is_dir():
        return ContentScan((), ())
    with os.scandir(config.content_dir) as listing:  # names sorted as strings: as paths, but quicker
        names = sorted(entry.name for entry in listing if not entry.name.startswith((".", "_")) and entry.is_dir())
    folders = tuple(config.content_dir / name for name in names)
    if cache is None:
        return ContentScan(folders, tuple(_folder_key(folder, config) for folder in folders), (None,) * len(folders))
    settings = digest(code_version(), str(config.content_dir), config.timezone.key, *config.language_codes)
    known = cache.load(_KIND, settings)
    known = known if isinstance(known, dict) else {}
    started_ns = time.time_ns() if clock_ns is None else clock_ns
    keys, remembered, files = [], {}, []
    for folder in folders:
        entry = known.get(folder.name)
        if changed is not None and entry is not None and folder.name not in changed:
            keys.append(entry[1])  # unchanged, as the watcher saw it: no stat
            files.append(_regular_files(entry[0]))
            remembered[folder.name] = entry
            continue
        signature = _signature(folder)
        files.append(None if signature is None else _regular_files(signature))
        if signature is not None and entry is not None and entry[0] == signature:
            key = entry[1]
        else:
            key = _folder_key(folder, config)
        keys.append(key)
        if signature is not None and _settled(signature, started_ns):
            remembered[folder.name] = (signature, key)
    if remembered != known:
        cache.store(_KIND, settings, remembered)
    return ContentScan(folders, tuple(keys), tuple(files))


#: Per file of a folder: name, size, modification and change times, inode, and whether it is a regular file.
Signature = tuple[tuple[str, int, int, int, int, bool], ...]


def _signature(folder: Path) -> Signature | None:
    """What `scan_content` compares to see that nothing in `folder` changed; None if unreadable."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        return tuple((entry.name, (info := entry.stat()).st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                      stat.S_ISREG(info.st_mode)) for entry in entries)
    except OSError:
        return None


def _regular_files(signature: Signature) -> tuple[str, ...]:
    return tuple(name for name, _size, _mtime, _ctime, _inode, regular in signature if regular)


def _settled(signature: Signature, now_ns: int) -> bool:
    """True when no file of the folder was written in the last `RACY_SECONDS` (by the file system's clock)."""
    limit = now_ns - RACY_SECONDS * 1_000_000_000
    return all(mtime < limit and ctime < limit for _name, _size, mtime, ctime, _inode, _regular in signature)


def _folder_key(folder: Path, config: SiteConfig) -> str:
    """What `folder` holds: its Markdown bytes, the names, sizes and times of its other files, the config."""
    parts: list[bytes | str] = [code_version(), str(folder), config.timezone.key, *config.language_codes]
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        entries = []
    for entry in entries:
        parts.append(entry.name)
        try:
            if entry.name.endswith(".md") and entry.is_file():
                parts.append(read_bounded(Path(entry.path)))
            else:
                stat = entry.stat()
                parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except (OSError, UnsafeFile):
            parts.append("<unreadable>")
    return digest(*(part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
                    for part in parts))
