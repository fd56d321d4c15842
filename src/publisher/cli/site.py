"""Site commands: check, build, cache, new, schedule, import, pdf."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..errors import PublisherError
from ..i18n import _
from ..schedule import parse_instant, upcoming_releases
from .common import (
    ProgressLine,
    build_contributors,
    byte_size,
    config_option,
    load,
    reports_errors,
    shown,
)
from .preview import preview_pages


@click.command()
@config_option
@click.option("--external", is_flag=True, help="Also try every http(s) link of the articles (a few at a time, "
                                               "a minute at most) and warn about those that fail.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (for CI), not only on errors.")
@reports_errors
def check(config_path: Path | None, external: bool, strict: bool) -> None:
    """Validate the configuration and every article, house style and links included; print every problem."""
    from ..factcheck import site_warnings
    from ..house_style import image_variant_notes, site_warnings as house_style_warnings
    from ..cache import Cache
    from ..content import load_site
    from ..linkcheck import external_problems, link_problems
    from ..site.images import unreadable_images

    config = load(config_path)
    result = load_site(config)
    cache = Cache(config.cache_folder)  # each image, body and its links read once, until they change
    images = unreadable_images(result.site.articles, cache)  # what would stop the build
    factcheck = site_warnings(config, result.site)  # figures in none of the sources: warnings only
    factcheck = [*factcheck, *link_problems(config, result.site, cache)]  # internal links that lead nowhere
    if external:
        factcheck += external_problems(result.site, cache=cache)
    style = house_style_warnings(result.site, cache)
    notes = image_variant_notes(result.site)  # information only: not counted, never fails --strict
    for problem in sorted((*result.problems, *images, *style, *factcheck, *notes), key=_file_order):
        click.echo(problem.format(Path.cwd()), err=True)
    articles = len(result.site.articles)
    warnings = len(result.warnings) + len(factcheck) + len(style)
    if result.errors or images:
        click.echo(_("{errors} error(s), {warnings} warning(s) in {folder}/").format(
            errors=len(result.errors) + len(images), warnings=warnings, folder=config.content_dir.name), err=True)
        sys.exit(1)
    if strict and warnings:
        click.echo(_("{warnings} warning(s) in {folder}/; --strict fails on warnings: fix them, or run without "
                     "--strict").format(warnings=warnings, folder=config.content_dir.name), err=True)
        sys.exit(1)
    click.echo(_("ok: {articles} article(s), {warnings} warning(s)").format(articles=articles, warnings=warnings))


def _left_reason(reason: str) -> str:
    """Why a page that was live at the previous build is not any more, as `publish build` says it."""
    reasons = {"withdrawn": _("no longer published"), "scheduled": _("scheduled again for later"),
               "deleted": _("deleted")}
    return reasons[reason]


def _file_order(problem) -> tuple[str, int]:
    """Problems of one file together, in line order (config problems have no line)."""
    return (str(problem.path), problem.line or 0)


@click.command()
@config_option
@click.option("--now", "now_text", metavar="DATETIME",
              help="Build as of this instant (ISO 8601, e.g. 2025-12-05T09:00+09:00; "
                   "no offset = site time). Default: the current time.")
@click.option("--drafts", is_flag=True, help="Include drafts and pages in review (banner + noindex).")
@click.option("--future", is_flag=True, help="Include scheduled pages before their release (banner + noindex).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder (default: site.output_dir, normally dist/).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per CPU core).")
@click.option("--quiet", "-q", is_flag=True, help="No progress display, only the summary and problems.")
@click.option("--preview", is_flag=True,
              help="A preview to share on any static host: drafts, scheduled pages and the /_preview/ pages, "
                   "noindex everywhere. Needs --out DIR outside dist/.")
@reports_errors
def build(config_path: Path | None, now_text: str | None, drafts: bool, future: bool, out_dir: Path | None,
          jobs: int | None, quiet: bool, preview: bool) -> None:
    """Build the site into dist/ as of now (or --now)."""
    from ..site.build import BuildOptions, build_site

    if preview and out_dir is None:
        raise click.UsageError(_("--preview needs --out DIR: a preview holds drafts and scheduled pages, so it "
                                 "never goes into dist/ (the production output); for example --out preview/"))
    config = load(config_path)
    now = parse_instant(now_text, config.timezone) if now_text else datetime.now(timezone.utc)
    with ProgressLine(enabled=not quiet) as progress:
        options = BuildOptions(now=now, include_drafts=drafts or preview, include_future=future or preview,
                               out_dir=out_dir, jobs=jobs, extra_files=preview_pages() if preview else None,
                               contributors=build_contributors(progress))
        report = build_site(config, options, progress=progress)
    for problem in report.warnings:
        click.echo(problem.format(Path.cwd()), err=True)
    for release in report.released:
        click.echo(_("released: {url}  {title}").format(url=release.url, title=release.title))
    for gone in report.withdrawn:
        click.echo(_("left the site ({reason}): {url}  {title}").format(
            reason=_left_reason(gone.reason), url=gone.url, title=gone.title).rstrip())
    where = f"{shown(report.out_dir)}/"
    seconds = f"{report.seconds:.2f}"
    if report.nothing_changed:
        click.echo(_("{folder} is up to date: {pages} pages, nothing written ({seconds}s)").format(
            folder=where, pages=report.pages_total, seconds=seconds))
        return
    if report.preview_pages:
        summary = _("built {pages} pages into {folder} ({live} live articles in {live_pages} article pages, "
                    "{preview} draft or scheduled article pages): {written} written, {unchanged} unchanged, "
                    "{files} files written in all, in {seconds}s")
    else:
        summary = _("built {pages} pages into {folder} ({live} live articles in {live_pages} article pages): "
                    "{written} written, {unchanged} unchanged, {files} files written in all, in {seconds}s")
    click.echo(summary.format(pages=report.pages_total, folder=where, live=report.live_articles,
                              live_pages=report.live_pages, preview=report.preview_pages,
                              written=report.pages_written, unchanged=report.pages_unchanged,
                              files=report.files_written, seconds=seconds))



@click.command("cache")
@config_option
@click.option("--prune", is_flag=True, help="Drop now what the last build of each output folder did not use "
                                           "(each build drops what the last three did not use by itself).")
@reports_errors
def cache(config_path: Path | None, prune: bool) -> None:
    """Show how big the build cache is; --prune drops what the last build did not use."""
    from ..cache import Cache

    config = load(config_path)
    store = Cache(config.cache_folder)
    if prune and store.folder.is_dir():
        pruned = store.prune(None, keep=1)
        if pruned is None:
            raise PublisherError(_("a build is using the cache {folder}, so nothing was dropped; run this again "
                                   "when it is done").format(folder=shown(store.folder)))
        click.echo(_("dropped {entries} entries and {files} files that the last build did not use").format(
            entries=pruned.entries, files=pruned.files))
    usage = store.usage()
    click.echo(_("{folder}: {size} in {files} files, {entries} entries in its index").format(
        folder=shown(store.folder), size=byte_size(usage.size), files=usage.files, entries=usage.entries))


@click.command("new")
@config_option
@click.argument("slug")
@click.option("--title", required=True, help="Title in the source language.")
@click.option("--code", help="Series code, e.g. 中国G96.")
@click.option("--date", "day_text", metavar="YYYY-MM-DD", help="Displayed date (default: today in site time).")
@reports_errors
def new(config_path: Path | None, slug: str, title: str, code: str | None, day_text: str | None) -> None:
    """Start a new article (a draft) in articles/SLUG/."""
    from ..content.scaffold import new_article

    config = load(config_path)
    day = (parse_instant(day_text, config.timezone) if day_text else datetime.now(config.timezone)).date()
    path = new_article(config, slug, title=title, code=code, day=day)
    click.echo(_("created {path} (status: draft); write the body, then run `publish check`").format(path=shown(path)))


@click.command()
@config_option
@click.option("--next", "next_only", is_flag=True,
              help="Print only the next release instant (ISO 8601), or nothing if none is scheduled.")
@click.option("--now", "now_text", metavar="DATETIME", help="List releases after this instant (default: now).")
@reports_errors
def schedule(config_path: Path | None, next_only: bool, now_text: str | None) -> None:
    """List upcoming releases, in the site's time zone."""
    from ..content import load_site

    config = load(config_path)
    now = parse_instant(now_text, config.timezone) if now_text else datetime.now(timezone.utc)
    result = load_site(config)
    for problem in result.errors:
        click.echo(problem.format(Path.cwd()), err=True)
    releases = upcoming_releases(result.site, now)
    if next_only:
        if releases:
            click.echo(releases[0].at.astimezone(config.timezone).isoformat())
        return
    if not releases:
        click.echo(_("no releases scheduled"))
        return
    for release in releases:
        when = release.at.astimezone(config.timezone)
        code = f"【{release.article.code}】" if release.article.code else ""
        click.echo(f"{when:%Y-%m-%d %H:%M %Z}  {release.article.slug}  [{','.join(release.languages)}]  "
                   f"{code}{release.article.source.title}")



