"""The outline request: the brief and a digest of the sources that fits the budget -> the article's plan."""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from ...llm.budget import RETRY_MARGIN, BudgetError, estimate_tokens, request_tokens
from ...llm.client import LLMClient
from ...config.llm import LLMSettings
from ...llm.structured import AnswerCache, ask_json
from .model import DraftOptions, FILLED, Outline, SectionPlan, _text
from .passages import _Indexed, _section_bounds, _Source
from .prompts import OUTLINE_PROMPT, OUTLINE_SCHEMA
from ...i18n import _
from ...llm.feedback import Feedback


# ---------------------------------------------------------------- the requests


def _messages(system: str, payload: dict[str, Any]) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def _outline_payload(brief: str, options: DraftOptions, sources: list[_Source], digest: dict[str, list[dict]]
                     ) -> dict[str, Any]:
    least, most = _section_bounds(options.words)
    return {"task": "draft_outline", "brief": brief, "title": options.title or "", "target_chars": options.words,
            "sections": {"min": least, "max": most},
            "sources": [{"name": s.name, "kind": s.document.kind, "chars": len(s.document.text),
                         "passages": digest.get(s.name, [])} for s in sources]}


def _outline_answer_tokens(options: DraftOptions) -> int:
    return 400 + 220 * _section_bounds(options.words)[1]


def _digest(sources: list[_Source], indexed: list[_Indexed], room: int, build: Callable[[dict], dict]
            ) -> dict[str, list[dict]]:
    """Each passage's id, place and first characters; shorter, then every k-th passage, until it fits `room`."""
    by_source: dict[str, list[_Indexed]] = {}
    for item in indexed:
        by_source.setdefault(item.passage.source, []).append(item)

    def make(length: int, step: int) -> dict[str, list[dict]]:
        digest: dict[str, list[dict]] = {}
        for name, items in by_source.items():
            picked = items[::step] if step > 1 else items
            digest[name] = [{"id": i.id, "where": i.passage.where,
                             "start": " ".join(i.passage.text.split())[:length]} for i in picked]
        return digest

    def size(digest: dict[str, list[dict]]) -> int:
        return estimate_tokens(json.dumps(build(digest), ensure_ascii=False))

    for length in (100, 70, 45, 28):
        digest = make(length, 1)
        if size(digest) <= room:
            return digest
    step = 2
    while step <= len(indexed):
        digest = make(28, step)
        if size(digest) <= room:
            return digest
        step += 1
    raise BudgetError(_("not even a short digest of the sources fits in the {room} tokens the outline request has "
                        "left; raise llm.context_tokens in publisher.toml, or shorten the brief").format(
                            room=room))


def _outline(client: LLMClient, settings: LLMSettings, cache: AnswerCache, brief: str, options: DraftOptions,
             sources: list[_Source], indexed: list[_Indexed], language: str) -> Outline:
    system = OUTLINE_PROMPT.format(language=language)
    answer_tokens = _outline_answer_tokens(options)
    fixed = request_tokens([{"role": "system", "content": system}, {"role": "user", "content": ""}], OUTLINE_SCHEMA,
                           answer_tokens) + RETRY_MARGIN
    room = settings.context_tokens - fixed
    if room <= estimate_tokens(json.dumps(_outline_payload(brief, options, sources, {}), ensure_ascii=False)):
        raise BudgetError(_("the brief does not fit in llm.context_tokens = {context_tokens} with the outline's "
                            "answer; shorten the brief or raise llm.context_tokens").format(
                                context_tokens=settings.context_tokens))
    digest = _digest(sources, indexed, room, lambda d: _outline_payload(brief, options, sources, d))
    least, most = _section_bounds(options.words)

    def check(answer: dict[str, Any]) -> list[str]:
        problems = []
        if not options.title and not _text(answer.get("title")):
            problems.append(Feedback("`title` is empty"))
        sections = answer.get("sections")
        if not isinstance(sections, list) or not least - 1 <= len(sections) <= most + 1:
            problems.append(Feedback("plan {least} to {most} sections", least=least, most=most))
            return problems
        for number, section in enumerate(sections, start=1):
            if not isinstance(section, dict) or not _text(section.get("heading")) or not _text(section.get("plan")):
                problems.append(Feedback("section {number} needs a heading and a plan", number=number))
            elif len((section.get("series") or {}).get("items") or []) > len(FILLED):
                problems.append(Feedback("section {number}: at most {count} series items", number=number,
                                         count=len(FILLED)))
        return problems

    answer = ask_json(client, _messages(system, _outline_payload(brief, options, sources, digest)),
                      schema=OUTLINE_SCHEMA, name="outline", purpose="draft", what=_("the outline"), check=check,
                      max_tokens=answer_tokens, budget=settings.context_tokens, cache=cache)
    plans = []
    for number, section in enumerate(answer["sections"], start=1):
        series = section.get("series") or {}
        items = tuple(_text(i) for i in series.get("items") or [] if _text(i))
        label = _text(series.get("label")).strip("【】") if items else ""
        plans.append(SectionPlan(number, _strip_number(_text(section["heading"])), _text(section["plan"]),
                                 tuple(_text(k) for k in section.get("keywords") or [] if _text(k)),
                                 label, items if label else ()))
    tags = tuple(dict.fromkeys(_text(t).lstrip("#") for t in answer.get("tags") or [] if _text(t)))[:5]
    return Outline(_text(answer.get("title")), _text(answer.get("summary")), tags, tuple(plans))

# ---------------------------------------------------------------- Markdown


def _strip_number(heading: str) -> str:
    """`2. 見出し`, `第2章 見出し`, `②見出し` -> `見出し` (the `## N.` number is added here)."""
    return re.sub(r"^\s*(?:第?[0-9０-９]+[.．、章節:：]?\s*|[①-⑳❶-❿]\s*)", "", heading).strip() or heading
