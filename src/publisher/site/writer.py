"""Writing the output folder so that readers only ever see a whole site.

Every build makes a complete new tree in a staging folder beside the output:
files that did not change are hard links to the current output (no bytes are
copied), changed files are written. The staging tree then takes the old
tree's place in one atomic step (`renameat2(RENAME_EXCHANGE)` on Linux). A
build that fails or is interrupted before that step leaves the previous site
untouched; leftovers of a killed build are cleaned up by the next one.

The old tree is not thrown away: it is kept beside the output as the spare
(`.dist.spare`), and the next build starts from it, touching only the files
that differ -- on a large site that saves making thousands of folders and
links for a one-article edit. Files are never changed in place (a changed
file is a new file), because the trees share unchanged files as hard links.
A file the build did not write or keep (one added to `dist/` by hand, which
rides into the spare) is removed from the staging tree: every build
publishes exactly the site and nothing else.

Once the swap is done the new site is live: what follows (keeping the old
tree as the spare, removing trees in the background) can only fail with a
warning (`OutputWriter.warnings`). A tree removed in the background is
first renamed to a name of its own (`.dist.old-<unique>`), so the removal
never touches a path a build may still use.
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
from ..i18n import _

#: Written into every output folder; its presence is what lets a later build
#: replace the folder (we never delete a folder publish did not make). It holds
#: the id of the build, which ties the folder to the build state in the cache.
MARKER = ".publisher-output"

_STAGING = ".staging-"
_OLD = ".old-"
_SPARE = ".spare"


class OutputWriter:
    """Collects the new site in a staging folder beside `target`; `commit()` swaps it in.

    `spare` is what the spare tree holds (output path -> content key) when it
    was written by build `spare_build`; the staging folder then starts as the
    spare, and `keep(path, key)` costs nothing for a file it already holds.

    `private`: the output is the process's own (a preview session's temporary
    folder), so nothing but its builds writes there and the spare holds what
    `spare` says: what the new site does not keep of it is removed by name,
    where any other output's staging tree is walked whole to find files added
    by hand (2,400 folders at 1,000 articles, about 30 ms a build).
    """

    def __init__(self, target: Path, protected: tuple[Path, ...], *, spare: dict[str, str] | None = None,
                 spare_build: str | None = None, private: bool = False):
        self.target = Path(os.path.abspath(target))  # `../x` as well as `/abs/x`: no `..` left in paths
        check_output_folder(self.target, protected)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.target)
        self.spare_path = spare_path(self.target)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}{_STAGING}", dir=self.target.parent))
        self._in_staging: dict[str, str] = {}
        if (spare is not None and spare_build is not None and self.spare_path.is_dir()
                and output_build_id(self.spare_path) == spare_build):
            # The spare becomes the staging folder (a crash from here on leaves a leftover, never a spare).
            os.rmdir(self.staging)
            os.replace(self.spare_path, self.staging)
            self._in_staging = dict(spare)
        elif os.path.lexists(self.spare_path):
            try:
                _remove_in_background(self.spare_path)
            except OSError:
                pass  # left for the next build
        self.files_written = 0
        """Files whose bytes were written (new or changed)."""
        self.files_kept = 0
        """Files carried over unchanged from the current output."""
        self.warnings: list[str] = []
        """Clean-up that failed after the new site was in place (the build still succeeded)."""
        self._claimed: set[str] = set()
        self.kept_spare = False
        """After `commit()`: the previous output was kept as the spare (its contents: the previous manifest)."""
        self._made_dirs: set[str] = set()
        self._staging = str(self.staging)
        self._target = str(self.target)
        self._trash: str | None = None
        self._trashed = 0
        self._swept = False
        self._private = private

    def _throw_away(self, path: str) -> None:
        """Move a file (or link) of the staging tree out of it, into a trash folder removed in the background
        once the new site is live. Unlinking a file whose blocks are freed can take milliseconds (ext4
        mounted with `discard`, network disks): thousands of them would make the writer wait; a rename
        within the disk does not."""
        if self._trash is None:
            trash = self.target.with_name(f".{self.target.name}{_OLD}{os.getpid()}-{os.urandom(6).hex()}")
            os.mkdir(trash)
            self._trash = str(trash)
        self._trashed += 1
        os.rename(path, os.path.join(self._trash, str(self._trashed)))

    def write_bytes(self, relative: str, data: bytes) -> None:
        with open(self.fresh_path(relative), "wb") as handle:
            handle.write(data)
        self.files_written += 1

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def copy_file(self, source: Path, relative: str) -> None:
        """A file from outside the output (an asset, an image variant in the cache).

        Copied, never hard-linked: a tool that edits the output in place must
        not be able to change the sources (or the other way round).
        """
        shutil.copyfile(source, self.fresh_path(relative))
        self.files_written += 1

    def keep(self, relative: str, key: str, live_key: str | None) -> bool:
        """Use the `relative` the spare or the current output already has, if its content key is `key`
        (`live_key`: the current output's key for it); False when neither has it."""
        if self._in_staging.get(relative) == key:
            del self._in_staging[relative]
            # (unless removed behind our back: not from a private output)
            if self._private or os.path.lexists(os.path.join(self._staging, relative)):
                self._claimed.add(os.path.normpath(relative))
                self.files_kept += 1
                return True
        if live_key != key:
            return False
        current = os.path.join(self._target, relative)
        destination = self.fresh_path(relative)
        try:
            os.link(current, destination, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError:
            try:
                shutil.copyfile(current, destination)
            except OSError:
                return False
        self._claimed.add(os.path.normpath(relative))
        self.files_kept += 1
        return True

    def withdraw(self, relative: str) -> None:
        """Take back a file written or kept in the staging tree: the new site will not hold it."""
        path = self._path(relative)
        self._claimed.discard(os.path.normpath(relative))
        self._in_staging.pop(relative, None)
        if os.path.lexists(path):
            self._throw_away(path)

    def fresh_path(self, relative: str) -> str:
        """Where to write `relative` in the staging folder, with any file from the spare removed first:
        the spare's files are shared with the live output, so they are replaced, never overwritten."""
        path = self._path(relative)
        self._claimed.add(os.path.normpath(relative))
        if self._in_staging.pop(relative, None) is not None or os.path.lexists(path):
            try:
                self._throw_away(path)
            except FileNotFoundError:
                pass
        return path

    def _path(self, relative: str) -> str:
        path = os.path.normpath(os.path.join(self._staging, relative))
        if not path.startswith(self._staging + os.sep):
            raise PublisherError(_("refusing to write {relative!r} outside the output folder").format(
                                     relative=relative))
        parent = os.path.dirname(path)
        if parent not in self._made_dirs:
            os.makedirs(parent, exist_ok=True)
            self._made_dirs.add(parent)
        return path

    def commit(self, build_id: str, stamp: dict[str, object] | None = None) -> None:
        """Put the staged site in place of the old one, in one step where the system allows.
        `stamp`: more fields for the marker (see `stamp.py`), on its first line beside the build id.

        Raises only while the old site is still in place; after the swap a failure is a warning."""
        with open(self.fresh_path(MARKER), "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"build": build_id, **(stamp or {})}, ensure_ascii=False) + "\n"
                         "written by publish build; this folder is replaced on each build\n")
        if not self._swept:  # a sweep (`prune`) leaves only claimed files: what follows it claims what it writes
            self._drop_unclaimed()
        os.chmod(self.staging, 0o755)
        if self.target.is_dir() and not self.target.is_symlink() and _exchange(self.staging, self.target):
            # The new site is live. The old one (now at `staging`) becomes the spare for the next build.
            try:
                if os.path.lexists(self.spare_path):
                    _remove_in_background(self.spare_path)
                os.replace(self.staging, self.spare_path)
                self.kept_spare = True
            except OSError as exc:
                self.warnings.append(_after_swap(exc))
                self._discard(self.staging)
            self._discard_trash()
            return
        old = None
        if self.target.exists() or self.target.is_symlink():
            old = self.target.with_name(f".{self.target.name}{_OLD}{os.getpid()}-{os.urandom(4).hex()}")
            os.replace(self.target, old)
        try:
            os.replace(self.staging, self.target)
        except OSError:
            if old is not None:
                os.replace(old, self.target)  # put the old site back: the build failed, it is still live
            raise
        if old is not None:
            try:
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old)
                else:
                    old.unlink()
            except OSError as exc:
                self.warnings.append(_after_swap(exc))
        self._discard_trash()

    def prune(self, reserve: tuple[str, ...] = ()) -> None:
        """Remove from the staging tree now what `commit()` would: afterwards it holds exactly the files
        written or kept so far, so a step that reads the whole new site (the search index) sees nothing
        else. Files of the spare not kept by then are gone; `keep` still links them from the output.

        `reserve`: folders of the output (`pagefind/`) made by the steps about to run: the spare's files
        there stay, so that a step keeps them at no cost (2,000 and more search files a build, thrown away
        and linked again from the output before), and `drop_reserved` removes those it did not keep."""
        self._drop_unclaimed(reserve)
        self._made_dirs.clear()  # folders left empty are gone: make them again when written to

    def drop_reserved(self) -> None:
        """Remove the files `prune(reserve=...)` left that were neither kept nor written since."""
        for relative in self._in_staging:
            try:
                self._throw_away(os.path.join(self._staging, relative))
            except FileNotFoundError:
                pass
        self._in_staging.clear()

    def _discard_trash(self) -> None:
        if self._trash is not None:
            trash, self._trash = Path(self._trash), None
            self._discard(trash)

    def _discard(self, folder: Path) -> None:
        try:
            _remove_in_background(folder)
        except OSError as exc:
            self.warnings.append(_after_swap(exc))

    def _drop_unclaimed(self, reserve: tuple[str, ...] = ()) -> None:
        """Everything in the staging tree the new site did not write or keep: files of the spare that
        the new site does not have (deleted articles, old pages), files added to the output by hand
        (they ride in the spare), and the folders that leaves empty; but for the spare's files under
        `reserve` (see `prune`)."""
        if self._private:
            self._drop_by_name(reserve)
        else:
            self._in_staging = {relative: key for relative, key in self._in_staging.items()
                                if relative.startswith(reserve)} if reserve else {}
            self._sweep(self._staging, "")
        self._swept = True

    def _drop_by_name(self, reserve: tuple[str, ...]) -> None:
        """`_drop_unclaimed` for a private output: the spare's files neither kept nor written (all that is
        unclaimed in a tree nobody else writes to), then the folders that leaves empty."""
        leftovers = [relative for relative in self._in_staging if not (reserve and relative.startswith(reserve))]
        folders = set()
        for relative in leftovers:
            del self._in_staging[relative]
            try:
                self._throw_away(os.path.join(self._staging, relative))
            except FileNotFoundError:
                pass
            folders.add(os.path.dirname(os.path.normpath(relative)))
        for folder in sorted(folders, key=len, reverse=True):  # the deepest first
            while folder:
                try:
                    os.rmdir(os.path.join(self._staging, folder))
                except FileNotFoundError:
                    pass  # removed with a deeper one's parent already
                except OSError:
                    break  # not empty: its parents are not empty either
                folder = os.path.dirname(folder)

    def _sweep(self, folder: str, prefix: str) -> bool:
        """`_drop_unclaimed` for `folder`, the output's `prefix`; True when nothing is left in it."""
        empty = True
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if self._sweep(entry.path, relative + "/"):
                        try:
                            os.rmdir(entry.path)
                            continue
                        except OSError:
                            pass
                    empty = False
                elif relative in self._claimed or relative in self._in_staging:
                    empty = False
                else:
                    try:
                        self._throw_away(entry.path)
                    except OSError:
                        empty = False
        return empty

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self._discard_trash()  # what it cannot remove is left for the next build

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
                _("the output folder {target} would contain or replace {folder}; choose another output "
                  "folder (site.output_dir or --out)").format(target=target, folder=folder)
            )
    if target.exists() and not target.is_dir():
        raise PublisherError(
            _("the output folder {target} is a file; remove it or choose another output folder "
              "(site.output_dir or --out)").format(target=target)
        )
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise PublisherError(
            _("{target} exists and was not written by publish, so it will not be replaced; move it away or "
              "choose another output folder (site.output_dir or --out)").format(target=target)
        )


