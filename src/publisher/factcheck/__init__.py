"""The fact check: every figure of an article that none of its sources contains (deterministic, no LLM),
and optionally the model's opinion on each sentence with a figure (`--llm`).

    check_article(config, article, lang=None) -> FactcheckReport
    factcheck_article(config, reference, lang=None, llm=False) -> FactcheckReport   # what `publish factcheck` runs
    site_warnings(config, site) -> tuple[Problem, ...]                              # what `publish check` adds
"""

from __future__ import annotations

import contextlib

from ..cache import Cache
from ..config import SiteConfig
from ..content.lookup import find_article
from ..content.model import Site
from ..errors import Problem, ProblemsError, PublisherError
from ..i18n import _
from .check import FactcheckReport, Finding, Verdict, check_article

__all__ = ["FactcheckReport", "Finding", "Verdict", "check_article", "factcheck_article", "find_article",
           "site_warnings"]


def factcheck_article(config: SiteConfig, reference: str, *, lang: str | None = None, llm: bool = False,
                      progress=None) -> FactcheckReport:
    """`publish factcheck ARTICLE [--lang zh] [--llm]`."""
    article, lang_from_path = find_article(config, reference, action=_("run the fact check again"))
    lang = lang or lang_from_path
    if lang is not None and lang not in config.language_codes:
        raise PublisherError(_("--lang {lang}: not one of the site's languages ({items})").format(
                                 lang=lang, items=', '.join(config.language_codes)))
    if not article.sources:
        raise PublisherError(_("{file} of {slug} lists no sources; add `sources: "
                               "[sources/report.pdf]` to its frontmatter (paths relative to the article "
                               "folder) so its figures can be checked").format(
                                 file=article.source.path.name, slug=article.slug))
    report = check_article(config, article, lang=lang)
    if llm:
        from ..config.llm import load_llm_settings
        from .model_check import model_verdicts

        report = model_verdicts(config, article, report, load_llm_settings(config), progress=progress)
    return report


def site_warnings(config: SiteConfig, site: Site) -> tuple[Problem, ...]:
    """The fact check's findings for every article that lists sources, as warnings (cached, so cheap)."""
    problems: list[Problem] = []
    # What the check reads from the build cache is marked used (once, at the end), so that builds keep it.
    with Cache(config.cache_dir).recording() if config.cache_dir is not None else contextlib.nullcontext():
        _site_warnings(config, site, problems)
    return tuple(problems)


def _site_warnings(config: SiteConfig, site: Site, problems: list[Problem]) -> None:
    for article in site.articles:
        if not article.sources:
            continue
        try:
            problems.extend(check_article(config, article).problems())
        except ProblemsError as exc:
            problems.extend(Problem(p.path, p.line, p.field, _("{message}; its figures were not checked").format(
                message=p.message),
                                    "warning") for p in exc.problems)
        except PublisherError as exc:
            problems.append(Problem(article.source.path, None, "sources",
                                    _("{exc}; its figures were not checked").format(exc=exc), "warning"))
