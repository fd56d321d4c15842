"""`publish translate`: segment-level, incremental, glossary-bound, structure-safe.

Flow: plan every translation from the files (`plan.py`); take what the cache
already holds; send the rest in batches with ids, neighbouring text as
context and the glossary terms they contain; check each reply (`checks.py`),
retry a failed check once with the problems, then split the batch, then give
up on that block; keep every checked translation in the cache at once; write
a translation file (atomically) only when all its blocks are done, then its
lock. A person's text is never overwritten.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..config import SiteConfig
from ..content.frontmatter import frontmatter_text
from ..errors import PublisherError
from ..fsio import write_text
from ..languages import prompt_name
from .checks import check_reply
from ..llm.client import LLMClient
from .glossary import Glossary, Term, load_glossary
from .history import old_source_texts
from .lock import CachedTranslation, Lock, LockEntry, TranslationCache, lock_path
from .plan import DocumentPlan, Item, plan_document
from .protect import PlaceholderMismatch, Protected, protect, restore
from ..markdown.segments import join_blocks, normalise, text_hash
from ..config.llm import LLMSettings
from ..llm.usage import Prices, UsageSummary

PROMPT_VERSION = "translate-1"
"""Bump when the prompt changes meaningfully: it is part of every block's fingerprint."""

SYSTEM_PROMPT = """Translate business-article segments from {source} into {target}.
Input JSON: "segments" [{{"id", "text" (Markdown)}}]; maybe "context_before"/"context_after" (neighbouring
source, do not translate), "glossary" (required translations), and per segment "previous_translation" +
"source_diff" (revise a person's translation to the new source, keeping their wording where unchanged) or
"problems_last_time" (fix them).
Rules: translate fully, natural business register. Keep each placeholder like ⟦0⟧ exactly once. Keep the
Markdown structure (block type, heading level, list markers, table pipes, > quotes, ** markers). Keep
① ❶ ⑴ 【】 ↓ ■ exactly. Keep every number and date as written. No HTML, links or URLs. Use the glossary.
Answer JSON {{"segments": [{{"id", "text"}}]}}: every input id once, no others."""

REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"segments": {"type": "array", "items": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
        "required": ["id", "text"], "additionalProperties": False}}},
    "required": ["segments"],
    "additionalProperties": False,
}


class TranslationError(PublisherError):
    """A translation run stopped; what was finished is kept."""


@dataclass(frozen=True)
class TranslateOptions:
    """What `publish translate` was asked to do."""

    slugs: tuple[str, ...] = ()
    """Only these articles (all when empty)."""
    languages: tuple[str, ...] = ()
    """Only these target languages (all when empty)."""
    update_reviewed: bool = False
    """Also re-translate blocks marked for review (a person's text whose source changed)."""


@dataclass
class DocumentReport:
    """What happened to one translation file."""

    slug: str
    lang: str
    path: Path
    written: bool = False
    """The translation file was (re)written."""
    translated: int = 0
    """Blocks and fields sent to the model and accepted."""
    reused: int = 0
    """Taken from the cache (an earlier, interrupted run) or copied through."""
    failed: list[str] = field(default_factory=list)
    """Blocks that kept failing the checks, with the problems."""
    notes: list[str] = field(default_factory=list)
    """Other things a writer should know (needs review, edited by hand, blocks a person added)."""


@dataclass(frozen=True)
class TranslateReport:
    """The result of a run."""

    documents: tuple[DocumentReport, ...]
    usage: UsageSummary

    @property
    def failed(self) -> bool:
        return any(doc.failed for doc in self.documents)


@dataclass(frozen=True)
class _Unit:
    """One thing to send: a block, a field, or one tag."""

    doc: int
    key: str
    kind: str | None
    source: str
    protected: Protected
    terms: tuple[Term, ...]
    origin: str
    context_index: int
    """Index of the block in the source (for context), -1 for fields."""
    previous: str | None = None
    """A person's old translation (with --update-reviewed)."""
    diff: str | None = None