def output_build_id(target: Path) -> str | None:
    """The id of the build that wrote `target`, or None (no output, or written by an older version)."""
    try:
        first = (target / MARKER).read_text(encoding="utf-8").splitlines()[0]
        return str(json.loads(first)["build"])
    except (OSError, IndexError, ValueError, KeyError, TypeError):
        return None


def spare_path(target: Path) -> Path:
    """Where the spare tree of the output `target` is kept: beside it, `.<name>.spare`."""
    return target.with_name(f".{target.name}{_SPARE}")


def link_spare(target: Path) -> bool:
    """Make the spare of `target` (see the module's docstring) as hard links to its files, when it has none:
    the first build of an output has no spare, so the build after it would make every folder and link of
    the staging tree anew (about a second at 1,000 articles). True when made. A crash midway leaves a
    staging leftover, which the next build removes."""
    target = Path(os.path.abspath(target))
    spare = spare_path(target)
    if os.path.lexists(spare) or not target.is_dir() or target.is_symlink():
        return False
    temporary = tempfile.mkdtemp(prefix=f".{target.name}{_STAGING}", dir=target.parent)
    try:
        for folder, folders, files in os.walk(target):
            here = os.path.join(temporary, os.path.relpath(folder, target))
            for name in folders:
                os.mkdir(os.path.join(here, name))
            for name in files:
                os.link(os.path.join(folder, name), os.path.join(here, name), follow_symlinks=False)
        os.replace(temporary, spare)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        return False
    return True