@click.command("import")
@config_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=True))
@click.option("--lang", help="Language of the exported pages (default: the source language, e.g. ja). "
                             "Another language is imported as the translation of the article with the same code.")
@click.option("--status", "status_text", type=click.Choice(["draft", "review", "published"]), default="draft",
              show_default=True, help="Status written into each imported article.")
@click.option("--slug", help="Folder name (URL) of the article, instead of the one derived from code and title. "
                             "Only with one FILE.")
@click.option("--force", is_flag=True, help="Replace an existing article; the previous folder is kept as a backup "
                                            "in articles/.import-backup/.")
@reports_errors
def import_(config_path: Path | None, files: tuple[Path, ...], lang: str | None, status_text: str,
            slug: str | None, force: bool) -> None:
    """Import pages exported from the old site (text or saved HTML) as articles."""
    from ..content.model import Status
    from ..importer import ImportOptions, format_report, import_pages

    config = load(config_path)
    options = ImportOptions(now=datetime.now(config.timezone), lang=lang, status=Status(status_text), slug=slug,
                            force=force)
    report = import_pages(config, list(files), options)
    for line in format_report(report, Path.cwd()):
        click.echo(line)
    if report.skipped:
        sys.exit(1)


@click.command("pdf")
@config_option
@click.argument("article")
@click.option("--lang", "lang", metavar="CODE",
              help="Language to print (ja, zh, ...). Default: the language of a given .md file, else the source.")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="PDF file to write (default: ./<slug>.<lang>.pdf).")
@click.option("--now", "now_text", metavar="DATETIME",
              help="Print as of this instant (ISO 8601; no offset = site time): related links and the "
                   "draft/scheduled banner follow it. Default: the current time.")
@reports_errors
def pdf(config_path: Path | None, article: str, lang: str | None, out: Path | None, now_text: str | None) -> None:
    """Make the PDF of one article (a slug, its folder or one of its .md files)."""
    from ..pdf.ondemand import write_article_pdf

    config = load(config_path)
    now = parse_instant(now_text, config.timezone) if now_text else datetime.now(timezone.utc)
    written = write_article_pdf(config, article, lang=lang, out=out, now=now, default_dir=Path.cwd())
    if written.live:
        click.echo(_("wrote {path}").format(path=shown(written.path)))
    else:
        click.echo(_("wrote {path} (not live yet: the PDF carries the draft/scheduled banner)").format(
            path=shown(written.path)))

