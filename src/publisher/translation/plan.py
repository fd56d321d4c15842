"""What a translation needs, worked out from the files alone (no model call).

For one article and target language: which blocks and frontmatter fields are
up to date, stale (source new or changed), edited by a person (kept), or
need review (a person's text whose source changed since). `publish status`,
`publish translate --check` and `publish translate` share this.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ..config import SiteConfig
from ..content.frontmatter import read_document
from ..errors import ProblemsError, PublisherError
from .glossary import Glossary, load_glossary
from ..i18n import N_, _
from .lock import Lock, LockEntry, TranslationCache, lock_path, read_lock
from ..markdown.segments import Segment, normalise, split_blocks, text_hash

TRANSLATED_FIELDS = ("title", "summary", "hero_alt", "tags")


@dataclass(frozen=True)
class Item:
    """One body block or frontmatter field of the source and what its translation needs."""

    key: str
    """`b<n>` for the n-th source block, or the field name."""
    kind: str | None
    """Block kind; None for a frontmatter field."""
    source: str
    """Source text (a field's value; tags joined by newlines)."""
    state: str
    """`ok`, `stale` (translate), `copy` (pass-through block to copy), `edited` (a person's text, kept),
    `review` (a person's text whose source changed: kept, flagged)."""
    target: str | None
    """The current translation text, when there is one to keep or to show the model."""
    entry: LockEntry | None
    """The lock entry to keep for ok/edited/review items."""
    target_index: int | None = None
    """Position of the current block in the translation file."""

    @property
    def source_hash(self) -> str:
        return text_hash(normalise(self.source))


@dataclass(frozen=True)
class DocumentPlan:
    """Everything known about one translation before any model call."""

    slug: str
    lang: str
    source_path: Path
    target_path: Path
    exists: bool
    """The translation file exists."""
    tracked: bool
    """It has a lock file (`False` with `exists`: a person's translation not adopted yet)."""
    blocks: tuple[Item, ...]
    fields: tuple[Item, ...]
    orphans: tuple[tuple[int, str], ...]
    """Blocks of the translation that translate no source block (added by a person): (index, text), kept."""
    target_fields: dict[str, Any]
    """The translation's frontmatter as read (empty when it does not exist)."""
    target_header: str
    """The translation's frontmatter text verbatim, `---` lines included (kept when no field changes)."""
    lock: Lock | None
    target_block_count: int = 0
    """How many blocks the translation file has now."""
    edited_without_source: int = 0
    """Blocks edited by a person whose source block was removed: kept (among `orphans`) for a person to delete."""

    def count(self, state: str) -> int:
        return sum(1 for item in (*self.blocks, *self.fields) if item.state == state)

    @property
    def stale(self) -> int:
        return self.count("stale") + self.count("copy")

    def summary(self, gettext: Callable[[str], str] | None = None) -> str:
        """`up to date`, `missing`, `stale (3 segments)`, `edited by hand (1)`, `needs review (2)` ... in the
        message language, or in the one `gettext` translates into (`i18n.translator`: a preview page's)."""
        return status_summary(self.exists, self.tracked, self.stale, self.count("review"), self.count("edited"),
                              gettext)

    @property
    def needs_work(self) -> bool:
        """Stale, missing, untracked or waiting for review (what `--check` fails on)."""
        return not self.exists or not self.tracked or bool(self.stale) or bool(self.count("review"))


def status_summary(exists: bool, tracked: bool, stale: int, review: int, edited: int,
                   gettext: Callable[[str], str] | None = None) -> str:
    """What `publish status` says of a translation (`DocumentPlan.summary`), from its counts."""
    tr = gettext or _
    if not exists:
        return tr(N_("missing"))
    if not tracked:
        return tr(N_("not tracked (a person's translation: run `publish translate --adopt`)"))
    parts = []
    if stale:
        parts.append(tr(N_("stale ({count} segment)") if stale == 1 else N_("stale ({count} segments)")).format(
            count=stale))
    if review:
        parts.append(tr(N_("needs review ({count})")).format(count=review))
    if edited:
        parts.append(tr(N_("edited by hand ({count})")).format(count=edited))
    return ", ".join(parts) or tr(N_("up to date"))


def source_fields(fields: dict[str, Any]) -> dict[str, str]:
    """The translatable frontmatter fields present, as text (tags one per line)."""
    values: dict[str, str] = {}
    for key in TRANSLATED_FIELDS:
        value = fields.get(key)
        if key == "tags":
            if isinstance(value, list) and value:
                values[key] = "\n".join(str(tag) for tag in value)
        elif isinstance(value, str) and value.strip():
            values[key] = value
    return values


def _read(path: Path):
    raw, problems = read_document(path)
    if raw is None:
        raise ProblemsError(tuple(problems), _("fix {file} first").format(file=path.name))
    return raw


def plan_document(slug: str, source_path: Path, target_path: Path, lang: str,
                  cache: TranslationCache, glossary: Glossary | None = None) -> DocumentPlan:
    """The plan for `target_path` as a translation of `source_path`.

    With `glossary`, a machine translation made under glossary entries that have changed since is stale.
    """
    source = _read(source_path)
    segments = split_blocks(source.body)
    src_fields = source_fields(source.fields)
    exists = target_path.is_file()
    lock = read_lock(lock_path(target_path)) if exists else None
    target_blocks: list[Segment] = []
    target_fields: dict[str, Any] = {}
    header = ""
    if exists:
        target = _read(target_path)
        target_blocks = split_blocks(target.body)
        target_fields = target.fields
        header = "\n".join(target_path.read_text("utf-8").lstrip("\ufeff").split("\n")[: target.body_line - 1])
    tgt_fields = source_fields(target_fields)

    def block_item(index: int, seg: Segment, state: str) -> Item:
        return Item(f"b{index}", seg.kind, seg.text, state, None, None)

    if lock is None:
        blocks = tuple(block_item(i, seg, "stale" if seg.translatable else "copy") for i, seg in enumerate(segments))
        fields = tuple(Item(key, None, value, "stale", tgt_fields.get(key), None) for key, value in src_fields.items())
        return DocumentPlan(slug, lang, source_path, target_path, exists, False, blocks, fields,
                            tuple((i, b.text) for i, b in enumerate(target_blocks)), target_fields, header, None,
                            len(target_blocks))

    # Which translation block does each lock entry describe? Same hash first, then position.
    entry_target: dict[int, int] = {}
    written = [entry.target for entry in lock.blocks]
    current = [text_hash(block.text) for block in target_blocks]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, written, current, autojunk=False).get_opcodes():
        if tag in ("equal", "replace"):
            for offset in range(min(i2 - i1, j2 - j1)):
                entry_target[i1 + offset] = j1 + offset
    # Which lock entry does each source block continue? Same source first, then position.
    source_entry: dict[int, int] = {}
    old_sources = [entry.source for entry in lock.blocks]
    new_sources = [seg.source_hash for seg in segments]
    matcher = difflib.SequenceMatcher(None, old_sources, new_sources, autojunk=False)
    unused: dict[str, list[int]] = {}
    pending_replace: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                source_entry[j1 + offset] = i1 + offset
        else:
            for i in range(i1, i2):
                unused.setdefault(old_sources[i], []).append(i)
            if tag == "replace":
                pending_replace.append((i1, i2, j1, j2))
    used: set[int] = set(source_entry.values())
    used_entries = used  # grows below as moved and changed blocks are paired
    for j, seg in enumerate(segments):  # moved blocks keep their translation
        if j not in source_entry and unused.get(seg.source_hash):
            i = unused[seg.source_hash].pop(0)
            source_entry[j] = i
            used.add(i)
    for i1, i2, j1, j2 in pending_replace:  # changed blocks: pair by likeness, else by position
        free_old = [i for i in range(i1, i2) if i not in used]
        free_new = [j for j in range(j1, j2) if j not in source_entry]
        for i, j in _pair_changed(free_old, free_new, lock.blocks, segments, cache):
            source_entry[j] = i
            used.add(i)

    def judge(key: str, kind: str | None, text: str, entry: LockEntry | None, target: str | None,
              target_index: int | None, translatable: bool) -> Item:
        fresh = "stale" if translatable else "copy"
        source_hash = text_hash(normalise(text))
        if target is not None and (entry is None or entry.source != source_hash):
            # Written by an earlier run that stopped before its lock was saved: ours, up to date.
            cached = cache.lookup_target(source_hash, target)
            if cached is not None:
                fixed = LockEntry(source_hash, text_hash(target), cached.origin, kind or "field")
                return Item(key, kind, text, "ok", target, fixed, target_index)
        if entry is None or target is None:
            return Item(key, kind, text, fresh, target, None, target_index)
        same_source = entry.source == source_hash
        ours = text_hash(target) == entry.target or target in cache.targets(entry.source)
        by_person = not ours or entry.origin == "adopted"
        if same_source and ours and glossary is not None and _glossary_changed(entry, glossary, text):
            return Item(key, kind, text, fresh, target, entry, target_index)
        if same_source:
            return Item(key, kind, text, "ok" if ours else "edited", target, entry, target_index)
        if by_person and translatable:
            return Item(key, kind, text, "review", target, entry, target_index)
        return Item(key, kind, text, fresh, target, entry, target_index)

    blocks_list = []
    claimed_targets: set[int] = set()
    for j, seg in enumerate(segments):
        i = source_entry.get(j)
        entry = lock.blocks[i] if i is not None else None
        t = entry_target.get(i) if i is not None else None
        if t is not None:
            claimed_targets.add(t)
        blocks_list.append(judge(f"b{j}", seg.kind, seg.text, entry, target_blocks[t].text if t is not None else None,
                                 t, seg.translatable))
    fields_list = [judge(key, None, value, lock.fields.get(key), tgt_fields.get(key), None, True)
                   for key, value in src_fields.items()]
    # Translations of removed source blocks go with them, unless a person edited them: those stay (and are
    # reported), like blocks no lock entry describes (a person's additions).
    described = set(entry_target.values())
    withdrawn = []
    for i, t in entry_target.items():
        if i not in used_entries and text_hash(target_blocks[t].text) != lock.blocks[i].target \
                and target_blocks[t].text not in cache.targets(lock.blocks[i].source):
            described.discard(t)
            withdrawn.append(t)
    orphans = tuple((t, block.text) for t, block in enumerate(target_blocks) if t not in described)
    return DocumentPlan(slug, lang, source_path, target_path, True, True, tuple(blocks_list), tuple(fields_list),
                        orphans, target_fields, header, lock, len(target_blocks), len(withdrawn))


