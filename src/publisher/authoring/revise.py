"""`publish revise ARTICLE --instruction "…"`: the model revises only the blocks the instruction concerns.

The body is split into its top-level blocks (`segments.split_blocks`, the
same blocks translation uses). First the model is shown every block with an
id and asked which ones the instruction concerns; then it gets only those
and returns their new text by id (a block may become several, or nothing).
Its answer is spliced into the file by line numbers, so every other byte of
the file, the header included, stays exactly as the writer left it. An
answer for a block outside the scope the model itself named is not applied.

The result is shown as a diff and written only when `confirm` says so, and
only if nobody saved the file meanwhile.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..config import SiteConfig
from ..content.frontmatter import read_document
from ..errors import PublisherError, shown_path
from ..content.lookup import find_article_file
from ..llm.budget import RETRY_MARGIN, BudgetError, estimate_tokens, request_tokens
from ..llm.client import LLMClient
from ..fsio import replace_if_unchanged
from ..markdown.segments import Segment, split_blocks
from ..config.llm import LLMSettings
from ..llm.structured import ask_json
from ..languages import LANGUAGE_NAMES
from ..llm.usage import Prices, UsageLog, UsageSummary
from ..i18n import _
from ..llm.feedback import Feedback

SCOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"ids": {"type": "array", "items": {"type": "string"}}},
    "required": ["ids"],
    "additionalProperties": False,
}

REVISE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"blocks": {"type": "array", "items": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
        "required": ["id", "text"], "additionalProperties": False}}},
    "required": ["blocks"],
    "additionalProperties": False,
}

SCOPE_PROMPT = """You help a writer revise a Markdown article written in {language}.
The user sends JSON: "instruction" (what the writer wants) and "blocks" (every top-level block of the body, in
order, with an "id"; long blocks may be shortened with "…" here).
Answer JSON {{"ids": [...]}}: the ids of the blocks that must change to carry out the instruction, and no others.
Blocks the instruction does not concern must stay exactly as they are, so leave them out. Never list the
<!-- source: ... --> comment blocks."""

REVISE_PROMPT = """You revise parts of a Markdown article written in {language}, following the writer's instruction.
The user sends JSON: "instruction", "outline" (the article's headings, for orientation) and "blocks" (the blocks
to revise, each with "id" and "text").
Answer JSON {{"blocks": [{{"id", "text"}}]}} with one entry per block you revise, using only the ids given. "text"
is the block's new Markdown: it may hold several blocks separated by blank lines, or be "" to delete the block.
Keep the house style: `## N.` headings, ① ② points, a paragraph holding only ↓ between statements, `> **Xとは、**`
term boxes, a closing ■ summary. Keep every figure that stays in the text exactly as written, and do not invent
new facts or figures. Write in {language}."""


class RevisionError(PublisherError):
    """The revision could not be made or written; the file is as it was."""


@dataclass(frozen=True)
class ReviseOptions:
    """What `publish revise` was asked to do."""

    instruction: str
    """The writer's instruction (`shorten section 2`)."""
    lang: str | None = None
    """Which language file to revise (default: the source)."""


@dataclass(frozen=True)
class Revision:
    """A proposed revision of one file, before it is written."""

    path: Path
    """The Markdown file."""
    original: str
    """The file as read."""
    revised: str
    """The file with the revised blocks spliced in."""
    changed: tuple[str, ...]
    """Ids of the blocks whose text changed (`b3`), in file order."""
    refused: tuple[str, ...]
    """Parts of the model's answer that were not applied, and why."""
    diff: str
    """Unified diff from `original` to `revised`."""

    @property
    def has_changes(self) -> bool:
        return self.revised != self.original


@dataclass(frozen=True)
class ReviseReport:
    """The result of `publish revise`."""

    revision: Revision
    """What the model proposed, spliced into the file."""
    written: bool
    """The revision was confirmed and written."""
    usage: UsageSummary
    """Requests, tokens and cost, for the summary line."""


@dataclass(frozen=True)
class _Block:
    id: str
    segment: Segment
    first_line: int
    """0-based line in the whole file."""
    line_count: int


