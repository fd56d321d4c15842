"""Writing the output folder so that readers only ever see a whole site.

Every build makes a complete new tree in a staging folder beside the output:
files that did not change are hard links to the current output (no bytes are
copied), changed files are written. The staging tree then takes the old
tree's place in one atomic step (`renameat2(RENAME_EXCHANGE)` on Linux), and
the old tree is removed. A build that fails or is interrupted before that
step leaves the previous site untouched; leftovers of a killed build are
cleaned up by the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import PublisherError

#: Written into every output folder; its presence is what lets a later build
#: replace the folder (we never delete a folder publish did not make). It holds
#: the id of the build, which ties the folder to the build state in the cache.
MARKER = ".publisher-output"

_STAGING = ".staging-"
_OLD = ".old-"


class OutputWriter:
    """Collects the new site in a staging folder beside `target`; `commit()` swaps it in."""

    def __init__(self, target: Path, protected: tuple[Path, ...]):
        self.target = target.absolute()
        check_output_folder(self.target, protected)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.target)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}{_STAGING}", dir=self.target.parent))
        self.files_written = 0
        """Files whose bytes were written (new or changed)."""
        self.files_kept = 0
        """Files carried over unchanged from the current output."""
        self._made_dirs: set[str] = set()
        self._staging = str(self.staging)
        self._target = str(self.target)

    def write_bytes(self, relative: str, data: bytes) -> None:
        with open(self._path(relative), "wb") as handle:
            handle.write(data)
        self.files_written += 1

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def copy_file(self, source: Path, relative: str) -> None:
        """A file from outside the output (an asset, an image variant in the cache).

        Copied, never hard-linked: a tool that edits the output in place must
        not be able to change the sources (or the other way round).
        """
        shutil.copyfile(source, self._path(relative))
        self.files_written += 1

    def keep(self, relative: str) -> bool:
        """Carry `relative` over from the current output unchanged; False if it is not there."""
        current = os.path.join(self._target, relative)
        destination = self._path(relative)
        try:
            os.link(current, destination, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError:
            try:
                shutil.copyfile(current, destination)
            except OSError:
                return False
        self.files_kept += 1
        return True

    def _path(self, relative: str) -> str:
        path = os.path.normpath(os.path.join(self._staging, relative))
        if not path.startswith(self._staging + os.sep):
            raise PublisherError(f"refusing to write {relative!r} outside the output folder")
        parent = os.path.dirname(path)
        if parent not in self._made_dirs:
            os.makedirs(parent, exist_ok=True)
            self._made_dirs.add(parent)
        return path

    def commit(self, build_id: str) -> None:
        """Put the staged site in place of the old one, in one step where the system allows."""
        (self.staging / MARKER).write_text(json.dumps({"build": build_id}) + "\n"
                                           "written by publish build; this folder is replaced on each build\n")
        os.chmod(self.staging, 0o755)
        if self.target.is_dir() and not self.target.is_symlink() and _exchange(self.staging, self.target):
            _remove_in_background(self.staging)  # now holds the old site
            return
        old = None
        if self.target.exists() or self.target.is_symlink():
            old = self.target.with_name(f".{self.target.name}{_OLD}{os.getpid()}")
            os.replace(self.target, old)
        os.replace(self.staging, self.target)
        if old is not None:
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink()

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> "OutputWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()


def check_output_folder(target: Path, protected: tuple[Path, ...]) -> None:
    """Refuse output folders that would replace the site itself or someone else's files."""
    resolved = target.resolve()
    for folder in protected:
        folder = folder.resolve()
        if resolved == folder or folder.is_relative_to(resolved):
            raise PublisherError(
                f"the output folder {target} would contain or replace {folder}; "
                "choose another output folder (site.output_dir or --out)"
            )
    if target.exists() and not target.is_dir():
        raise PublisherError(
            f"the output folder {target} is a file; remove it or choose another output folder "
            "(site.output_dir or --out)"
        )
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise PublisherError(
            f"{target} exists and was not written by publish, so it will not be replaced; "
            "move it away or choose another output folder (site.output_dir or --out)"
        )


def output_build_id(target: Path) -> str | None:
    """The id of the build that wrote `target`, or None (no output, or written by an older version)."""
    try:
        first = (target / MARKER).read_text(encoding="utf-8").splitlines()[0]
        return str(json.loads(first)["build"])
    except (OSError, IndexError, ValueError, KeyError, TypeError):
        return None


def _remove_in_background(folder: Path) -> None:
    """Delete a finished-with tree without making the build wait for it.

    Removing thousands of page folders can take seconds on a busy disk; the
    site is already live, so a separate `rm -rf` does it. Whatever it leaves
    (killed, say) is removed by the next build.
    """
    old = folder.with_name(folder.name.replace(_STAGING, _OLD, 1))
    try:
        os.replace(folder, old)
        subprocess.Popen(["rm", "-rf", "--", str(old)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(old if old.exists() else folder, ignore_errors=True)


def _remove_leftovers(target: Path) -> None:
    """Staging and old trees of builds that were killed before they finished."""
    for prefix in (_STAGING, _OLD):
        for leftover in target.parent.glob(f".{target.name}{prefix}*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False where unsupported."""
    global _libc
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(b))
