"""Authoring commands: draft, image, revise, factcheck."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from ..i18n import _

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
    click.echo(_("generating the image..."), err=True)
    report = generate_hero(config, load_llm_settings(config), article,
                           ImageOptions(prompt=prompt, model=model, size=size, alt=alt))
    click.echo(_("wrote {image}; {article}: hero: {name}, hero_alt: {alt}, ai.image: {model}").format(
        image=shown(report.image), article=shown(report.article), name=report.image.name, alt=report.alt,
        model=report.model))
    if report.previous_hero and report.previous_hero != report.image.name:
        click.echo(_("the previous hero {name} is still in the folder; delete it if unused").format(
            name=report.previous_hero), err=True)
    click.echo(_("translations keep their own hero_alt: run `publish translate` to update it"), err=True)
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
            click.echo(_("not applied: {note}").format(note=note), err=True)
        if yes:
            return True
        if not interactive:
            click.echo(_("not written: there is no terminal to confirm on; run again with --yes to write "
                         "{path}").format(path=shown(revision.path)), err=True)
            return False
        return click.confirm(_("write these changes to {path}?").format(path=shown(revision.path)), default=False,
                             err=True)

    report = revise_article(config, load_llm_settings(config), article,
                            ReviseOptions(instruction=instruction, lang=lang), confirm=confirm,
                            progress=lambda step: click.echo(f"{step}...", err=True))
    revision = report.revision
    if not revision.has_changes:
        for note in revision.refused:
            click.echo(_("not applied: {note}").format(note=note), err=True)
        click.echo(_("no change: the model found nothing to revise in {path} for this instruction").format(
            path=shown(revision.path)))
    elif report.written:
        click.echo(_("wrote {path} ({count} block(s) revised)").format(path=shown(revision.path),
                                                                       count=len(revision.changed)))
    elif interactive:
        click.echo(_("not written: {path} is unchanged").format(path=shown(revision.path)), err=True)
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
    click.echo(_("wrote {path} (status: draft): {sections} sections, {markers} source markers, sources in "
                 "{sources}/").format(path=shown(report.path), sections=report.sections, markers=report.markers,
                                      sources=shown(report.path.parent / "sources")))
    if report.backup is not None:
        click.echo(_("the previous article is kept in {path}/").format(path=shown(report.backup)))
    for problem in report.problems:
        click.echo(problem.format(Path.cwd()), err=True)
    if report.factcheck is not None:
        found = len(report.factcheck.findings)
        if found:
            click.echo(_("fact check: {figures} figure(s) checked, {found} in none of the sources (listed above): "
                         "check them before publishing").format(figures=report.factcheck.figures, found=found))
        else:
            click.echo(_("fact check: {figures} figure(s) checked, all of them found in the sources").format(
                figures=report.factcheck.figures))
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
    with counting_bar(_("asking the model"), enabled=use_llm) as progress:
        report = factcheck_article(config, article, lang=lang, llm=use_llm, progress=progress)
    for finding in report.findings:
        click.echo(finding.format(Path.cwd()))
    for verdict in report.verdicts:
        if verdict.supported != "yes":
            click.echo(verdict.format(Path.cwd()))
    name = f"{shown(report.path)}"
    if not report.ok:
        if report.verdicts:
            message = _("{name}: {found} of {figures} figure(s) in none of the sources, {unsupported} sentence(s) "
                        "the model found unsupported")
        else:
            message = _("{name}: {found} of {figures} figure(s) in none of the sources")
        click.echo(message.format(name=name, found=len(report.findings), figures=report.figures,
                                  unsupported=len(report.unsupported)), err=True)
        sys.exit(1)
    if report.verdicts:
        message = _("ok: {name}: all {figures} figure(s) are in the sources ({sources}); the model found "
                    "{verdicts} sentence(s) supported or unclear")
    else:
        message = _("ok: {name}: all {figures} figure(s) are in the sources ({sources})")
    click.echo(message.format(name=name, figures=report.figures, sources=", ".join(report.sources),
                              verdicts=len(report.verdicts)))

