"""Writing next to a writer: new files never replace old ones, and a file saved meanwhile is never overwritten."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import PublisherError


class FileChangedError(PublisherError):
    """The file changed between reading it and writing it."""


def save_new_file(folder: Path, stem: str, extension: str, data: bytes) -> Path:
    """`<stem>.<ext>`, else `<stem>-2.<ext>`, ...: written whole, never over an existing file."""
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{stem}-", suffix=f".{extension}.tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        number = 1
        while True:
            target = folder / (f"{stem}.{extension}" if number == 1 else f"{stem}-{number}.{extension}")
            try:
                os.link(temporary, target)  # never replaces a file that exists
                return target
            except FileExistsError:
                number += 1
    finally:
        os.unlink(temporary)


def replace_if_unchanged(path: Path, original: bytes, text: str) -> None:
    """Write `text` to `path` atomically, unless someone saved the file since it was read."""
    if path.read_bytes() != original:
        raise FileChangedError(f"{path} was saved by someone else meanwhile, so it was left as it is (nothing of "
                               "theirs is lost)")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
