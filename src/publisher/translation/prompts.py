"""The translation prompt, the schema of its answer, and the prompt version every block's fingerprint carries."""

from __future__ import annotations

from typing import Any

PROMPT_VERSION = "translate-1"
"""Bump when the prompt changes meaningfully: it is part of every block's fingerprint."""

SYSTEM_PROMPT = """Translate business-article segments from {source} into {target}.
Input JSON: "segments" [{{"id", "text" (Markdown)}}]; maybe "context_before"/"context_after" (neighbouring
source, do not translate), "glossary" (required translations), and per segment "previous_translation" +
"source_diff" (revise a person's translation to the new source, keeping their wording where unchanged) or
"problems_last_time" (fix them).
Rules: translate fully, natural business register. Keep each placeholder like ⟦0⟧ exactly once. Keep the
Markdown structure (block type, heading level, list markers, table pipes, > quotes, ** markers). Keep
① ❶ ⑴ 【】 ↓ ■ exactly. Keep every number and date as written. No HTML, links or URLs. Use the glossary.
Answer JSON {{"segments": [{{"id", "text"}}]}}: every input id once, no others."""

REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"segments": {"type": "array", "items": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
        "required": ["id", "text"], "additionalProperties": False}}},
    "required": ["segments"],
    "additionalProperties": False,
}
