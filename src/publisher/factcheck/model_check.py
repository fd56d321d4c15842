"""`publish factcheck --llm`: ask the model whether each sentence with a figure is supported by its passage.

The passage is the one the paragraph's source marker cites (resolved with
`find_passage`), else the closest passage the deterministic check finds.
One request per sentence, structured output (`supported`: yes/no/unclear and
a reason), through the one `LLMClient`; requests run `llm.concurrency` at a time.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Callable

from ..config import SiteConfig
from ..content import Article
from ..llm.answers import NOT_JSON, read_json_answer
from ..llm.client import LLMClient, LLMError
from ..config.llm import LLMSettings
from ..llm.usage import UsageLog
from ..i18n import _
from ..sources import Passage, find_passage
from .check import FactcheckReport, Located, Verdict, article_figures, closest_passage, load_sources

SCHEMA = {
    "type": "object",
    "properties": {
        "supported": {"type": "string", "enum": ["yes", "no", "unclear"]},
        "reason": {"type": "string"},
    },
    "required": ["supported", "reason"],
    "additionalProperties": False,
}

SYSTEM = (
    "You check the figures in a business article against its source documents. You get one sentence of the "
    "article and the source passage it cites. Answer whether the passage supports every figure in the sentence "
    "(numbers, amounts, percentages, dates, counts), allowing for different notation (9.6万 = 96,000; full-width "
    "digits; 約 for rounding). Answer `yes` when it does, `no` when the passage contradicts a figure or does not "
    "contain it, `unclear` when the passage is not enough to tell. Give the reason in one short sentence, in the "
    "language of the sentence.")

TaskProgress = Callable[[int, int], None]


def model_verdicts(config: SiteConfig, article: Article, report: FactcheckReport, settings: LLMSettings, *,
                   progress: TaskProgress | None = None) -> FactcheckReport:
    """`report` with the model's verdict on each sentence that has a figure."""
    indexes = load_sources(config, article)
    docs = [index.doc for index in indexes]
    sentences: dict[tuple[int, str], Located] = {}
    for item in article_figures(article, report.lang):
        sentences.setdefault((item.line, item.sentence), item)
    tasks = []
    for item in sentences.values():
        passages = [p for p in (find_passage(docs, anchor) for anchor in item.block.anchors) if p is not None]
        if not passages:
            closest, _score = closest_passage(item.sentence, indexes)
            passages = [closest] if closest is not None else []
        tasks.append((item, passages))
    client = LLMClient(settings, api_key=settings.api_key(), usage_log=UsageLog(settings.usage_log))
    done = 0

    def ask(task: tuple[Located, list[Passage]]) -> Verdict:
        item, passages = task
        return _ask(client, settings, report, item, passages)

    verdicts = []
    try:
        with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
            for verdict in pool.map(ask, tasks):
                verdicts.append(verdict)
                done += 1
                if progress is not None:
                    progress(done, len(tasks))
    finally:
        client.close()
    return replace(report, verdicts=tuple(verdicts))


def _ask(client: LLMClient, settings: LLMSettings, report: FactcheckReport, item: Located,
         passages: list[Passage]) -> Verdict:
    anchors = tuple(p.anchor for p in passages)
    if not passages:
        return Verdict(report.path, item.line, item.sentence, (), "unclear",
                       _("no source passage shares anything with this sentence"))
    budget = max(200, settings.batch_chars)
    text = "\n\n".join(f"[{p.anchor}]\n{p.text}" for p in passages)[:budget]
    request = json.dumps({"task": "factcheck", "sentence": item.sentence, "passages": text}, ensure_ascii=False)
    result = client.chat([{"role": "system", "content": SYSTEM}, {"role": "user", "content": request}],
                         json_schema=SCHEMA, schema_name="factcheck", purpose="factcheck", max_tokens=300)
    parsed = read_json_answer(result.text)
    answer = parsed.value or {}
    supported = answer.get("supported")
    if result.finish_reason == "length" or supported not in ("yes", "no", "unclear"):
        client.answer_unusable(parsed.problem or _("the answer was not the JSON asked for"))
        if parsed.problem and parsed.problem != NOT_JSON:
            why = _("the model's answer was not the JSON asked for ({problem})").format(problem=parsed.problem)
        else:
            why = _("the model's answer was not the JSON asked for")
        return Verdict(report.path, item.line, item.sentence, anchors, "unclear", why)
    client.answer_usable()
    reason = str(answer.get("reason", "")).strip()
    return Verdict(report.path, item.line, item.sentence, anchors, supported, reason or _("(no reason given)"))


__all__ = ["LLMError", "model_verdicts"]