def revise_article(config: SiteConfig, settings: LLMSettings, reference: str, options: ReviseOptions, *,
                   confirm: Callable[[Revision], bool], client: LLMClient | None = None,
                   progress: Callable[[str], None] = lambda step: None) -> ReviseReport:
    """Propose a revision, show it to `confirm`, and write it only if confirmed and the file is unchanged."""
    instruction = options.instruction.strip()
    if not instruction:
        raise RevisionError(_("the instruction is empty; say what to change, e.g. --instruction \"shorten section 2\""))
    located = find_article_file(config, reference, options.lang)
    original_bytes = located.path.read_bytes()
    try:
        original = original_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise RevisionError(_("{path} is not UTF-8; re-save it as UTF-8").format(path=located.path)) from None
    raw, problems = read_document(located.path)
    if raw is None:
        raise RevisionError(_("{problem}; fix the file first").format(problem=problems[0].format(config.root)))
    lines = original.split("\n")
    blocks = _blocks(raw.body, raw.body_line, lines)
    if not any(b.segment.kind != "html_block" for b in blocks):
        raise RevisionError(_("{path} has no body to revise").format(path=located.path))
    language = LANGUAGE_NAMES.get(located.lang, located.lang)

    own_client = client is None
    client = client or LLMClient(settings, api_key=settings.api_key(), usage_log=UsageLog(settings.usage_log))
    records_before = len(client.usage_log.records) if client.usage_log else 0
    try:
        progress(_("finding the blocks the instruction concerns"))
        scope = _scope(client, settings, blocks, instruction, language)
        answers: dict[str, str] = {}
        refused: list[str] = []
        if scope:
            progress(_("revising {count} block(s)").format(count=len(scope)))
            answers, refused = _revise(client, settings, blocks, scope, instruction, language)
    finally:
        if own_client:
            client.close()
    revised_lines = list(lines)
    changed: list[str] = []
    for block in reversed(blocks):
        if block.id not in answers:
            continue
        new_text = answers[block.id].strip("\n")
        if new_text == block.segment.text:
            continue
        changed.append(block.id)
        end = block.first_line + block.line_count
        if new_text.strip():
            revised_lines[block.first_line:end] = new_text.split("\n")
        else:  # deleted: take one blank line with it so no gap is left
            if end < len(revised_lines) and not revised_lines[end].strip():
                end += 1
            revised_lines[block.first_line:end] = []
    revised = "\n".join(revised_lines)
    shown = shown_path(located.path, config.root)
    diff = "".join(difflib.unified_diff(original.splitlines(True), revised.splitlines(True),
                                        f"a/{shown}", f"b/{shown}", n=2))
    revision = Revision(path=located.path, original=original, revised=revised, changed=tuple(reversed(changed)),
                        refused=tuple(refused), diff=diff)
    usages = client.usage_log.records[records_before:] if client.usage_log else []
    usage = UsageSummary.of(usages, Prices(settings.price_input_per_million, settings.price_cached_input_per_million,
                                           settings.price_output_per_million))
    if not revision.has_changes or not confirm(revision):
        return ReviseReport(revision, written=False, usage=usage)
    try:
        replace_if_unchanged(located.path, original_bytes, revised)
    except PublisherError as exc:
        raise RevisionError(_("{exc}; the revision was not written. Run the command again on the saved file").format(
                                  exc=exc)) from None
    return ReviseReport(revision, written=True, usage=usage)


def _blocks(body: str, body_line: int, lines: list[str]) -> list[_Block]:
    """The body's blocks with their place in the file's lines (checked against the file)."""
    result = []
    for number, segment in enumerate(split_blocks(body)):
        first = body_line - 1 + segment.start_line
        count = segment.text.count("\n") + 1
        if "\n".join(lines[first:first + count]) != segment.text:
            raise RevisionError(_("the body could not be mapped to the file's lines (mixed line endings?); save "
                                  "the file with plain \\n line endings and try again"))
        result.append(_Block(f"b{number}", segment, first, count))
    return result


def _scope(client: LLMClient, settings: LLMSettings, blocks: list[_Block], instruction: str,
           language: str) -> list[str]:
    """The ids the model says the instruction concerns (source-marker comments never count)."""
    system = SCOPE_PROMPT.format(language=language)
    answer_tokens = 40 + 8 * len(blocks)
    fixed = request_tokens([{"role": "system", "content": system},
                            {"role": "user", "content": json.dumps({"task": "revise_scope", "instruction": instruction,
                                                                    "blocks": []}, ensure_ascii=False)}],
                           SCOPE_SCHEMA, answer_tokens) + RETRY_MARGIN
    room = settings.context_tokens - fixed
    texts = _fit([b.segment.text for b in blocks], room, per_item=12)
    if texts is None:
        raise BudgetError(_("the article has {count} blocks, too many to list within llm.context_tokens = "
                            "{context_tokens}; raise it in publisher.toml").format(
                                count=len(blocks), context_tokens=settings.context_tokens))
    payload = {"task": "revise_scope", "instruction": instruction,
               "blocks": [{"id": b.id, "kind": b.segment.kind, "text": text} for b, text in zip(blocks, texts)]}
    known = {b.id for b in blocks}

    def check(answer: dict[str, Any]) -> list[str]:
        ids = answer.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return [Feedback("`ids` must be a list of block ids")]
        unknown = [i for i in ids if i not in known]
        return ([Feedback("unknown block ids {unknown}; use the ids of the blocks sent", unknown=unknown)]
                if unknown else [])

    answer = ask_json(client, [{"role": "system", "content": system},
                               {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}],
                      schema=SCOPE_SCHEMA, name="revision_scope", purpose="revise", what=_("choosing the blocks"),
                      check=check, max_tokens=answer_tokens, budget=settings.context_tokens)
    comments = {b.id for b in blocks if b.segment.kind == "html_block"}  # source markers stay with their paragraph
    order = [b.id for b in blocks]
    return sorted(set(answer["ids"]) - comments, key=order.index)


