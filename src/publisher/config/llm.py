"""The `[llm]` table of `publisher.toml` -> `LLMSettings`.

Parsed here rather than in `config.py` so that the site can be built on a
machine with no LLM set up: only commands that talk to a model read it.
`OPENAI_BASE_URL` (and the key variable named by `api_key_env`) come from the
environment, so keys never live in the repository. `provider` picks a preset
(`llm_providers.py`) whose defaults each key of the table may override.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .llm_providers import DEFAULT, PROVIDERS, STRUCTURED_MODES, TOKEN_PARAMETERS, is_reasoning_model
from .files import line_of
from .site import SiteConfig
from ..errors import ConfigError, Problem, PublisherError
from ..i18n import _

DEFAULT_BASE_URL = "https://api.openai.com/v1"
_SIZE = re.compile(r"^(\d{2,5}x\d{2,5}|auto)$")


@dataclass(frozen=True)
class LLMSettings:
    """How to reach the model and what it costs."""

    model: str
    """Model name as the endpoint knows it (`gpt-4o-mini`, `deepseek-chat`, `qwen-plus`, an Azure deployment)."""
    base_url: str
    """OpenAI-compatible endpoint; `llm.base_url`, else `OPENAI_BASE_URL`, else OpenAI's."""
    api_key_env: str
    """Name of the environment variable that holds the key (`OPENAI_API_KEY` unless the provider says otherwise);
    empty for a local server that needs none."""
    temperature: float
    """Sampling temperature; low for translation."""
    timeout_seconds: float
    """Per-request timeout; a request that takes longer is retried, then reported."""
    max_retries: int
    """Retries on 408/409/429/5xx and timeouts (exponential backoff, `Retry-After` honoured)."""
    concurrency: int
    """Requests in flight at once."""
    batch_chars: int
    """Upper bound on source characters per request (segments are never split)."""
    context_chars: int
    """Characters of neighbouring source text sent as context before and after a batch."""
    structured_output: str
    """How a JSON answer is asked for: `json_schema`, `json_object`, `structured_outputs` (vLLM) or `prompt`
    (`true`/`false` in the file mean `json_schema`/`prompt`); an endpoint's refusal steps down to the next."""
    stream: bool
    """Use streaming responses (some gateways time out long non-streamed answers)."""
    price_input_per_million: float
    """Price of one million uncached input tokens, for the cost summary."""
    price_cached_input_per_million: float
    """Price of one million cached input tokens."""
    price_output_per_million: float
    """Price of one million output tokens."""
    context_tokens: int
    """Upper bound of one request to the chat model, prompt and reserved answer together (`publish draft`,
    `publish revise`); estimated as one token per CJK character and one per four other characters."""
    image_model: str
    """Model of the images API for `publish image` (`gpt-image-1`, `dall-e-3`); named by the page's notice."""
    image_size: str
    """Size asked of the images API (`1536x1024`); empty: a landscape size the model supports."""
    usage_log: Path
    """JSON Lines file every call is appended to (default `.publisher/usage.jsonl`, git-ignored)."""
    state_dir: Path
    """Git-ignored working folder (`.publisher/`): the translation cache lives here."""
    provider: str = ""
    """The preset (`openai`, `deepseek`, `dashscope`, `ollama`, `vllm`, `openai-compatible`); empty: none."""
    token_parameter: str = "auto"
    """`max_tokens`, `max_completion_tokens`, or `auto` (start with `max_tokens`, learn from a refusal)."""
    send_temperature: bool = True
    """Whether `temperature` is sent; false for models that take only the default (OpenAI's reasoning models)."""
    thinking: bool = False
    """Let thinking models think; false sends the provider's switch that turns thinking off, where it has one."""
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    """Fields added to every chat request body (the provider's thinking switch included unless `thinking`)."""
    max_requests: int = 0
    """Most requests one run may send (0: no cap); the run stops with what was finished kept."""
    stop_after_failures: int = 3
    """A run stops after this many unusable answers in a row (a broken endpoint costs a handful of requests)."""

    def api_key(self, environ: Mapping[str, str] | None = None) -> str:
        """The key from the environment; a clear error when it is not set."""
        environ = os.environ if environ is None else environ
        if not self.api_key_env:
            return "no-key"  # a local server (Ollama, vLLM) that needs none; the client insists on some value
        key = environ.get(self.api_key_env, "").strip()
        if not key:
            raise PublisherError(
                _("no API key: the environment variable {api_key_env} is not set. Export it (export "
                  "{api_key_env}=...), or set llm.api_key_env in publisher.toml to the variable that holds your "
                  "key (local servers such as Ollama accept any value)").format(
                      api_key_env=self.api_key_env))
        return key


_NUMBERS: dict[str, tuple[type, float | int, float | int | None]] = {
    # key: (type, default, minimum)
    "temperature": (float, 0.2, 0.0),
    "timeout_seconds": (float, 120.0, 0.1),
    "max_retries": (int, 4, 0),
    "concurrency": (int, 4, 1),
    "batch_chars": (int, 4000, 200),
    "context_chars": (int, 200, 0),
    "context_tokens": (int, 16000, 2000),
    "price_input_per_million": (float, 0.0, 0.0),
    "price_cached_input_per_million": (float, 0.0, 0.0),
    "price_output_per_million": (float, 0.0, 0.0),
    "max_requests": (int, 0, 0),
    "stop_after_failures": (int, 3, 1),
}


