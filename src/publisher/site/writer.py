"""Writing the output folder: everything goes to a staging folder first, then
replaces the old output in one step, so a failed or interrupted build leaves
the previous site whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import PublisherError

#: Written into every output folder; its presence is what lets a later build
#: replace the folder (we never delete a folder publish did not make).
MARKER = ".publisher-output"


class OutputWriter:
    """Collects files in a staging folder beside `target`; `commit()` swaps it in."""

    def __init__(self, target: Path, protected: tuple[Path, ...]):
        self.target = target.resolve()
        for folder in protected:
            folder = folder.resolve()
            if self.target == folder or folder.is_relative_to(self.target):
                raise PublisherError(
                    f"the output folder {self.target} would contain or replace {folder}; "
                    "choose another output folder (site.output_dir or --out)"
                )
        if self.target.exists() and not self.target.is_dir():
            raise PublisherError(
                f"the output folder {self.target} is a file; remove it or choose another output folder "
                "(site.output_dir or --out)"
            )
        if self.target.exists() and any(self.target.iterdir()) and not (self.target / MARKER).exists():
            raise PublisherError(
                f"{self.target} exists and was not written by publish, so it will not be replaced; "
                "move it away or choose another output folder (site.output_dir or --out)"
            )
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.staging-", dir=self.target.parent))
        self.files_written = 0

    def write_text(self, relative: str, text: str) -> None:
        path = self._path(relative)
        path.write_text(text, encoding="utf-8")
        self.files_written += 1

    def copy_file(self, source: Path, relative: str) -> None:
        path = self._path(relative)
        shutil.copyfile(source, path)
        self.files_written += 1

    def copy_tree(self, source: Path, relative: str) -> None:
        if not source.is_dir():
            return
        for file in sorted(source.rglob("*")):
            if file.is_file() and not any(part.startswith(".") for part in file.relative_to(source).parts):
                self.copy_file(file, f"{relative}/{file.relative_to(source).as_posix()}")

    def _path(self, relative: str) -> Path:
        path = (self.staging / relative).resolve()
        if not path.is_relative_to(self.staging.resolve()):
            raise PublisherError(f"refusing to write {relative!r} outside the output folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def commit(self) -> None:
        """Put the staged site in place of the old one."""
        (self.staging / MARKER).write_text("written by publish build; this folder is replaced on each build\n")
        os.chmod(self.staging, 0o755)
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
            os.replace(self.target, old)
        os.replace(self.staging, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> "OutputWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
