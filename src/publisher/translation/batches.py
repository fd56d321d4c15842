"""The units a translation sends, grouped in batches, and the translator that sends and checks them."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..config import SiteConfig
from .checks import check_reply
from ..llm.client import LLMClient
from .glossary import Glossary, Term
from .history import old_source_texts
from .lock import CachedTranslation, TranslationCache
from .plan import DocumentPlan, Item
from ..llm.feedback import Feedback
from .protect import PlaceholderMismatch, Protected, protect, restore
from ..languages import prompt_name
from ..markdown.segments import normalise, text_hash
from ..config.llm import LLMSettings
from ..llm.answers import NOT_JSON, read_json_answer
from .prompts import PROMPT_VERSION, REPLY_SCHEMA, SYSTEM_PROMPT


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
                 ) -> tuple[dict[str, str], dict[str, list[str]], str]:
        """Send once: (accepted texts by key, problems by key, how the whole answer failed: `cut` by the length
        limit, `unusable` when it held no JSON of the shape asked for, empty otherwise)."""
        result = self.client.chat(self._messages(batch, feedback), json_schema=REPLY_SCHEMA,
                                  schema_name="translation", purpose="translate")
        if result.finish_reason == "length":
            problem = Feedback("the answer was cut off (length limit)")
            self.client.answer_unusable(problem)
            return {}, {u.key: [problem] for u in batch}, "cut"
        parsed = read_json_answer(result.text)
        try:
            if parsed.value is None:
                raise ValueError(parsed.problem)
            items = parsed.value["segments"]
            texts = {str(item["id"]): str(item["text"]) for item in items}
            ids = [str(item["id"]) for item in items]
        except (ValueError, KeyError, TypeError):
            problem = (parsed.problem if parsed.value is None and parsed.problem != NOT_JSON
                       else Feedback("the answer was not the JSON asked for: {\"segments\": [{\"id\", \"text\"}]}"))
            self.client.answer_unusable(problem)
            return {}, {u.key: [problem] for u in batch}, "unusable"
        good: dict[str, str] = {}
        bad: dict[str, list[str]] = {}
        expected = {u.key for u in batch}
        extra = set(ids) - expected
        for unit in batch:
            if unit.key not in texts:
                bad[unit.key] = [Feedback("the answer had no segment with id {id}; answer every id once",
                                          id=repr(unit.key))]
                continue
            problems = [Feedback("unexpected id {id}", id=repr(key)) for key in sorted(extra)] if extra else []
            if ids.count(unit.key) > 1:
                problems.append(Feedback("id {id} appears twice", id=repr(unit.key)))
            reply_text = texts[unit.key].strip("\n")
            problems += check_reply(unit.protected.text, reply_text, kind=unit.kind, terms=unit.terms,
                                    originals=unit.protected.originals)
            restored = None
            try:
                restored = restore(reply_text, unit.protected)
            except PlaceholderMismatch as exc:
                problems.append(exc.args[0])
            if problems or restored is None:
                bad[unit.key] = problems
            else:
                good[unit.key] = restored
        if good:
            self.client.answer_usable()
        else:
            first = next(iter(bad.values()), None)
            self.client.answer_unusable(first[0] if first else Feedback("no segment passed the checks"))
        return good, bad, ""

    def run(self, batch: list[_Unit]) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Translate `batch`: retry once with the problems, then split, then give up per block.

        A batch is not split when its answer held no usable JSON twice: smaller batches would get the same
        kind of answer (the client stops the run when such answers keep coming)."""
        accepted: dict[str, str] = {}
        good, bad, whole = self._attempt(batch, None)
        self._keep(batch, good, accepted)
        remaining = [u for u in batch if u.key in bad]
        if remaining and whole != "cut":
            good, bad, whole = self._attempt(remaining, bad)
            self._keep(remaining, good, accepted)
            remaining = [u for u in remaining if u.key in bad]
        if not remaining:
            return accepted, {}
        if len(remaining) == 1 or whole == "unusable":
            return accepted, {u.key: bad[u.key] for u in remaining}
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