def load_llm_settings(config: SiteConfig, environ: Mapping[str, str] | None = None) -> LLMSettings:
    """Read `[llm]` from the site's `publisher.toml`; raise `ConfigError` naming each bad key."""
    environ = os.environ if environ is None else environ
    path = config.config_path
    text = path.read_text("utf-8")
    table: Any = tomllib.loads(text).get("llm", {})
    problems: list[Problem] = []

    def problem(key: str | None, message: str) -> None:
        problems.append(Problem(path, line_of(text, "llm", key), f"llm.{key}" if key else "llm", message))

    if not isinstance(table, dict):
        raise ConfigError((Problem(path, line_of(text, None, "llm"), "llm", _("`llm` must be a table ([llm])")),))
    known = {"model", "base_url", "api_key_env", "structured_output", "stream", "usage_log", "image_model",
             "image_size", "provider", "token_parameter", "send_temperature", "thinking", "extra_body", *_NUMBERS}
    for key in sorted(set(table) - known):
        problem(key, _("unknown key; the [llm] keys are {known}").format(known=', '.join(sorted(known))))

    def string(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            problem(key, _("must be a non-empty string, not {value}").format(value=repr(value)))
            return default
        return value.strip()

    model = table.get("model")
    if model is None:
        problem(None, _("no model configured; add `model = \"gpt-4o-mini\"` (or your endpoint's model name) under "
                        "[llm]"))
        model = ""
    elif not isinstance(model, str) or not model.strip():
        problem("model", _("must be the model name as a string, not {model}").format(model=repr(model)))
        model = ""
    provider_name = table.get("provider", "")
    if provider_name and provider_name not in PROVIDERS:
        problem("provider", _("unknown provider {provider_name}; use one of {providers}").format(
                                  provider_name=repr(provider_name), providers=', '.join(PROVIDERS)))
        provider_name = ""
    preset = PROVIDERS.get(provider_name, DEFAULT)
    from_environment = environ.get("OPENAI_BASE_URL") if preset.api_key_env == "OPENAI_API_KEY" else None
    base_url = table.get("base_url") or from_environment or preset.base_url
    if not base_url:
        problem("base_url", _("provider {provider_name} has no default endpoint; set base_url to your server's "
                              "URL, like \"http://localhost:8000/v1\"").format(
                                  provider_name=repr(provider_name)))
        base_url = DEFAULT_BASE_URL
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        problem("base_url", _("{base_url} is not an http(s) URL; write it like \"https://api.openai.com/v1\"").format(
                                  base_url=repr(base_url)))
        base_url = DEFAULT_BASE_URL
    numbers: dict[str, Any] = {}
    for key, (kind, default, minimum) in _NUMBERS.items():
        value = table.get(key, default)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and kind is int and not isinstance(value, int):
            ok = False
        if not ok or (minimum is not None and value < minimum):
            message = (_("must be a whole number of at least {minimum}, not {value}") if kind is int else
                       _("must be a number of at least {minimum}, not {value}"))
            problem(key, message.format(minimum=minimum, value=repr(value)))
            value = default
        numbers[key] = kind(value)
    flags = {}
    reasoning = isinstance(model, str) and is_reasoning_model(preset, model.strip())
    for key, default in (("stream", False), ("thinking", False), ("send_temperature", not reasoning)):
        value = table.get(key, default)
        if not isinstance(value, bool):
            problem(key, _("must be true or false, not {value}").format(value=repr(value)))
            value = default
        flags[key] = value
    structured = table.get("structured_output", preset.structured_output)
    if isinstance(structured, bool):
        structured = "json_schema" if structured else "prompt"
    if structured not in STRUCTURED_MODES:
        problem("structured_output", _("must be one of {structured_modes} (or true/false), not {structured}").format(
                                           structured_modes=', '.join(STRUCTURED_MODES), structured=repr(structured)))
        structured = preset.structured_output
    token_parameter = table.get("token_parameter", preset.token_parameter)
    if token_parameter not in TOKEN_PARAMETERS:
        problem("token_parameter", _("must be one of {token_parameters}, not {token_parameter}").format(
                                         token_parameters=', '.join(TOKEN_PARAMETERS),
                                         token_parameter=repr(token_parameter)))
        token_parameter = preset.token_parameter
    extra_body = table.get("extra_body", {})
    if not isinstance(extra_body, dict):
        problem("extra_body", _("must be a table of fields to add to each request, like extra_body = { top_k = 20 }"))
        extra_body = {}
    extra_body = {**({} if flags["thinking"] else dict(preset.thinking_off)), **extra_body}
    usage_log = string("usage_log", ".publisher/usage.jsonl")
    api_key_env = table.get("api_key_env", preset.api_key_env)
    if not isinstance(api_key_env, str):
        problem("api_key_env", _("must be the name of an environment variable, not {api_key_env}").format(
                                     api_key_env=repr(api_key_env)))
        api_key_env = preset.api_key_env
    api_key_env = api_key_env.strip()
    image_model = string("image_model", "gpt-image-1")
    image_size = table.get("image_size", "")
    if not isinstance(image_size, str) or (image_size and not _SIZE.match(image_size)):
        problem("image_size", _("must be WIDTHxHEIGHT such as \"1536x1024\" (or \"auto\"), not {image_size}").format(
                                    image_size=repr(image_size)))
        image_size = ""
    if problems:
        raise ConfigError(tuple(problems), _("fix the [llm] table in publisher.toml"))
    return LLMSettings(
        model=model.strip(),
        base_url=base_url.rstrip("/"),
        api_key_env=api_key_env,
        image_model=image_model,
        image_size=image_size,
        usage_log=(config.root / usage_log).resolve(),
        state_dir=(config.root / ".publisher").resolve(),
        provider=provider_name,
        structured_output=structured,
        token_parameter=token_parameter,
        extra_body=extra_body,
        **flags,
        **numbers,
    )
