"""`publish deploy`: send what changed in the output to a target, in an order readers can't trip over.

1. check the folder is a whole, current build of the kind the target takes
   (`source.py`); hash every file;
2. read the target's manifest (what the last deploy sent, by content hash
   and headers); without one, list the target to find stray files;
3. plan: new and changed files to upload, files that are gone to delete;
   refuse more deletions than `max_deletes` unless told `yes`;
4. mark the manifest "in progress" with the files about to change, upload
   media, then pages, then feeds, sitemap and releases.json, delete, and
   write the final manifest -- so a deploy that fails half-way leaves a
   manifest from which the next one finishes the job;
5. run the CDN invalidation command with the changed paths.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlsplit

from ..config import SiteConfig
from ..config.deploy import DeployTarget
from ..errors import PublisherError
from ..i18n import _
from .source import DeployRefused, LocalFile, check_build, deploy_folder, local_files
from .targets import CopyTarget, DeployError, RsyncTarget, Target

#: `progress(done, total)` as files are sent and deleted.
Progress = Callable[[int, int], None]

_FORMAT = 1


@dataclass(frozen=True)
class DeployOptions:
    now: datetime
    """The current instant (a release passed since the build makes the build stale)."""
    dry_run: bool = False
    """Plan and report; change nothing on the target."""
    yes: bool = False
    """Go ahead with more deletions than `max_deletes`."""
    folder: Path | None = None
    """The output folder to deploy; None: the target's `folder`, else `site.output_dir`."""


@dataclass(frozen=True)
class DeployPlan:
    """What one deploy sends and deletes."""

    target: DeployTarget
    """Where it goes."""
    folder: Path
    """The output folder it comes from."""
    uploads: tuple[LocalFile, ...]
    """New and changed files, in upload order (media, pages, then feeds, sitemap, releases.json)."""
    new: frozenset[str]
    """Those of `uploads` the target did not have."""
    deletes: tuple[str, ...]
    """Files the target has that the output no longer holds."""
    unchanged: int
    """Files already on the target with the same bytes and headers."""
    first: bool
    """No manifest was found on the target (a first deploy, or one made by other means)."""

    @property
    def upload_bytes(self) -> int:
        return sum(f.size for f in self.uploads)

    @property
    def over_cap(self) -> bool:
        """More deletions than the target's `max_deletes`: refused without `yes`."""
        return len(self.deletes) > self.target.max_deletes

    @property
    def nothing_to_do(self) -> bool:
        return not self.uploads and not self.deletes


@dataclass(frozen=True)
class DeployReport:
    plan: DeployPlan
    """What was (or, in a dry run, would be) done."""
    dry_run: bool
    """Nothing was changed on the target."""
    seconds: float
    """Time taken."""
    invalidated: tuple[str, ...] = ()
    """URL paths handed to the invalidation command."""


def open_target(config: SiteConfig, target: DeployTarget, folder: Path) -> Target:
    """The client for `target`'s kind of storage."""
    if target.method == "s3":
        from .s3 import S3Target
        return S3Target(target)
    if target.method == "rsync" and target.local_path is None:
        return RsyncTarget(target.url)
    assert target.local_path is not None
    protected = (config.root, config.content_dir, config.templates_dir, config.assets_dir, config.output_dir, folder)
    if target.method == "rsync":
        CopyTarget(target.local_path, protected)  # the same refusal of folders inside the site
        return RsyncTarget(str(target.local_path))
    return CopyTarget(target.local_path, protected)


def choose_target(config: SiteConfig, name: str | None) -> DeployTarget:
    """The target called `name`, or the only one when none is named."""
    names = ", ".join(config.deploy) or _("none")
    if name is None:
        if len(config.deploy) == 1:
            return next(iter(config.deploy.values()))
        if not config.deploy:
            raise PublisherError(_("no deploy target in {config}; add one, such as [deploy.production] with "
                                   "url = \"s3://bucket/prefix\" (see README, Deploying)").format(
                config=config.config_path.name))
        raise PublisherError(_("several deploy targets are configured ({names}); name one: publish deploy "
                               "TARGET").format(names=names))
    if name not in config.deploy:
        raise PublisherError(_("no deploy target called {name!r} in {config} (targets: {names}); check the name "
                               "or add [deploy.{name}]").format(name=name, config=config.config_path.name,
                                                                names=names))
    return config.deploy[name]


def plan_deploy(config: SiteConfig, target: DeployTarget, client: Target, options: DeployOptions
                ) -> tuple[DeployPlan, dict[str, str]]:
    """The plan, and the manifest found on the target (path -> key)."""
    folder = deploy_folder(config, target, options.folder)
    check_build(config, target, folder, options.now)
    files = local_files(folder, target)
    manifest = _parse_manifest(client.read_manifest())
    if manifest is None:
        remote = {path: "" for path in (client.inventory() or set())}
    else:
        remote = manifest
    local = {f.path for f in files}
    uploads = tuple(f for f in files if remote.get(f.path) != f.key)
    plan = DeployPlan(target=target, folder=folder, uploads=uploads,
                      new=frozenset(f.path for f in uploads if f.path not in remote),
                      deletes=tuple(sorted(set(remote) - local)), unchanged=len(files) - len(uploads),
                      first=manifest is None)
    return plan, remote