# ---------------------------------------------------------------- planning


def _articles(config: SiteConfig, slugs: Iterable[str]) -> list[Path]:
    wanted = set(slugs)
    source_name = f"{config.source_language.code}.md"
    folders = sorted(p.parent for p in config.content_dir.glob(f"*/{source_name}"))
    if wanted:
        known = {folder.name for folder in folders}
        unknown = sorted(wanted - known)
        if unknown:
            raise PublisherError(f"no article {', '.join(unknown)} in {config.content_dir.name}/ "
                                 f"(there is no {config.content_dir.name}/<slug>/{source_name}); check the slug")
        folders = [f for f in folders if f.name in wanted]
    return folders


def _languages(config: SiteConfig, languages: Iterable[str]) -> list[str]:
    targets = [lang.code for lang in config.target_languages]
    chosen = list(languages) or targets
    for code in chosen:
        if code not in targets:
            raise PublisherError(f"{code!r} is not a target language; site.languages lists {', '.join(targets)}")
    return chosen


def plan_site(config: SiteConfig, *, slugs: Iterable[str] = (), languages: Iterable[str] = (),
              state_dir: Path | None = None) -> list[DocumentPlan]:
    """The plan of every translation (what `publish status` shows)."""
    state_dir = state_dir or config.root / ".publisher"
    plans = []
    source_name = f"{config.source_language.code}.md"
    for lang in _languages(config, languages):
        cache = TranslationCache(state_dir, lang)
        glossary = load_glossary(config.root / "glossary.csv", config.source_language.code, lang)
        for folder in _articles(config, slugs):
            plans.append(plan_document(folder.name, folder / source_name, folder / f"{lang}.md", lang, cache,
                                       glossary))
    return plans


# ---------------------------------------------------------------- adopting


@dataclass(frozen=True)
class AdoptReport:
    """What `--adopt` did for one translation."""

    slug: str
    lang: str
    adopted: int
    """Blocks and fields recorded as a person's translation."""
    unmatched: tuple[str, ...]
    """Where the structures differ (source and translation line numbers)."""
    skipped: str | None = None
    """Why nothing was done (no translation, already tracked)."""


