"""One build at a time per output folder (`output_lock`), and a lock left by a build that is gone taken over.

Split from `writer.py`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # not on Windows: builds there are not guarded against running twice
    fcntl = None  # type: ignore[assignment]

from ..errors import PublisherError
from ..i18n import _


@contextlib.contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """One build at a time per output folder: a scheduled job and a writer may start one together,
    and the second would remove the first one's staging folder as a leftover.

    The lock file records its holder (process id and start time). A lock still held although that
    process is gone (its orphaned workers, say, after a `kill -9`) is taken over: the lock file is
    replaced by a new one, under a short guard lock so that two builds cannot both take it over."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target.with_name(f".{target.name}.lock")
    if fcntl is None:
        yield
        return
    with open(target.with_name(f".{target.name}.lock-guard"), "a+") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # held for microseconds, never across a fork
        try:
            handle = _take_lock(path, target)
        finally:
            fcntl.flock(guard, fcntl.LOCK_UN)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            handle.truncate(0)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _take_lock(path: Path, target: Path):
    """The lock file, locked by this process, or PublisherError when a live build holds it."""
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read(200).strip()
        handle.close()
        if not holder or _alive(holder):
            raise PublisherError(_("another `publish build` is writing {target} right now; wait for it "
                                   "to finish, then build again").format(target=target)) from None
        # The holder is gone: replace the lock file (whoever still holds the old one holds nothing).
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        handle = open(path, "a+")
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.seek(0)
    handle.truncate(0)
    own = _holder_id(os.getpid())
    handle.write(own if own and own != "exited" else str(os.getpid()))
    handle.flush()
    return handle


def _holder_id(pid: int) -> str | None:
    """`pid start-time`: a process id alone may be reused by another process later. None for a
    process that has exited (a zombie included) or where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        if fields[0] in (b"Z", b"X"):
            return "exited"
        return f"{pid} {int(fields[19])}"
    except (OSError, IndexError, ValueError):
        return None


def _alive(holder: str) -> bool:
    """Whether the process recorded in a lock file still runs (True when that cannot be told)."""
    try:
        pid = int(holder.split()[0])
    except (ValueError, IndexError):
        return True
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    current = _holder_id(pid)
    if current == "exited":
        return False
    return current is None or " " not in holder or current == holder
