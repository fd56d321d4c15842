"""The `publish` command. Thin: load config, call one library function, turn
its errors into messages and exit codes (1: problems in the input, 2: usage).
"""

from __future__ import annotations

import contextlib
import functools
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import click

from .config import SiteConfig, find_config, load_config
from .content import load_site
from .errors import ProblemsError, PublisherError
from .schedule import parse_instant, upcoming_releases


def _load(config_path: Path | None) -> SiteConfig:
    return load_config(config_path or find_config(Path.cwd()))


def _reports_errors(command: Callable) -> Callable:
    """Library errors become messages on stderr and exit 1, never tracebacks."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ProblemsError as exc:
            for problem in exc.problems:
                click.echo(problem.format(Path.cwd()), err=True)
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except PublisherError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}; check that the folder exists, is writable "
                       "and the disk has room", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was changed", err=True)
            sys.exit(130)

    return wrapper


config_option = click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    help="publisher.toml to use (default: the nearest one from the current folder up).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher")
def main() -> None:
    """Publish bilingual Markdown articles as a static site."""


@main.command()
@config_option
@_reports_errors
def check(config_path: Path | None) -> None:
    """Validate the configuration and every article; print every problem."""
    from .factcheck import site_warnings

    config = _load(config_path)
    result = load_site(config)
    factcheck = site_warnings(config, result.site)  # figures in none of the sources: warnings only
    for problem in (*result.problems, *factcheck):
        click.echo(problem.format(Path.cwd()), err=True)
    articles = len(result.site.articles)
    warnings = len(result.warnings) + len(factcheck)
    if result.errors:
        click.echo(f"{len(result.errors)} error(s), {warnings} warning(s) "
                   f"in {config.content_dir.name}/", err=True)
        sys.exit(1)
    click.echo(f"ok: {articles} article(s), {warnings} warning(s)")


@main.command()
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
@_reports_errors
def build(config_path: Path | None, now_text: str | None, drafts: bool, future: bool, out_dir: Path | None,
          jobs: int | None, quiet: bool, preview: bool) -> None:
    """Build the site into dist/ as of now (or --now)."""
    from .site.build import BuildOptions, build_site

    if preview and out_dir is None:
        raise click.UsageError("--preview needs --out DIR: a preview holds drafts and scheduled pages, so it never "
                               "goes into dist/ (the production output); for example --out preview/")
    config = _load(config_path)
    now = parse_instant(now_text, config.timezone) if now_text else datetime.now(timezone.utc)
    options = BuildOptions(now=now, include_drafts=drafts or preview, include_future=future or preview,
                           out_dir=out_dir, jobs=jobs, extra_files=_preview_pages() if preview else None)
    with _ProgressLine(enabled=not quiet) as progress:
        report = build_site(config, options, progress=progress)
    for problem in report.warnings:
        click.echo(problem.format(Path.cwd()), err=True)
    for release in report.released:
        click.echo(f"released: {release.url}  {release.title}")
    where = f"{_shown(report.out_dir)}/"
    if report.nothing_changed:
        click.echo(f"{where} is up to date: {report.pages_total} pages, nothing written ({report.seconds:.2f}s)")
        return
    preview = f", {report.preview_pages} draft/scheduled" if report.preview_pages else ""
    click.echo(f"built {report.pages_total} pages into {where} ({report.live_pages} live articles{preview}): "
               f"{report.pages_written} written, {report.pages_unchanged} unchanged, "
               f"{report.files_written} files written in all, in {report.seconds:.2f}s")


class _ProgressLine:
    """`articles 120/2000` on one self-rewriting stderr line, only on a terminal and only for long builds."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.shown = False

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled or total < 50 or (done % 25 and done != total):
            return
        click.echo(f"\r{step} {done}/{total}\x1b[K", err=True, nl=False)
        self.shown = True

    def __enter__(self) -> "_ProgressLine":
        return self

    def __exit__(self, *exc) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)


