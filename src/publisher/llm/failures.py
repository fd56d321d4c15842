"""What a failed request means, in one sentence that says the truth and the setting that fixes it.

Only what can pass by waiting (429 without a quota problem, 5xx, timeouts)
says "try again later"; a 400 names the parameter the endpoint refused and
the `[llm]` key that controls it; "model not found" is said only for a 404
or a `model_not_found` code; the retry count is the number of retries the
`openai` client really made.
"""

from __future__ import annotations

import re

import openai

from ..config.llm import LLMSettings
from ..errors import PublisherError
from ..i18n import _


class LLMError(PublisherError):
    """The endpoint could not be used (key, URL, model, or it kept failing)."""


PARAMETER_SETTINGS = {
    "max_tokens": 'llm.token_parameter = "max_completion_tokens"',
    "max_completion_tokens": 'llm.token_parameter = "max_tokens"',
    "temperature": "llm.send_temperature = false (or another llm.temperature)",
    "response_format": 'llm.structured_output = "json_object" (or "prompt")',
    "structured_outputs": 'llm.structured_output = "json_schema" (or "prompt")',
    "model": "llm.model",
    "stream": "llm.stream = false",
    "stream_options": "llm.stream = false",
}


def error_text(exc: openai.OpenAIError) -> str:
    """The endpoint's own message (from the error body when there is one)."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body["error"] if isinstance(body.get("error"), dict) else body
        if inner.get("message"):
            return str(inner["message"])
    return str(getattr(exc, "message", exc))


def error_param(exc: openai.OpenAIError) -> str | None:
    """The `param` (or `code`) field of an OpenAI-style error body, when the endpoint gives it."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body["error"] if isinstance(body.get("error"), dict) else body
        param = inner.get("param")
        if isinstance(param, str) and param:
            return param
    return None


def _code(exc: openai.OpenAIError) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body["error"] if isinstance(body.get("error"), dict) else body
        return str(inner.get("code") or inner.get("type") or "")
    return ""


def describe(exc: openai.OpenAIError, settings: LLMSettings, *, retries: int, model: str | None = None,
             model_key: str = "llm.model", extra_fields: tuple[str, ...] = ()) -> LLMError:
    """One sentence saying what failed and which setting fixes it (`retries`: really made)."""
    s = settings
    model = model or s.model
    text = error_text(exc)
    lowered = text.lower()
    after = (_("after {count} retry") if retries == 1 else _("after {count} retries")).format(count=retries)
    if isinstance(exc, openai.AuthenticationError):
        where = (_("the environment variable {name} (llm.api_key_env)").format(name=s.api_key_env) if s.api_key_env
                 else _("llm.api_key_env (this provider was set up without a key)"))
        return LLMError(_("the endpoint {url} rejected the API key (401); check the key in {where}").format(
            url=s.base_url, where=where))
    if isinstance(exc, openai.PermissionDeniedError):
        return LLMError(_("the key in {name} may not use model {model} at {url} (403); use another key or set "
                          "{setting}").format(name=s.api_key_env or "use", model=repr(model), url=s.base_url,
                                              setting=model_key))
    if "context length" in lowered or "context_length" in lowered or "too many tokens" in lowered:
        return LLMError(_("the request was too long for model {model} ({text}); lower llm.batch_chars (and "
                          "llm.context_chars) for translation, or llm.context_tokens for drafting and revising, in "
                          "publisher.toml").format(model=repr(model), text=text))
    if isinstance(exc, openai.NotFoundError) or "model_not_found" in _code(exc):
        if "model" in lowered or "model_not_found" in _code(exc):
            return LLMError(_("the endpoint {url} does not know the model {model} ({text}); set {setting} in "
                              "publisher.toml to a model it serves").format(url=s.base_url, model=repr(model),
                                                                            text=text, setting=model_key))
        return LLMError(_("{url} answered 404 ({text}); check llm.base_url (OpenAI-compatible endpoints usually "
                          "end in /v1)").format(url=s.base_url, text=text))
    if isinstance(exc, (openai.BadRequestError, openai.UnprocessableEntityError)):
        param = error_param(exc)
        named = [param] if param else []
        named += [name for name in (*PARAMETER_SETTINGS, *extra_fields)
                  if name != "model" and re.search(rf"\b{re.escape(name)}\b", text)]
        for name in named:
            setting = PARAMETER_SETTINGS.get(name) or (
                "llm.extra_body or llm.thinking" if name in extra_fields else None)
            if setting:
                return LLMError(_("{url} refused the parameter {name} for model {model} (HTTP {status}: {text}); "
                                  "set {setting} in publisher.toml. Sending the same request again would fail the "
                                  "same way").format(url=s.base_url, name=repr(name), model=repr(model),
                                                     status=exc.status_code, text=text, setting=setting))
        return LLMError(_("{url} refused the request for model {model} (HTTP {status}: {text}); sending it again "
                          "would fail the same way: check the [llm] settings (model, structured_output, "
                          "token_parameter, extra_body)").format(url=s.base_url, model=repr(model),
                                                                 status=exc.status_code, text=text))
    if isinstance(exc, openai.APITimeoutError):
        return LLMError(_("{url} did not answer within {seconds}s ({after}); raise llm.timeout_seconds or try "
                          "again later").format(url=s.base_url, seconds=f"{s.timeout_seconds:g}", after=after))
    if isinstance(exc, openai.APIConnectionError):
        return LLMError(_("cannot reach the endpoint {url} ({after}); check llm.base_url in publisher.toml (or "
                          "OPENAI_BASE_URL) and that the server is running").format(url=s.base_url, after=after))
    if isinstance(exc, openai.RateLimitError):
        if "quota" in lowered or "billing" in lowered or "insufficient" in _code(exc):
            return LLMError(_("{url} refused with 429 because the account is out of quota ({text}); waiting will "
                              "not help: check your plan and billing").format(url=s.base_url, text=text))
        return LLMError(_("{url} kept refusing with 429 (rate limit) {after}; lower llm.concurrency, raise "
                          "llm.max_retries, or try again later").format(url=s.base_url, after=after))
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return LLMError(_("{url} answered HTTP {status} ({text}) {after}; the server is failing: try again "
                              "later or raise llm.max_retries").format(url=s.base_url, status=exc.status_code,
                                                                       text=text, after=after))
        return LLMError(_("{url} answered HTTP {status} ({text}); sending the request again would fail the same "
                          "way: check the [llm] settings").format(url=s.base_url, status=exc.status_code, text=text))
    return LLMError(_("the request to {url} failed ({kind}: {error}); check the [llm] settings").format(
        url=s.base_url, kind=type(exc).__name__, error=exc))
