"""The LLM client against the local OpenAI-compatible server, with the real `openai` package."""

import json
import socket
import time
from dataclasses import replace

import pytest

from publisher.llm.client import LLMClient, LLMError
from publisher.llm.usage import Prices, UsageLog, UsageSummary
from support.openai_server import API_KEY, Fault

SCHEMA = {"type": "object", "properties": {"segments": {"type": "array", "items": {
    "type": "object", "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
    "required": ["id", "text"], "additionalProperties": False}}}, "required": ["segments"],
    "additionalProperties": False}
MESSAGES = [{"role": "system", "content": "Translate."},
            {"role": "user", "content": json.dumps({"segments": [{"id": "b0", "text": "日系企業の話"}]},
                                                   ensure_ascii=False)}]


def _client(llm_site, tmp_path, **changes) -> LLMClient:
    settings = llm_site.settings(**changes)
    return LLMClient(settings, api_key=API_KEY, usage_log=UsageLog(tmp_path / "usage.jsonl"))


def test_structured_output_and_usage_log_with_cached_tokens(llm_site, tmp_path) -> None:
    client = _client(llm_site, tmp_path)
    first = client.chat(MESSAGES, json_schema=SCHEMA, purpose="translate")
    second = client.chat(MESSAGES, json_schema=SCHEMA, purpose="translate")
    assert json.loads(first.text)["segments"][0]["id"] == "b0"
    assert first.finish_reason == "stop"
    request = llm_site.server.requests[0]
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["schema"] == SCHEMA
    assert first.usage.prompt_tokens > 0 and first.usage.cached_tokens == 0
    assert second.usage.cached_tokens > 0
    lines = [json.loads(line) for line in (tmp_path / "usage.jsonl").read_text("utf-8").splitlines()]
    assert [line["purpose"] for line in lines] == ["translate", "translate"]
    assert lines[1]["cached_tokens"] == second.usage.cached_tokens and lines[0]["model"] == "test-model"
    assert all(line["seconds"] >= 0 for line in lines)
    summary = UsageSummary.of(client.usage_log.records, Prices(1.0, 0.5, 2.0))
    assert summary.requests == 2 and summary.cached_tokens == second.usage.cached_tokens
    expected = ((summary.prompt_tokens - summary.cached_tokens) * 1.0 + summary.cached_tokens * 0.5
                + summary.completion_tokens * 2.0) / 1e6
    assert summary.cost == pytest.approx(expected)


def test_streaming_gives_the_same_text_and_usage(llm_site, tmp_path) -> None:
    plain = _client(llm_site, tmp_path).chat(MESSAGES, json_schema=SCHEMA)
    streamed = _client(llm_site, tmp_path, stream=True).chat(MESSAGES, json_schema=SCHEMA)
    assert llm_site.server.requests[1]["stream"] is True
    assert streamed.text == plain.text
    assert streamed.usage.completion_tokens == plain.usage.completion_tokens > 0


def test_json_fallback_when_the_endpoint_refuses_structured_output(llm_site, tmp_path) -> None:
    llm_site.server.supports_json_schema = False
    client = _client(llm_site, tmp_path)
    result = client.chat(MESSAGES, json_schema=SCHEMA)
    assert json.loads(result.text)["segments"][0]["id"] == "b0"
    assert llm_site.server.requests[0]["response_format"]["type"] == "json_schema"
    assert llm_site.server.requests[1]["response_format"] == {"type": "json_object"}  # json_schema -> json_object
    assert "JSON schema" in llm_site.server.requests[1]["messages"][0]["content"]
    client.chat(MESSAGES, json_schema=SCHEMA)  # remembered: no second refusal
    assert len(llm_site.server.requests) == 3 and llm_site.server.requests[2]["response_format"]["type"] == "json_object"
    assert [item.setting for item in client.learned] == ['structured_output = "json_object"']
    logged = [json.loads(line) for line in (tmp_path / "usage.jsonl").read_text("utf-8").splitlines()]
    assert logged[0]["learned"] == "json_object instead of json_schema for JSON answers"


def test_429_is_retried_after_the_retry_after_delay(llm_site, tmp_path) -> None:
    llm_site.server.faults.append(Fault("429", retry_after=1.5))
    result = _client(llm_site, tmp_path).chat(MESSAGES, json_schema=SCHEMA)
    times = llm_site.server.request_times
    assert result.finish_reason == "stop" and len(times) == 2
    assert times[1] - times[0] >= 1.4


