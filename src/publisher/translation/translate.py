"""`publish translate`: segment-level, incremental, glossary-bound, structure-safe.

Flow: plan every translation from the files (`plan.py`); take what the cache
already holds; send the rest in batches with ids, neighbouring text as
context and the glossary terms they contain; check each reply (`checks.py`),
retry a failed check once with the problems, then split the batch, then give
up on that block; keep every checked translation in the cache at once; write
a translation file (atomically) only when all its blocks are done, then its
lock. A person's text is never overwritten.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable

from ..config import SiteConfig
from ..errors import PublisherError
from ..i18n import _
from ..llm.client import LLMClient
from ..llm.feedback import shown
from .glossary import load_glossary
from .lock import TranslationCache
from ..config.llm import LLMSettings
from ..llm.usage import Prices, UsageSummary
from .assemble import _assemble
from .batches import _batches, _Translator, _Unit, _units_of
from .adopt import adopt
from .plan import plan_site
from .prompts import PROMPT_VERSION
from .reports import AdoptReport, DocumentReport, TranslateOptions, TranslateReport, TranslationError


def translate_site(config: SiteConfig, settings: LLMSettings, options: TranslateOptions, *,
                   client: LLMClient | None = None,
                   progress: Callable[[int, int], None] = lambda done, total: None) -> TranslateReport:
    """Bring every translation up to date; see the module docstring."""
    state_dir = settings.state_dir
    plans = [p for p in plan_site(config, slugs=options.slugs, languages=options.languages, state_dir=state_dir)]
    caches = {lang: TranslationCache(state_dir, lang) for lang in {p.lang for p in plans}}
    glossary_path = config.root / "glossary.csv"
    glossaries = {lang: load_glossary(glossary_path, config.source_language.code, lang) for lang in caches}
    reports = [DocumentReport(p.slug, p.lang, p.target_path) for p in plans]
    work: list[tuple[int, list[_Unit], dict[str, str], dict[str, str]]] = []
    for doc, plan in enumerate(plans):
        report = reports[doc]
        if plan.exists and not plan.tracked:
            report.notes.append(_("{name} was written by a person and is not tracked yet: run `publish translate "
                                  "--adopt` first (nothing was changed)").format(
                                      name=plan.target_path.name))
            continue
        units, known, item_origins = _units_of(doc, plan, settings, glossaries[plan.lang], caches[plan.lang],
                                 options.update_reviewed)
        report.reused = sum(1 for key in known if not key.startswith("b") or
                            plan.blocks[int(key[1:])].state != "copy")
        if plan.count("review") and not options.update_reviewed:
            report.notes.append(_("{count} block(s) need review: a person's translation whose source changed; "
                                  "check them, or run `publish translate --update-reviewed`").format(
                                      count=plan.count('review')))
        if plan.count("edited"):
            report.notes.append(_("{count} block(s) edited by hand, kept as they are").format(
                                      count=plan.count('edited')))
        if plan.edited_without_source:
            report.notes.append(_("{count} block(s) edited by hand translate source blocks that "
                                  "were removed; they are kept: delete them from {name} if unwanted").format(
                                      count=plan.edited_without_source, name=plan.target_path.name))
        if plan.orphans and plan.tracked:
            report.notes.append(_("{count} block(s) in {name} translate no source block (added by a person), "
                                  "kept").format(
                                      count=len(plan.orphans), name=plan.target_path.name))
        work.append((doc, units, known, item_origins))  # _assemble writes only what changed

    total = sum(len(units) for _doc, units, _known, _origins in work)
    done = 0
    progress(0, total)
    pending_batches: dict[int, int] = {}
    results: dict[int, dict[str, str]] = {}
    origins: dict[int, dict[str, str]] = {}
    batches: list[list[_Unit]] = []
    for doc, units, known, item_origins in work:
        results[doc] = dict(known)
        origins[doc] = item_origins
        doc_batches = _batches(units, settings.batch_chars)
        pending_batches[doc] = len(doc_batches)
        batches.extend(doc_batches)

    def finish(doc: int) -> None:
        report = reports[doc]
        if report.failed:
            report.notes.append(_("{name} not written: {count} block(s) failed; the rest is cached, run again to "
                                  "retry only those").format(
                                      name=plans[doc].target_path.name, count=len(report.failed)))
            return
        _assemble(plans[doc], results[doc], origins[doc], report)

    own_client = client is None
    if client is None and batches:
        from ..llm.usage import UsageLog
        client = LLMClient(settings, api_key=settings.api_key(), usage_log=UsageLog(settings.usage_log))
    for doc, _units, _known, _origins in work:
        if pending_batches[doc] == 0:
            finish(doc)
    translator = _Translator(client, settings, plans, glossaries, caches, config) if batches else None
    records_before = len(client.usage_log.records) if client is not None and client.usage_log else 0
    executor = ThreadPoolExecutor(max_workers=settings.concurrency) if batches else None
    interrupted = False
    try:
        if executor is not None and translator is not None:
            futures: dict[Future, list[_Unit]] = {executor.submit(translator.run, batch): batch for batch in batches}
            outstanding = set(futures)
            while outstanding:
                finished, outstanding = wait(outstanding, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = futures[future]
                    doc = batch[0].doc
                    accepted, failed = future.result()
                    results[doc].update(accepted)
                    for key, problems in failed.items():
                        reports[doc].failed.append(f"{key}: {shown(problems)}")
                    reports[doc].translated += len(accepted)
                    done += len(batch)
                    progress(done, total)
                    pending_batches[doc] -= 1
                    if pending_batches[doc] == 0:
                        finish(doc)
    except KeyboardInterrupt:
        interrupted = True
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        raise TranslationError(_("interrupted: translations finished so far are kept (written files are complete, "
                                 "checked blocks are cached in .publisher/translations/); run the command again to "
                                 "continue")) from None
    except PublisherError as exc:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        raise TranslationError(_("{exc}. Blocks translated before this are kept in .publisher/translations/; run "
                                 "the command again to continue").format(exc=exc)) from None
    finally:
        if executor is not None and not interrupted:
            executor.shutdown(wait=True)
        if own_client and client is not None:
            client.close()
    usages = client.usage_log.records[records_before:] if client is not None and client.usage_log else []
    prices = Prices(settings.price_input_per_million, settings.price_cached_input_per_million,
                    settings.price_output_per_million)
    learned = client.learned if client is not None else ()
    return TranslateReport(tuple(reports), UsageSummary.of(usages, prices), learned)


__all__ = ["PROMPT_VERSION", "AdoptReport", "DocumentReport", "TranslateOptions",
           "TranslateReport", "TranslationError", "adopt", "plan_site", "translate_site"]
