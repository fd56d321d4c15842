"""Authoring commands: draft, image, revise, factcheck."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from .common import (
    config_option,
    counting_bar,
    load,
    reports_errors,
    shown,
)


@click.command("image")
@config_option
@click.argument("article")
@click.option("--prompt", help="What the image shows (default: made from the title and summary). "
                               "'No text in the image' is always added.")
@click.option("--model", help="Image model (default: llm.image_model, e.g. gpt-image-1).")
@click.option("--size", metavar="WxH", help="Image size, e.g. 1536x1024 (default: llm.image_size, else by model).")
@click.option("--alt", help="Alt text for hero_alt (default: written by the chat model from the prompt).")
@reports_errors
def image(config_path: Path | None, article: str, prompt: str | None, model: str | None, size: str | None,
          alt: str | None) -> None:
    """Generate the hero image of ARTICLE and set hero, hero_alt and ai.image."""
    from ..config.llm import load_llm_settings
    from ..authoring.image import ImageOptions, generate_hero

    config = load(config_path)
    click.echo("generating the image...", err=True)
    report = generate_hero(config, load_llm_settings(config), article,
                           ImageOptions(prompt=prompt, model=model, size=size, alt=alt))
    click.echo(f"wrote {shown(report.image)}; {shown(report.article)}: hero: {report.image.name}, "
               f"hero_alt: {report.alt}, ai.image: {report.model}")
    if report.previous_hero and report.previous_hero != report.image.name:
        click.echo(f"the previous hero {report.previous_hero} is still in the folder; delete it if unused", err=True)
    click.echo("translations keep their own hero_alt: run `publish translate` to update it", err=True)
    click.echo(report.usage.describe())


@click.command("revise")
@config_option
@click.argument("article")
@click.option("--instruction", required=True, help='What to change, e.g. "shorten section 2".')
@click.option("--yes", is_flag=True, help="Write the revision without asking (for scripts).")
@click.option("--lang", help="Revise this language's file (default: the source, or the given .md file's).")
@reports_errors
def revise(config_path: Path | None, article: str, instruction: str, yes: bool, lang: str | None) -> None:
    """Revise ARTICLE with the model; show the diff and write only after confirmation."""
    from ..config.llm import load_llm_settings
    from ..authoring.revise import ReviseOptions, revise_article

    config = load(config_path)
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
                       f"{shown(revision.path)}", err=True)
            return False
        return click.confirm(f"write these changes to {shown(revision.path)}?", default=False, err=True)

    report = revise_article(config, load_llm_settings(config), article,
                            ReviseOptions(instruction=instruction, lang=lang), confirm=confirm,
                            progress=lambda step: click.echo(f"{step}...", err=True))
    revision = report.revision
    if not revision.has_changes:
        for note in revision.refused:
            click.echo(f"not applied: {note}", err=True)
        click.echo(f"no change: the model found nothing to revise in {shown(revision.path)} for this instruction")
    elif report.written:
        click.echo(f"wrote {shown(revision.path)} ({len(revision.changed)} block(s) revised)")
    elif interactive:
        click.echo(f"not written: {shown(revision.path)} is unchanged", err=True)
    click.echo(report.usage.describe())
    if revision.has_changes and not report.written:
        sys.exit(1)


@click.command("draft")
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
@reports_errors
def draft(config_path: Path | None, brief: str, sources: tuple[Path, ...], code: str | None, slug: str | None,
          words: int, title: str | None, force: bool) -> None:
    """Draft a new article (status: draft) from source documents with the configured LLM."""
    from ..config.llm import load_llm_settings
    from ..authoring.draft import DraftOptions, draft_article

    config = load(config_path)
    options = DraftOptions(brief=brief, sources=tuple(sources), now=datetime.now(config.timezone), code=code,
                           slug=slug, words=words, title=title, force=force)
    report = draft_article(config, load_llm_settings(config), options,
                           progress=lambda step: click.echo(f"{step}...", err=True))
    click.echo(f"wrote {shown(report.path)} (status: draft): {report.sections} sections, {report.markers} source "
               f"markers, sources in {shown(report.path.parent / 'sources')}/")
    if report.backup is not None:
        click.echo(f"the previous article is kept in {shown(report.backup)}/")
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



@click.command("factcheck")
@config_option
@click.argument("article")
@click.option("--lang", "lang", metavar="CODE",
              help="Language version to check (ja, zh, ...). Default: the language of a given .md file, else the "
                   "source. Every version is checked against the same sources.")
@click.option("--llm", "use_llm", is_flag=True,
              help="Also ask the configured model ([llm]) whether each sentence with a figure is supported by "
                   "the passage its source marker cites.")
@reports_errors
def factcheck(config_path: Path | None, article: str, lang: str | None, use_llm: bool) -> None:
    """Check every figure of ARTICLE (a slug, its folder or one of its .md files) against its sources;
    exit 1 when a figure is in none of them."""
    from ..factcheck import factcheck_article

    config = load(config_path)
    with counting_bar("asking the model", enabled=use_llm) as progress:
        report = factcheck_article(config, article, lang=lang, llm=use_llm, progress=progress)
    for finding in report.findings:
        click.echo(finding.format(Path.cwd()))
    for verdict in report.verdicts:
        if verdict.supported != "yes":
            click.echo(verdict.format(Path.cwd()))
    name = f"{shown(report.path)}"
    if not report.ok:
        model = f", {len(report.unsupported)} sentence(s) the model found unsupported" if report.verdicts else ""
        click.echo(f"{name}: {len(report.findings)} of {report.figures} figure(s) in none of the sources{model}",
                   err=True)
        sys.exit(1)
    model = f"; the model found {len(report.verdicts)} sentence(s) supported or unclear" if report.verdicts else ""
    click.echo(f"ok: {name}: all {report.figures} figure(s) are in the sources "
               f"({', '.join(report.sources)}){model}")

