"""One small interface over the `openai` package: chat completions with
optional structured output, a usage record per call, and clear errors.

Retries are the `openai` client's own (408/409/429/5xx and timeouts, with
exponential backoff and `Retry-After` honoured); `max_retries` and
`timeout_seconds` come from `[llm]`. Every call, failed or not, is appended
to the usage log. Drafting and image generation build on this class.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import urllib.request
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence

import openai

from ..errors import PublisherError
from ..config.llm import LLMSettings
from .usage import Usage, UsageLog


class LLMError(PublisherError):
    """The endpoint could not be used (key, URL, model, or it kept failing)."""


@dataclass(frozen=True)
class ChatResult:
    """One chat completion."""

    text: str
    """The message content (JSON text when a schema was asked for)."""
    finish_reason: str
    """`stop`, or `length` when the answer was cut off (never trust it then)."""
    usage: Usage
    """Tokens and duration of this call."""


@dataclass(frozen=True)
class ImageResult:
    """One generated image."""

    data: bytes
    """The image file's bytes as the endpoint sent them (PNG unless the model chose otherwise)."""
    model: str
    """The image model that made it (the name the page's notice shows)."""
    revised_prompt: str | None
    """The prompt as the model rewrote it (DALL·E 3 does), when it says."""
    usage: Usage
    """Tokens (where the endpoint counts them) and duration."""


@dataclass
class _Capabilities:
    """What the endpoint turned out to support (learned on first refusal)."""

    json_schema: bool = True
    image_response_format: bool = True
    """Whether the images endpoint takes `response_format` (gpt-image models refuse it: they always send base64)."""
    lock: threading.Lock = field(default_factory=threading.Lock)


