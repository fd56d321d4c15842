"""Reading input files safely: only regular files, only up to a size, only from inside the site.

Nothing outside the site is ever read for publishing: a path is resolved
(symlinks included) before it is trusted, and a file that is a device, a
pipe or a folder, or larger than any sensible input, is refused with a
message instead of being read without bound (`/dev/zero` as the ranking
file once used 20 GB of memory).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import PublisherError
from .i18n import _

#: Markdown, TOML and CSV inputs: far above any real article or export.
MAX_TEXT_BYTES = 16 * 1024 * 1024


class UnsafeFile(PublisherError):
    """A file that is not read: not a regular file, too large, or outside the site."""


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether `path`, with every symlink resolved, lies in `root` (itself resolved)."""
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, ValueError, RuntimeError):  # NUL in a name, a symlink loop
        return False


def read_bounded(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; `UnsafeFile` otherwise.

    `OSError` (missing, unreadable) is raised as it is, for the caller's own message."""
    # O_NONBLOCK: opening a named pipe must not wait for a writer; a regular file reads the same.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(_("{path} is not a regular file (a device, a pipe or a folder); "
                               "point at an ordinary file").format(path=path))
        if info.st_size > limit:
            raise UnsafeFile(_("{path} is {size:,} bytes, more than the {limit:,} bytes "
                               "allowed for this file; check that it is the right file").format(
                path=path, size=info.st_size, limit=limit))
        # Sized to the file, not to `limit`: a read of `limit + 1` bytes allocates that much for every file.
        data = handle.read(info.st_size + 1)
        if len(data) > info.st_size:  # grew since fstat: read on, up to the limit
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:  # grew while being read
        raise UnsafeFile(_("{path} is larger than the {limit:,} bytes allowed for this file").format(
            path=path, limit=limit))
    return data


def bad_name_reason(name: str) -> str | None:
    """Why a file or folder name cannot be published as it is (None: fine): bytes that are not
    UTF-8, or control characters such as a newline, which break URLs and messages."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return _("is not valid UTF-8")
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return _("contains a control character (a newline or a tab, say)")
    return None
