"""A local OpenAI-compatible HTTP server for the test suite and the benchmark.

Real HTTP on 127.0.0.1 (ephemeral port), so the real `openai` client is
exercised end to end. It "translates" the JSON batches `publish translate`
sends (glossary terms replaced, a few kana swapped, everything else kept),
and can be told to misbehave, one scripted fault per request:

- `Fault("429", retry_after=1)`, `Fault("500")`: error statuses (the client retries);
- `Fault("hang", seconds=3)`: answer only after the client's timeout;
- `Fault("context_length")`: the 400 an endpoint sends for a request too long for the model;
- `Fault("length")`: a truncated answer with `finish_reason: "length"`;
- `Fault("drop_id")`, `Fault("drop_placeholder")`, `Fault("change_number")`,
  `Fault("inject_script")`, `Fault("bad_json")`: wrong answers the checks must catch.

It also answers `publish draft` and `publish revise` requests (a "task" in
their JSON payload: outlines, sections and summaries built from the
passages sent, block choices and revisions; see the end of this file) and
`POST /v1/images/generations` (a real PNG from Pillow, base64), and records
each chat request's size (`request_sizes`) for the budget tests.

Chat completions with and without streaming, structured output
(`response_format: json_schema`, or a 400 when `supports_json_schema` is
off), usage counts including cached prompt tokens, 401 for a wrong key and
404 for an unknown model.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from .openai_answers import (DIALECTS, WRITING_TASKS, answer_image_request, answer_writing_task,  # noqa: F401
                             approx_tokens, bump_first_number, dialect_answer, dialect_refusal, request_size)

API_KEY = "test-key-not-secret"
MODEL = "test-model"


@dataclass
class Fault:
    """One scripted misbehaviour for one request."""

    kind: str
    retry_after: float = 1.0
    seconds: float = 3.0


def fake_translate(text: str, glossary: list[dict[str, str]]) -> str:
    """A stand-in translation that keeps structure, numbers, markers and placeholders."""
    for term in sorted(glossary, key=lambda t: -len(t["source"])):
        text = text.replace(term["source"], term["target"])
    return text.replace("の", "的").replace("は", "是")


class OpenAIServer:
    """`server.url` is the base URL to give the client (`http://127.0.0.1:<port>/v1`)."""

    def __init__(self, *, latency: float = 0.0, supports_json_schema: bool = True,
                 models: tuple[str, ...] = (MODEL,), api_key: str = API_KEY, dialect: str = "openai"):
        self.dialect = dialect
        """How the endpoint behaves: one of `DIALECTS` (`openai`: today's OpenAI chat models)."""
        self.latency = latency
        self.supports_json_schema = supports_json_schema
        self.models = set(models)
        self.api_key = api_key
        self.faults: deque[Fault] = deque()
        self.always: Fault | None = None
        self.translate: Callable[[str, list[dict[str, str]]], str] = fake_translate
        # --- factcheck helper: answers to chat requests that are not translation batches -------------------
        self.respond: Callable[[dict[str, Any]], str] | None = None
        """Called with the request body when the request is not a translation batch (no `segments`), e.g. the
        fact check's `--llm` questions; returns the message content. None: such requests get `{"segments": []}`."""
        self.requests: list[dict[str, Any]] = []
        """Bodies of the chat requests received, in order."""
        self.request_times: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        """Most chat requests being answered at the same moment (to check the client's concurrency limit)."""
        self.request_sizes: list[int] = []
        """Estimated size of each chat request: prompt, schema and reserved answer (`max_tokens`), in tokens."""
        self.image_models = {"gpt-image-1", "dall-e-3"}
        self.image_requests: list[dict[str, Any]] = []
        """Bodies of the image requests received, in order."""
        self._seen_prompts: set[str] = set()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in server.models]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/").endswith("/images/generations"):
                    server._images(self, body)
                    return
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                server._chat(self, body)

            def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True, name=f"openai:{port}")
        self._thread.start()

    # ------------------------------------------------------------------

    def close(self) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "OpenAIServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def segment_ids(self) -> list[list[str]]:
        """The segment ids of each request received (batches as sent)."""
        return [[s["id"] for s in _payload(body).get("segments", [])] for body in self.requests]

    def segment_texts(self) -> list[str]:
        """Every segment text sent, over all requests."""
        return [s["text"] for body in self.requests for s in _payload(body).get("segments", [])]

    # ------------------------------------------------------------------

    def _chat(self, handler: Any, body: dict[str, Any]) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self._answer_chat(handler, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer_chat(self, handler: Any, body: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(body)
            self.request_sizes.append(request_size(body))
            self.request_times.append(time.monotonic())
            fault = self.faults.popleft() if self.faults else self.always
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            handler._json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                          "code": "invalid_api_key"}})
            return
        if body.get("model") not in self.models:
            handler._json(404, {"error": {"message": f"The model `{body.get('model')}` does not exist",
                                          "type": "invalid_request_error", "code": "model_not_found"}})
            return
        refusal = dialect_refusal(self.dialect, body)
        if refusal is not None:
            handler._json(400, {"error": refusal})
            return
        response_format = body.get("response_format") or {}
        if response_format.get("type") == "json_schema" and not self.supports_json_schema:
            handler._json(400, {"error": {"message": "response_format json_schema is not supported by this model",
                                          "type": "invalid_request_error", "param": "response_format"}})
            return
        if self.latency:
            time.sleep(self.latency)
        kind = fault.kind if fault else None
        if kind == "think_unclosed":  # a thinking model that spends the whole answer reasoning
            handler._json(200, {"id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
                                "model": body["model"], "choices": [{"index": 0, "message": {
                                    "role": "assistant", "content": "<think>\nLet me think about the segments"},
                                    "finish_reason": "stop"}]})
            return
        if kind == "429":
            handler._json(429, {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
                          {"Retry-After": f"{fault.retry_after:g}"})
            return
        if kind == "context_length":
            handler._json(400, {"error": {"message": "This model's maximum context length is 8192 tokens",
                                          "type": "invalid_request_error", "code": "context_length_exceeded"}})
            return
        if kind == "bad_request":  # a 400 no setting of ours can avoid
            handler._json(400, {"error": {"message": "Invalid 'messages[1].content': string too long.",
                                          "type": "invalid_request_error", "param": "messages", "code": None}})
            return
        if kind == "500":
            handler._json(500, {"error": {"message": "The server had an error", "type": "server_error"}})
            return
        if kind == "hang":
            self._closing.wait(fault.seconds)
        content = self._answer(body, kind)
        finish = "stop"
        if kind == "length":
            content, finish = content[: max(1, len(content) // 2)], "length"
        content, reasoning = dialect_answer(self.dialect, body, content)
        system = next((m["content"] for m in body.get("messages", []) if m.get("role") == "system"), "")
        with self._lock:
            cached = approx_tokens(system) if system in self._seen_prompts else 0
            self._seen_prompts.add(system)
        prompt_tokens = sum(approx_tokens(m.get("content") or "") + 4 for m in body.get("messages", []))
        completion_tokens = max(1, approx_tokens(content))
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                 "total_tokens": prompt_tokens + completion_tokens,
                 "prompt_tokens_details": {"cached_tokens": cached}}
        created = int(time.time())
        if body.get("stream"):
            self._stream(handler, body, content, finish, usage, created)
            return
        handler._json(200, {
            "id": "chatcmpl-test", "object": "chat.completion", "created": created, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content,
                                                 **({"reasoning_content": reasoning} if reasoning else {})},
                         "finish_reason": finish}],
            "usage": usage,
        })

    def _stream(self, handler: Any, body: dict[str, Any], content: str, finish: str, usage: dict, created: int):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Connection", "close")
        handler.end_headers()
        base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": created, "model": body["model"]}
        step = max(1, len(content) // 3)
        chunks = [content[i:i + step] for i in range(0, len(content), step)] or [""]
        events = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                                        "finish_reason": None}]} for piece in chunks]
        events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append({**base, "choices": [], "usage": usage})
        try:
            for event in events:
                handler.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
            handler.wfile.write(b"data: [DONE]\n\n")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    def _answer(self, body: dict[str, Any], kind: str | None) -> str:
        payload = _payload(body)
        if payload.get("task") in WRITING_TASKS:
            return answer_writing_task(payload, kind)
        if self.respond is not None and "segments" not in payload:  # factcheck helper: see `respond`
            return self.respond(body)
        glossary = payload.get("glossary", [])
        segments = [{"id": s["id"], "text": self.translate(s["text"], glossary)} for s in payload.get("segments", [])]
        if kind == "drop_id" and segments:
            segments.pop()
        elif kind == "drop_placeholder":
            for segment in segments:
                if re.search(r"⟦\d+⟧", segment["text"]):
                    segment["text"] = re.sub(r"⟦\d+⟧", "", segment["text"], count=1)
                    break
        elif kind == "change_number":
            for segment in segments:
                if re.search(r"\d", re.sub(r"⟦\d+⟧", "", segment["text"])):
                    segment["text"] = bump_first_number(segment["text"])
                    break
        elif kind == "inject_script" and segments:
            segments[0]["text"] += "<script>alert(1)</script>"
        if kind == "bad_json":
            return "Sure! Here is the translation: " + json.dumps({"segments": segments}, ensure_ascii=False)[:20]
        return json.dumps({"segments": segments}, ensure_ascii=False)

    def _images(self, handler: Any, body: dict[str, Any]) -> None:
        with self._lock:
            self.image_requests.append(body)
            fault = self.faults.popleft() if self.faults else self.always
        answer_image_request(self, handler, body, fault.kind if fault else None)


def _payload(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON batch in the first user message."""
    for message in body.get("messages", []):
        if message.get("role") == "user":
            try:
                return json.loads(message["content"])
            except (ValueError, TypeError):
                return {}
    return {}


def without_llm_table(toml: str) -> str:
    """`toml` without its [llm] table (the tests add their own, pointing at the local server)."""
    kept, skipping = [], False
    for line in toml.splitlines(keepends=True):
        if line.lstrip().startswith("["):
            skipping = line.strip().startswith("[llm]")
        if not skipping:
            kept.append(line)
    return "".join(kept)
