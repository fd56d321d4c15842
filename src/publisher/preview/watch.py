"""Watching the site's inputs with watchfiles: articles, templates, assets, data and the config.

watchfiles (Rust `notify`: inotify on Linux, FSEvents on macOS) reports changes
as they happen and groups a burst of them: an editor saving a file as a temp
file plus a rename, or a `git checkout` touching fifty files, arrives as one
batch (`step`: the quiet time that ends a batch, `debounce`: the longest a batch
may grow). What is not an input -- editor swap and backup files, hidden files
and folders (`.publisher/`, `.git`, `.import-*`), the output folders -- is left
out before it can trigger a rebuild.

Folders are watched recursively; single files (`publisher.toml`,
`glossary.csv`, the ranking export) through their folder, not recursively,
since an editor that saves by rename replaces the file's inode and a watch on
the file itself would go quiet after the first save.
"""

from __future__ import annotations

import os
import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..config import SiteConfig

#: File names that are never inputs: editor swap, backup and lock files, downloads in progress.
IGNORED_NAMES = re.compile(
    r"""(^\.)          # hidden: .ja.md.swp, .#ja.md (Emacs lock), .DS_Store, .publisher, .git
      | (~$)           # backups: ja.md~
      | (^\#.*\#$)     # Emacs auto-save: #ja.md#
      | (\.sw[a-p]$)   # Vim swap files
      | (^4913$)       # Vim's write test
      | (\.(tmp|temp|bak|orig|rej|crdownload|part|kate-swp)$)
      | (___jb_(tmp|old|bak)___$)   # JetBrains safe write
      | (^__pycache__$) | (\.py[cod]$)
      | (^node_modules$)
    """, re.VERBOSE)

#: Files at the site's root that matter besides `publisher.toml` and the ranking export.
ROOT_FILES = ("glossary.csv",)


@dataclass(frozen=True)
class WatchPlan:
    """What to watch for one configuration."""

    folders: tuple[Path, ...]
    """Watched recursively: content, templates, assets, the ranking export's folder (outer folders only)."""
    files: tuple[Path, ...]
    """Single files, watched through their folder: publisher.toml, glossary.csv, the ranking export."""
    ignored: tuple[Path, ...]
    """Folders whose changes never count: the build outputs and the cache."""

    @classmethod
    def of(cls, config: SiteConfig, *, outputs: Iterable[Path] = ()) -> "WatchPlan":
        folders = [config.content_dir, config.templates_dir, config.assets_dir]
        files = [config.config_path, *(config.root / name for name in ROOT_FILES)]
        if config.ranking is not None:
            files.append(config.ranking.file)
            if config.ranking.file.parent != config.root:
                folders.append(config.ranking.file.parent)
        resolved = sorted({_real(folder) for folder in folders}, key=lambda p: len(p.parts))
        outer: list[Path] = []
        for folder in resolved:
            if not any(folder.is_relative_to(parent) for parent in outer):
                outer.append(folder)
        ignored = [config.output_dir, *outputs, config.root / ".publisher"]
        if config.cache_dir is not None:
            ignored.append(config.cache_dir)
        return cls(folders=tuple(outer), files=tuple(dict.fromkeys(_real(f) for f in files)),
                   ignored=tuple(dict.fromkeys(_real(p) for p in ignored)))

    def is_input(self, path: str | os.PathLike[str]) -> bool:
        """Whether a change of `path` can change the site (and so triggers a rebuild)."""
        path = Path(os.path.abspath(path))
        if any(path == ignored or path.is_relative_to(ignored) for ignored in self.ignored):
            return False
        if path in self.files:
            return True
        for folder in self.folders:
            if path.is_relative_to(folder):
                relative = path.relative_to(folder).parts
                return bool(relative) and not any(IGNORED_NAMES.search(part) for part in relative)
        return False

    @property
    def file_folders(self) -> tuple[Path, ...]:
        """Folders watched (not recursively) for the single files not already under a watched folder."""
        return tuple(dict.fromkeys(f.parent for f in self.files
                                   if not any(f.is_relative_to(folder) for folder in self.folders)))


def settled(batch: Iterable[tuple[object, str]]) -> frozenset[Path]:
    """The paths of a watchfiles batch, less those that came and went within it (a tool's temp file)."""
    from watchfiles import Change

    kinds: dict[str, set] = {}
    for change, path in batch:
        kinds.setdefault(path, set()).add(change)
    return frozenset(Path(path) for path, seen in kinds.items()
                     if not (Change.added in seen and Change.deleted in seen and not os.path.lexists(path)))


def article_folders(paths: Iterable[Path], content_dir: Path) -> frozenset[str] | None:
    """The names of the article folders that hold the changed `paths` (watched paths, real ones); None when
    any path is not inside an article folder: a folder itself, a template, an asset, the configuration
    (then every folder must be looked at)."""
    content = _real(content_dir)
    names = set()
    for path in paths:
        if not path.is_relative_to(content):
            return None
        relative = path.relative_to(content).parts
        if len(relative) < 2:  # the content folder, or a folder in it made, removed or renamed
            return None
        names.add(relative[0])
    return frozenset(names)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


class SiteWatcher:
    """Puts each batch of changed input paths on `changes` until stopped (threads; `start()`, `stop()`)."""

    def __init__(self, plan: WatchPlan, *, step_ms: int = 30, debounce_ms: int = 1000):
        # 30 ms of quiet ends a batch: an editor's temp file and rename come within a few milliseconds,
        # and every step added here is waited for after every save (it was 100 ms).
        self.plan = plan
        self.changes: "queue.Queue[frozenset[Path]]" = queue.Queue()
        """One set of changed input files per batch."""
        self.step_ms = step_ms
        self.debounce_ms = debounce_ms
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start watching; returns once every watch is in place."""
        groups = [(tuple(p for p in self.plan.folders if p.is_dir()), True),
                  (tuple(p for p in self.plan.file_folders if p.is_dir()), False)]
        groups = [(paths, recursive) for paths, recursive in groups if paths]
        started = []
        for paths, recursive in groups:
            ready = threading.Event()
            thread = threading.Thread(target=self._run, args=(paths, recursive, ready), daemon=True,
                                      name=f"preview-watch{'-tree' if recursive else '-files'}")
            thread.start()
            self._threads.append(thread)
            started.append(ready)
        for ready in started:
            ready.wait(10)

    def _run(self, paths: tuple[Path, ...], recursive: bool, ready: threading.Event) -> None:
        from watchfiles import watch

        def accept(change, path: str) -> bool:
            return self.plan.is_input(path)

        # watchfiles yields nothing until something changes: its first wait starts within a few
        # milliseconds of the call (yield_on_timeout lets us know the watch is in place).
        try:
            for batch in watch(*paths, watch_filter=accept, step=self.step_ms, debounce=self.debounce_ms,
                               stop_event=self._stop, rust_timeout=200, yield_on_timeout=True,
                               raise_interrupt=False, recursive=recursive, ignore_permission_denied=True):
                ready.set()
                changed = settled(batch)
                if changed:
                    self.changes.put(changed)
        finally:
            ready.set()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
