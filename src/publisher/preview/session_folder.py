"""The preview session's temporary folder: locked while the session runs, so that a later preview can
remove the folders of previews that were killed (their lock is free) and leave those in use alone.

Split from `run.py`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows has no fcntl: outputs of killed previews are then left to the system
    fcntl = None  # type: ignore[assignment]

#: The temporary folders of preview sessions are named so.
FOLDER_PREFIX = "publish-preview-"
_SESSION_LOCK = ".session.lock"


def hold_session_lock(folder: Path) -> IO[bytes] | None:
    """Lock a file in the session's temporary folder for as long as the session runs, so a later preview
    can tell an abandoned folder (its preview was killed) from one in use. The file is locked before it
    gets its name, so no other preview ever sees it unlocked."""
    if fcntl is None:
        return None
    handle = open(folder / f"{_SESSION_LOCK}.new", "wb")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.replace(folder / f"{_SESSION_LOCK}.new", folder / _SESSION_LOCK)
    return handle


def remove_abandoned_outputs(temp: Path) -> None:
    """Remove the temporary outputs of previews that did not stop cleanly (killed, or the machine went
    down): their session lock is free. Folders without one, or whose lock is held, are left alone."""
    if fcntl is None:
        return
    for folder in temp.glob(f"{FOLDER_PREFIX}*"):
        try:
            with open(folder / _SESSION_LOCK, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # no lock file (not ours, or just being made), or locked: a preview in use
            continue