def _fit(texts: list[str], room: int, per_item: int) -> list[str] | None:
    """`texts` cut (with `…`) to one common length so that all of them fit in `room` tokens, or None."""
    def size(items: list[str]) -> int:
        return sum(estimate_tokens(t) + per_item for t in items)

    if size(texts) <= room:
        return texts
    low, high = 0, max(len(t) for t in texts)
    best = None
    while low <= high:
        middle = (low + high) // 2
        cut = [t if len(t) <= middle else t[:middle] + "…" for t in texts]
        if size(cut) <= room:
            best, low = cut, middle + 1
        else:
            high = middle - 1
    return best


def _revise(client: LLMClient, settings: LLMSettings, blocks: list[_Block], scope: list[str], instruction: str,
            language: str) -> tuple[dict[str, str], list[str]]:
    """New texts of the blocks in scope (in batches that fit the budget); answers for others are refused."""
    system = REVISE_PROMPT.format(language=language)
    outline = [b.segment.text for b in blocks if b.segment.kind.startswith("heading")]
    by_id = {b.id: b for b in blocks}
    base = request_tokens([{"role": "system", "content": system},
                           {"role": "user", "content": json.dumps({"task": "revise", "instruction": instruction,
                                                                   "outline": outline, "blocks": []},
                                                                  ensure_ascii=False)}], REVISE_SCHEMA) + RETRY_MARGIN
    room = settings.context_tokens - base
    if room < 200:
        raise BudgetError(_("the instruction and outline leave no room within llm.context_tokens = "
                            "{context_tokens}; raise it in publisher.toml").format(
                                context_tokens=settings.context_tokens))
    batches: list[list[str]] = []
    current: list[str] = []
    used = 0
    for block_id in scope:
        cost = _block_cost(by_id[block_id].segment.text)
        if cost > room:
            raise BudgetError(_("block {block_id} (line {line}) is too long to revise within llm.context_tokens = "
                                "{context_tokens}; raise it in publisher.toml").format(
                                    block_id=block_id, line=by_id[block_id].first_line + 1,
                                    context_tokens=settings.context_tokens))
        if current and used + cost > room:
            batches.append(current)
            current, used = [], 0
        current.append(block_id)
        used += cost
    if current:
        batches.append(current)

    answers: dict[str, str] = {}
    refused: list[str] = []
    for batch in batches:
        wanted = set(batch)
        payload = {"task": "revise", "instruction": instruction, "outline": outline,
                   "blocks": [{"id": i, "text": by_id[i].segment.text} for i in batch]}
        reserve = sum(_answer_tokens(by_id[i].segment.text) for i in batch)

        def check(answer: dict[str, Any]) -> list[str]:
            items = answer.get("blocks")
            if not isinstance(items, list) or not all(
                    isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("text"), str)
                    for item in items):
                return [Feedback("`blocks` must be a list of {\"id\", \"text\"}")]
            return []

        answer = ask_json(client, [{"role": "system", "content": system},
                                   {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}],
                          schema=REVISE_SCHEMA, name="revision", purpose="revise", what=_("revising the blocks"),
                          check=check, max_tokens=reserve, budget=settings.context_tokens)
        for item in answer["blocks"]:
            block_id = item["id"]
            if block_id in wanted and block_id not in answers:
                answers[block_id] = item["text"]
            elif block_id in by_id and block_id not in wanted:
                refused.append(_("{block} (line {line}): changed by the model outside the blocks it chose; kept as it "
                                 "was").format(block=block_id, line=by_id[block_id].first_line + 1))
            elif block_id not in by_id:
                refused.append(_("{block}: no such block; ignored").format(block=block_id))
    return answers, refused


def _answer_tokens(text: str) -> int:
    """Room for a block's new text: up to twice as long (an instruction may expand it), plus JSON framing."""
    return 2 * estimate_tokens(text) + 30


def _block_cost(text: str) -> int:
    """What a block adds to a request: its text in the payload and the room reserved for its answer."""
    return estimate_tokens(text) + 12 + _answer_tokens(text)
