"""The folder to deploy: is it a whole, current build of the right kind, and what does it hold.

A deploy publishes exactly what `publish build` wrote, so before anything is
sent the folder's stamp (`site/stamp.py`) must say: written by a build of
the kind the target takes, every file still there, made from the articles,
templates and configuration as they are now, and (production) no release
time passed since it was built.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from ..cache import Cache
from ..config import SiteConfig
from ..config.deploy import DeployTarget
from ..content import Status, load_site, scan_content
from ..errors import PublisherError
from ..i18n import _
from ..site.stamp import OutputStamp, read_stamp, sources_digest
from ..site.writer import MARKER
from .headers import cache_control, compressible, compressed, content_type

#: The record of the last deploy, kept with the target (never in the output folder).
MANIFEST = ".publisher-deploy.json"

Phase = Literal["media", "pages", "indexes"]
#: Upload order: a reader never gets a page whose images are missing, nor a feed entry whose page is.
PHASES: tuple[Phase, ...] = ("media", "pages", "indexes")
_LAST = frozenset({"sitemap.xml", "robots.txt", "releases.json", "_redirects"})


class DeployRefused(PublisherError):
    """The folder is not something this target may receive."""


@dataclass(frozen=True)
class LocalFile:
    """One file of the output, with the headers it will be served with."""

    path: str
    """Relative path in the output, with `/` (the key under the target's prefix)."""
    source: Path
    """The file on disk."""
    size: int
    """Bytes on disk (before any compression)."""
    sha256: str
    """Hash of its bytes."""
    content_type: str
    """Content-Type header."""
    cache_control: str
    """Cache-Control header."""
    gzip: bool
    """Sent gzip-compressed with `Content-Encoding: gzip`."""
    phase: Phase
    """When it is sent: media first, then pages, then feeds, sitemap and releases.json."""

    @property
    def key(self) -> str:
        """What the manifest remembers: equal keys, nothing to send."""
        return f"{self.sha256} {self.content_type}|{self.cache_control}|{'gzip' if self.gzip else ''}"

    def body(self) -> bytes:
        """The bytes to send (compressed when `gzip`)."""
        data = self.source.read_bytes()
        if self.gzip:
            packed = compressed(self.path, data)
            return packed if packed is not None else data
        return data


def phase_of(path: str) -> Phase:
    name = path.rsplit("/", 1)[-1]
    if path in _LAST or name.endswith(".xml"):
        return "indexes"
    if name.endswith(".html"):
        return "pages"
    return "media"


def deploy_folder(config: SiteConfig, target: DeployTarget, folder: Path | None) -> Path:
    """The output folder a target takes: `--from`, else the target's `folder`, else `site.output_dir`."""
    return Path(os.path.abspath(folder or target.folder or config.output_dir))


def check_build(config: SiteConfig, target: DeployTarget, out_dir: Path, now: datetime) -> OutputStamp:
    """Refuse a folder that is not a whole, current build of the kind `target` takes."""
    build = "publish build --preview --out DIR" if target.preview else "publish build"
    stamp = read_stamp(out_dir, MARKER)
    if not out_dir.is_dir():
        raise DeployRefused(_("{folder} does not exist; run `{build}` first").format(folder=out_dir, build=build))
    if stamp is None:
        raise DeployRefused(_("{folder} was not written by this version of `publish build` (its marker file "
                              "{marker} is missing or old); run `{build}` first").format(
            folder=out_dir, marker=MARKER, build=build))
    if target.preview and stamp.kind != "preview":
        raise DeployRefused(_("{target} is a preview target and takes only the output of "
                              "`publish build --preview --out DIR`, but {folder} is a {kind} build; build the "
                              "preview and deploy that folder").format(target=target.name, folder=out_dir,
                                                                       kind=stamp.kind))
    if not target.preview and stamp.kind != "production":
        raise DeployRefused(_("{folder} holds drafts or scheduled pages (a {kind} build) and {target} is a "
                              "production target; deploy the output of `publish build` (dist/), or mark the target "
                              "preview = true").format(folder=out_dir, kind=stamp.kind, target=target.name))
    count = sum(1 for _ in _walk(out_dir))
    if count != stamp.files:
        raise DeployRefused(_("{folder} is incomplete or was changed after the build: it holds {count} files where "
                              "the build wrote {written}; run `{build}` again and do not edit the output by "
                              "hand").format(folder=out_dir, count=count, written=stamp.files, build=build))
    if sources_digest(config, scan_content(config)) != stamp.sources:
        raise DeployRefused(_("{folder} is older than the articles, templates or publisher.toml (they changed after "
                              "it was built); run `{build}` first").format(folder=out_dir, build=build))
    if stamp.kind == "production":
        try:
            built_at = datetime.fromisoformat(stamp.built_at)
        except ValueError:
            raise DeployRefused(_("{folder}: its marker file is damaged; run `{build}` again").format(
                folder=out_dir, build=build)) from None
        loaded = load_site(config, Cache(config.cache_folder))
        for article in loaded.site.articles:
            if article.source.status is Status.PUBLISHED and built_at < article.publish_at <= now:
                raise DeployRefused(
                    _("{folder} was built as of {built}, before {slug} was released ({released}), so it lacks "
                      "that article; run `{build}` first").format(
                        folder=out_dir, built=built_at.isoformat(), slug=article.slug,
                        released=article.publish_at.astimezone(config.timezone).isoformat(), build=build))
    return stamp


def _walk(out_dir: Path):
    """Relative paths of every file in the output, the marker left out."""
    base = str(out_dir)
    for folder, folders, files in os.walk(base):
        folders.sort()
        for name in sorted(files):
            relative = os.path.relpath(os.path.join(folder, name), base).replace(os.sep, "/")
            if relative not in (MARKER, MANIFEST):
                yield relative


def local_files(out_dir: Path, target: DeployTarget) -> list[LocalFile]:
    """Every file to publish, in upload order."""
    files = []
    for relative in _walk(out_dir):
        source = out_dir / relative
        with open(source, "rb") as handle:
            sha = hashlib.file_digest(handle, "sha256").hexdigest()
        gzip = (target.precompress and compressible(relative)
                and compressed(relative, source.read_bytes()) is not None)
        files.append(LocalFile(path=relative, source=source, size=source.stat().st_size, sha256=sha,
                               content_type=content_type(relative),
                               cache_control=cache_control(relative, target.cache_control),
                               gzip=gzip, phase=phase_of(relative)))
    files.sort(key=lambda f: (PHASES.index(f.phase), f.path))
    return files