def test_500_is_retried_then_reported(llm_site, tmp_path) -> None:
    llm_site.server.faults.append(Fault("500"))
    assert _client(llm_site, tmp_path).chat(MESSAGES).finish_reason == "stop"
    llm_site.server.always = Fault("500")
    with pytest.raises(LLMError, match="HTTP 500.*after 1 retry; the server is failing"):
        _client(llm_site, tmp_path, max_retries=1).chat(MESSAGES)


def test_a_hang_past_the_timeout_is_retried_then_reported(llm_site, tmp_path) -> None:
    llm_site.server.faults.append(Fault("hang", seconds=3))
    started = time.monotonic()
    assert _client(llm_site, tmp_path, timeout_seconds=0.5).chat(MESSAGES).finish_reason == "stop"
    assert time.monotonic() - started < 3
    llm_site.server.always = Fault("hang", seconds=3)
    with pytest.raises(LLMError, match=r"did not answer within 0.5s.*llm.timeout_seconds"):
        _client(llm_site, tmp_path, timeout_seconds=0.5, max_retries=0).chat(MESSAGES)


def test_length_is_reported_as_finish_reason(llm_site, tmp_path) -> None:
    llm_site.server.faults.append(Fault("length"))
    assert _client(llm_site, tmp_path).chat(MESSAGES).finish_reason == "length"


def test_wrong_key_unknown_model_and_unreachable_endpoint_say_what_to_set(llm_site, tmp_path) -> None:
    settings = llm_site.settings()
    with pytest.raises(LLMError, match="rejected the API key.*OPENAI_API_KEY"):
        LLMClient(settings, api_key="wrong").chat(MESSAGES)
    with pytest.raises(LLMError, match="does not know the model 'gpt-nope'.*llm.model"):
        LLMClient(replace(settings, model="gpt-nope"), api_key=API_KEY).chat(MESSAGES)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = replace(settings, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(LLMError, match="cannot reach the endpoint.*llm.base_url"):
        LLMClient(unreachable, api_key=API_KEY).chat(MESSAGES)


def test_failed_calls_are_logged_too(llm_site, tmp_path) -> None:
    llm_site.server.always = Fault("500")
    client = _client(llm_site, tmp_path, max_retries=0)
    with pytest.raises(LLMError):
        client.chat(MESSAGES)
    assert client.usage_log.records[-1].finish_reason == "error"


def test_a_too_long_request_says_to_lower_batch_chars(llm_site, tmp_path) -> None:
    llm_site.server.faults.append(Fault("context_length"))
    with pytest.raises(LLMError, match="too long for model 'test-model'.*llm.batch_chars"):
        _client(llm_site, tmp_path).chat(MESSAGES)


def test_errors_say_the_truth(llm_site, tmp_path) -> None:
    # a reasoning model's refusals are learned, never reported as an unknown model
    llm_site.server.dialect = "reasoning"
    client = _client(llm_site, tmp_path)
    assert client.chat(MESSAGES, max_tokens=50).finish_reason == "stop"
    assert [item.setting for item in client.learned] == ['token_parameter = "max_completion_tokens"',
                                                         "send_temperature = false"]
    assert len(llm_site.server.requests) == 3
    body = llm_site.server.requests[-1]
    assert body["max_completion_tokens"] == 50 and "temperature" not in body and "max_tokens" not in body
    # a 400 nothing can avoid: no "try again later", no "model not found", one request only
    llm_site.server.dialect = "openai"
    llm_site.server.faults.append(Fault("bad_request"))
    sent = len(llm_site.server.requests)
    with pytest.raises(LLMError) as info:
        _client(llm_site, tmp_path).chat(MESSAGES)
    message = str(info.value)
    assert "refused" in message and "fail the same way" in message and "messages" in message
    assert "try again later" not in message and "does not know the model" not in message
    assert len(llm_site.server.requests) == sent + 1
    # the retry count is the real one
    llm_site.server.always = Fault("429", retry_after=0.1)
    with pytest.raises(LLMError, match="after 2 retries"):
        _client(llm_site, tmp_path, max_retries=2).chat(MESSAGES)
