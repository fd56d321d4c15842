"""Ask the model for a JSON answer, check it, and ask once more with the problems if it is wrong.

Drafting, revising and alt texts all want one JSON object of a known shape.
The caller's `check` returns the problems of a parsed answer (empty: fine);
a reply that is not JSON (after any `<think>` block: `answers.py`), fails the
check or was cut off by the length limit is sent back once with what was
wrong, then reported as an `LLMError`. Each unusable answer is told to the
client, which stops the run when they keep coming.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .budget import check_fits, request_tokens
from .answers import parse_json_object, read_json_answer
from .client import LLMClient, LLMError
from .feedback import Feedback, shown
from ..i18n import _

__all__ = ["AnswerCache", "ask_json", "parse_json_object"]

class AnswerCache:
    """Accepted answers of one run, by request, in a JSON Lines file: a failed run resumes without resending.

    Lines are appended and flushed as answers arrive, so an interruption keeps
    what was received; a torn last line is ignored.
    """

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._answers: dict[str, str] = {}
        if path.is_file():
            for line in path.read_text("utf-8").splitlines():
                try:
                    item = json.loads(line)
                    self._answers[item["key"]] = item["text"]
                except (ValueError, KeyError, TypeError):
                    continue

    @staticmethod
    def key(model: str, messages: Sequence[Mapping[str, str]], schema_name: str) -> str:
        data = json.dumps({"model": model, "schema": schema_name, "messages": list(messages)}, ensure_ascii=False,
                          sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def get(self, key: str) -> str | None:
        return self._answers.get(key)

    def put(self, key: str, text: str) -> None:
        line = json.dumps({"key": key, "text": text}, ensure_ascii=False) + "\n"
        with self._lock:
            self._answers[key] = text
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as stream:
                stream.write(line)
                stream.flush()
                os.fsync(stream.fileno())

    def __len__(self) -> int:
        return len(self._answers)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def ask_json(client: LLMClient, messages: Sequence[Mapping[str, str]], *, schema: Mapping[str, Any],
             name: str, purpose: str, what: str, check: Callable[[dict[str, Any]], list[str]],
             max_tokens: int, budget: int | None = None, cache: AnswerCache | None = None) -> dict[str, Any]:
    """Send `messages` for a JSON answer of `schema`; return the first answer `check` accepts.

    `what` names the request in messages (`section 2/5`). With `budget`, the
    request (and its retry) must fit in it, or `BudgetError` is raised before sending.
    With `cache`, an answer accepted earlier for the same request is used
    without sending it, and an accepted answer is kept.
    """
    messages = [dict(m) for m in messages]
    key = AnswerCache.key(client.settings.model, messages, name) if cache is not None else ""
    if cache is not None and (known := cache.get(key)) is not None:
        answer = parse_json_object(known)
        if answer is not None and not check(answer):
            return answer
    problems: list[str] = []
    for attempt in range(2):
        sent = messages
        if problems:
            sent = [*messages, {"role": "user", "content": "Your previous answer was not usable: "
                                + "; ".join(problems)[:300] + ". Answer again, fixing exactly that."}]
        if budget is not None:
            check_fits(what, request_tokens(sent, schema, max_tokens), budget)
        result = client.chat(sent, json_schema=schema, schema_name=name, purpose=purpose, max_tokens=max_tokens)
        if result.finish_reason == "length":
            problems = [Feedback("the answer was cut off at {tokens} tokens; write less", tokens=max_tokens)]
            client.answer_unusable(problems[0])
            continue
        parsed = read_json_answer(result.text)
        if parsed.value is None:
            problems = [parsed.problem]
            client.answer_unusable(parsed.problem)
            continue
        answer = parsed.value
        problems = check(answer)
        if not problems:
            client.answer_usable()
            if cache is not None:
                cache.put(key, result.text)
            return answer
        client.answer_unusable(shown(problems)[:200])
    raise LLMError(_("{what}: the model's answer was not usable twice ({problems})").format(what=what,
                         problems=shown(problems)[:400]))