def deploy_site(config: SiteConfig, target: DeployTarget, options: DeployOptions,
                progress: Progress | None = None) -> DeployReport:
    started = time.perf_counter()
    folder = deploy_folder(config, target, options.folder)
    client = open_target(config, target, folder)
    plan, remote = plan_deploy(config, target, client, options)
    if options.dry_run:
        return DeployReport(plan=plan, dry_run=True, seconds=time.perf_counter() - started)
    if plan.over_cap and not options.yes:
        raise DeployRefused(
            _("this deploy would delete {count} files from {target} ({url}), more than max_deletes = {limit}; "
              "look at the list with --dry-run, then run again with --yes if that is intended (or raise "
              "max_deletes in [deploy.{target}])").format(count=len(plan.deletes), target=target.name,
                                                          url=target.url, limit=target.max_deletes))
    if plan.nothing_to_do:
        return DeployReport(plan=plan, dry_run=False, seconds=time.perf_counter() - started)

    # The manifest first says which files are about to change: if the deploy stops half-way, the next one
    # sends them again (and deletes any that are gone by then), whatever state they were left in.
    pending = dict(remote)
    pending.update({f.path: "" for f in plan.uploads})
    client.write_manifest(_manifest_bytes(pending, options.now, complete=False))
    total, done = len(plan.uploads) + len(plan.deletes), 0

    def advance(_: object = None) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    for phase in ("media", "pages", "indexes"):
        batch = [f for f in plan.uploads if f.phase == phase]
        if batch:
            client.upload(batch, advance)
    if plan.deletes:
        client.delete(list(plan.deletes))
        for _path in plan.deletes:
            advance()
    client.write_manifest(_manifest_bytes(_final(remote, plan), options.now, complete=True))
    invalidated = invalidate(config, target, plan) if target.invalidate else ()
    return DeployReport(plan=plan, dry_run=False, seconds=time.perf_counter() - started, invalidated=invalidated)


def _final(remote: dict[str, str], plan: DeployPlan) -> dict[str, str]:
    gone = set(plan.deletes)
    final = {path: key for path, key in remote.items() if path not in gone}
    final.update({f.path: f.key for f in plan.uploads})
    return dict(sorted(final.items()))


def _parse_manifest(data: bytes | None) -> dict[str, str] | None:
    if data is None:
        return None
    try:
        parsed = json.loads(data)
        files = parsed["files"]
        if parsed.get("format") == _FORMAT and isinstance(files, dict):
            return {str(path): str(key) for path, key in files.items()}
    except (ValueError, KeyError, TypeError):
        pass
    return None  # damaged or from another version: treated as a first deploy (everything is sent again)


def _manifest_bytes(files: dict[str, str], now: datetime, *, complete: bool) -> bytes:
    return json.dumps({"format": _FORMAT, "written_by": "publish deploy", "deployed_at": now.isoformat(),
                       "complete": complete, "files": files}, ensure_ascii=False, indent=0).encode("utf-8")


def changed_urls(config: SiteConfig, plan: DeployPlan) -> tuple[str, ...]:
    """URL paths of every file sent or deleted (a page also as its folder URL), for a CDN to forget."""
    base = urlsplit(config.base_url).path or "/"
    paths: list[str] = []
    for relative in [f.path for f in plan.uploads] + list(plan.deletes):
        url = base + quote(relative)
        paths.append(url)
        if relative == "index.html" or relative.endswith("/index.html"):
            paths.append(url[: -len("index.html")])
    return tuple(dict.fromkeys(paths))


def invalidate(config: SiteConfig, target: DeployTarget, plan: DeployPlan) -> tuple[str, ...]:
    """Run the target's invalidation command with the changed URL paths (`{paths}`, else at the end;
    also one a line on its standard input)."""
    paths = changed_urls(config, plan)
    if not paths:
        return ()
    command: list[str] = []
    for argument in target.invalidate:
        command.extend(paths if argument == "{paths}" else [argument])
    if "{paths}" not in target.invalidate:
        command.extend(paths)
    try:
        result = subprocess.run(command, input="\n".join(paths) + "\n", text=True, capture_output=True,
                                timeout=600, cwd=config.root)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DeployError(_("the files are deployed, but the invalidation command {command!r} could not run "
                            "({reason}); check `invalidate` in [deploy.{target}] and run it by hand").format(
            command=target.invalidate[0], reason=exc, target=target.name)) from None
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-2:]) or _("exit status {code}").format(
            code=result.returncode)
        raise DeployError(_("the files are deployed, but the invalidation command failed ({detail}); the CDN may "
                            "serve old copies until it expires them: run the command again by hand").format(
            detail=detail))
    return paths