@main.command("new")
@config_option
@click.argument("slug")
@click.option("--title", required=True, help="Title in the source language.")
@click.option("--code", help="Series code, e.g. 中国G96.")
@click.option("--date", "day_text", metavar="YYYY-MM-DD", help="Displayed date (default: today in site time).")
@_reports_errors
def new(config_path: Path | None, slug: str, title: str, code: str | None, day_text: str | None) -> None:
    """Start a new article (a draft) in articles/SLUG/."""
    from .content.scaffold import new_article

    config = _load(config_path)
    day = (parse_instant(day_text, config.timezone) if day_text else datetime.now(config.timezone)).date()
    path = new_article(config, slug, title=title, code=code, day=day)
    click.echo(f"created {_shown(path)} (status: draft); write the body, then run `publish check`")


@main.command()
@config_option
@click.option("--next", "next_only", is_flag=True,
              help="Print only the next release instant (ISO 8601), or nothing if none is scheduled.")
@click.option("--now", "now_text", metavar="DATETIME", help="List releases after this instant (default: now).")
@_reports_errors
def schedule(config_path: Path | None, next_only: bool, now_text: str | None) -> None:
    """List upcoming releases, in the site's time zone."""
    config = _load(config_path)
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
        click.echo("no releases scheduled")
        return
    for release in releases:
        when = release.at.astimezone(config.timezone)
        code = f"【{release.article.code}】" if release.article.code else ""
        click.echo(f"{when:%Y-%m-%d %H:%M %Z}  {release.article.slug}  [{','.join(release.languages)}]  "
                   f"{code}{release.article.source.title}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@main.command("import")
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
@_reports_errors
def import_(config_path: Path | None, files: tuple[Path, ...], lang: str | None, status_text: str,
            slug: str | None, force: bool) -> None:
    """Import pages exported from the old site (text or saved HTML) as articles."""
    from .content.model import Status
    from .importer import ImportOptions, format_report, import_pages

    config = _load(config_path)
    options = ImportOptions(now=datetime.now(config.timezone), lang=lang, status=Status(status_text), slug=slug,
                            force=force)
    report = import_pages(config, list(files), options)
    for line in format_report(report, Path.cwd()):
        click.echo(line)
    if report.skipped:
        sys.exit(1)


@main.command("pdf")
@config_option
@click.argument("article")
@click.option("--lang", "lang", metavar="CODE",
              help="Language to print (ja, zh, ...). Default: the language of a given .md file, else the source.")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="PDF file to write (default: ./<slug>.<lang>.pdf).")
@click.option("--now", "now_text", metavar="DATETIME",
              help="Print as of this instant (ISO 8601; no offset = site time): related links and the "
                   "draft/scheduled banner follow it. Default: the current time.")
@_reports_errors
def pdf(config_path: Path | None, article: str, lang: str | None, out: Path | None, now_text: str | None) -> None:
    """Make the PDF of one article (a slug, its folder or one of its .md files)."""
    from .pdf.ondemand import write_article_pdf

    config = _load(config_path)
    now = parse_instant(now_text, config.timezone) if now_text else datetime.now(timezone.utc)
    written = write_article_pdf(config, article, lang=lang, out=out, now=now, default_dir=Path.cwd())
    note = "" if written.live else " (not live yet: the PDF carries the draft/scheduled banner)"
    click.echo(f"wrote {_shown(written.path)}{note}")


@main.command()
@config_option
@click.argument("slugs", nargs=-1)
@click.option("--lang", "languages", multiple=True, help="Only this target language (repeatable; default: all).")
@click.option("--adopt", is_flag=True, help="Record existing translations written by people in lock files; "
                                            "no model is called and no translation is changed.")
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 when any translation is missing, stale or needs review (for CI).")
@click.option("--update-reviewed", is_flag=True,
              help="Also re-translate blocks marked for review, giving the model the old translation and the "
                   "source diff.")
