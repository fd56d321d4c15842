"""What an output folder says about the build that wrote it.

The marker file of every output (`writer.MARKER`) carries a stamp: which kind
of build it is (production, preview, drafts), the instant it was built as of,
how many files it holds and a digest of the sources it was made from. A tool
that takes the output elsewhere (`publish deploy`) reads the stamp to refuse a
preview where production belongs, a folder someone has added to or removed
from, or a build older than the articles.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..cache import digest, tree_digest
from ..config import SiteConfig
from ..content import ContentScan
from .options import BuildOptions

OutputKind = Literal["production", "preview", "drafts"]


@dataclass(frozen=True)
class OutputStamp:
    """The stamp of one output folder, as its marker file holds it."""

    build_id: str
    """The build that wrote the folder (also keys the build state in the cache)."""
    kind: OutputKind
    """`production` (live pages only), `preview` (`build --preview`) or `drafts` (`--drafts`/`--future`)."""
    built_at: str
    """The instant the site was built as of (`--now` or the clock), ISO 8601 with its offset."""
    files: int
    """Files in the folder, the marker left out."""
    sources: str
    """`sources_digest` of the site the build read."""


def output_kind(options: BuildOptions) -> OutputKind:
    """The kind of output a build with `options` writes."""
    if not options.is_preview:
        return "production"
    return "preview" if options.extra_files is not None else "drafts"


def sources_digest(config: SiteConfig, scan: ContentScan) -> str:
    """Everything an output is made from that a person edits: articles, publisher.toml, templates,
    assets and the ranking file. Equal digests: the output is as current as the sources."""
    ranking = ""
    if config.ranking is not None:
        try:
            ranking = digest(config.ranking.file.read_bytes())
        except OSError:
            ranking = "<none>"
    return digest(_config_digest(config.config_path), tree_digest(config.templates_dir),
                  tree_digest(config.assets_dir), ranking, scan.fingerprint)


def _config_digest(path: Path) -> str:
    """publisher.toml without its `[deploy.*]` tables: adding a target does not make a build stale."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "<unreadable>"
    data.pop("deploy", None)
    return digest(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str))


def stamp_fields(kind: OutputKind, built_at: str, files: int, sources: str) -> dict[str, object]:
    """The marker's fields besides the build id (see `writer.OutputWriter.commit`)."""
    return {"kind": kind, "built_at": built_at, "files": files, "sources": sources}


def read_stamp(out_dir: Path, marker: str) -> OutputStamp | None:
    """The stamp in `out_dir`'s marker file, or None (no marker, or written before stamps existed)."""
    try:
        data = json.loads((out_dir / marker).read_text(encoding="utf-8").splitlines()[0])
        stamp = OutputStamp(build_id=str(data["build"]), kind=data["kind"], built_at=str(data["built_at"]),
                            files=int(data["files"]), sources=str(data["sources"]))
    except (OSError, IndexError, ValueError, KeyError, TypeError):
        return None
    return stamp if stamp.kind in ("production", "preview", "drafts") else None
