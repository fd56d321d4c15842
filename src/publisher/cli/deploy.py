"""`publish deploy`: publish the built site to a configured target."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..schedule import parse_instant
from .common import config_option, counting_bar, load, reports_errors, shown


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"


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
        with counting_bar(f"deploying to {target.name}", enabled=not quiet and not dry_run and sys.stderr.isatty()) \
                as progress:
            report = deploy_site(config, target, options, progress=progress)
    except KeyboardInterrupt:
        click.echo(f"interrupted; {target.name} may hold part of this deploy: run `publish deploy {target.name}` "
                   "again to finish it", err=True)
        sys.exit(130)
    plan = report.plan
    if dry_run:
        for file in plan.uploads:
            mark = "+" if file.path in plan.new else "~"
            click.echo(f"{mark} {file.path}  ({_size(file.size)}, {file.content_type}, {file.cache_control}"
                       f"{', gzip' if file.gzip else ''})")
        for path in plan.deletes:
            click.echo(f"- {path}")
        click.echo(f"dry run: would upload {len(plan.uploads)} file(s) ({_size(plan.upload_bytes)}), delete "
                   f"{len(plan.deletes)}, leave {plan.unchanged} unchanged on {target.name} ({target.url}); "
                   "nothing was changed")
        if plan.over_cap and not yes:
            click.echo(f"note: {len(plan.deletes)} deletions are more than max_deletes = {target.max_deletes}: "
                       "the deploy itself needs --yes", err=True)
        return
    if plan.nothing_to_do:
        click.echo(f"{target.name} ({target.url}) is up to date with {shown(plan.folder)}/: "
                   f"{plan.unchanged} files, nothing sent ({report.seconds:.2f}s)")
        return
    click.echo(f"deployed {shown(plan.folder)}/ to {target.name} ({target.url}): {len(plan.uploads)} uploaded "
               f"({_size(plan.upload_bytes)}), {len(plan.deletes)} deleted, {plan.unchanged} unchanged, "
               f"in {report.seconds:.2f}s")
    if report.invalidated:
        click.echo(f"invalidated {len(report.invalidated)} path(s) on the CDN")