def _glossary_changed(entry: LockEntry, glossary: Glossary, text: str) -> bool:
    """A machine translation whose binding glossary entries were edited (origin `llm:<model>:<glossary>`)."""
    parts = entry.origin.split(":")
    return parts[0] == "llm" and len(parts) == 3 and parts[2] != glossary.digest(text)


def _pair_changed(old: list[int], new: list[int], entries: tuple[LockEntry, ...], segments: list[Segment],
                  cache: TranslationCache) -> list[tuple[int, int]]:
    """Pair changed blocks in one region: equal counts pair by position; otherwise each old block goes to
    the most similar new one of the same kind (old text from the cache), in order."""
    if len(old) == len(new):
        return list(zip(old, new))
    pairs: list[tuple[int, int]] = []
    last = -1
    for i in old:
        cached = cache.lookup(entries[i].source)
        if cached is None:
            continue
        scored = [(difflib.SequenceMatcher(None, cached.source, segments[j].text, autojunk=False).ratio(), j)
                  for j in new if j > last and segments[j].kind == entries[i].kind]
        if scored:
            ratio, j = max(scored)
            if ratio >= 0.5:
                pairs.append((i, j))
                last = j
    return pairs


def _articles(config: SiteConfig, slugs: Iterable[str]) -> list[Path]:
    wanted = set(slugs)
    source_name = f"{config.source_language.code}.md"
    folders = sorted(p.parent for p in config.content_dir.glob(f"*/{source_name}"))
    if wanted:
        known = {folder.name for folder in folders}
        unknown = sorted(wanted - known)
        if unknown:
            raise PublisherError(_("no article {unknown} in {name}/ (there is no {name}/<slug>/{source_name}); "
                                   "check the slug").format(
                                       unknown=', '.join(unknown), name=config.content_dir.name,
                                       source_name=source_name))
        folders = [f for f in folders if f.name in wanted]
    return folders


def _languages(config: SiteConfig, languages: Iterable[str]) -> list[str]:
    targets = [lang.code for lang in config.target_languages]
    chosen = list(languages) or targets
    for code in chosen:
        if code not in targets:
            raise PublisherError(_("{code} is not a target language; site.languages lists {targets}").format(
                                       code=repr(code), targets=', '.join(targets)))
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