def adopt(config: SiteConfig, *, slugs: Iterable[str] = (), languages: Iterable[str] = ()) -> list[AdoptReport]:
    """Record existing translations written by people in lock files, aligning blocks by structure.

    No model is called and the translation files are not touched.
    """
    from ..markdown.segments import split_blocks

    reports = []
    state_dir = config.root / ".publisher"
    for plan in plan_site(config, slugs=slugs, languages=languages, state_dir=state_dir):
        if not plan.exists:
            reports.append(AdoptReport(plan.slug, plan.lang, 0, (), "no translation yet"))
            continue
        if plan.tracked:
            reports.append(AdoptReport(plan.slug, plan.lang, 0, (), "already tracked"))
            continue
        cache = TranslationCache(state_dir, plan.lang)
        from ..content.frontmatter import read_document
        source_raw, _ = read_document(plan.source_path)
        target_raw, _ = read_document(plan.target_path)
        assert source_raw is not None and target_raw is not None  # plan_document read both
        source_blocks = split_blocks(source_raw.body)
        target_blocks = split_blocks(target_raw.body)
        pairs: list[tuple[int, int]] = []
        unmatched: list[str] = []
        matcher = difflib.SequenceMatcher(None, [b.kind for b in source_blocks], [b.kind for b in target_blocks],
                                          autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                pairs.extend((i1 + k, j1 + k) for k in range(i2 - i1))
                continue
            where_source = (f"{plan.source_path.name} line {source_raw.body_line + source_blocks[i1].start_line}"
                            if i1 < i2 else f"nothing in {plan.source_path.name}")
            where_target = (f"{plan.target_path.name} line {target_raw.body_line + target_blocks[j1].start_line}"
                            if j1 < j2 else f"nothing in {plan.target_path.name}")
            unmatched.append(f"{i2 - i1} source block(s) ({where_source}) vs {j2 - j1} translation block(s) "
                             f"({where_target}): different structure, not adopted")
        entries = sorted(((j, LockEntry(source_blocks[i].source_hash, text_hash(target_blocks[j].text),
                                        "adopted", source_blocks[i].kind), i) for i, j in pairs),
                         key=lambda item: item[0])
        fields: dict[str, LockEntry] = {}
        for item in plan.fields:
            if item.target is not None:
                fields[item.key] = LockEntry(item.source_hash, text_hash(item.target), "adopted", "field")
        cache.add([CachedTranslation(source_blocks[i].source_hash, source_blocks[i].text,
                                     target_blocks[j].text, "adopted") for j, _entry, i in entries]
                  + [CachedTranslation(item.source_hash, item.source, item.target, "adopted")
                     for item in plan.fields if item.target is not None])
        lock = Lock(plan.source_path.name, fields, tuple(entry for _j, entry, _i in entries))
        write_text(lock_path(plan.target_path), lock.to_json())
        reports.append(AdoptReport(plan.slug, plan.lang, len(entries) + len(fields), tuple(unmatched)))
    return reports


# ---------------------------------------------------------------- translating


def _fingerprint(settings: LLMSettings, glossary: Glossary, text: str) -> str:
    """`llm:<model and prompt version>:<glossary entries that bind text>`; plan.py reads the last part."""
    digest = hashlib.sha256(f"{settings.model}|{PROMPT_VERSION}".encode()).hexdigest()[:12]
    return f"llm:{digest}:{glossary.digest(text)}"


def _units_of(doc: int, plan: DocumentPlan, settings: LLMSettings, glossary: Glossary,
              cache: TranslationCache, update_reviewed: bool
              ) -> tuple[list[_Unit], dict[str, str], dict[str, str]]:
    """What must be sent for `plan`, what is already known (copied or cached), and each item's origin."""
    history: dict[str, str] = {}
    if update_reviewed:
        unknown = {item.entry.source for item in (*plan.blocks, *plan.fields)
                   if item.state == "review" and item.entry and cache.lookup(item.entry.source) is None}
        history = old_source_texts(plan.source_path, unknown)
    units: list[_Unit] = []
    known: dict[str, str] = {}
    origins: dict[str, str] = {}
    for index, item in enumerate(plan.blocks):
        if item.state == "copy":
            known[item.key] = item.source
        elif item.state == "stale" or (item.state == "review" and update_reviewed):
            origins[item.key] = _fingerprint(settings, glossary, item.source)
            units.extend(_make_units(doc, item, index, settings, glossary, cache, known, history))
    for item in plan.fields:
        if item.state == "stale" or (item.state == "review" and update_reviewed):
            origins[item.key] = _fingerprint(settings, glossary, item.source)
            units.extend(_make_units(doc, item, -1, settings, glossary, cache, known, history))
    return units, known, origins


def _make_units(doc: int, item: Item, index: int, settings: LLMSettings, glossary: Glossary,
                cache: TranslationCache, known: dict[str, str], history: dict[str, str]) -> list[_Unit]:
    previous = diff = None
    if item.state == "review":
        previous = item.target
        cached_old = cache.lookup(item.entry.source) if item.entry else None
        old = cached_old.source if cached_old else history.get(item.entry.source) if item.entry else None
        if old is not None:
            diff = "".join(difflib.unified_diff(old.splitlines(True), item.source.splitlines(True),
                                                "old source", "new source", n=1))
        else:
            diff = "(the old source is not known; compare the previous translation with the new source)"
    parts = item.source.split("\n") if item.key == "tags" else [item.source]
    units = []
    for n, part in enumerate(parts):
        key = f"tags.{n}" if item.key == "tags" else item.key
        protected = protect(part)
        terms = glossary.terms_in(part)
        origin = _fingerprint(settings, glossary, part)
        cached = cache.lookup(text_hash(normalise(part)), origin) if previous is None else None
        if cached is not None:
            known[key] = cached.target
            continue
        units.append(_Unit(doc, key, item.kind, part, protected, terms, origin, index, previous, diff))
    return units


def _batches(units: list[_Unit], batch_chars: int) -> list[list[_Unit]]:
    batches: list[list[_Unit]] = []
    current: list[_Unit] = []
    size = 0
    for unit in units:
        if current and (unit.doc != current[0].doc or size + len(unit.source) > batch_chars):
            batches.append(current)
            current, size = [], 0
        current.append(unit)
        size += len(unit.source)
    if current:
        batches.append(current)
    return batches


class _Translator:
    """Sends batches and checks replies; thread-safe (one instance per run)."""

    def __init__(self, client: LLMClient, settings: LLMSettings, plans: list[DocumentPlan],
                 glossaries: dict[str, Glossary], caches: dict[str, TranslationCache], site_config: SiteConfig):
        self.client = client
        self.settings = settings
        self.plans = plans
        self.glossaries = glossaries
        self.caches = caches
        self.languages = {lang.code: lang for lang in site_config.languages}
        self.source_lang = site_config.source_language.code

    def _language(self, code: str) -> str:
        return prompt_name(self.languages[code].html_lang)

    def _context(self, batch: list[_Unit]) -> tuple[str, str]:
        """Whole neighbouring source blocks, up to `context_chars` on each side (the nearest one cut to fit)."""
        plan = self.plans[batch[0].doc]
        indexes = [u.context_index for u in batch if u.context_index >= 0]
        budget = self.settings.context_chars
        if not indexes or not budget:
            return "", ""

        def gather(blocks: list[str]) -> list[str]:
            taken: list[str] = []
            used = 0
            for text in blocks:
                if used + len(text) > budget:
                    if not taken:
                        taken.append(text[: budget])
                    break
                taken.append(text)
                used += len(text) + 2
            return taken

        before = gather([b.source for b in reversed(plan.blocks[: min(indexes)])])
        after = gather([b.source for b in plan.blocks[max(indexes) + 1:]])
        return "\n\n".join(reversed(before)), "\n\n".join(after)

    def _messages(self, batch: list[_Unit], feedback: dict[str, list[str]] | None) -> list[dict[str, str]]:
        lang = self.plans[batch[0].doc].lang
        system = SYSTEM_PROMPT.format(source=self._language(self.source_lang), target=self._language(lang))
        terms = {t.source: t for u in batch for t in u.terms}
        before, after = self._context(batch)
        segments = []
        for unit in batch:
            entry: dict[str, str] = {"id": unit.key, "text": unit.protected.text}
            if unit.previous is not None:
                entry["previous_translation"] = protect(unit.previous).text
                entry["source_diff"] = unit.diff or ""
            if feedback and unit.key in feedback:
                entry["problems_last_time"] = "; ".join(feedback[unit.key])
            segments.append(entry)
        payload: dict[str, Any] = {"segments": segments}
        if terms:
            payload["glossary"] = [{"source": t.source, "target": t.target, "note": t.note}
                                   for t in sorted(terms.values(), key=lambda t: t.source)]
        if before:
            payload["context_before"] = before
        if after:
            payload["context_after"] = after
        messages = [{"role": "system", "content": system},
                    {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]
        if feedback:
            messages.append({"role": "user", "content": "Your previous answer for these segments failed the checks "
                             "(see problems_last_time). Fix exactly those problems."})
        return messages

    def _attempt(self, batch: list[_Unit], feedback: dict[str, list[str]] | None
                 ) -> tuple[dict[str, str], dict[str, list[str]], bool]:
        """Send once: (accepted texts by key, problems by key, cut off by the length limit)."""
        result = self.client.chat(self._messages(batch, feedback), json_schema=REPLY_SCHEMA,
                                  schema_name="translation", purpose="translate")
        if result.finish_reason == "length":
            return {}, {u.key: ["the answer was cut off (length limit)"] for u in batch}, True
        try:
            reply = json.loads(_strip_fence(result.text))
            items = reply["segments"]
            texts = {str(item["id"]): str(item["text"]) for item in items}
            ids = [str(item["id"]) for item in items]
        except (ValueError, KeyError, TypeError):
            return {}, {u.key: ["the answer was not the JSON asked for: {\"segments\": [{\"id\", \"text\"}]}"]
                        for u in batch}, False
        good: dict[str, str] = {}
        bad: dict[str, list[str]] = {}
        expected = {u.key for u in batch}
        extra = set(ids) - expected
        for unit in batch:
            if unit.key not in texts:
                bad[unit.key] = [f"the answer had no segment with id {unit.key!r}; answer every id once"]
                continue
            problems = [f"unexpected id {key!r}" for key in sorted(extra)] if extra else []
            if ids.count(unit.key) > 1:
                problems.append(f"id {unit.key!r} appears twice")
            reply_text = texts[unit.key].strip("\n")
            problems += check_reply(unit.protected.text, reply_text, kind=unit.kind, terms=unit.terms,
                                    originals=unit.protected.originals)
            restored = None
            try:
                restored = restore(reply_text, unit.protected)
            except PlaceholderMismatch as exc:
                problems.append(str(exc))
            if problems or restored is None:
                bad[unit.key] = problems
            else:
                good[unit.key] = restored
        return good, bad, False

    def run(self, batch: list[_Unit]) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Translate `batch`: retry once with the problems, then split, then give up per block."""
        accepted: dict[str, str] = {}
        good, bad, cut = self._attempt(batch, None)
        self._keep(batch, good, accepted)
        remaining = [u for u in batch if u.key in bad]
        if remaining and not cut:
            good, bad, cut = self._attempt(remaining, bad)
            self._keep(remaining, good, accepted)
            remaining = [u for u in remaining if u.key in bad]
        if not remaining:
            return accepted, {}
        if len(remaining) == 1:
            return accepted, {remaining[0].key: bad[remaining[0].key]}
        failed: dict[str, list[str]] = {}
        middle = len(remaining) // 2
        for half in (remaining[:middle], remaining[middle:]):
            more, lost = self.run(half)
            accepted.update(more)
            failed.update(lost)
        return accepted, failed

    def _keep(self, batch: list[_Unit], good: dict[str, str], accepted: dict[str, str]) -> None:
        """Cache what passed at once, so an interruption loses nothing that was checked."""
        accepted.update(good)
        lang = self.plans[batch[0].doc].lang
        self.caches[lang].add([CachedTranslation(text_hash(normalise(u.source)), u.source, good[u.key], u.origin)
                               for u in batch if u.key in good and u.previous is None])


def _strip_fence(text: str) -> str:
    match = re.match(r"^\s*```(?:json)?\s*\n(.*)\n```\s*$", text, re.DOTALL)
    return match.group(1) if match else text


def _yaml_header(plan: DocumentPlan, values: dict[str, str]) -> str:
    """Frontmatter of the translation: translated fields, its own status, and its other keys kept."""
    fields: dict[str, Any] = {}
    for key in ("title", "summary", "hero_alt"):
        if key in values:
            fields[key] = values[key]
        elif key in plan.target_fields:
            fields[key] = plan.target_fields[key]
    if "tags" in values:
        fields["tags"] = values["tags"].split("\n")
    elif "tags" in plan.target_fields:
        fields["tags"] = plan.target_fields["tags"]
    fields["status"] = plan.target_fields.get("status", "draft")
    for key, value in plan.target_fields.items():
        fields.setdefault(key, value)
    return frontmatter_text(fields)


def _assemble(plan: DocumentPlan, translated: dict[str, str], origins: dict[str, str],
              report: DocumentReport) -> None:
    """Write the translation file (atomically) and then its lock, if anything changed."""
    blocks: list[tuple[int | None, str, LockEntry | None]] = []  # (target index, text, entry)
    for item in plan.blocks:
        if item.state in ("ok", "edited") or (item.state == "review" and item.key not in translated):
            assert item.target is not None and item.entry is not None
            blocks.append((item.target_index, item.target, item.entry))
        else:
            text = translated[item.key]
            origin = "copied" if item.state == "copy" else origins[item.key]
            blocks.append((None, text, LockEntry(item.source_hash, text_hash(text), origin, item.kind or "")))
    # Blocks a person added stay after the block they followed.
    for orphan_index, text in plan.orphans:
        position = 0
        for k, (t, _text, _entry) in enumerate(blocks):
            if t is not None and t < orphan_index:
                position = k + 1
        blocks.insert(position, (orphan_index, text, None))
    fields: dict[str, LockEntry] = {}
    values: dict[str, str] = {}
    header_changed = not plan.exists
    for item in plan.fields:
        if item.key == "tags":
            tags = [translated.get(f"tags.{n}") for n in range(len(item.source.split("\n")))]
            fresh = None if None in tags else "\n".join(tags)  # type: ignore[arg-type]
        else:
            fresh = translated.get(item.key)
        if fresh is not None and item.state in ("stale", "review"):
            values[item.key] = fresh
            fields[item.key] = LockEntry(item.source_hash, text_hash(fresh), origins[item.key], "field")
            header_changed = True
        elif item.entry is not None:
            fields[item.key] = item.entry
    body = join_blocks([text for _t, text, _e in blocks])
    header = _yaml_header(plan, values) if header_changed else plan.target_header
    document = f"{header}\n\n{body}" if header_changed else f"{header}\n{body}"
    lock = Lock(plan.source_path.name, fields, tuple(entry for _t, _text, entry in blocks if entry is not None))
    kept = [t for t, _text, _entry in blocks]
    unchanged_body = (plan.exists and None not in kept and kept == sorted(kept)
                      and len(kept) == plan.target_block_count)
    if header_changed or not unchanged_body:
        write_text(plan.target_path, document)
        report.written = True
    if plan.lock is None or lock.to_json() != plan.lock.to_json():
        write_text(lock_path(plan.target_path), lock.to_json())


def translate_site(config: SiteConfig, settings: LLMSettings, options: TranslateOptions, *,
                   client: LLMClient | None = None,
                   progress: Callable[[int, int], None] = lambda done, total: None) -> TranslateReport:
    """Bring every translation up to date; see the module docstring."""
    state_dir = settings.state_dir
    plans = [p for p in plan_site(config, slugs=options.slugs, languages=options.languages, state_dir=state_dir)]
    caches = {lang: TranslationCache(state_dir, lang) for lang in {p.lang for p in plans}}
    glossary_path = config.root / "glossary.csv"
    glossaries = {lang: load_glossary(glossary_path, config.source_language.code, lang) for lang in caches}
    reports = [DocumentReport(p.slug, p.lang, p.target_path) for p in plans]
    work: list[tuple[int, list[_Unit], dict[str, str], dict[str, str]]] = []
    for doc, plan in enumerate(plans):
        report = reports[doc]
        if plan.exists and not plan.tracked:
            report.notes.append(f"{plan.target_path.name} was written by a person and is not tracked yet: "
                                "run `publish translate --adopt` first (nothing was changed)")
            continue
        units, known, item_origins = _units_of(doc, plan, settings, glossaries[plan.lang], caches[plan.lang],
                                 options.update_reviewed)
        report.reused = sum(1 for key in known if not key.startswith("b") or
                            plan.blocks[int(key[1:])].state != "copy")
        if plan.count("review") and not options.update_reviewed:
            report.notes.append(f"{plan.count('review')} block(s) need review: a person's translation whose source "
                                "changed; check them, or run `publish translate --update-reviewed`")
        if plan.count("edited"):
            report.notes.append(f"{plan.count('edited')} block(s) edited by hand, kept as they are")
        if plan.edited_without_source:
            report.notes.append(f"{plan.edited_without_source} block(s) edited by hand translate source blocks that "
                                f"were removed; they are kept: delete them from {plan.target_path.name} if unwanted")
        if plan.orphans and plan.tracked:
            report.notes.append(f"{len(plan.orphans)} block(s) in {plan.target_path.name} translate no source "
                                "block (added by a person), kept")
        work.append((doc, units, known, item_origins))  # _assemble writes only what changed

    total = sum(len(units) for _doc, units, _known, _origins in work)
    done = 0
    progress(0, total)
    pending_batches: dict[int, int] = {}
    results: dict[int, dict[str, str]] = {}
    origins: dict[int, dict[str, str]] = {}
    batches: list[list[_Unit]] = []
    for doc, units, known, item_origins in work:
        results[doc] = dict(known)
        origins[doc] = item_origins
        doc_batches = _batches(units, settings.batch_chars)
        pending_batches[doc] = len(doc_batches)
        batches.extend(doc_batches)

    def finish(doc: int) -> None:
        report = reports[doc]
        if report.failed:
            report.notes.append(f"{plans[doc].target_path.name} not written: {len(report.failed)} block(s) failed; "
                                "the rest is cached, run again to retry only those")
            return
        _assemble(plans[doc], results[doc], origins[doc], report)

    own_client = client is None
    if client is None and batches:
        from ..llm.usage import UsageLog
        client = LLMClient(settings, api_key=settings.api_key(), usage_log=UsageLog(settings.usage_log))
    for doc, _units, _known, _origins in work:
        if pending_batches[doc] == 0:
            finish(doc)
    translator = _Translator(client, settings, plans, glossaries, caches, config) if batches else None
    records_before = len(client.usage_log.records) if client is not None and client.usage_log else 0
    executor = ThreadPoolExecutor(max_workers=settings.concurrency) if batches else None
    interrupted = False
    try:
        if executor is not None and translator is not None:
            futures: dict[Future, list[_Unit]] = {executor.submit(translator.run, batch): batch for batch in batches}
            outstanding = set(futures)
            while outstanding:
                finished, outstanding = wait(outstanding, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = futures[future]
                    doc = batch[0].doc
                    accepted, failed = future.result()
                    results[doc].update(accepted)
                    for key, problems in failed.items():
                        reports[doc].failed.append(f"{key}: {'; '.join(problems)}")
                    reports[doc].translated += len(accepted)
                    done += len(batch)
                    progress(done, total)
                    pending_batches[doc] -= 1
                    if pending_batches[doc] == 0:
                        finish(doc)
    except KeyboardInterrupt:
        interrupted = True
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        raise TranslationError("interrupted: translations finished so far are kept (written files are complete, "
                               "checked blocks are cached in .publisher/translations/); run the command again to "
                               "continue") from None
    except PublisherError as exc:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        raise TranslationError(f"{exc}. Blocks translated before this are kept in .publisher/translations/; "
                               "run the command again to continue") from None
    finally:
        if executor is not None and not interrupted:
            executor.shutdown(wait=True)
        if own_client and client is not None:
            client.close()
    usages = client.usage_log.records[records_before:] if client is not None and client.usage_log else []
    prices = Prices(settings.price_input_per_million, settings.price_cached_input_per_million,
                    settings.price_output_per_million)
    return TranslateReport(tuple(reports), UsageSummary.of(usages, prices))