@_reports_errors
def translate(config_path: Path | None, slugs: tuple[str, ...], languages: tuple[str, ...], adopt: bool,
              check_only: bool, update_reviewed: bool) -> None:
    """Translate new and changed blocks of articles (all, or SLUGS) with the configured LLM."""
    from .llm import translate as llm

    config = _load(config_path)
    if adopt:
        for item in llm.adopt(config, slugs=slugs, languages=languages):
            name = f"{item.slug}/{item.lang}.md"
            click.echo(f"{name}: {item.skipped}" if item.skipped else f"{name}: adopted {item.adopted} block(s)")
            for note in item.unmatched:
                click.echo(f"  {note}", err=True)
        return
    if check_only:
        plans = llm.plan_site(config, slugs=slugs, languages=languages)
        for plan in plans:
            if plan.needs_work:
                click.echo(f"{plan.slug}/{plan.lang}.md: {plan.summary()}", err=True)
        if any(plan.needs_work for plan in plans):
            sys.exit(1)
        click.echo(f"ok: {len(plans)} translation(s) up to date")
        return
    from .llm.settings import load_llm_settings

    settings = load_llm_settings(config)
    with _counting_bar("translating") as progress:
        report = llm.translate_site(config, settings, llm.TranslateOptions(
            slugs=slugs, languages=languages, update_reviewed=update_reviewed), progress=progress)
    for doc in report.documents:
        name = f"{doc.slug}/{doc.lang}.md"
        if doc.written or doc.translated or doc.failed:
            click.echo(f"{name}: {'written' if doc.written else 'not written'}, {doc.translated} translated, "
                       f"{doc.reused} from cache")
        for note in doc.notes:
            click.echo(f"{name}: {note}", err=True)
        for failure in doc.failed:
            click.echo(f"{name}: failed {failure}", err=True)
    click.echo(report.usage.describe())
    if report.failed:
        sys.exit(1)


@main.command()
@config_option
@click.argument("slugs", nargs=-1)
@_reports_errors
def status(config_path: Path | None, slugs: tuple[str, ...]) -> None:
    """Show each translation: up to date, stale, missing, edited by hand, needs review."""
    from .llm.translate import plan_site

    config = _load(config_path)
    for plan in plan_site(config, slugs=slugs):
        click.echo(f"{plan.slug}  {plan.lang}  {plan.summary()}")


@main.command("image")
@config_option
@click.argument("article")
@click.option("--prompt", help="What the image shows (default: made from the title and summary). "
                               "'No text in the image' is always added.")
@click.option("--model", help="Image model (default: llm.image_model, e.g. gpt-image-1).")
@click.option("--size", metavar="WxH", help="Image size, e.g. 1536x1024 (default: llm.image_size, else by model).")
@click.option("--alt", help="Alt text for hero_alt (default: written by the chat model from the prompt).")
@_reports_errors
def image(config_path: Path | None, article: str, prompt: str | None, model: str | None, size: str | None,
          alt: str | None) -> None:
    """Generate the hero image of ARTICLE and set hero, hero_alt and ai.image."""
    from .llm.image import ImageOptions, generate_hero
    from .llm.settings import load_llm_settings

    config = _load(config_path)
    click.echo("generating the image...", err=True)
    report = generate_hero(config, load_llm_settings(config), article,
                           ImageOptions(prompt=prompt, model=model, size=size, alt=alt))
    click.echo(f"wrote {_shown(report.image)}; {_shown(report.article)}: hero: {report.image.name}, "
               f"hero_alt: {report.alt}, ai.image: {report.model}")
    if report.previous_hero and report.previous_hero != report.image.name:
        click.echo(f"the previous hero {report.previous_hero} is still in the folder; delete it if unused", err=True)
    click.echo("translations keep their own hero_alt: run `publish translate` to update it", err=True)
    click.echo(report.usage.describe())


