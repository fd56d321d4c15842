"""What the previous build of an output folder wrote, so the next one can skip work.

Kept in the cache, one file per output folder. It is tied to the output by
the build id in the output's marker file: if someone removes or replaces the
output, the ids differ and the next build starts cold.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import fsio
from ..cache import Cache, digest
from ..errors import Problem


@dataclass
class BuildState:
    build_id: str
    """Also written into the output's marker file."""
    inputs: str
    """Hash of everything the output depends on (equal: nothing to do)."""
    files: dict[str, str]
    """Output path -> key of its content (page record hash, data hash, source file stamp)."""
    live: list[str]
    """`slug/lang` of every live page, to find what went live since."""
    releases: list[dict] = field(default_factory=list)
    """Recent releases, newest first (kept for `releases.json`)."""
    warnings: list[Problem] = field(default_factory=list)
    """Build warnings (the ranking file, ...), repeated when a later build has nothing to do."""
    page_count: int = 0
    """HTML pages in the output."""
    built_at: str | None = None
    """`now` of that build (ISO 8601)."""
    instants: list[str] = field(default_factory=list)
    """Every release instant of the content (ISO 8601): crossing one changes what is live."""
    live_count: int = 0
    """Live article pages."""
    preview_count: int = 0
    """Article pages in the build only as previews."""
    live_articles: int = 0
    """Articles with at least one live page."""
    listing: str = ""
    """Hash of what pages show about other articles (see `inputs.SiteInputs.listing_parts`)."""
    page_inputs: dict[str, str] = field(default_factory=dict)
    """Page path -> hash of its inputs: for an article page, its own article's files, body and PDF, and what
    it shows of other articles (related, ranking, tag names); for a list page, the site's inputs and what it
    shows of the articles it lists (and of the ranked ones); equal inputs, equal page."""
    pages: list[str] = field(default_factory=list)
    """Every HTML page of the output."""
    spare_files: dict[str, str] | None = None
    """What the spare tree beside the output holds (see `writer.py`), or None when there is none."""
    spare_build_id: str | None = None
    """The build that wrote the spare tree."""
    memos: dict[str, dict] = field(default_factory=dict)
    """Contributor name -> what its `after_write` step remembers for the next build (`AfterWrite.memo`)."""


def _path(cache: Cache, out_dir: Path) -> Path:
    return cache.folder / "state" / f"{digest(str(out_dir.absolute()))}.json"


def load(cache: Cache, out_dir: Path) -> BuildState | None:
    """The state the last build of `out_dir` saved; None when there is none or it cannot be read. A session
    with a memory (the preview) gets the one it saved itself while the file is as it left it, not parsed
    again on every rebuild (callers never change a loaded state)."""
    path = _path(cache, out_dir)
    try:
        with open(path, "rb") as handle:
            held = _held(cache, path, os.fstat(handle.fileno()))
            if held is not None:
                return held
            data = json.loads(handle.read().decode("utf-8"))
        data["warnings"] = [Problem(Path(w["path"]) if w["path"] else None, w["line"], w["field"], w["message"],
                                    w["severity"]) for w in data.get("warnings", [])]
        return BuildState(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save(cache: Cache, out_dir: Path, state: BuildState) -> None:
    data = dict(state.__dict__)
    data["warnings"] = [{"path": str(w.path) if w.path else None, "line": w.line, "field": w.field,
                         "message": w.message, "severity": w.severity} for w in state.warnings]
    path = _path(cache, out_dir)
    try:
        fsio.write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), sync=False)
        if cache.memory is not None:
            cache.memory.parsed[str(path)] = (_stamp(path.stat()), state)
    except OSError:
        pass  # the next build is a cold one; the output is already complete


def _stamp(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_mtime_ns, info.st_size, info.st_ino


def _held(cache: Cache, path: Path, info: os.stat_result) -> BuildState | None:
    """The state this session saved at `path`, if the file is still the one it wrote."""
    if cache.memory is None:
        return None
    held = cache.memory.parsed.get(str(path))
    return held[1] if held is not None and held[0] == _stamp(info) else None


def forget(cache: Cache, out_dir: Path) -> None:
    """Drop what is remembered about `out_dir` (a temporary output, such as the preview server's, is gone)."""
    path = _path(cache, out_dir)
    path.unlink(missing_ok=True)
    if cache.memory is not None:
        cache.memory.parsed.pop(str(path), None)
