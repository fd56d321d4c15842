"""Provider presets for `[llm] provider`: what each endpoint needs that its documentation says.

A user who sets only `provider` and `model` gets a working setup: the base
URL, the variable the key is read from (none for local servers), which
request parameters the endpoint takes, and how thinking is turned off where
the provider allows it (sent with every chat request as extra body fields).
Anything here can be overridden key by key in `[llm]`; anything an endpoint
refuses at run time is learned from its first refusal (`llm/capabilities.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

STRUCTURED_MODES = ("json_schema", "json_object", "structured_outputs", "prompt")
"""How a JSON answer is asked for: OpenAI's `response_format` json_schema; `response_format` json_object with the
schema in the prompt (DeepSeek, DashScope); vLLM's `structured_outputs` extra field; the schema in the prompt only."""

TOKEN_PARAMETERS = ("auto", "max_tokens", "max_completion_tokens")
"""Which parameter carries the answer's token limit; `auto` starts with `max_tokens` and learns from a refusal."""


@dataclass(frozen=True)
class Provider:
    """What one provider's endpoint is known to need."""

    base_url: str
    """Default endpoint; empty: `llm.base_url` must be set."""
    api_key_env: str
    """Variable the key is read from; empty: a local server that needs no key."""
    structured_output: str
    """One of `STRUCTURED_MODES`."""
    token_parameter: str
    """One of `TOKEN_PARAMETERS`."""
    thinking_off: Mapping[str, Any] = field(default_factory=dict)
    """Extra body fields that turn the model's thinking off (sent when `llm.thinking = false`)."""
    reasoning_models: tuple[str, ...] = ()
    """Model name prefixes that only take the default temperature (OpenAI's o-series and gpt-5 family)."""


PROVIDERS: dict[str, Provider] = {
    # OpenAI: max_completion_tokens is accepted by every current model and required by reasoning models, which
    # also refuse any temperature but the default; their reasoning cannot be switched off, only made shorter.
    "openai": Provider("https://api.openai.com/v1", "OPENAI_API_KEY", "json_schema", "max_completion_tokens",
                       reasoning_models=("o1", "o3", "o4", "gpt-5")),
    # DeepSeek: response_format json_schema is refused ("This response_format type is unavailable now"),
    # json_object works when the prompt says JSON; `thinking` switches V3.1+ models between modes.
    "deepseek": Provider("https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", "json_object", "max_tokens",
                         {"thinking": {"type": "disabled"}}),
    # DashScope (Qwen) compatible mode: json_object; Qwen3 thinks unless enable_thinking is false (and refuses
    # non-streamed calls while thinking).
    "dashscope": Provider("https://dashscope.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY", "json_object",
                          "max_tokens", {"enable_thinking": False}),
    # Ollama's /v1 endpoint: response_format json_schema becomes its `format`; `reasoning_effort: "none"` becomes
    # `think: false` (a top-level `think` or `format` is ignored there: they belong to its native /api/chat);
    # it reads max_tokens and ignores max_completion_tokens.
    "ollama": Provider("http://localhost:11434/v1", "", "json_schema", "max_tokens", {"reasoning_effort": "none"}),
    # vLLM: response_format json_schema (or its `structured_outputs` field, `guided_json` before 0.12);
    # Qwen3's thinking is switched off through the chat template.
    "vllm": Provider("http://localhost:8000/v1", "", "json_schema", "max_tokens",
                     {"chat_template_kwargs": {"enable_thinking": False}}),
    # Anything else that speaks the OpenAI API: learn what it refuses.
    "openai-compatible": Provider("", "OPENAI_API_KEY", "json_schema", "auto"),
}

DEFAULT = Provider("https://api.openai.com/v1", "OPENAI_API_KEY", "json_schema", "auto")
"""No `provider` set: today's behaviour (OpenAI's URL unless `OPENAI_BASE_URL` says otherwise, learn the rest)."""


def is_reasoning_model(provider: Provider, model: str) -> bool:
    """Whether `model` is one of the provider's reasoning models (by name prefix)."""
    name = model.lower().rsplit("/", 1)[-1]
    return any(name == prefix or name.startswith((prefix + "-", prefix + ".")) for prefix in provider.reasoning_models)
