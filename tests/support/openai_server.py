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

API_KEY = "test-key-not-secret"
MODEL = "test-model"


@dataclass
class Fault:
    """One scripted misbehaviour for one request."""

    kind: str
    retry_after: float = 1.0
    seconds: float = 3.0


def approx_tokens(text: str) -> int:
    """Roughly what BPE tokenizers such as o200k give: one token per CJK character, one per four others."""
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return cjk + (len(text) - cjk + 3) // 4


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
                    segment["text"] = _bump_first_number(segment["text"])
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


def _bump_first_number(text: str) -> str:
    """`text` with its first number outside placeholders increased by one."""
    done = False

    def bump(match: re.Match[str]) -> str:
        nonlocal done
        if match.group(1) is None or done:
            return match.group(0)
        done = True
        return str(int(match.group(1)) + 1)

    return re.sub(r"⟦\d+⟧|(\d+)", bump, text)


def without_llm_table(toml: str) -> str:
    """`toml` without its [llm] table (the tests add their own, pointing at the local server)."""
    kept, skipping = [], False
    for line in toml.splitlines(keepends=True):
        if line.lstrip().startswith("["):
            skipping = line.strip().startswith("[llm]")
        if not skipping:
            kept.append(line)
    return "".join(kept)


# ---------------------------------------------------------------- drafting, revising, images (publish draft/revise/image)
#
# Requests of `publish draft` and `publish revise` carry a "task" in their JSON
# payload. The answers are built deterministically from what the request holds:
# an outline from the passages' first lines, sections from sentences of the
# passages sent (so figures and source markers are real), revisions by simple
# rules ("shorten" keeps a block's first sentence).

WRITING_TASKS = frozenset({"draft_outline", "draft_section", "draft_closing", "revise_scope", "revise", "alt_text"})

_CJK_RUN = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffー]{2,8}")
_SECTION_WORDS = re.compile(r"section\s*(\d+)|セクション\s*(\d+)|第\s*(\d+)\s*[章節]|(\d+)\s*章")


def request_size(body: dict[str, Any]) -> int:
    """A chat request's size as the budget counts it: messages (+4 each), the JSON schema, and `max_tokens`."""
    size = sum(approx_tokens(m.get("content") or "") + 4 for m in body.get("messages", []))
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
    if schema is not None:
        size += approx_tokens(json.dumps(schema, ensure_ascii=False))
    return size + int(body.get("max_tokens") or 0)


def _words(text: str, limit: int) -> list[str]:
    """The first `limit` distinct kanji/katakana runs of `text` (stand-ins for keywords)."""
    found: list[str] = []
    for word in _CJK_RUN.findall(text):
        if word not in found:
            found.append(word)
        if len(found) == limit:
            break
    return found


def _sentences(text: str) -> list[str]:
    """Sentences of a passage, list markers taken off; headings and short fragments left out."""
    parts = re.split(r"(?<=[。．！？])|\n", text)
    sentences = []
    for part in parts:
        part = re.sub(r"^\s*(?:[-・*]\s*|#+\s*)", "", part).strip()
        if len(part) < 15 or re.match(r"^(?:第\s*\d+\s*[章節]|\d+(?:-\d+)*\.\s)", part):
            continue
        sentences.append(part)
    return sentences


def _facts(passages: list[dict[str, Any]], skip: int) -> list[tuple[str, str]]:
    """(sentence, passage id) pairs: one per passage, preferring sentences with figures, cut to 120 characters;
    `skip` rotates which sentence each passage gives, so sections do not repeat each other."""
    facts = []
    for passage in passages:
        sentences = _sentences(passage["text"])
        if not sentences:
            continue
        with_figure = [s for s in sentences if re.search(r"\d", s)] or sentences
        facts.append((with_figure[skip % len(with_figure)][:120], passage["id"]))
    return facts


