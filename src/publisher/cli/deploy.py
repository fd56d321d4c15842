"""`publish deploy`: publish the built site to a configured target."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..i18n import _
from ..schedule import parse_instant
from .common import byte_size, config_option, counting_bar, load, reports_errors, shown


@click.command()
@config_option
@click.argument("target_name", metavar="[TARGET]", required=False)
@click.option("--dry-run", is_flag=True, help="Print what would be uploaded and deleted; change nothing.")
@click.option("--yes", is_flag=True, help="Go ahead even when more files would be deleted than max_deletes.")
@click.option("--from", "folder", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder to deploy (default: the target's `folder`, else site.output_dir, i.e. dist/).")
@click.option("--now", "now_text", metavar="DATETIME",
              help="The current instant for the staleness check (ISO 8601; no offset = site time); "
                   "use the same value as `publish build --now`. Default: the clock.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, only the summary and problems.")
@reports_errors
def deploy(config_path: Path | None, target_name: str | None, dry_run: bool, yes: bool, folder: Path | None,
           now_text: str | None, quiet: bool) -> None:
    """Publish the built site (dist/) to TARGET, a [deploy.TARGET] table of publisher.toml: only what changed."""
    from ..deploy import DeployOptions, choose_target, deploy_site

    config = load(config_path)
    target = choose_target(config, target_name)
    now = parse_instant(now_text, config.timezone) if now_text else datetime.now(timezone.utc)
    options = DeployOptions(now=now, dry_run=dry_run, yes=yes, folder=folder)
    try:
        with counting_bar(_("deploying to {target}").format(target=target.name), enabled=not quiet and not dry_run and sys.stderr.isatty()) \
                as progress:
            report = deploy_site(config, target, options, progress=progress)
    except KeyboardInterrupt:
        click.echo(_("interrupted; {target} may hold part of this deploy: run `publish deploy {target}` "
                     "again to finish it").format(target=target.name), err=True)
        sys.exit(130)
    plan = report.plan
    if dry_run:
        for file in plan.uploads:
            mark = "+" if file.path in plan.new else "~"
            click.echo(f"{mark} {file.path}  ({byte_size(file.size)}, {file.content_type}, {file.cache_control}"
                       f"{', gzip' if file.gzip else ''})")
        for path in plan.deletes:
            click.echo(f"- {path}")
        click.echo(_("dry run: would upload {uploads} file(s) ({size}), delete {deletes}, leave {unchanged} "
                     "unchanged on {target} ({url}); nothing was changed").format(
            uploads=len(plan.uploads), size=byte_size(plan.upload_bytes), deletes=len(plan.deletes),
            unchanged=plan.unchanged, target=target.name, url=target.url))
        if plan.over_cap and not yes:
            click.echo(_("note: {deletes} deletions are more than max_deletes = {limit}: the deploy itself needs "
                         "--yes").format(deletes=len(plan.deletes), limit=target.max_deletes), err=True)
        return
    if plan.nothing_to_do:
        click.echo(_("{target} ({url}) is up to date with {folder}/: {unchanged} files, nothing sent "
                     "({seconds:.2f}s)").format(target=target.name, url=target.url, folder=shown(plan.folder),
                                               unchanged=plan.unchanged, seconds=report.seconds))
        return
    click.echo(_("deployed {folder}/ to {target} ({url}): {uploads} uploaded ({size}), {deletes} deleted, "
                 "{unchanged} unchanged, in {seconds:.2f}s").format(
        folder=shown(plan.folder), target=target.name, url=target.url, uploads=len(plan.uploads),
        size=byte_size(plan.upload_bytes), deletes=len(plan.deletes), unchanged=plan.unchanged,
        seconds=report.seconds))
    if report.invalidated:
        click.echo(_("invalidated {count} path(s) on the CDN").format(count=len(report.invalidated)))