class LLMClient:
    """Chat completions against any OpenAI-compatible endpoint."""

    def __init__(self, settings: LLMSettings, *, api_key: str, usage_log: UsageLog | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.settings = settings
        self.usage_log = usage_log
        self._clock = clock
        self._capabilities = _Capabilities(json_schema=settings.structured_output)
        self._client = openai.OpenAI(
            api_key=api_key, base_url=settings.base_url,
            timeout=settings.timeout_seconds, max_retries=settings.max_retries,
        )

    def close(self) -> None:
        self._client.close()

    def chat(self, messages: Sequence[Mapping[str, str]], *, json_schema: Mapping[str, Any] | None = None,
             schema_name: str = "answer", purpose: str = "chat", max_tokens: int | None = None) -> ChatResult:
        """Send `messages`; with `json_schema`, ask for structured output (or, where the endpoint
        refuses `response_format`, for JSON in the prompt: the caller validates either way)."""
        messages = [dict(m) for m in messages]
        use_schema = json_schema is not None and self._capabilities.json_schema
        if json_schema is not None and not use_schema:
            messages = _with_json_instruction(messages, json_schema)
        try:
            return self._call(messages, json_schema if use_schema else None, schema_name, purpose, max_tokens)
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            if not use_schema or "response_format" not in _error_text(exc):
                raise self._translate_error(exc) from None
            with self._capabilities.lock:
                self._capabilities.json_schema = False
            return self.chat(messages, json_schema=json_schema, schema_name=schema_name, purpose=purpose,
                             max_tokens=max_tokens)
        except openai.OpenAIError as exc:
            raise self._translate_error(exc) from None

    def image(self, prompt: str, *, model: str, size: str | None = None, purpose: str = "image") -> ImageResult:
        """Generate one image with the images API; errors as for `chat`, the call logged the same way."""
        started = time.monotonic()
        at = self._clock().isoformat()
        usage = Usage(model=model, purpose=purpose, at=at, finish_reason="error")
        ask_format = self._capabilities.image_response_format and not model.startswith("gpt-image")
        try:
            request: dict[str, Any] = {"model": model, "prompt": prompt, "n": 1}
            if size:
                request["size"] = size
            try:
                response = self._client.images.generate(
                    **request, **({"response_format": "b64_json"} if ask_format else {}))
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if not ask_format or "response_format" not in _error_text(exc):
                    raise
                with self._capabilities.lock:
                    self._capabilities.image_response_format = False
                response = self._client.images.generate(**request)
            if not response.data:
                raise LLMError(f"{self.settings.base_url} answered the image request for model {model!r} with no "
                               "image; try again, or another prompt (it may have been refused by moderation)")
            item = response.data[0]
            data = _image_bytes(item, self.settings)
            raw = getattr(response, "usage", None)
            usage = Usage(model=model, purpose=purpose, at=at,
                          prompt_tokens=getattr(raw, "input_tokens", 0) or 0,
                          completion_tokens=getattr(raw, "output_tokens", 0) or 0,
                          seconds=time.monotonic() - started)
            return ImageResult(data=data, model=model, revised_prompt=getattr(item, "revised_prompt", None),
                               usage=usage)
        except openai.OpenAIError as exc:
            raise self._translate_error(exc, model=model, model_key="llm.image_model") from None
        finally:
            if usage.finish_reason == "error":
                usage = Usage(model=model, purpose=purpose, at=at, seconds=time.monotonic() - started,
                              finish_reason="error")
            if self.usage_log is not None:
                self.usage_log.append(usage)

    def _call(self, messages: list[dict[str, str]], json_schema: Mapping[str, Any] | None, schema_name: str,
              purpose: str, max_tokens: int | None) -> ChatResult:
        request: dict[str, Any] = {"model": self.settings.model, "messages": messages,
                                   "temperature": self.settings.temperature}
        if max_tokens:
            request["max_tokens"] = max_tokens
        if json_schema is not None:
            request["response_format"] = {"type": "json_schema", "json_schema": {
                "name": schema_name, "schema": dict(json_schema), "strict": True}}
        started = time.monotonic()
        at = self._clock()
        ok = False
        usage = Usage(model=self.settings.model, purpose=purpose, at=at.isoformat())
        try:
            if self.settings.stream:
                text, finish, usage_data, model = self._streamed(request)
            else:
                response = self._client.chat.completions.create(**request)
                choice = response.choices[0]
                text, finish = choice.message.content or "", choice.finish_reason or "stop"
                usage_data, model = response.usage, response.model or self.settings.model
            usage = Usage.from_openai(usage_data, model=model, purpose=purpose, at=at.isoformat(),
                                      seconds=time.monotonic() - started, finish_reason=finish)
            ok = True
            return ChatResult(text=text, finish_reason=finish, usage=usage)
        finally:
            if not ok:
                usage = Usage(model=self.settings.model, purpose=purpose, at=at.isoformat(),
                              seconds=time.monotonic() - started, finish_reason="error")
            if self.usage_log is not None:
                self.usage_log.append(usage)

    def _streamed(self, request: dict[str, Any]) -> tuple[str, str, Any, str]:
        parts: list[str] = []
        finish, usage, model = "stop", None, self.settings.model
        stream = self._client.chat.completions.create(**request, stream=True,
                                                      stream_options={"include_usage": True})
        for chunk in stream:
            model = chunk.model or model
            if chunk.usage is not None:
                usage = chunk.usage
            for choice in chunk.choices:
                if choice.delta and choice.delta.content:
                    parts.append(choice.delta.content)
                if choice.finish_reason:
                    finish = choice.finish_reason
        return "".join(parts), finish, usage, model

    def _translate_error(self, exc: openai.OpenAIError, *, model: str | None = None,
                         model_key: str = "llm.model") -> LLMError:
        """One sentence saying what failed and which setting fixes it."""
        s = self.settings
        model = model or s.model
        if isinstance(exc, openai.AuthenticationError):
            return LLMError(f"the endpoint {s.base_url} rejected the API key (401); check the key in "
                            f"the environment variable {s.api_key_env} (llm.api_key_env)")
        if isinstance(exc, openai.PermissionDeniedError):
            return LLMError(f"the key in {s.api_key_env} may not use model {model!r} at {s.base_url} (403); "
                            f"use another key or set {model_key}")
        text = _error_text(exc).lower()
        if "context length" in text or "context_length" in text or "too many tokens" in text:
            return LLMError(f"the request was too long for model {model!r} ({_error_text(exc)}); lower "
                            "llm.batch_chars (and llm.context_chars) for translation, or llm.context_tokens for "
                            "drafting and revising, in publisher.toml")
        if isinstance(exc, openai.NotFoundError) or (
                isinstance(exc, openai.BadRequestError) and "model" in text
                and any(word in text for word in ("not exist", "not found", "invalid model", "unknown model",
                                                  "not supported", "does not have access"))):
            return LLMError(f"the endpoint {s.base_url} does not know the model {model!r} "
                            f"({_error_text(exc)}); set {model_key} in publisher.toml to a model it serves")
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(f"{s.base_url} did not answer within {s.timeout_seconds:g}s "
                            f"({s.max_retries} retries); raise llm.timeout_seconds or try again later")
        if isinstance(exc, openai.APIConnectionError):
            return LLMError(f"cannot reach the endpoint {s.base_url}; check llm.base_url in publisher.toml "
                            "(or OPENAI_BASE_URL) and that the server is running")
        if isinstance(exc, openai.RateLimitError):
            return LLMError(f"{s.base_url} kept refusing with 429 (rate limit or quota) after "
                            f"{s.max_retries} retries; lower llm.concurrency, raise llm.max_retries, "
                            "or check your plan's quota")
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"{s.base_url} answered HTTP {exc.status_code} ({_error_text(exc)}) after "
                            f"{s.max_retries} retries; try again later or raise llm.max_retries")
        return LLMError(f"the request to {s.base_url} failed ({type(exc).__name__}: {exc}); "
                        "check the [llm] settings")


def _image_bytes(item: Any, settings: LLMSettings) -> bytes:
    """The image of one answer item: base64 as asked, or fetched from its URL (an endpoint that ignored the ask)."""
    if getattr(item, "b64_json", None):
        try:
            return base64.b64decode(item.b64_json, validate=True)
        except (binascii.Error, ValueError):
            raise LLMError(f"{settings.base_url} sent an image that is not valid base64; try again") from None
    url = getattr(item, "url", None)
    if url and url.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(url, timeout=settings.timeout_seconds) as stream:  # noqa: S310 - http(s) only
                return stream.read()
        except OSError as exc:
            raise LLMError(f"the image was made but could not be downloaded from {url.split('?')[0]} ({exc}); "
                           "try again") from None
    raise LLMError(f"{settings.base_url} answered the image request without an image (no b64_json, no url); "
                   "check that llm.image_model is an image model")


def _error_text(exc: openai.OpenAIError) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body["error"] if isinstance(body.get("error"), dict) else body
        if inner.get("message"):
            return str(inner["message"])
    return str(getattr(exc, "message", exc))


def _with_json_instruction(messages: list[dict[str, str]], schema: Mapping[str, Any]) -> list[dict[str, str]]:
    """The JSON fallback: say in the system prompt what shape to answer in."""
    instruction = ("Answer with one JSON object only, no prose and no code fence, matching this JSON schema: "
                   + json.dumps(schema, ensure_ascii=False))
    if messages and messages[0].get("role") == "system":
        return [{**messages[0], "content": messages[0]["content"] + "\n\n" + instruction}, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]
