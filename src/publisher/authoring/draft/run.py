"""`draft_article`: the steps in order, the resume cache, the fact check of the result."""

from __future__ import annotations

import hashlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from ...config import SiteConfig
from ...content.loader import SLUG_PATTERN
from ...errors import Problem, PublisherError, shown_path
from ...sources import split_passages
from ...llm.client import LLMClient
from ...config.llm import LLMSettings
from ...llm.structured import AnswerCache
from ...languages import LANGUAGE_NAMES
from ...llm.usage import Prices, UsageLog, UsageSummary
from .composing import _derived_slug, _document, _refuse_existing, _section_markdown, _write_folder
from .model import DraftError, DraftOptions, DraftReport, PROMPT_VERSION, SectionPlan
from .outline import _outline
from .passages import (_index, _Indexed, _passage_chars, _read_sources, _section_answer_tokens, _section_bounds,
                       _select, _Source)
from .sections import _closing, _section_room, _write_section
from ...i18n import _


# ---------------------------------------------------------------- entry point


def draft_article(config: SiteConfig, settings: LLMSettings, options: DraftOptions, *,
                  client: LLMClient | None = None, progress: Callable[[str], None] = lambda step: None) -> DraftReport:
    """Write a new article from `options.sources` following `options.brief`; see the module docstring."""
    brief = options.brief.strip()
    if not brief:
        raise DraftError(_("the brief is empty; say what the article should cover, e.g. --brief \"…\""))
    if not options.sources:
        raise DraftError(_("no sources: give at least one --source FILE (.txt, .md, .pdf or .csv)"))
    if not 500 <= options.words <= 40_000:
        raise DraftError(_("--words {words}: give a length between 500 and 40000 characters").format(
                               words=options.words))
    if options.slug is not None and not SLUG_PATTERN.match(options.slug):
        raise DraftError(_("--slug {slug}: a slug is the URL; use lower-case letters, digits and hyphens, e.g. "
                           "'guangdong-clusters-2026'").format(slug=repr(options.slug)))
    early_slug = options.slug or (_derived_slug(options.code, options.title) if options.title else None)
    if early_slug:
        _refuse_existing(config, early_slug, options.force)
    language = LANGUAGE_NAMES.get(config.source_language.code, config.source_language.code)

    progress(_("reading sources"))
    sources = _read_sources(options.sources)
    budget = settings.context_tokens
    section_answer = _section_answer_tokens(options.words // _section_bounds(options.words)[0])
    passage_chars = _passage_chars(budget, section_answer, brief)
    for source in sources:
        source.passages = split_passages(source.document, passage_chars)
    indexed = _index([p for s in sources for p in s.passages])
    if not indexed:
        raise DraftError(_("the sources have no text to draft from"))

    cache = AnswerCache(settings.state_dir / "drafts" / f"{_run_key(settings, options, brief, sources)}.jsonl")
    own_client = client is None
    client = client or LLMClient(settings, api_key=settings.api_key(), usage_log=UsageLog(settings.usage_log))
    records_before = len(client.usage_log.records) if client.usage_log else 0
    step = _("the outline")
    try:
        progress(_("outline"))
        outline = _outline(client, settings, cache, brief, options, sources, indexed, language)
        total = len(outline.sections)
        chosen: list[list[_Indexed]] = []
        for plan in outline.sections:
            progress(_("section {number}/{total}: selecting passages").format(number=plan.number, total=total))
            chosen.append(_select(plan, indexed, _section_room(budget, brief, outline, plan, options, language,
                                                               total)))
        written: dict[int, list[dict[str, Any]]] = {}

        def write(plan: SectionPlan) -> list[dict[str, Any]]:
            progress(_("section {number}/{total}: writing").format(number=plan.number, total=total))
            return _write_section(client, settings, cache, brief, outline, plan, chosen[plan.number - 1],
                                  options.words // total, language)

        pool = ThreadPoolExecutor(max_workers=max(1, settings.concurrency))
        interrupted = False
        try:
            futures = {plan.number: pool.submit(write, plan) for plan in outline.sections}
            for number, future in futures.items():
                step = _("section {number}/{total} ({heading})").format(number=number, total=total,
                             heading=outline.sections[number - 1].heading)
                written[number] = future.result()
        except KeyboardInterrupt:
            interrupted = True
            pool.shutdown(wait=False, cancel_futures=True)  # requests in flight finish (and are kept) in the background
            raise
        finally:
            if not interrupted:
                pool.shutdown(wait=True)
        step = _("the closing summary")
        progress(_("summary"))
        series: Counter[str] = Counter()
        by_id = {i.id: i.passage for i in indexed}
        body_sections = [_section_markdown(plan, written[plan.number], by_id, series) for plan in outline.sections]
        closing = _closing(client, settings, cache, brief, outline, body_sections, language)
    except (PublisherError, KeyboardInterrupt) as exc:
        reason = _("interrupted") if isinstance(exc, KeyboardInterrupt) else str(exc)
        if len(cache):
            message = _("drafting stopped at {step}: {reason}. Nothing was written. The {count} answer(s) received "
                        "so far are kept in {path}: run the same command again to continue from there.")
        else:
            message = _("drafting stopped at {step}: {reason}. Nothing was written. Run the same command again.")
        raise DraftError(message.format(step=step, reason=reason, count=len(cache),
                                        path=shown_path(cache.path, config.root))) from None
    finally:
        if own_client:
            client.close()

    title = (options.title or outline.title).strip()
    slug = options.slug or _derived_slug(options.code, title)
    text = _document(config, options, outline, title, [s.name for s in sources], body_sections, closing)
    try:
        path, backup = _write_folder(config, slug, text, sources, options)
    except DraftError as exc:
        raise DraftError(_("{exc} The drafted text is kept in {path}: the same command with another --slug (or "
                           "--force) writes it without asking the model again.").format(
                               exc=exc, path=shown_path(cache.path, config.root))) from None
    cache.remove()
    progress(_("fact check"))
    factcheck, problems, notes = _check(config, slug)
    usages = client.usage_log.records[records_before:] if client.usage_log else []
    usage = UsageSummary.of(usages, Prices(settings.price_input_per_million, settings.price_cached_input_per_million,
                                           settings.price_output_per_million))
    return DraftReport(path=path, slug=slug, sources=tuple(s.name for s in sources), sections=len(outline.sections),
                       markers=text.count("<!-- source:"), backup=backup, problems=problems, factcheck=factcheck,
                       notes=notes, usage=usage)

def _check(config: SiteConfig, slug: str) -> tuple[Any, tuple[Problem, ...], tuple[str, ...]]:
    """The fact check of the new article, and what `publish check` says about it."""
    from ...content import load_site

    loaded = load_site(config)
    folder = (config.content_dir / slug).resolve()
    problems = tuple(p for p in loaded.problems if p.path.resolve().is_relative_to(folder))
    article = loaded.site.article(slug)
    if article is None:
        return None, problems, (_("the new article has errors (see above); fix them, then run `publish factcheck "
                                  "{slug}`").format(slug=slug),)
    try:
        from ...factcheck import check_article
    except ImportError:  # the fact check is not installed in this build
        return None, problems, (_("the fact check is not available; check the figures by hand"),)
    try:
        report = check_article(config, article)
    except PublisherError as exc:
        return None, problems, (_("the fact check could not run: {exc}").format(exc=exc),)
    seen = {(p.path, p.line, p.message) for p in problems}
    extra = tuple(p for p in report.problems() if (p.path, p.line, p.message) not in seen)
    return report, problems + extra, ()


def _run_key(settings: LLMSettings, options: DraftOptions, brief: str, sources: list[_Source]) -> str:
    """Identifies a drafting run by what its answers depend on (not the slug, code or --force)."""
    parts = [PROMPT_VERSION, settings.model, str(settings.context_tokens), brief, str(options.words),
             options.title or ""]
    for source in sources:
        parts += [source.name, hashlib.sha256(source.path.read_bytes()).hexdigest()]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:24]
