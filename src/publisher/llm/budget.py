"""Token estimates, so that no request to the model exceeds `llm.context_tokens`.

Tokenizers differ per model; what matters is an estimate that errs on the
large side for the text we send: one token per CJK character (BPE
tokenizers such as o200k give one or fewer per kana or kanji) and one per
four other characters. A request counts its messages, the JSON schema it
sends, a few tokens of framing per message, and the answer it reserves
(`max_tokens`).
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from ..errors import PublisherError
from ..i18n import _

MESSAGE_OVERHEAD = 4
"""Tokens of framing per chat message (role, separators)."""

RETRY_MARGIN = 350
"""Room a request leaves for the note a retry adds (`structured.ask_json`: at most 300 characters of problems)."""


def estimate_tokens(text: str) -> int:
    """One token per CJK character (U+2E80 and above), one per four others, rounded up."""
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return cjk + (len(text) - cjk + 3) // 4


def request_tokens(messages: Sequence[Mapping[str, str]], schema: Mapping[str, Any] | None = None,
                   max_tokens: int = 0) -> int:
    """The whole request: messages, the schema (sent as response_format or in the prompt), the reserved answer."""
    total = sum(estimate_tokens(m.get("content") or "") + MESSAGE_OVERHEAD for m in messages)
    if schema is not None:
        total += estimate_tokens(json.dumps(schema, ensure_ascii=False)) + 40  # the fallback's instruction words
    return total + max_tokens


class BudgetError(PublisherError):
    """A request would not fit in `llm.context_tokens` even at its smallest."""


def check_fits(what: str, tokens: int, budget: int) -> None:
    """Refuse to send a request that is over budget (the planner should have made it fit)."""
    if tokens > budget:
        raise BudgetError(_("{what} needs about {tokens} tokens, more than llm.context_tokens = {budget}; raise "
                            "llm.context_tokens in publisher.toml (or shorten the brief / lower --words)").format(
                                what=what, tokens=tokens, budget=budget))
