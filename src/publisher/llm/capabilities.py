"""What the endpoint takes, configured in `[llm]` and corrected by its refusals.

Endpoints that speak "the OpenAI API" differ: reasoning models refuse
`max_tokens` and any non-default `temperature`; some servers know only
`max_tokens`; DeepSeek refuses `response_format` json_schema; a server may
refuse an extra field it does not know. Each such 400 is read once: the
capability it names is switched (token parameter, temperature left out,
json_schema -> json_object -> JSON in the prompt, the extra field dropped)
and the request is sent again. Every switch only ever steps down, so a run
learns at most a handful of times; what was learned is kept for the run,
written to the usage log and reported with the setting that makes it
permanent.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..config.llm import LLMSettings

STRUCTURED_STEPS = {"json_schema": "json_object", "structured_outputs": "json_object", "json_object": "prompt"}
"""Where a refused way of asking for JSON steps down to."""

_REFUSAL_WORDS = ("unsupported", "not supported", "unrecognized", "unknown", "does not support", "unavailable",
                  "not permitted", "not allowed", "extra inputs", "invalid", "only the default", "must be set to")


@dataclass(frozen=True)
class Learned:
    """One capability learned from a refusal."""

    what: str
    """What changed, as a phrase (`max_completion_tokens instead of max_tokens`)."""
    setting: str
    """The `[llm]` line that makes it permanent (`token_parameter = "max_completion_tokens"`)."""


@dataclass
class Capabilities:
    """The request shape in use; thread-safe, shared by the requests of one run."""

    token_parameter: str
    """`max_tokens` or `max_completion_tokens`."""
    send_temperature: bool
    structured: str
    """One of `STRUCTURED_MODES`."""
    extra_body: dict[str, Any]
    image_response_format: bool = True
    """Whether the images endpoint takes `response_format` (gpt-image models refuse it: they always send base64)."""
    learned: list[Learned] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def of(cls, settings: LLMSettings) -> "Capabilities":
        token = "max_tokens" if settings.token_parameter == "auto" else settings.token_parameter
        return cls(token, settings.send_temperature, settings.structured_output, dict(settings.extra_body))

    def request(self, settings: LLMSettings, messages: list[dict[str, str]], schema: Mapping[str, Any] | None,
                schema_name: str, max_tokens: int | None) -> dict[str, Any]:
        """The keyword arguments of one chat request as the endpoint is now known to take them."""
        with self.lock:
            token, temperature, structured = self.token_parameter, self.send_temperature, self.structured
            extra = dict(self.extra_body)
        request: dict[str, Any] = {"model": settings.model, "messages": messages}
        if temperature:
            request["temperature"] = settings.temperature
        if max_tokens:
            request[token] = max_tokens
        if schema is not None:
            if structured == "json_schema":
                request["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": schema_name, "schema": dict(schema), "strict": True}}
            elif structured == "structured_outputs":
                extra["structured_outputs"] = {"json": dict(schema)}
            else:
                request["messages"] = with_json_instruction(messages, schema)
                if structured == "json_object":
                    request["response_format"] = {"type": "json_object"}
        if extra:
            request["extra_body"] = extra
        return request

    def learn(self, message: str, param: str | None, sent: Mapping[str, Any]) -> tuple[bool, Learned | None]:
        """Read a 400: (send again?, what was newly learned). Send again also when another request already
        learned it; never when the refusal names nothing this request could do without."""
        text = message.lower()
        if "context length" in text or "context_length" in text or "maximum context" in text:
            return False, None
        if not any(word in text for word in _REFUSAL_WORDS):
            return False, None
        named = {(param or "").lower()} | {word for word in _mentioned(text)}
        extra = sent.get("extra_body") or {}
        with self.lock:
            for key in ("max_tokens", "max_completion_tokens"):
                if key in sent and key in named:
                    other = "max_completion_tokens" if key == "max_tokens" else "max_tokens"
                    if self.token_parameter == key:
                        self.token_parameter = other
                        return True, self._note(f"{other} instead of {key}", f'token_parameter = "{other}"')
                    return True, None
            if "temperature" in sent and "temperature" in named:
                if self.send_temperature:
                    self.send_temperature = False
                    return True, self._note("temperature left out (only the model's default is allowed)",
                                            "send_temperature = false")
                return True, None
            asked = _structured_of(sent)
            if asked in STRUCTURED_STEPS and named & {"response_format", "json_schema", "json_object",
                                                     "structured_outputs", "response_format.type"}:
                if self.structured == asked:
                    self.structured = STRUCTURED_STEPS[asked]
                    return True, self._note(f"{self.structured} instead of {asked} for JSON answers",
                                            f'structured_output = "{self.structured}"')
                return True, None
            for key in extra:
                if key.lower() in named:
                    if key in self.extra_body:
                        del self.extra_body[key]
                        return True, self._note(f"the extra field {key} left out",
                                                f"extra_body without {key} (or thinking = true)")
                    return True, None
        return False, None

    def _note(self, what: str, setting: str) -> Learned:
        item = Learned(what, setting)
        self.learned.append(item)
        return item


def _structured_of(sent: Mapping[str, Any]) -> str | None:
    if "structured_outputs" in (sent.get("extra_body") or {}):
        return "structured_outputs"
    kind = (sent.get("response_format") or {}).get("type")
    return kind if kind in ("json_schema", "json_object") else None


def _mentioned(text: str) -> set[str]:
    """Parameter-like words of an error message (`'max_tokens'`, `response_format.type`, `enable_thinking`)."""
    words = set()
    for raw in text.replace("`", " ").replace("'", " ").replace('"', " ").replace(":", " ").split():
        word = raw.strip(".,;()[]{}")
        if word:
            words.add(word)
            words.add(word.split(".")[0])
    return words


def with_json_instruction(messages: list[dict[str, str]], schema: Mapping[str, Any]) -> list[dict[str, str]]:
    """The schema in the system prompt (the word JSON in it is what json_object mode requires)."""
    instruction = ("Answer with one JSON object only, no prose and no code fence, matching this JSON schema: "
                   + json.dumps(schema, ensure_ascii=False))
    if messages and messages[0].get("role") == "system":
        return [{**messages[0], "content": messages[0]["content"] + "\n\n" + instruction}, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]
