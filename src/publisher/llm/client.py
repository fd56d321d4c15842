"""One small interface over the `openai` package: chat completions with
optional structured output, a usage record per call, and clear errors.

Retries are the `openai` client's own (408/409/429/5xx and timeouts, with
exponential backoff and `Retry-After` honoured); `max_retries` and
`timeout_seconds` come from `[llm]`. Every call, failed or not, is appended
to the usage log. Request parameters follow the endpoint's capabilities
(`capabilities.py`), learned from its first refusal. Cost is bounded: a run
stops after `stop_after_failures` unusable answers in a row (callers say
which answers they could not use) or `max_requests` requests.
"""

from __future__ import annotations

import base64
import binascii
import threading
import urllib.request
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence

import openai

from ..config.llm import LLMSettings
from .capabilities import Capabilities, Learned
from .feedback import shown
from .failures import LLMError, describe, error_param, error_text
from .usage import Usage, UsageLog
from ..i18n import _

__all__ = ["ChatResult", "ImageResult", "LLMClient", "LLMError", "Learned", "UnusableAnswers"]


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


class UnusableAnswers(LLMError):
    """The run stopped: the model's last answers were all unusable (the same failure would repeat)."""


class LLMClient:
    """Chat completions against any OpenAI-compatible endpoint; one per run (it keeps what the run learned)."""

    def __init__(self, settings: LLMSettings, *, api_key: str, usage_log: UsageLog | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.settings = settings
        self.usage_log = usage_log
        self._clock = clock
        self._capabilities = Capabilities.of(settings)
        self._lock = threading.Lock()
        self._local = threading.local()
        self.requests_sent = 0
        """HTTP requests sent by this client, the `openai` client's retries included."""
        self._unusable = 0
        self._last_problem = ""
        self._client = openai.OpenAI(
            api_key=api_key, base_url=settings.base_url,
            timeout=settings.timeout_seconds, max_retries=settings.max_retries,
            http_client=openai.DefaultHttpxClient(event_hooks={"request": [self._count]}),
        )

    def close(self) -> None:
        self._client.close()

    @property
    def learned(self) -> tuple[Learned, ...]:
        """What the endpoint's refusals taught this run, in order."""
        with self._capabilities.lock:
            return tuple(self._capabilities.learned)

    def _count(self, request: Any) -> None:
        """httpx hook, run in the thread that sends: count every request and remember its retry number."""
        with self._lock:
            self.requests_sent += 1
        try:
            self._local.retries = int(request.headers.get("x-stainless-retry-count", "0"))
        except ValueError:
            self._local.retries = 0

    # ------------------------------------------------------------------ bounded cost

    def answer_unusable(self, problem: str) -> None:
        """A caller could use nothing of an answer; after `llm.stop_after_failures` in a row the run stops."""
        with self._lock:
            self._unusable += 1
            self._last_problem = shown(problem)  # said to people only: in the message language

    def answer_usable(self) -> None:
        """A caller could use (some of) an answer: the run of unusable ones is broken."""
        with self._lock:
            self._unusable = 0

    def _before_sending(self) -> None:
        s = self.settings
        with self._lock:
            unusable, problem, sent = self._unusable, self._last_problem, self.requests_sent
        if unusable >= s.stop_after_failures:
            raise UnusableAnswers(
                _("stopped after {unusable} unusable answers in a row from model {model} (the last: {problem}); "
                  "more requests would most likely fail the same way and still be billed. Check llm.model and the "
                  "[llm] settings (for a thinking model, llm.thinking = false), or raise "
                  "llm.stop_after_failures").format(
                      unusable=unusable, model=repr(s.model), problem=problem))
        if s.max_requests and sent >= s.max_requests:
            raise LLMError(_("this run has sent {sent} requests, the most llm.max_requests = {max_requests} "
                             "allows; raise llm.max_requests in publisher.toml to let it continue").format(
                                 sent=sent, max_requests=s.max_requests))

    def _retries(self) -> int:
        return getattr(self._local, "retries", 0)

    # ------------------------------------------------------------------ chat

    def chat(self, messages: Sequence[Mapping[str, str]], *, json_schema: Mapping[str, Any] | None = None,
             schema_name: str = "answer", purpose: str = "chat", max_tokens: int | None = None) -> ChatResult:
        """Send `messages`; with `json_schema`, ask for a JSON answer the way the endpoint takes it (the caller
        reads and validates it either way). A refusal of a parameter is learned and the request sent again."""
        messages = [dict(m) for m in messages]
        for _step in range(8):  # each refusal steps a capability down; there are fewer than eight steps
            self._before_sending()
            request = self._capabilities.request(self.settings, messages, json_schema, schema_name, max_tokens)
            started, at = time.monotonic(), self._clock().isoformat()
            try:
                result = self._call(request, purpose, started, at)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                again, learned = self._capabilities.learn(error_text(exc), error_param(exc), request)
                self._log(Usage(model=self.settings.model, purpose=purpose, at=at, finish_reason="error",
                                seconds=time.monotonic() - started, learned=learned.what if learned else ""))
                if not again:
                    raise self._describe(exc) from None
                continue
            except openai.OpenAIError as exc:
                self._log(Usage(model=self.settings.model, purpose=purpose, at=at, finish_reason="error",
                                seconds=time.monotonic() - started))
                raise self._describe(exc) from None
            self._log(result.usage)
            return result
        raise LLMError(_("{base_url} kept refusing the request's parameters; set them in [llm] (learned so far: "
                         "{value})").format(base_url=self.settings.base_url,
                             value='; '.join(item.setting for item in self.learned) or _("nothing")))

    def _describe(self, exc: openai.OpenAIError, **kwargs: Any) -> LLMError:
        return describe(exc, self.settings, retries=self._retries(),
                        extra_fields=tuple(self.settings.extra_body), **kwargs)

    def _log(self, usage: Usage) -> None:
        if self.usage_log is not None:
            self.usage_log.append(usage)

    def _call(self, request: dict[str, Any], purpose: str, started: float, at: str) -> ChatResult:
        if self.settings.stream:
            text, finish, usage_data, model = self._streamed(request)
        else:
            response = self._client.chat.completions.create(**request)
            if not response.choices:
                raise LLMError(_("{base_url} answered with no choices; check llm.model").format(
                                     base_url=self.settings.base_url))
            choice = response.choices[0]
            # Only `content` is the answer: `reasoning_content` / `reasoning` (DeepSeek, vLLM, Ollama) is not read.
            text, finish = choice.message.content or "", choice.finish_reason or "stop"
            usage_data, model = response.usage, response.model or self.settings.model
        usage = Usage.from_openai(usage_data, model=model, purpose=purpose, at=at,
                                  seconds=time.monotonic() - started, finish_reason=finish)
        return ChatResult(text=text, finish_reason=finish, usage=usage)

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

    # ------------------------------------------------------------------ images

    def image(self, prompt: str, *, model: str, size: str | None = None, purpose: str = "image") -> ImageResult:
        """Generate one image with the images API; errors as for `chat`, the call logged the same way."""
        self._before_sending()
        started = time.monotonic()
        at = self._clock().isoformat()
        usage = Usage(model=model, purpose=purpose, at=at, finish_reason="error")
        caps = self._capabilities
        ask_format = caps.image_response_format and not model.startswith("gpt-image")
        try:
            request: dict[str, Any] = {"model": model, "prompt": prompt, "n": 1}
            if size:
                request["size"] = size
            try:
                response = self._client.images.generate(
                    **request, **({"response_format": "b64_json"} if ask_format else {}))
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if not ask_format or "response_format" not in error_text(exc):
                    raise
                with caps.lock:
                    caps.image_response_format = False
                response = self._client.images.generate(**request)
            if not response.data:
                raise LLMError(_("{base_url} answered the image request for model {model} with no image; try "
                                 "again, or another prompt (it may have been refused by moderation)").format(
                                     base_url=self.settings.base_url, model=repr(model)))
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
            raise self._describe(exc, model=model, model_key="llm.image_model") from None
        finally:
            if usage.finish_reason == "error":
                usage = Usage(model=model, purpose=purpose, at=at, seconds=time.monotonic() - started,
                              finish_reason="error")
            self._log(usage)


def _image_bytes(item: Any, settings: LLMSettings) -> bytes:
    """The image of one answer item: base64 as asked, or fetched from its URL (an endpoint that ignored the ask)."""
    if getattr(item, "b64_json", None):
        try:
            return base64.b64decode(item.b64_json, validate=True)
        except (binascii.Error, ValueError):
            raise LLMError(_("{base_url} sent an image that is not valid base64; try again").format(
                                 base_url=settings.base_url)) from None
    url = getattr(item, "url", None)
    if url and url.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(url, timeout=settings.timeout_seconds) as stream:  # noqa: S310 - http(s) only
                return stream.read()
        except OSError as exc:
            raise LLMError(_("the image was made but could not be downloaded from {url} ({exc}); try again").format(
                                 url=url.split('?')[0], exc=exc)) from None
    raise LLMError(_("{base_url} answered the image request without an image (no b64_json, no url); check that "
                     "llm.image_model is an image model").format(base_url=settings.base_url))