def answer_writing_task(payload: dict[str, Any], kind: str | None) -> str:
    """The JSON answer to a drafting or revision request (`kind` is a scripted fault, if any)."""
    task = payload["task"]
    if kind == "bad_json":
        return "Here is the draft you asked for."
    if task == "draft_outline":
        answer = _outline(payload)
    elif task == "draft_section":
        answer = _section(payload)
        if kind == "change_number":  # a figure the passages do not have
            block = next(b for b in answer["blocks"] if re.search(r"\d", b["text"]))
            block["text"] = _bump_first_number(block["text"])
    elif task == "draft_closing":
        headings = [s["heading"] for s in payload.get("sections", [])]
        answer = {"summary": "本稿では" + "、".join(headings) + "の順に整理した。自社の強みと照らし合わせて優先順位を決めることが大切。"}
    elif task == "revise_scope":
        answer = {"ids": _revision_scope(payload)}
    elif task == "alt_text":
        words = _words(payload.get("prompt", ""), 2) or ["港"]
        answer = {"alt": "、".join(words) + "を表した抽象的なイラスト"}
    else:
        answer = {"blocks": _revised(payload, kind)}
    return json.dumps(answer, ensure_ascii=False)


def _outline(payload: dict[str, Any]) -> dict[str, Any]:
    passages = [p for source in payload.get("sources", []) for p in source.get("passages", [])]
    bounds = payload.get("sections", {})
    count = max(int(bounds.get("min", 3)), min(int(bounds.get("max", 6)), 4))
    count = max(1, min(count, len(passages)))
    size = -(-len(passages) // count)
    groups = [passages[i * size:(i + 1) * size] for i in range(count)]
    groups = [g for g in groups if g]
    brief = payload.get("brief", "")
    wants_series = any(word in brief for word in ("特徴", "❶", "series"))
    sections = []
    for number, group in enumerate(groups, start=1):
        firsts = [p["start"] for p in group]
        plan = "；".join(firsts[:6])[:300]
        label, items = "", []
        if wants_series and number == min(2, len(groups)):
            label, items = "特徴", [(_words(first, 1) or [first[:8]])[0] for first in firsts[:3]]
        sections.append({"heading": (_words(firsts[0], 2) and "と".join(_words(firsts[0], 2))) or firsts[0][:16],
                         "plan": plan, "keywords": _words(plan, 6), "series": {"label": label, "items": items}})
    title = re.split(r"[。\n]", brief.strip())[0][:40] or "資料から読み解く市場の動き"
    return {"title": title, "summary": (brief.strip()[:90] or title), "tags": _words(brief, 3) or ["市場"],
            "sections": sections}


def _section(payload: dict[str, Any]) -> dict[str, Any]:
    passages = payload.get("passages", [])
    section = payload.get("section", {})
    blocks: list[dict[str, Any]] = []
    facts = _facts(passages, int(section.get("number", 1)) - 1)
    if not facts:
        return {"blocks": [{"kind": "text", "text": "資料に該当する記述は見当たらなかった。", "items": [], "sources": []}]}

    def block(kind: str, text: str = "", sources: list[str] | None = None, items: list[str] | None = None) -> None:
        blocks.append({"kind": kind, "text": text, "items": items or [], "sources": sources or []})

    text, pid = facts[0]
    block("point", text, [pid])
    block("flow", "↓")
    if len(facts) > 1:
        block("text", facts[1][0], [facts[1][1]])
    if section.get("number") == 1:
        words = _words(section.get("plan", ""), 1) or ["市場"]
        block("term", f"{words[0]}とは、この資料が扱う中心的な概念で、本節の前提になる考え方。")
    series = section.get("series") or {}
    rest = facts[2:]
    for index, item in enumerate(series.get("items") or []):
        block("subheading", item)
        block("tagline", f"{item}の役割")
        if rest:
            text, pid = rest.pop(0)
            block("point", text, [pid])
    if len(rest) >= 2:
        block("list", "", [rest[0][1], rest[1][1]], [rest[0][0], rest[1][0]])
        rest = rest[2:]
    for text, pid in rest[:2]:
        block("point", text, [pid])
    return {"blocks": blocks}


def _revision_scope(payload: dict[str, Any]) -> list[str]:
    instruction = payload.get("instruction", "")
    match = _SECTION_WORDS.search(instruction)
    wanted = int(next(g for g in match.groups() if g)) if match else None
    quoted = re.findall(r"「([^」]+)」", instruction)
    ids, current = [], None
    for item in payload.get("blocks", []):
        heading = re.match(r"^##\s+(\d+)\.", item["text"])
        if item["kind"] == "heading2":
            current = int(heading.group(1)) if heading else None
            continue
        if item["kind"] in ("html_block",) or item["kind"].startswith("heading"):
            continue
        if wanted is not None and current == wanted and item["text"].strip() != "↓":
            ids.append(item["id"])
        elif quoted and any(q in item["text"] for q in quoted):
            ids.append(item["id"])
    return ids


def _revised(payload: dict[str, Any], kind: str | None) -> list[dict[str, str]]:
    instruction = payload.get("instruction", "")
    result = []
    for item in payload.get("blocks", []):
        text = item["text"]
        if "delete" in instruction or "削除" in instruction:
            text = ""
        elif "shorten" in instruction or "短く" in instruction:
            sentences = re.split(r"(?<=。)", text, maxsplit=1)
            text = sentences[0]  # one sentence only: kept as it is
        else:
            text = text + "（改訂）"
        result.append({"id": item["id"], "text": text})
    if kind == "touch_other":
        sent = {item["id"] for item in payload.get("blocks", [])}
        other = next(f"b{n}" for n in range(1000) if f"b{n}" not in sent)
        result.append({"id": other, "text": "## 0. 頼まれていない書き換え"})
    return result


def small_png(width: int, height: int, seed: str) -> bytes:
    """A real PNG (Pillow) of the given size: a two-colour gradient picked from `seed`."""
    import hashlib
    import io

    from PIL import Image

    digest = hashlib.sha256(seed.encode()).digest()
    left, right = digest[:3], digest[3:6]
    row = Image.new("RGB", (width, 1))
    row.putdata([tuple(int(left[c] + (right[c] - left[c]) * x / max(1, width - 1)) for c in range(3))
                 for x in range(width)])
    image = row.resize((width, height))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


_GPT_IMAGE_SIZES = {"1024x1024", "1536x1024", "1024x1536", "auto"}
_DALLE3_SIZES = {"1024x1024", "1792x1024", "1024x1792"}


def answer_image_request(server: "OpenAIServer", handler: Any, body: dict[str, Any], kind: str | None) -> None:
    """`POST /v1/images/generations` as OpenAI answers it: base64 PNG, a 400 for what the model refuses."""
    import base64

    if handler.headers.get("Authorization") != f"Bearer {server.api_key}":
        handler._json(401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
        return
    model = body.get("model")
    if model not in server.image_models:
        handler._json(404, {"error": {"message": f"The model `{model}` does not exist", "code": "model_not_found"}})
        return
    if kind == "500":
        handler._json(500, {"error": {"message": "The server had an error", "type": "server_error"}})
        return
    if kind == "not_an_image":
        handler._json(200, {"created": int(time.time()), "data": [{"b64_json": base64.b64encode(b"GIF89a??").decode()}]})
        return
    gpt_image = str(model).startswith("gpt-image")
    if gpt_image and "response_format" in body:
        handler._json(400, {"error": {"message": "Unknown parameter: 'response_format'.", "type": "invalid_request_error",
                                      "param": "response_format", "code": "unknown_parameter"}})
        return
    size = body.get("size") or "1024x1024"
    if size not in (_GPT_IMAGE_SIZES if gpt_image else _DALLE3_SIZES):
        handler._json(400, {"error": {"message": f"Invalid size {size!r} for {model}", "type": "invalid_request_error",
                                      "param": "size"}})
        return
    if not str(body.get("prompt") or "").strip():
        handler._json(400, {"error": {"message": "prompt is required", "param": "prompt"}})
        return
    width, height = (1536, 1024) if size == "auto" else map(int, size.split("x"))
    png = small_png(width // 4, height // 4, body["prompt"])
    item: dict[str, Any] = {"b64_json": base64.b64encode(png).decode()}
    if not gpt_image:
        item["revised_prompt"] = body["prompt"]
    answer: dict[str, Any] = {"created": int(time.time()), "data": [item]}
    if gpt_image:
        answer["usage"] = {"input_tokens": approx_tokens(body["prompt"]), "output_tokens": 1056,
                           "total_tokens": approx_tokens(body["prompt"]) + 1056,
                           "input_tokens_details": {"text_tokens": approx_tokens(body["prompt"]), "image_tokens": 0}}
    handler._json(200, answer)


# ---------------------------------------------------------------- dialects: endpoints as providers document them

DIALECTS = ("openai", "reasoning", "max_tokens_only", "think", "think_empty", "think_close", "reasoning_content",
            "deepseek", "ollama", "vllm", "dashscope")

_REASONING_TEXT = ('The user wants {"segments": [{"id": "b0", "text": "x"}]} back. I must not print <think> or '
                   '</think> tags in the answer. Draft: {"segments": []}')


def dialect_refusal(dialect: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """The 400 error body a provider sends for a parameter it does not take (its documented wording), or None."""
    if dialect == "reasoning":  # OpenAI o-series and gpt-5 family
        if "max_tokens" in body:
            return {"message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                    "'max_completion_tokens' instead.", "type": "invalid_request_error", "param": "max_tokens",
                    "code": "unsupported_parameter"}
        if "temperature" in body and body["temperature"] != 1:
            return {"message": f"Unsupported value: 'temperature' does not support {body['temperature']} with this "
                    "model. Only the default (1) value is supported.", "type": "invalid_request_error",
                    "param": "temperature", "code": "unsupported_value"}
    if dialect == "max_tokens_only" and "max_completion_tokens" in body:
        return {"message": "Unrecognized request argument supplied: max_completion_tokens",
                "type": "invalid_request_error", "param": None, "code": None}
    if dialect == "deepseek" and (body.get("response_format") or {}).get("type") == "json_schema":
        return {"message": "This response_format type is unavailable now", "type": "invalid_request_error",
                "param": None, "code": "invalid_request_error"}
    if dialect == "dashscope" and not body.get("stream") and body.get("enable_thinking") is not False:
        return {"message": "<400> InternalError.Algo.InvalidParameter: The value of the enable_thinking parameter "
                "is restricted to True.", "type": "invalid_request_error", "param": None, "code": "invalid_parameter_error"}
    return None


def dialect_answer(dialect: str, body: dict[str, Any], content: str) -> tuple[str, str | None]:
    """(content, reasoning_content) as the provider sends them: thinking models put reasoning before the answer."""
    if dialect == "think":  # Qwen3 / DeepSeek-R1 distills on a server without a reasoning parser
        return f"<think>\n{_REASONING_TEXT}\n</think>\n\n{content}", None
    if dialect == "think_empty":  # thinking switched off with /no_think: the empty block stays
        return f"<think>\n\n</think>\n\n{content}", None
    if dialect == "think_close":  # the chat template opened the block: only the closing tag is in content
        return f"{_REASONING_TEXT}\n</think>\n\n{content}", None
    if dialect == "reasoning_content":  # DeepSeek's reasoner: reasoning beside the answer
        return content, _REASONING_TEXT + "\n</think>"
    if dialect == "ollama" and body.get("reasoning_effort") != "none":  # /v1 maps reasoning_effort none to think false
        return f"<think>\n{_REASONING_TEXT}\n</think>\n\n{content}", None
    if dialect == "vllm" and (body.get("chat_template_kwargs") or {}).get("enable_thinking") is not False:
        return content, _REASONING_TEXT
    return content, None