def _remove_in_background(folder: Path) -> None:
    """Delete a finished-with tree without making the build wait for it.

    Removing thousands of page folders can take seconds on a busy disk; the
    site is already live, so a separate `rm -rf` does it. The tree is first
    renamed to a unique `.<output>.old-*` name, which no build ever uses
    again, so the removal cannot race with a later rename onto `folder`.
    Whatever it leaves (killed, say) is removed by the next build.
    """
    target_name = folder.name.split(_STAGING, 1)[0] if _STAGING in folder.name else folder.name.removesuffix(_SPARE)
    old = folder.with_name(f"{target_name}{_OLD}{os.getpid()}-{os.urandom(6).hex()}")
    os.replace(folder, old)
    try:
        subprocess.Popen(["rm", "-rf", "--", str(old)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def _after_swap(exc: OSError) -> str:
    return _("the new site is in place, but cleaning up the previous one failed ({reason}: {filename}); the next "
             "build removes what is left").format(reason=exc.strerror or exc, filename=exc.filename)


def _remove_leftovers(target: Path) -> None:
    """Staging and old trees of builds that were killed before they finished, removed in the background
    (an old tree may still be being removed by the `rm` of the build that left it: removing it here as
    well would only make this build wait)."""
    for prefix in (_STAGING, _OLD):
        for leftover in target.parent.glob(f".{target.name}{prefix}*"):
            if leftover.is_dir() and not leftover.is_symlink():
                try:
                    _remove_in_background(leftover)
                except OSError:
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
