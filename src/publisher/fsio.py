"""Writing files and folders so that nobody ever sees half of one, and nobody's work is lost.

Every file publisher writes goes through here. A file is written under a
temporary name beside it (a dot-file ending in `.tmp`, which the preview's
watcher ignores) and renamed into place, so a reader, a crash or a full disk
leaves the old file or the new one, never a part; the temporary file is
removed on any failure. A replaced file keeps its permissions; a new one gets
the permissions a plain `open()` would give it (the umask decides).

- `write_bytes` / `write_text`: replace (or create) a file.
- `replace_if_unchanged`: replace a file a person may be editing, only if it
  still holds the bytes we read (else `FileChangedError`, and their file stays).
- `write_new` / `save_new_file`: create a file, never over an existing one
  (`save_new_file` takes the next free name: `hero.png`, `hero-2.png`, ...).
- `swap_folder`: build a folder under a temporary name beside the target, move
  an existing target to a backup, rename the new one into place.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from .errors import PublisherError
from .i18n import _

T = TypeVar("T")


class FileChangedError(PublisherError):
    """The file changed (or went away) between reading it and writing it; it was left as it is."""


class SwapError(OSError):
    """The staged folder could not be put in place (say, a folder appeared there meanwhile).

    The target is as it was before: a folder moved to its backup was put back. The
    errno, message and file name are those of the failed rename.
    """


def write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace (or create) `path` with `data`: readers see the old bytes or the new, never a part.

    `sync=False` skips the fsync, for files that only cost time when lost (the build cache).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(path, data, sync=sync)
    try:
        _keep_mode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def copy_file(source: Path, path: Path, *, mode: int | None = None, sync: bool = False) -> None:
    """Replace (or create) `path` with a copy of `source`, streamed: readers see the old file or the new one.

    `mode`: the new file's permission bits (default: those of the file it replaces, else a plain `open()`'s).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as reader:
        temporary = _write_temporary(path, reader, sync=sync)
    try:
        if mode is None:
            _keep_mode(path, temporary)
        else:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def write_text(path: Path, text: str, *, sync: bool = True) -> None:
    """`write_bytes` of `text` as UTF-8, line ends as given (no translation)."""
    write_bytes(path, text.encode("utf-8"), sync=sync)


def replace_if_unchanged(path: Path, original: bytes, data: bytes | str) -> None:
    """Replace `path` with `data` unless someone saved (or removed) it since it held `original`.

    The new bytes are written to the temporary file first, so the window between
    the comparison and the rename is as short as it can be.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    temporary = _write_temporary(path, data, sync=True)
    try:
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            current = None
        if current != original:
            if current is None:
                message = _("{path} was removed or moved meanwhile, so it was left as it is (nothing of theirs "
                            "is lost)")
            else:
                message = _("{path} was saved by someone else meanwhile, so it was left as it is (nothing of "
                            "theirs is lost)")
            raise FileChangedError(message.format(path=path))
        _keep_mode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def write_new(path: Path, data: bytes | str) -> None:
    """Create `path` whole; `FileExistsError` (and nothing written) when a file of that name exists."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    temporary = _write_temporary(path, data, sync=True)
    try:
        os.link(temporary, path)  # a link never replaces a file that exists
    finally:
        _remove(temporary)


def save_new_file(folder: Path, stem: str, extension: str, data: bytes) -> Path:
    """`<stem>.<ext>`, else `<stem>-2.<ext>`, ...: written whole, never over an existing file; the path used."""
    temporary = _write_temporary(folder / f"{stem}.{extension}", data, sync=True)
    try:
        number = 1
        while True:
            target = folder / (f"{stem}.{extension}" if number == 1 else f"{stem}-{number}.{extension}")
            try:
                os.link(temporary, target)
                return target
            except FileExistsError:
                number += 1
    finally:
        _remove(temporary)


def swap_folder(target: Path, build: Callable[[Path], T], *, staging_prefix: str,
                backup: Path | None = None) -> tuple[T, Path | None]:
    """Make the folder `target` whole or not at all: `build(staging)` fills a new folder beside it, then
    the new folder is renamed to `target`.

    An existing `target` is first moved to `backup` (or `backup-2`, `-3` ... when
    taken; its parent is created). When the folder cannot be put in place (a
    target without `backup`, or the final rename fails) it is a `SwapError`. On
    any failure the staging folder is removed and an old target moved away is put back.
    Returns what `build` returned and the backup used (None when there was no old folder).
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = _make_folder(parent, staging_prefix)
    try:
        result = build(staging)
        moved: Path | None = None
        if target.exists() or target.is_symlink():
            if backup is None:
                raise SwapError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
            moved = _free_folder_name(backup)
            moved.parent.mkdir(parents=True, exist_ok=True)
            os.rename(target, moved)
        try:
            os.rename(staging, target)  # fails, never overwrites, when a folder with files appeared there
        except OSError as exc:
            if moved is not None:
                os.rename(moved, target)
            raise SwapError(exc.errno, exc.strerror, exc.filename) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result, moved


# ---------------------------------------------------------------- helpers


def _write_temporary(path: Path, data: "bytes | BinaryIO", *, sync: bool) -> Path:
    """`data` (bytes, or a stream to copy) in a new dot-file beside `path`, created with the permissions
    a plain `open()` would give."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, (bytes, bytearray, memoryview)):
                stream.write(data)
            else:
                shutil.copyfileobj(data, stream)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _keep_mode(path: Path, temporary: Path) -> None:
    """Give the new file the permission bits of the file it replaces, if there is one."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return
    os.chmod(temporary, mode)


def _make_folder(parent: Path, prefix: str) -> Path:
    """A new, empty folder `<prefix><random>` in `parent`, with the permissions `mkdir` would give."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _free_folder_name(path: Path) -> Path:
    """`path`, else `path-2`, `path-3` ...: the first that does not exist."""
    candidate, number = path, 2
    while candidate.exists() or candidate.is_symlink():
        candidate, number = path.with_name(f"{path.name}-{number}"), number + 1
    return candidate


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
