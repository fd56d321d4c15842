"""Translation commands: translate, status."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..i18n import _

from .common import (
    config_option,
    counting_bar,
    load,
    reports_errors,
)


@click.command()
@config_option
@click.argument("slugs", nargs=-1)
@click.option("--lang", "languages", multiple=True, help="Only this target language (repeatable; default: all).")
@click.option("--adopt", is_flag=True, help="Record existing translations written by people in lock files; "
                                            "no model is called and no translation is changed.")
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 when any translation is missing, stale or needs review (for CI).")
@click.option("--dry-run", is_flag=True, help="Send nothing: print how many requests and tokens the run would "
                                              "send (and the most it would send if the answers were unusable).")
@click.option("--update-reviewed", is_flag=True,
              help="Also re-translate blocks marked for review, giving the model the old translation and the "
                   "source diff.")
@reports_errors
def translate(config_path: Path | None, slugs: tuple[str, ...], languages: tuple[str, ...], adopt: bool,
              check_only: bool, dry_run: bool, update_reviewed: bool) -> None:
    """Translate new and changed blocks of articles (all, or SLUGS) with the configured LLM."""
    from ..translation import translate as llm

    config = load(config_path)
    if adopt:
        for item in llm.adopt(config, slugs=slugs, languages=languages):
            name = f"{item.slug}/{item.lang}.md"
            if item.skipped:
                click.echo(f"{name}: {item.skipped}")
            else:
                click.echo(_("{name}: adopted {count} block(s)").format(name=name, count=item.adopted))
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
        click.echo(_("ok: {count} translation(s) up to date").format(count=len(plans)))
        return
    from ..config.llm import load_llm_settings

    settings = load_llm_settings(config)
    options = llm.TranslateOptions(slugs=slugs, languages=languages, update_reviewed=update_reviewed)
    if dry_run:
        from ..translation.estimate import estimate_site

        click.echo(estimate_site(config, settings, options).describe(settings))
        return
    with counting_bar(_("translating")) as progress:
        report = llm.translate_site(config, settings, options, progress=progress)
    for doc in report.documents:
        name = f"{doc.slug}/{doc.lang}.md"
        if doc.written or doc.translated or doc.failed:
            line = (_("{name}: written, {translated} translated, {reused} from cache") if doc.written else
                    _("{name}: not written, {translated} translated, {reused} from cache"))
            click.echo(line.format(name=name, translated=doc.translated, reused=doc.reused))
        for note in doc.notes:
            click.echo(f"{name}: {note}", err=True)
        for failure in doc.failed:
            click.echo(_("{name}: failed {failure}").format(name=name, failure=failure), err=True)
    for item in report.learned:
        click.echo(_("the endpoint refused a parameter: {what}; add `{setting}` under [llm] to skip that first "
                     "refusal next time").format(what=item.what, setting=item.setting), err=True)
    click.echo(report.usage.describe())
    if report.failed:
        sys.exit(1)


@click.command()
@config_option
@click.argument("slugs", nargs=-1)
@reports_errors
def status(config_path: Path | None, slugs: tuple[str, ...]) -> None:
    """Show each translation: up to date, stale, missing, edited by hand, needs review."""
    from ..translation.translate import plan_site

    config = load(config_path)
    for plan in plan_site(config, slugs=slugs):
        click.echo(f"{plan.slug}  {plan.lang}  {plan.summary()}")