@main.command("revise")
@config_option
@click.argument("article")
@click.option("--instruction", required=True, help='What to change, e.g. "shorten section 2".')
@click.option("--yes", is_flag=True, help="Write the revision without asking (for scripts).")
@click.option("--lang", help="Revise this language's file (default: the source, or the given .md file's).")
@_reports_errors
def revise(config_path: Path | None, article: str, instruction: str, yes: bool, lang: str | None) -> None:
    """Revise ARTICLE with the model; show the diff and write only after confirmation."""
    from .llm.revise import ReviseOptions, revise_article
    from .llm.settings import load_llm_settings

    config = _load(config_path)
    interactive = sys.stdin.isatty()

    def confirm(revision) -> bool:
        for line in revision.diff.splitlines():
            colour = ("green" if line.startswith("+") and not line.startswith("+++") else
                      "red" if line.startswith("-") and not line.startswith("---") else
                      "cyan" if line.startswith("@@") else None)
            click.echo(click.style(line, fg=colour) if colour else line)
        for note in revision.refused:
            click.echo(f"not applied: {note}", err=True)
        if yes:
            return True
        if not interactive:
            click.echo(f"not written: there is no terminal to confirm on; run again with --yes to write "
                       f"{_shown(revision.path)}", err=True)
            return False
        return click.confirm(f"write these changes to {_shown(revision.path)}?", default=False, err=True)

    report = revise_article(config, load_llm_settings(config), article,
                            ReviseOptions(instruction=instruction, lang=lang), confirm=confirm,
                            progress=lambda step: click.echo(f"{step}...", err=True))
    revision = report.revision
    if not revision.has_changes:
        for note in revision.refused:
            click.echo(f"not applied: {note}", err=True)
        click.echo(f"no change: the model found nothing to revise in {_shown(revision.path)} for this instruction")
    elif report.written:
        click.echo(f"wrote {_shown(revision.path)} ({len(revision.changed)} block(s) revised)")
    elif interactive:
        click.echo(f"not written: {_shown(revision.path)} is unchanged", err=True)
    click.echo(report.usage.describe())
    if revision.has_changes and not report.written:
        sys.exit(1)


@main.command("draft")
@config_option
@click.option("--brief", required=True, help="What the article should cover, for whom, and its angle.")
@click.option("--source", "sources", multiple=True, required=True, type=click.Path(path_type=Path),
              help="A source document (.txt, .md, .pdf, .csv); repeatable. Copied into the article's sources/.")
@click.option("--code", help="Series code, e.g. 中国G96.")
@click.option("--slug", help="Folder name (URL) of the article (default: romanised from the code and title).")
@click.option("--words", type=click.IntRange(500, 40_000), default=6000, show_default=True,
              help="Target length in characters of the source language.")
@click.option("--title", help="The title (default: the model's, from the outline).")
@click.option("--force", is_flag=True, help="Replace an existing article; the previous folder is kept in "
                                            "articles/.draft-backup/.")
@_reports_errors
def draft(config_path: Path | None, brief: str, sources: tuple[Path, ...], code: str | None, slug: str | None,
          words: int, title: str | None, force: bool) -> None:
    """Draft a new article (status: draft) from source documents with the configured LLM."""
    from .llm.draft import DraftOptions, draft_article
    from .llm.settings import load_llm_settings

    config = _load(config_path)
    options = DraftOptions(brief=brief, sources=tuple(sources), now=datetime.now(config.timezone), code=code,
                           slug=slug, words=words, title=title, force=force)
    report = draft_article(config, load_llm_settings(config), options,
                           progress=lambda step: click.echo(f"{step}...", err=True))
    click.echo(f"wrote {_shown(report.path)} (status: draft): {report.sections} sections, {report.markers} source "
               f"markers, sources in {_shown(report.path.parent / 'sources')}/")
    if report.backup is not None:
        click.echo(f"the previous article is kept in {_shown(report.backup)}/")
    for problem in report.problems:
        click.echo(problem.format(Path.cwd()), err=True)
    if report.factcheck is not None:
        found = len(report.factcheck.findings)
        click.echo(f"fact check: {report.factcheck.figures} figure(s) checked, "
                   + (f"{found} in none of the sources (listed above): check them before publishing" if found
                      else "all of them found in the sources"))
    for note in report.notes:
        click.echo(note, err=True)
    if report.usage is not None:
        click.echo(report.usage.describe())


