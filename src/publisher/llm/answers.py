"""The one reader of JSON answers from models: reasoning removed, a code fence tolerated, one object or a reason.

Thinking models served by Ollama, vLLM and others put their reasoning in
`content` before the answer: `<think>…</think>` (Qwen3, DeepSeek-R1
distills), an empty `<think></think>` when thinking is switched off with
`/no_think`, or only the closing `</think>` when the server's chat template
opens the block itself. Reasoning may mention the tags, or JSON, itself; so
the answer is what follows a closing tag *and* parses, trying each closing
tag in turn. `reasoning_content` (DeepSeek's reasoner, vLLM's reasoning
parser) never reaches this module: the client reads only `content`.
Translation, drafting, revising, alt texts and the fact check all read
answers here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .feedback import Feedback

_FENCE = re.compile(r"^\s*```(?:json|JSON)?\s*\n(.*?)\n?```\s*$", re.DOTALL)
_OPEN = "<think>"
_CLOSE = "</think>"

NOT_JSON = Feedback("it was not one JSON object of the shape asked for")
ONLY_REASONING = Feedback("it was only the model's reasoning (a <think> block that never closed); turn thinking off "
                          "(llm.thinking = false) or use a model that answers without it")


@dataclass(frozen=True)
class JSONAnswer:
    """What a model's reply held."""

    value: dict[str, Any] | None
    """The JSON object of the answer; None when there was none."""
    problem: str = ""
    """Why there is no object (empty when there is one), as a phrase for messages and for the model's retry."""


def _object(text: str) -> dict[str, Any] | None:
    match = _FENCE.match(text)
    try:
        value = json.loads(match.group(1) if match else text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def read_json_answer(text: str) -> JSONAnswer:
    """The JSON object of a reply, after any leading reasoning block; or why there is none."""
    stripped = text.strip()
    if _CLOSE not in stripped:
        if stripped.startswith(_OPEN):
            return JSONAnswer(None, ONLY_REASONING)
        value = _object(stripped)
        return JSONAnswer(value, "" if value is not None else NOT_JSON)
    start = 0
    while (end := stripped.find(_CLOSE, start)) != -1:
        value = _object(stripped[end + len(_CLOSE):].strip())
        if value is not None:
            return JSONAnswer(value)
        start = end + len(_CLOSE)
    if not stripped.startswith(_OPEN) and _object(stripped) is not None:
        return JSONAnswer(_object(stripped))  # an answer that merely contains the tag in a string
    return JSONAnswer(None, NOT_JSON)


def parse_json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in `text` (reasoning removed, a code fence tolerated), or None."""
    return read_json_answer(text).value
