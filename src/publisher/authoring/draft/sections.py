"""One request per section (its chosen passages) and one for the closing summary."""

from __future__ import annotations

import re
from typing import Any

from ...llm.budget import RETRY_MARGIN, BudgetError, request_tokens
from ...llm.client import LLMClient
from ...config.llm import LLMSettings
from ...llm.structured import AnswerCache, ask_json
from .model import DraftOptions, Outline, SectionPlan, _text
from .outline import _messages
from .passages import _Indexed, _passage_entry, _section_answer_tokens
from .prompts import BLOCK_KINDS, CLOSING_PROMPT, CLOSING_SCHEMA, SECTION_PROMPT, SECTION_SCHEMA
from ...i18n import _
from ...llm.feedback import Feedback


def _section_payload(brief: str, outline: Outline, plan: SectionPlan, target: int,
                     passages: list[dict[str, str]]) -> dict[str, Any]:
    return {"task": "draft_section", "brief": brief, "title": outline.title,
            "outline": [f"{p.number}. {p.heading}" for p in outline.sections],
            "section": {"number": plan.number, "of": len(outline.sections), "heading": plan.heading, "plan": plan.plan,
                        "series": {"label": plan.series_label, "items": list(plan.series_items)}},
            "target_chars": target, "passages": passages}


def _section_room(budget: int, brief: str, outline: Outline, plan: SectionPlan, options: DraftOptions,
                  language: str, total: int) -> int:
    """Tokens left for a section's passages once everything else of its request is counted."""
    target = options.words // total
    empty = _messages(SECTION_PROMPT.format(language=language), _section_payload(brief, outline, plan, target, []))
    room = budget - request_tokens(empty, SECTION_SCHEMA, _section_answer_tokens(target)) - RETRY_MARGIN
    if room < 300:
        raise BudgetError(_("section {number} leaves no room for source passages within llm.context_tokens = "
                            "{budget}; raise llm.context_tokens, or lower --words").format(
                                number=plan.number, budget=budget))
    return room


def _write_section(client: LLMClient, settings: LLMSettings, cache: AnswerCache, brief: str, outline: Outline,
                   plan: SectionPlan, passages: list[_Indexed], target: int, language: str) -> list[dict[str, Any]]:
    sent = {item.id for item in passages}
    payload = _section_payload(brief, outline, plan, target, [_passage_entry(i) for i in passages])

    def check(answer: dict[str, Any]) -> list[str]:
        blocks = answer.get("blocks")
        if not isinstance(blocks, list) or not blocks:
            return [Feedback("`blocks` must be a non-empty list")]
        problems = []
        for number, block in enumerate(blocks, start=1):
            if not isinstance(block, dict) or block.get("kind") not in BLOCK_KINDS:
                problems.append(Feedback("block {number}: kind must be one of {kinds}", number=number,
                                         kinds=", ".join(BLOCK_KINDS)))
                continue
            kind = block["kind"]
            if kind == "list" and not [i for i in block.get("items") or [] if _text(i)]:
                problems.append(Feedback("block {number}: a list needs items", number=number))
            elif kind not in ("flow", "list") and not _text(block.get("text")):
                problems.append(Feedback("block {number}: {kind} needs text", number=number, kind=kind))
            unknown = [s for s in block.get("sources") or [] if s not in sent]
            if unknown:
                problems.append(Feedback("block {number} cites {ids}, which were not sent; cite only the ids of the "
                                         "passages given", number=number, ids=", ".join(map(str, unknown))))
        if not any(b.get("kind") in ("point", "text", "list", "term") for b in blocks if isinstance(b, dict)):
            problems.append(Feedback("the section has no text"))
        return problems

    answer = ask_json(client, _messages(SECTION_PROMPT.format(language=language), payload), schema=SECTION_SCHEMA,
                      name="section", purpose="draft", what=_("section {number}").format(number=plan.number),
                      check=check,
                      max_tokens=_section_answer_tokens(target), budget=settings.context_tokens, cache=cache)
    return answer["blocks"]


def _closing(client: LLMClient, settings: LLMSettings, cache: AnswerCache, brief: str, outline: Outline,
             sections: list[str], language: str) -> str:
    system = CLOSING_PROMPT.format(language=language)
    answer_tokens = 400

    def payload(gist_chars: int) -> dict[str, Any]:
        return {"task": "draft_closing", "title": outline.title, "brief": brief,
                "sections": [{"heading": plan.heading, "gist": _gist(text, gist_chars)}
                             for plan, text in zip(outline.sections, sections)]}

    gist_chars = 300
    while gist_chars > 20 and request_tokens(_messages(system, payload(gist_chars)), CLOSING_SCHEMA,
                                             answer_tokens) + RETRY_MARGIN > settings.context_tokens:
        gist_chars //= 2

    def check(answer: dict[str, Any]) -> list[str]:
        return [] if _text(answer.get("summary")) else [Feedback("`summary` is empty")]

    answer = ask_json(client, _messages(system, payload(gist_chars)), schema=CLOSING_SCHEMA, name="closing",
                      purpose="draft", what=_("the closing summary"), check=check, max_tokens=answer_tokens,
                      budget=settings.context_tokens, cache=cache)
    return _text(answer["summary"]).lstrip("■ ").strip()


def _gist(markdown: str, chars: int) -> str:
    """The section's prose without markup and markers, cut to `chars`."""
    text = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    text = re.sub(r"^(#+ |> |- )", "", text, flags=re.MULTILINE).replace("**", "")
    return " ".join(text.split())[:chars]