def _preview_pages():
    """The /_preview/ pages (dashboard, side by side, phone view) as a build hook."""
    from .preview.pages import PreviewPages

    return PreviewPages()


@main.command()
@config_option
@click.option("--port", type=click.IntRange(0, 65535),
              help="TCP port (default: [preview] port in publisher.toml, else 8000; 0: any free port).")
@click.option("--host", help="Address to listen on (default: [preview] host, else 127.0.0.1: this machine only). "
                             "--host 0.0.0.0 shares the preview, drafts included, with the whole network.")
@click.option("--open/--no-open", "open_browser", default=None,
              help="Open the preview in the default browser (default: [preview] open, else no).")
@_reports_errors
def preview(config_path: Path | None, port: int | None, host: str | None, open_browser: bool | None) -> None:
    """Serve the site with drafts and scheduled articles; rebuild and reload the browser on every save."""
    from .preview import serve_preview
    from .preview.settings import valid_host

    if host is not None and not valid_host(host):
        raise click.BadParameter(f"{host!r} is not an address; use 127.0.0.1 or 0.0.0.0", param_hint="--host")
    config = _load(config_path)
    settings = config.preview
    serve_preview(config, host=host or settings.host, port=settings.port if port is None else port,
                  clock=lambda: datetime.now(timezone.utc), echo=lambda message, err=False: click.echo(message, err=err),
                  open_browser=settings.open if open_browser is None else open_browser, extra_files=_preview_pages())


@main.command("factcheck")
@config_option
@click.argument("article")
@click.option("--lang", "lang", metavar="CODE",
              help="Language version to check (ja, zh, ...). Default: the language of a given .md file, else the "
                   "source. Every version is checked against the same sources.")
@click.option("--llm", "use_llm", is_flag=True,
              help="Also ask the configured model ([llm]) whether each sentence with a figure is supported by "
                   "the passage its source marker cites.")
@_reports_errors
def factcheck(config_path: Path | None, article: str, lang: str | None, use_llm: bool) -> None:
    """Check every figure of ARTICLE (a slug, its folder or one of its .md files) against its sources;
    exit 1 when a figure is in none of them."""
    from .factcheck import factcheck_article

    config = _load(config_path)
    with _counting_bar("asking the model", enabled=use_llm) as progress:
        report = factcheck_article(config, article, lang=lang, llm=use_llm, progress=progress)
    for finding in report.findings:
        click.echo(finding.format(Path.cwd()))
    for verdict in report.verdicts:
        if verdict.supported != "yes":
            click.echo(verdict.format(Path.cwd()))
    name = f"{_shown(report.path)}"
    if not report.ok:
        model = f", {len(report.unsupported)} sentence(s) the model found unsupported" if report.verdicts else ""
        click.echo(f"{name}: {len(report.findings)} of {report.figures} figure(s) in none of the sources{model}",
                   err=True)
        sys.exit(1)
    model = f"; the model found {len(report.verdicts)} sentence(s) supported or unclear" if report.verdicts else ""
    click.echo(f"ok: {name}: all {report.figures} figure(s) are in the sources "
               f"({', '.join(report.sources)}){model}")


@contextlib.contextmanager
def _counting_bar(label: str, *, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, driven by the library's `progress(done, total)` calls (the total can
    grow as work is found); when not `enabled`, the calls do nothing."""
    if not enabled:
        yield lambda done, total: None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield progress
