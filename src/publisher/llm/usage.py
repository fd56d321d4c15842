"""Token usage per call, the JSON Lines usage log, and the cost summary."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from ..i18n import _


@dataclass(frozen=True)
class Usage:
    """What one call used."""

    model: str
    """Model that answered (as the endpoint reported it)."""
    purpose: str
    """What the call was for (`translate`, `draft`, ...)."""
    at: str
    """When the call started (ISO 8601)."""
    prompt_tokens: int = 0
    """Input tokens, cached ones included."""
    cached_tokens: int = 0
    """Input tokens the provider served from its prompt cache (cheaper)."""
    completion_tokens: int = 0
    """Output tokens."""
    seconds: float = 0.0
    """Wall time of the call, retries included."""
    finish_reason: str = "stop"
    """`stop`, `length`, or `error` when the call failed."""
    learned: str = ""
    """What the endpoint's refusal of this call taught (`max_completion_tokens instead of max_tokens`), if anything."""

    @classmethod
    def from_openai(cls, usage: Any, **fields: Any) -> "Usage":
        """From an `openai` usage object (None when the endpoint sent none)."""
        if usage is None:
            return cls(**fields)
        details = getattr(usage, "prompt_tokens_details", None)
        cached = getattr(details, "cached_tokens", None) or 0
        return cls(prompt_tokens=usage.prompt_tokens or 0, completion_tokens=usage.completion_tokens or 0,
                   cached_tokens=cached, **fields)


@dataclass(frozen=True)
class Prices:
    """Prices per million tokens, from `[llm]`."""

    input: float
    """Uncached input."""
    cached_input: float
    """Cached input."""
    output: float
    """Output."""


@dataclass(frozen=True)
class UsageSummary:
    """Totals over many calls, for the end-of-run summary."""

    requests: int
    prompt_tokens: int
    cached_tokens: int
    completion_tokens: int
    cost: float
    """Estimated cost from the configured prices (0 when no prices are set)."""
    priced: bool = True
    """Whether any price is configured (otherwise the cost is not shown as a figure)."""

    @classmethod
    def of(cls, usages: Iterable[Usage], prices: Prices) -> "UsageSummary":
        items = list(usages)
        prompt = sum(u.prompt_tokens for u in items)
        cached = sum(u.cached_tokens for u in items)
        completion = sum(u.completion_tokens for u in items)
        cost = ((prompt - cached) * prices.input + cached * prices.cached_input
                + completion * prices.output) / 1_000_000
        return cls(requests=len(items), prompt_tokens=prompt, cached_tokens=cached,
                   completion_tokens=completion, cost=cost,
                   priced=bool(prices.input or prices.cached_input or prices.output))

    def describe(self) -> str:
        if self.priced:
            text = _("{requests} request(s), {prompt} input tokens ({cached} cached), {completion} output tokens, "
                     "estimated cost {cost}")
        else:
            text = _("{requests} request(s), {prompt} input tokens ({cached} cached), {completion} output tokens, "
                     "no cost estimate (set llm.price_input_per_million and the other prices)")
        return text.format(requests=self.requests, prompt=self.prompt_tokens, cached=self.cached_tokens,
                           completion=self.completion_tokens, cost=f"{self.cost:.4f}")


class UsageLog:
    """Appends one JSON line per call; also keeps this run's records in memory."""

    def __init__(self, path: Path):
        self.path = path
        self.records: list[Usage] = []
        self._lock = threading.Lock()

    def append(self, usage: Usage) -> None:
        line = json.dumps(asdict(usage), ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock:
            self.records.append(usage)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as stream:
                stream.write(line)
                stream.flush()
                os.fsync(stream.fileno())
