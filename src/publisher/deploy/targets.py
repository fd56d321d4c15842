"""Where files go: a folder on this machine, or any place the rsync program reaches.

Each target does five things: read the manifest of the last deploy, list
what it holds (for a first deploy, to find stray files), upload files, delete
files, write the manifest. S3 is in `s3.py`. Credentials are never handled
here: ssh and rsync find their own keys and agents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Protocol

from ..fsio import copy_file, write_bytes
from ..errors import PublisherError
from ..i18n import _
from .source import MANIFEST, LocalFile


class DeployError(PublisherError):
    """The target could not be read or written; what was sent so far is safe to send again."""


class Target(Protocol):
    description: str
    """How messages name the target (its URL)."""

    def read_manifest(self) -> bytes | None: ...
    def inventory(self) -> set[str] | None: ...
    def upload(self, files: list[LocalFile], done: Callable[[LocalFile], None]) -> None: ...
    def delete(self, paths: list[str]) -> None: ...
    def write_manifest(self, data: bytes) -> None: ...


class CopyTarget:
    """A folder on this machine (a web server's document root, a mounted share)."""

    def __init__(self, folder: Path, protected: Iterable[Path]):
        self.folder = folder
        self.description = str(folder)
        for path in protected:
            path = path.resolve()
            if folder == path or folder.is_relative_to(path) or path.is_relative_to(folder):
                raise DeployError(_("the target folder {folder} overlaps {path}, part of the site; deploy to a "
                                    "folder outside the site and its output").format(folder=folder, path=path))

    def read_manifest(self) -> bytes | None:
        try:
            return (self.folder / MANIFEST).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise DeployError(_("cannot read {path} ({reason})").format(path=self.folder / MANIFEST,
                                                                       reason=exc.strerror)) from None

    def inventory(self) -> set[str] | None:
        found = set()
        for folder, _folders, files in os.walk(self.folder):
            for name in files:
                relative = os.path.relpath(os.path.join(folder, name), self.folder).replace(os.sep, "/")
                if relative != MANIFEST:
                    found.add(relative)
        return found

    def upload(self, files: list[LocalFile], done: Callable[[LocalFile], None]) -> None:
        for file in files:
            destination = self.folder / file.path
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                # A copy beside the old file, then a rename: a reader sees the old page or the new one.
                copy_file(file.source, destination, mode=0o644)
            except OSError as exc:
                raise DeployError(_("cannot write {path} ({reason}); check that the folder is writable and the "
                                    "disk has room").format(path=destination, reason=exc.strerror)) from None
            done(file)

    def delete(self, paths: list[str]) -> None:
        for relative in paths:
            path = self.folder / relative
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise DeployError(_("cannot delete {path} ({reason})").format(path=path,
                                                                             reason=exc.strerror)) from None
            parent = path.parent
            while parent != self.folder and parent.is_relative_to(self.folder):
                try:
                    parent.rmdir()
                except OSError:
                    break
                parent = parent.parent

    def write_manifest(self, data: bytes) -> None:
        try:
            write_bytes(self.folder / MANIFEST, data)
        except OSError as exc:
            raise DeployError(_("cannot write {path} ({reason})").format(path=self.folder / MANIFEST,
                                                                        reason=exc.strerror)) from None


class RsyncTarget:
    """`user@host:/path` over ssh, an rsync daemon (`rsync://…`), or a local folder, through the rsync program.

    rsync writes each file under a temporary name and renames it, so readers
    never see half a file; files are sent in the order given, one rsync run
    per phase, and deletions are one run of `--delete-missing-args`.
    """

    def __init__(self, url: str):
        if shutil.which("rsync") is None:
            raise DeployError(_("the rsync program is not installed; install it (Debian: apt-get install rsync, "
                                "macOS: brew install rsync)"))
        self.url = url.rstrip("/") + "/"
        self.description = url

    def _run(self, arguments: list[str], *, what: str, allow_missing: bool = False,
             on_line: Callable[[str], None] | None = None) -> bool:
        command = ["rsync", "--protect-args", *arguments]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        assert process.stdout is not None and process.stderr is not None
        try:
            for line in process.stdout:
                if on_line is not None and line.strip():
                    on_line(line.rstrip("\n"))
        except BaseException:
            process.kill()  # interrupted: stop sending; the manifest still says these files are pending
            process.wait()
            raise
        error = process.stderr.read()
        code = process.wait()
        if code == 0:
            return True
        if allow_missing and code == 23 and "No such file" in error:
            return False
        detail = " ".join(error.strip().splitlines()[-2:]) or _("exit status {code}").format(code=code)
        raise DeployError(_("rsync could not {what} {target}: {detail}; check the address, that ssh logs in "
                            "without a password prompt (ssh keys or agent) and that the folder is writable").format(
            what=what, target=self.description, detail=detail))

    def read_manifest(self) -> bytes | None:
        with tempfile.TemporaryDirectory(prefix="publish-deploy-") as temporary:
            if not self._run(["-q", self.url + MANIFEST, temporary + "/"], what=_("read the manifest from"),
                             allow_missing=True):
                return None
            return (Path(temporary) / MANIFEST).read_bytes()

    def inventory(self) -> set[str] | None:
        found: set[str] = set()

        def take(line: str) -> None:
            # `-rw-r--r--          1,234 2025/12/05 09:00:00 ja/slug/index.html`
            parts = line.split(None, 4)
            if len(parts) == 5 and parts[0].startswith("-") and parts[4] != MANIFEST:
                found.add(parts[4])

        if not self._run(["-r", "-8", "--list-only", self.url], what=_("list"), allow_missing=True, on_line=take):
            return set()
        return found

    def upload(self, files: list[LocalFile], done: Callable[[LocalFile], None]) -> None:
        if not files:
            return
        root = files[0].source.parents[len(Path(files[0].path).parts) - 1]
        by_path = {f.path: f for f in files}
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="publish-deploy-", suffix=".list") as listing:
            listing.write("\0".join(by_path) + "\0")
            listing.flush()
            self._run(["-lptI", "--chmod=D755,F644", "--mkpath", "--from0", f"--files-from={listing.name}",
                       "--out-format=%n", str(root) + "/", self.url], what=_("upload to"),
                      on_line=lambda name: done(by_path[name]) if name in by_path else None)

    def delete(self, paths: list[str]) -> None:
        if not paths:
            return
        with tempfile.TemporaryDirectory(prefix="publish-deploy-") as empty, \
                tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="publish-deploy-", suffix=".list") as listing:
            listing.write("\0".join(paths) + "\0")
            listing.flush()
            for path in paths:  # their folders exist on this side, the files do not: each becomes a deletion
                (Path(empty) / path).parent.mkdir(parents=True, exist_ok=True)
            self._run(["--delete-missing-args", "--from0",
                       f"--files-from={listing.name}", empty + "/", self.url], what=_("delete files on"))

    def write_manifest(self, data: bytes) -> None:
        with tempfile.TemporaryDirectory(prefix="publish-deploy-") as temporary:
            (Path(temporary) / MANIFEST).write_bytes(data)
            self._run(["-qtI", "--chmod=F644", "--mkpath", str(Path(temporary) / MANIFEST), self.url],
                      what=_("write the manifest to"))
