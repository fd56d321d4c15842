"""`publish draft`: a new article in the house style, written by the model from source documents.

Sources can be far longer than one request (a 200 KB report), so drafting
goes in steps, none of which exceeds `llm.context_tokens`:

1. outline: the brief and a digest of the sources (each passage's id and
   first characters, fewer and shorter until it fits) -> title, summary,
   tags and a plan per section (structured output);
2. per section, the passages most relevant to its plan are chosen by a
   deterministic ranking (shared character bigrams and words, weighted by
   rarity) until the section's budget is full: a big source is cut by
   ranking, never sent whole;
3. per section, the model writes blocks (points, flow markers, term boxes,
   sub-blocks with taglines, lists) citing passage ids; the blocks become
   house-style Markdown and each citing paragraph gets a source marker
   `<!-- source: sources/x.txt#L12-L30 -->` on the line after it;
4. a closing `■` summary from the sections' gists.

The article is written once, at the end, as a whole folder (`ja.md` plus
the sources copied to `sources/`), renamed into place: a failure half-way
leaves nothing behind. Answers received before a failure are kept in
`.publisher/drafts/` so the same command, run again, continues where it
stopped. An existing article is never overwritten; `--force` moves it to
`articles/.draft-backup/` first. The fact check runs on the result.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from ..config import SiteConfig
from ..content.frontmatter import document_text
from ..content.loader import SLUG_PATTERN
from ..errors import Problem, PublisherError, shown_path
from ..fsio import SwapError, swap_folder, write_text
from ..content.slugs import derive_slug
from ..markdown.escape import escape as _escape  # model text shows as written: no HTML, links, stray structure
from ..markdown.escape import escape_inline as _escape_inline
from ..sources import Passage, SourceDocument, read_source, split_passages
from ..llm.budget import RETRY_MARGIN, BudgetError, estimate_tokens, request_tokens
from ..llm.client import LLMClient
from ..config.llm import LLMSettings
from ..llm.structured import AnswerCache, ask_json
from ..languages import LANGUAGE_NAMES
from ..llm.usage import Prices, UsageLog, UsageSummary

PROMPT_VERSION = "draft-1"
"""Part of the resume key: answers of an older prompt are not reused."""

BACKUP_DIR = ".draft-backup"
"""Folder under the content folder keeping articles replaced with `--force` (publish ignores dot-folders)."""

DEFAULT_WORDS = 6000
"""Default article length in characters of the source language (the house style: 5,000 to 20,000)."""

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FILLED = "❶❷❸❹❺❻❼❽❾❿"
MAX_PASSAGE_CHARS = 600
"""Longest passage sent; smaller when the budget is small."""

OUTLINE_PROMPT = """You plan a business article in {language} for Japanese companies doing business in China, from
a writer's brief and source documents.
Input JSON: "brief", "title" (use it when not empty), "target_chars" (the article's length), "sections" (the
least and most sections), "sources" (each with its passages: "id", "where", and the passage's first characters).
Answer JSON: "title" (specific, at most 40 characters), "summary" (one or two sentences for the index page),
"tags" (2 to 5 short tags), "sections": [{{"heading" (without a number), "plan" (what the section says and which
facts it needs: one to three sentences naming the topics to look up in the sources), "keywords" (3 to 8 words to
find the relevant passages), "series": {{"label", "items"}}}}].
Give a section a series (a label such as 特徴, 成長物語 or 事例, and 2 to 5 item names) only where the brief asks
for a list of named features, cases or places; otherwise "label": "" and "items": []. Do not plan a closing
summary: it is added after the last section. Write in {language}."""

SECTION_PROMPT = """You write one section of a business article in {language} for Japanese companies doing business
in China, using only facts from the passages given.
Input JSON: "brief", "title", "outline" (every section heading), "section" ("number", "heading", "plan",
"series"), "target_chars", "passages" [{{"id", "source", "where", "text"}}].
Answer JSON {{"blocks": [{{"kind", "text", "items", "sources"}}]}} in reading order. Kinds:
- "point": one point of the section; it is numbered ① ② ③ for you, so do not write the number;
- "text": an ordinary paragraph;
- "flow": a flow marker between two statements where the second follows from the first ("text" empty);
- "term": a term explanation, "text" starting with the term and "とは、";
- "subheading" then "tagline": when the section has a series, one sub-block per item: a "subheading" with the
  item's name, directly followed by a "tagline" (a one-line catchphrase, without parentheses), then its points;
- "list": bullet points in "items" ("text" empty).
"sources": the ids of the passages the block's facts come from. Every block that states a fact or a figure cites at
least one; flow, subheading and tagline cite none ([]). Copy figures exactly as the passages write them, and never
invent figures, names or dates. About "target_chars" characters in all. No Markdown markup, no headings other than
subheadings, no closing summary. Write in {language}."""

CLOSING_PROMPT = """You write the closing summary of a business article in {language}: one or two sentences with its
main takeaway for the reader's business, without figures.
Input JSON: "title", "brief", "sections" [{{"heading", "gist"}}]. Answer JSON {{"summary"}} without a leading ■."""

_STRING_LIST = {"type": "array", "items": {"type": "string"}}

OUTLINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "tags": _STRING_LIST,
        "sections": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "heading": {"type": "string"},
                "plan": {"type": "string"},
                "keywords": _STRING_LIST,
                "series": {"type": "object", "properties": {"label": {"type": "string"}, "items": _STRING_LIST},
                           "required": ["label", "items"], "additionalProperties": False},
            },
            "required": ["heading", "plan", "keywords", "series"],
            "additionalProperties": False}},
    },
    "required": ["title", "summary", "tags", "sections"],
    "additionalProperties": False,
}

BLOCK_KINDS = ("point", "text", "flow", "term", "subheading", "tagline", "list")

SECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"blocks": {"type": "array", "items": {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": list(BLOCK_KINDS)}, "text": {"type": "string"},
                       "items": _STRING_LIST, "sources": _STRING_LIST},
        "required": ["kind", "text", "items", "sources"],
        "additionalProperties": False}}},
    "required": ["blocks"],
    "additionalProperties": False,
}

CLOSING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"summary": {"type": "string"}},
    "required": ["summary"],
    "additionalProperties": False,
}


class DraftError(PublisherError):
    """Drafting stopped; nothing was written."""


@dataclass(frozen=True)
class DraftOptions:
    """What `publish draft` was asked to do."""

    brief: str
    """What the article should say, for whom, and its angle."""
    sources: tuple[Path, ...]
    """Source documents (.txt, .md, .pdf, .csv), copied into the article's `sources/`."""
    now: datetime
    """When the draft is made: its `date`, and the name of a `--force` backup."""
    code: str | None = None
    """Series code (`中国G96`)."""
    slug: str | None = None
    """Folder name; default: romanised from the code and title, as `publish import` does."""
    words: int = DEFAULT_WORDS
    """Target length in characters of the source language."""
    title: str | None = None
    """The title; default: the outline's."""
    force: bool = False
    """Replace an existing article folder, keeping it in `articles/.draft-backup/`."""


@dataclass(frozen=True)
class SectionPlan:
    """One section as the outline planned it."""

    number: int
    """1-based position (the `## N.` number)."""
    heading: str
    """The heading, without its number."""
    plan: str
    """What the section says and which facts it needs."""
    keywords: tuple[str, ...]
    """Words to find its passages with."""
    series_label: str
    """`特徴` for `### 【特徴❶】…` sub-blocks; empty when the section has none."""
    series_items: tuple[str, ...]
    """Names of the sub-blocks."""


@dataclass(frozen=True)
class Outline:
    """The article as planned."""

    title: str
    """The title (`--title` wins over the model's)."""
    summary: str
    """One or two sentences for the frontmatter's `summary`."""
    tags: tuple[str, ...]
    """Tags for the frontmatter."""
    sections: tuple[SectionPlan, ...]
    """The numbered sections, in order."""


@dataclass(frozen=True)
class DraftReport:
    """What `publish draft` wrote and found."""

    path: Path
    """The new `ja.md`."""
    slug: str
    """The article's folder name."""
    sources: tuple[str, ...]
    """The sources as the article names them (`sources/report.txt`)."""
    sections: int
    """Sections written."""
    markers: int
    """Source markers in the body."""
    backup: Path | None
    """Where the replaced article went (`--force`), if one was replaced."""
    problems: tuple[Problem, ...]
    """What `publish check` says about the new article (warnings, the fact check's among them)."""
    factcheck: Any = None
    """The fact check's report (`publisher.factcheck.FactcheckReport`), None when it could not run."""
    notes: tuple[str, ...] = ()
    """Other things the writer should know."""
    usage: UsageSummary | None = None


@dataclass
class _Source:
    """A source read for drafting, with its passages and where its file goes."""

    path: Path
    name: str
    document: SourceDocument
    passages: list[Passage] = field(default_factory=list)


@dataclass(frozen=True)
class _Indexed:
    """A passage with its id in requests and the terms the ranking compares."""

    id: str
    passage: Passage
    order: int
    terms: frozenset[str]


# ---------------------------------------------------------------- entry point


def draft_article(config: SiteConfig, settings: LLMSettings, options: DraftOptions, *,
                  client: LLMClient | None = None, progress: Callable[[str], None] = lambda step: None) -> DraftReport:
    """Write a new article from `options.sources` following `options.brief`; see the module docstring."""
    brief = options.brief.strip()
    if not brief:
        raise DraftError("the brief is empty; say what the article should cover, e.g. --brief \"…\"")
    if not options.sources:
        raise DraftError("no sources: give at least one --source FILE (.txt, .md, .pdf or .csv)")
    if not 500 <= options.words <= 40_000:
        raise DraftError(f"--words {options.words}: give a length between 500 and 40000 characters")
    if options.slug is not None and not SLUG_PATTERN.match(options.slug):
        raise DraftError(f"--slug {options.slug!r}: a slug is the URL; use lower-case letters, digits and hyphens, "
                         "e.g. 'guangdong-clusters-2026'")
    early_slug = options.slug or (_derived_slug(options.code, options.title) if options.title else None)
    if early_slug:
        _refuse_existing(config, early_slug, options.force)
    language = LANGUAGE_NAMES.get(config.source_language.code, config.source_language.code)

    progress("reading sources")
    sources = _read_sources(options.sources)
    budget = settings.context_tokens
    section_answer = _section_answer_tokens(options.words // _section_bounds(options.words)[0])
    passage_chars = _passage_chars(budget, section_answer, brief)
    for source in sources:
        source.passages = split_passages(source.document, passage_chars)
    indexed = _index([p for s in sources for p in s.passages])
    if not indexed:
        raise DraftError("the sources have no text to draft from")

    cache = AnswerCache(settings.state_dir / "drafts" / f"{_run_key(settings, options, brief, sources)}.jsonl")
    own_client = client is None
    client = client or LLMClient(settings, api_key=settings.api_key(), usage_log=UsageLog(settings.usage_log))
    records_before = len(client.usage_log.records) if client.usage_log else 0
    step = "the outline"
    try:
        progress("outline")
        outline = _outline(client, settings, cache, brief, options, sources, indexed, language)
        total = len(outline.sections)
        chosen: list[list[_Indexed]] = []
        for plan in outline.sections:
            progress(f"section {plan.number}/{total}: selecting passages")
            chosen.append(_select(plan, indexed, _section_room(budget, brief, outline, plan, options, language,
                                                               total)))
        written: dict[int, list[dict[str, Any]]] = {}

        def write(plan: SectionPlan) -> list[dict[str, Any]]:
            progress(f"section {plan.number}/{total}: writing")
            return _write_section(client, settings, cache, brief, outline, plan, chosen[plan.number - 1],
                                  options.words // total, language)

        pool = ThreadPoolExecutor(max_workers=max(1, settings.concurrency))
        interrupted = False
        try:
            futures = {plan.number: pool.submit(write, plan) for plan in outline.sections}
            for number, future in futures.items():
                step = f"section {number}/{total} ({outline.sections[number - 1].heading})"
                written[number] = future.result()
        except KeyboardInterrupt:
            interrupted = True
            pool.shutdown(wait=False, cancel_futures=True)  # requests in flight finish (and are kept) in the background
            raise
        finally:
            if not interrupted:
                pool.shutdown(wait=True)
        step = "the closing summary"
        progress("summary")
        series: Counter[str] = Counter()
        by_id = {i.id: i.passage for i in indexed}
        body_sections = [_section_markdown(plan, written[plan.number], by_id, series) for plan in outline.sections]
        closing = _closing(client, settings, cache, brief, outline, body_sections, language)
    except (PublisherError, KeyboardInterrupt) as exc:
        kept = (f" The {len(cache)} answer(s) received so far are kept in {shown_path(cache.path, config.root)}: run "
                "the same command again to continue from there." if len(cache) else " Run the same command again.")
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        raise DraftError(f"drafting stopped at {step}: {reason}. Nothing was written.{kept}") from None
    finally:
        if own_client:
            client.close()

    title = (options.title or outline.title).strip()
    slug = options.slug or _derived_slug(options.code, title)
    text = _document(config, options, outline, title, [s.name for s in sources], body_sections, closing)
    try:
        path, backup = _write_folder(config, slug, text, sources, options)
    except DraftError as exc:
        raise DraftError(f"{exc} The drafted text is kept in {shown_path(cache.path, config.root)}: the same command "
                         "with another --slug (or --force) writes it without asking the model again.") from None
    cache.remove()
    progress("fact check")
    factcheck, problems, notes = _check(config, slug)
    usages = client.usage_log.records[records_before:] if client.usage_log else []
    usage = UsageSummary.of(usages, Prices(settings.price_input_per_million, settings.price_cached_input_per_million,
                                           settings.price_output_per_million))
    return DraftReport(path=path, slug=slug, sources=tuple(s.name for s in sources), sections=len(outline.sections),
                       markers=text.count("<!-- source:"), backup=backup, problems=problems, factcheck=factcheck,
                       notes=notes, usage=usage)


# ---------------------------------------------------------------- sources, passages, budget


def _read_sources(paths: Sequence[Path]) -> list[_Source]:
    """Each file read and cleaned, named `sources/<file name>` (`-2`, `-3` ... when two share a name)."""
    sources: list[_Source] = []
    taken: set[str] = set()
    for path in paths:
        path = Path(path)
        stem, suffix = path.stem, path.suffix.lower()
        name, number = f"{stem}{suffix}", 2
        while name in taken:
            name, number = f"{stem}-{number}{suffix}", number + 1
        taken.add(name)
        sources.append(_Source(path, f"sources/{name}", read_source(path, f"sources/{name}")))
    return sources


def _section_bounds(words: int) -> tuple[int, int]:
    """Fewest and most sections for an article of `words` characters (a section of at most ~5,000)."""
    most = max(3, min(10, words // 800))
    return max(3, min(most, -(-words // 5000))), most


def _section_answer_tokens(chars: int) -> int:
    """Room for a section's answer: its text with JSON framing and passage ids."""
    return int(chars * 1.5) + 400


def _passage_chars(budget: int, section_answer: int, brief: str) -> int:
    """Passages small enough that several fit in a section's request."""
    room = budget - section_answer - RETRY_MARGIN - estimate_tokens(SECTION_PROMPT) - estimate_tokens(brief) - 600
    chars = min(MAX_PASSAGE_CHARS, room // 3)
    if chars < 150:
        raise BudgetError(f"llm.context_tokens = {budget} leaves no room for source passages next to the brief and "
                          "a section's answer; raise llm.context_tokens in publisher.toml, or lower --words")
    return chars


_TERM_RUNS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaffー々]+|[a-z0-9][a-z0-9.%]*")
_KANA_ONLY = re.compile(r"^[\u3040-\u309f]+$")


def terms_of(text: str) -> frozenset[str]:
    """What the ranking compares: character bigrams of Japanese/Chinese runs (not hiragana-only ones, which
    are particles and endings) and Latin words or numbers (NFKC, lower case)."""
    terms: set[str] = set()
    for run in _TERM_RUNS.findall(unicodedata.normalize("NFKC", text).lower()):
        if run[0].isascii():
            if len(run) >= 2:
                terms.add(run)
            continue
        if len(run) == 1:
            if not _KANA_ONLY.match(run):
                terms.add(run)
            continue
        terms.update(pair for pair in (run[i:i + 2] for i in range(len(run) - 1)) if not _KANA_ONLY.match(pair))
    return frozenset(terms)


def _index(passages: list[Passage]) -> list[_Indexed]:
    return [_Indexed(f"P{n}", p, n, terms_of(p.text)) for n, p in enumerate(passages, start=1)]


def rank_passages(query: str, indexed: Sequence[_Indexed]) -> list[tuple[float, _Indexed]]:
    """Passages by relevance to `query`: the rarity (idf) of the terms they share with it, with a mild
    length normalisation; ties keep document order."""
    wanted = terms_of(query)
    count = len(indexed)
    frequency: Counter[str] = Counter()
    for item in indexed:
        frequency.update(item.terms & wanted)
    idf = {term: math.log((count + 1) / (frequency[term] + 0.5)) for term in wanted}
    average = sum(len(i.passage.text) for i in indexed) / max(1, count)
    scored = []
    for item in indexed:
        shared = item.terms & wanted
        score = sum(idf[t] for t in shared) / (0.5 + 0.5 * len(item.passage.text) / max(1.0, average))
        scored.append((score, item))
    scored.sort(key=lambda pair: (-pair[0], pair[1].order))
    return scored


def _passage_entry(item: _Indexed) -> dict[str, str]:
    return {"id": item.id, "source": item.passage.source, "where": item.passage.where, "text": item.passage.text}


def _entry_tokens(entry: dict[str, str]) -> int:
    return estimate_tokens(json.dumps(entry, ensure_ascii=False)) + 1


def _select(plan: SectionPlan, indexed: list[_Indexed], room: int) -> list[_Indexed]:
    """The best-ranked passages for `plan` that fit in `room` tokens, in document order."""
    query = " ".join([plan.heading, plan.plan, *plan.keywords, plan.series_label, *plan.series_items])
    chosen: list[_Indexed] = []
    used = 0
    for score, item in rank_passages(query, indexed):
        if score <= 0 and len(chosen) >= 3:
            break
        cost = _entry_tokens(_passage_entry(item))
        if used + cost > room:
            continue
        chosen.append(item)
        used += cost
    return sorted(chosen, key=lambda i: i.order)


# ---------------------------------------------------------------- the requests


def _messages(system: str, payload: dict[str, Any]) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def _outline_payload(brief: str, options: DraftOptions, sources: list[_Source], digest: dict[str, list[dict]]
                     ) -> dict[str, Any]:
    least, most = _section_bounds(options.words)
    return {"task": "draft_outline", "brief": brief, "title": options.title or "", "target_chars": options.words,
            "sections": {"min": least, "max": most},
            "sources": [{"name": s.name, "kind": s.document.kind, "chars": len(s.document.text),
                         "passages": digest.get(s.name, [])} for s in sources]}


def _outline_answer_tokens(options: DraftOptions) -> int:
    return 400 + 220 * _section_bounds(options.words)[1]


def _digest(sources: list[_Source], indexed: list[_Indexed], room: int, build: Callable[[dict], dict]
            ) -> dict[str, list[dict]]:
    """Each passage's id, place and first characters; shorter, then every k-th passage, until it fits `room`."""
    by_source: dict[str, list[_Indexed]] = {}
    for item in indexed:
        by_source.setdefault(item.passage.source, []).append(item)

    def make(length: int, step: int) -> dict[str, list[dict]]:
        digest: dict[str, list[dict]] = {}
        for name, items in by_source.items():
            picked = items[::step] if step > 1 else items
            digest[name] = [{"id": i.id, "where": i.passage.where,
                             "start": " ".join(i.passage.text.split())[:length]} for i in picked]
        return digest

    def size(digest: dict[str, list[dict]]) -> int:
        return estimate_tokens(json.dumps(build(digest), ensure_ascii=False))

    for length in (100, 70, 45, 28):
        digest = make(length, 1)
        if size(digest) <= room:
            return digest
    step = 2
    while step <= len(indexed):
        digest = make(28, step)
        if size(digest) <= room:
            return digest
        step += 1
    raise BudgetError(f"not even a short digest of the sources fits in the {room} tokens the outline request has "
                      "left; raise llm.context_tokens in publisher.toml, or shorten the brief")


def _outline(client: LLMClient, settings: LLMSettings, cache: AnswerCache, brief: str, options: DraftOptions,
             sources: list[_Source], indexed: list[_Indexed], language: str) -> Outline:
    system = OUTLINE_PROMPT.format(language=language)
    answer_tokens = _outline_answer_tokens(options)
    fixed = request_tokens([{"role": "system", "content": system}, {"role": "user", "content": ""}], OUTLINE_SCHEMA,
                           answer_tokens) + RETRY_MARGIN
    room = settings.context_tokens - fixed
    if room <= estimate_tokens(json.dumps(_outline_payload(brief, options, sources, {}), ensure_ascii=False)):
        raise BudgetError(f"the brief does not fit in llm.context_tokens = {settings.context_tokens} with the "
                          "outline's answer; shorten the brief or raise llm.context_tokens")
    digest = _digest(sources, indexed, room, lambda d: _outline_payload(brief, options, sources, d))
    least, most = _section_bounds(options.words)

    def check(answer: dict[str, Any]) -> list[str]:
        problems = []
        if not options.title and not _text(answer.get("title")):
            problems.append("`title` is empty")
        sections = answer.get("sections")
        if not isinstance(sections, list) or not least - 1 <= len(sections) <= most + 1:
            problems.append(f"plan {least} to {most} sections")
            return problems
        for number, section in enumerate(sections, start=1):
            if not isinstance(section, dict) or not _text(section.get("heading")) or not _text(section.get("plan")):
                problems.append(f"section {number} needs a heading and a plan")
            elif len((section.get("series") or {}).get("items") or []) > len(FILLED):
                problems.append(f"section {number}: at most {len(FILLED)} series items")
        return problems

    answer = ask_json(client, _messages(system, _outline_payload(brief, options, sources, digest)),
                      schema=OUTLINE_SCHEMA, name="outline", purpose="draft", what="the outline", check=check,
                      max_tokens=answer_tokens, budget=settings.context_tokens, cache=cache)
    plans = []
    for number, section in enumerate(answer["sections"], start=1):
        series = section.get("series") or {}
        items = tuple(_text(i) for i in series.get("items") or [] if _text(i))
        label = _text(series.get("label")).strip("【】") if items else ""
        plans.append(SectionPlan(number, _strip_number(_text(section["heading"])), _text(section["plan"]),
                                 tuple(_text(k) for k in section.get("keywords") or [] if _text(k)),
                                 label, items if label else ()))
    tags = tuple(dict.fromkeys(_text(t).lstrip("#") for t in answer.get("tags") or [] if _text(t)))[:5]
    return Outline(_text(answer.get("title")), _text(answer.get("summary")), tags, tuple(plans))


def _section_payload(brief: str, outline: Outline, plan: SectionPlan, target: int,
                     passages: list[dict[str, str]]) -> dict[str, Any]:
    return {"task": "draft_section", "brief": brief, "title": outline.title,
            "outline": [f"{p.number}. {p.heading}" for p in outline.sections],
            "section": {"number": plan.number, "of": len(outline.sections), "heading": plan.heading, "plan": plan.plan,
                        "series": {"label": plan.series_label, "items": list(plan.series_items)}},
            "target_chars": target, "passages": passages}


def _section_room(budget: int, brief: str, outline: Outline, plan: SectionPlan, options: DraftOptions,
                  language: str, total: int) -> int:
    """Tokens left for a section's passages once everything else of its request is counted."""
    target = options.words // total
    empty = _messages(SECTION_PROMPT.format(language=language), _section_payload(brief, outline, plan, target, []))
    room = budget - request_tokens(empty, SECTION_SCHEMA, _section_answer_tokens(target)) - RETRY_MARGIN
    if room < 300:
        raise BudgetError(f"section {plan.number} leaves no room for source passages within llm.context_tokens = "
                          f"{budget}; raise llm.context_tokens, or lower --words")
    return room


def _write_section(client: LLMClient, settings: LLMSettings, cache: AnswerCache, brief: str, outline: Outline,
                   plan: SectionPlan, passages: list[_Indexed], target: int, language: str) -> list[dict[str, Any]]:
    sent = {item.id for item in passages}
    payload = _section_payload(brief, outline, plan, target, [_passage_entry(i) for i in passages])

    def check(answer: dict[str, Any]) -> list[str]:
        blocks = answer.get("blocks")
        if not isinstance(blocks, list) or not blocks:
            return ["`blocks` must be a non-empty list"]
        problems = []
        for number, block in enumerate(blocks, start=1):
            if not isinstance(block, dict) or block.get("kind") not in BLOCK_KINDS:
                problems.append(f"block {number}: kind must be one of {', '.join(BLOCK_KINDS)}")
                continue
            kind = block["kind"]
            if kind == "list" and not [i for i in block.get("items") or [] if _text(i)]:
                problems.append(f"block {number}: a list needs items")
            elif kind not in ("flow", "list") and not _text(block.get("text")):
                problems.append(f"block {number}: {kind} needs text")
            unknown = [s for s in block.get("sources") or [] if s not in sent]
            if unknown:
                problems.append(f"block {number} cites {', '.join(map(str, unknown))}, which were not sent; cite "
                                "only the ids of the passages given")
        if not any(b.get("kind") in ("point", "text", "list", "term") for b in blocks if isinstance(b, dict)):
            problems.append("the section has no text")
        return problems

    answer = ask_json(client, _messages(SECTION_PROMPT.format(language=language), payload), schema=SECTION_SCHEMA,
                      name="section", purpose="draft", what=f"section {plan.number}", check=check,
                      max_tokens=_section_answer_tokens(target), budget=settings.context_tokens, cache=cache)
    return answer["blocks"]


def _closing(client: LLMClient, settings: LLMSettings, cache: AnswerCache, brief: str, outline: Outline,
             sections: list[str], language: str) -> str:
    system = CLOSING_PROMPT.format(language=language)
    answer_tokens = 400

    def payload(gist_chars: int) -> dict[str, Any]:
        return {"task": "draft_closing", "title": outline.title, "brief": brief,
                "sections": [{"heading": plan.heading, "gist": _gist(text, gist_chars)}
                             for plan, text in zip(outline.sections, sections)]}

    gist_chars = 300
    while gist_chars > 20 and request_tokens(_messages(system, payload(gist_chars)), CLOSING_SCHEMA,
                                             answer_tokens) + RETRY_MARGIN > settings.context_tokens:
        gist_chars //= 2

    def check(answer: dict[str, Any]) -> list[str]:
        return [] if _text(answer.get("summary")) else ["`summary` is empty"]

    answer = ask_json(client, _messages(system, payload(gist_chars)), schema=CLOSING_SCHEMA, name="closing",
                      purpose="draft", what="the closing summary", check=check, max_tokens=answer_tokens,
                      budget=settings.context_tokens, cache=cache)
    return _text(answer["summary"]).lstrip("■ ").strip()


def _gist(markdown: str, chars: int) -> str:
    """The section's prose without markup and markers, cut to `chars`."""
    text = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    text = re.sub(r"^(#+ |> |- )", "", text, flags=re.MULTILINE).replace("**", "")
    return " ".join(text.split())[:chars]


# ---------------------------------------------------------------- Markdown


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _strip_number(heading: str) -> str:
    """`2. 見出し`, `第2章 見出し`, `②見出し` -> `見出し` (the `## N.` number is added here)."""
    return re.sub(r"^\s*(?:第?[0-9０-９]+[.．、章節:：]?\s*|[①-⑳❶-❿]\s*)", "", heading).strip() or heading


def _clean_point(text: str) -> str:
    return re.sub(r"^[①-⑳⑴-⒇❶-❿・\-\s]+", "", text).strip()


def _section_markdown(plan: SectionPlan, blocks: list[dict[str, Any]], passages: dict[str, Passage],
                      series: Counter[str]) -> str:
    """A section's blocks as house-style Markdown, each citing block followed by its source marker."""
    chunks: list[str] = [f"## {plan.number}. {_escape_inline(plan.heading)}"]
    point = 0
    previous = "heading"
    label = plan.series_label or "ポイント"
    for block in blocks:
        kind = block["kind"]
        text = _text(block.get("text"))
        if kind == "flow":
            if previous not in ("heading", "subheading", "tagline", "flow"):
                chunks.append("↓")
                previous = "flow"
            continue
        if kind == "tagline":
            if previous == "subheading" and text:
                chunks.append(f"({_escape(text.strip('()（）'))})")
                previous = "tagline"
            continue
        if kind == "subheading":
            number = _next_filled(series, label)
            chunks.append(f"### 【{label}{number}】{_escape_inline(text.strip('【】'))}")
            point, previous = 0, "subheading"
            continue
        if kind == "point":
            point += 1
            mark = CIRCLED[point - 1] if point <= len(CIRCLED) else ""
            markdown = f"{mark}{_escape(_clean_point(text))}"
        elif kind == "term":
            term, marker, rest = text.partition("とは、")
            markdown = (f"> **{_escape(term)}{marker}** {_escape(rest)}" if marker and term
                        else f"> {_escape(text)}")
        elif kind == "list":
            items = [_text(i) for i in block.get("items") or [] if _text(i)]
            markdown = "\n".join(f"- {_escape(_clean_point(item))}" for item in items)
        else:
            markdown = _escape(text)
        anchors = list(dict.fromkeys(passages[s].anchor for s in block.get("sources") or [] if s in passages))
        if anchors:
            markdown += f"\n<!-- source: {', '.join(anchors)} -->"
        chunks.append(markdown)
        previous = kind
    if chunks[-1] == "↓":
        chunks.pop()
    return "\n\n".join(chunks)


def _next_filled(counters: Counter[str], label: str) -> str:
    """❶, ❷ ... per series label, counted across the article."""
    counters[label] += 1
    number = counters[label]
    return FILLED[number - 1] if number <= len(FILLED) else str(number)


def _document(config: SiteConfig, options: DraftOptions, outline: Outline, title: str, source_names: list[str],
              sections: list[str], closing: str) -> str:
    fields: dict[str, Any] = {"title": title}
    if options.code:
        fields["code"] = options.code
    fields.update({"date": options.now.astimezone(config.timezone).date(), "status": "draft",
                   "tags": list(outline.tags), "summary": outline.summary or title, "ai": {"text": True},
                   "sources": source_names})
    body = "\n\n".join([*sections, f"■ {_escape(closing)}"])
    return document_text(fields, f"{body}\n")


# ---------------------------------------------------------------- writing


def _derived_slug(code: str | None, title: str | None) -> str:
    return derive_slug(code or "", title or "")


def _refuse_existing(config: SiteConfig, slug: str, force: bool) -> None:
    folder = config.content_dir / slug
    if folder.exists() and not force:
        raise DraftError(f"{shown_path(folder, config.root)}/ already exists; nothing was changed. Choose another "
                         "--slug, or run again with --force to replace it (the current folder is kept in "
                         f"{config.content_dir.name}/{BACKUP_DIR}/)")


def _write_folder(config: SiteConfig, slug: str, text: str, sources: list[_Source],
                  options: DraftOptions) -> tuple[Path, Path | None]:
    """Build the article folder under a temporary name, then rename it into place (after moving an old one away)."""
    if not SLUG_PATTERN.match(slug):
        raise DraftError(f"the slug {slug!r} made from the title is not usable; give --slug")
    content = config.content_dir
    final = content / slug
    if final.exists() and not final.is_dir():
        raise DraftError(f"{final} is a file, not an article folder; move it away or choose another --slug.")
    _refuse_existing(config, slug, options.force)

    def build(staging: Path) -> None:
        (staging / "sources").mkdir()
        for source in sources:
            shutil.copyfile(source.path, staging / source.name)
            os.chmod(staging / source.name, 0o644)
        write_text(staging / f"{config.source_language.code}.md", text)

    stamp = options.now.strftime("%Y%m%dT%H%M%S")
    try:
        _, backup = swap_folder(final, build, staging_prefix=f".draft-{slug}-",
                                backup=content / BACKUP_DIR / f"{slug}-{stamp}" if final.exists() else None)
    except SwapError:
        raise DraftError(f"{final} appeared while drafting; nothing was changed.") from None
    return final / f"{config.source_language.code}.md", backup


def _check(config: SiteConfig, slug: str) -> tuple[Any, tuple[Problem, ...], tuple[str, ...]]:
    """The fact check of the new article, and what `publish check` says about it."""
    from ..content import load_site

    loaded = load_site(config)
    folder = (config.content_dir / slug).resolve()
    problems = tuple(p for p in loaded.problems if p.path.resolve().is_relative_to(folder))
    article = loaded.site.article(slug)
    if article is None:
        return None, problems, ("the new article has errors (see above); fix them, then run "
                                f"`publish factcheck {slug}`",)
    try:
        from ..factcheck import check_article
    except ImportError:  # the fact check is not installed in this build
        return None, problems, ("the fact check is not available; check the figures by hand",)
    try:
        report = check_article(config, article)
    except PublisherError as exc:
        return None, problems, (f"the fact check could not run: {exc}",)
    seen = {(p.path, p.line, p.message) for p in problems}
    extra = tuple(p for p in report.problems() if (p.path, p.line, p.message) not in seen)
    return report, problems + extra, ()


def _run_key(settings: LLMSettings, options: DraftOptions, brief: str, sources: list[_Source]) -> str:
    """Identifies a drafting run by what its answers depend on (not the slug, code or --force)."""
    parts = [PROMPT_VERSION, settings.model, str(settings.context_tokens), brief, str(options.words),
             options.title or ""]
    for source in sources:
        parts += [source.name, hashlib.sha256(source.path.read_bytes()).hexdigest()]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:24]
