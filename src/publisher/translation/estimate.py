"""`publish translate --dry-run`: what a run would send, counted without sending anything.

The same plan, cache lookups and batches as a real run; each batch's
messages are built as they would be sent and measured with the budget's
token estimate (`llm/budget.py`). Answers are estimated at the size of
the text they translate plus the JSON around it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..config import SiteConfig
from ..config.llm import LLMSettings
from ..llm.budget import estimate_tokens, request_tokens
from ..i18n import _
from .batches import _batches, _Translator, _units_of
from .glossary import load_glossary
from .lock import TranslationCache
from .plan import plan_site
from .prompts import REPLY_SCHEMA
from .reports import TranslateOptions


@dataclass(frozen=True)
class TranslateEstimate:
    """What a run would send."""

    files: int
    """Translation files that would be (re)written."""
    segments: int
    """Blocks and fields that would be sent (not those in the cache)."""
    requests: int
    """Requests if every answer passes the checks."""
    input_tokens: int
    """Estimated input tokens of those requests (prompt, schema, context and glossary)."""
    output_tokens: int
    """Estimated output tokens."""
    worst_requests: int
    """Most requests if answers keep failing: the run stops after `stop_after_failures` unusable answers in a
    row, plus what was already in flight (`concurrency` - 1)."""

    def describe(self, settings: LLMSettings) -> str:
        cost = ((self.input_tokens * settings.price_input_per_million
                 + self.output_tokens * settings.price_output_per_million) / 1_000_000)
        priced = settings.price_input_per_million or settings.price_output_per_million
        if priced:
            text = _("dry run, nothing sent: {requests} request(s) for {segments} segment(s) in {files} file(s), "
                     "about {input} input and {output} output tokens, estimated cost {cost}; if the endpoint's "
                     "answers are unusable the run stops after at most {worst} request(s)")
        else:
            text = _("dry run, nothing sent: {requests} request(s) for {segments} segment(s) in {files} file(s), "
                     "about {input} input and {output} output tokens; if the endpoint's answers are unusable the "
                     "run stops after at most {worst} request(s)")
        return text.format(requests=self.requests, segments=self.segments, files=self.files,
                           input=self.input_tokens, output=self.output_tokens, cost=f"{cost:.4f}",
                           worst=self.worst_requests)


def estimate_site(config: SiteConfig, settings: LLMSettings, options: TranslateOptions) -> TranslateEstimate:
    """Count the requests and tokens `translate_site` would send for `options`; no model is called."""
    plans = plan_site(config, slugs=options.slugs, languages=options.languages, state_dir=settings.state_dir)
    caches = {lang: TranslationCache(settings.state_dir, lang) for lang in {p.lang for p in plans}}
    glossaries = {lang: load_glossary(config.root / "glossary.csv", config.source_language.code, lang)
                  for lang in caches}
    translator = _Translator(None, settings, plans, glossaries, caches, config)  # type: ignore[arg-type]
    files = segments = requests = input_tokens = output_tokens = 0
    for doc, plan in enumerate(plans):
        if plan.exists and not plan.tracked:
            continue
        units, _known, _origins = _units_of(doc, plan, settings, glossaries[plan.lang], caches[plan.lang],
                                            options.update_reviewed)
        if not units:
            continue
        files += 1
        segments += len(units)
        for batch in _batches(units, settings.batch_chars):
            requests += 1
            input_tokens += request_tokens(translator._messages(batch, None), REPLY_SCHEMA)
            answer = {"segments": [{"id": u.key, "text": u.protected.text} for u in batch]}
            output_tokens += estimate_tokens(json.dumps(answer, ensure_ascii=False))
    worst = min(2 * requests, settings.stop_after_failures + settings.concurrency - 1)
    return TranslateEstimate(files, segments, requests, input_tokens, output_tokens, worst)
