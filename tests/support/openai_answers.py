"""What the local OpenAI-compatible server answers: drafting and revision tasks, images, and provider dialects.

Split from `openai_server.py` (the HTTP side); see its docstring for the faults and dialects.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any


def approx_tokens(text: str) -> int:
    """Roughly what BPE tokenizers such as o200k give: one token per CJK character, one per four others."""
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return cjk + (len(text) - cjk + 3) // 4


def bump_first_number(text: str) -> str:
    """`text` with its first number outside placeholders increased by one."""
    done = False

    def bump(match: re.Match[str]) -> str:
        nonlocal done
        if match.group(1) is None or done:
            return match.group(0)
        done = True
        return str(int(match.group(1)) + 1)

    return re.sub(r"⟦\d+⟧|(\d+)", bump, text)


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
            block["text"] = bump_first_number(block["text"])
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


def answer_image_request(server: Any, handler: Any, body: dict[str, Any], kind: str | None) -> None:
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
