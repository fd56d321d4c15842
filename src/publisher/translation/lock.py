"""The lock file next to a translation (`articles/<slug>/zh.lock.json`, kept in git),
and the translation cache (`.publisher/translations/<lang>.jsonl`, git-ignored).

The lock says, for each block of the translation in order, which source
text (hash of the normalised source) it translates, what was written (hash
of the target text), and by what (model + prompt version + glossary terms,
or `adopted` for a person's translation). A target whose hash no longer
matches was edited by a person and is never overwritten.

The cache keeps every checked translation as soon as its batch is done, so an
interrupted run resumes without asking the model again.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import Problem, ProblemsError
from ..i18n import _

LOCK_VERSION = 1


@dataclass(frozen=True)
class LockEntry:
    """One translated block or frontmatter field."""

    source: str
    """Hash of the normalised source text."""
    target: str
    """Hash of the target text as written."""
    origin: str
    """`llm:<fingerprint>` (model, prompt version, glossary terms), `adopted` (a person's translation), or `copied` (passed through)."""
    kind: str
    """Block kind (`paragraph`, `heading2` ...) or `field`."""


@dataclass(frozen=True)
class Lock:
    """The lock of one translation file."""

    source_file: str
    """The source's file name (`ja.md`)."""
    fields: dict[str, LockEntry] = field(default_factory=dict)
    """Frontmatter fields by key (`title`, `summary`, `hero_alt`, `tags.0` ...)."""
    blocks: tuple[LockEntry, ...] = ()
    """Body blocks in the order of the translation file."""

    def to_json(self) -> str:
        """Stable text: sorted keys, one entry per line (small, readable git diffs)."""
        def line(entry: LockEntry) -> str:
            return json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True)

        fields = ",\n".join(f"  {json.dumps(key)}: {line(entry)}" for key, entry in sorted(self.fields.items()))
        blocks = ",\n".join(f"  {line(entry)}" for entry in self.blocks)
        return (f'{{\n "version": {LOCK_VERSION},\n "source": {json.dumps(self.source_file)},\n'
                f' "fields": {{\n{fields}\n }},\n "blocks": [\n{blocks}\n ]\n}}\n')


def lock_path(translation: Path) -> Path:
    return translation.with_name(f"{translation.stem}.lock.json")


def read_lock(path: Path) -> Lock | None:
    """The lock at `path`, None when there is none; a clear error when it is damaged."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("version") != LOCK_VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        return Lock(
            source_file=data["source"],
            fields={key: LockEntry(**entry) for key, entry in data["fields"].items()},
            blocks=tuple(LockEntry(**entry) for entry in data["blocks"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ProblemsError((Problem(path, None, "lock", _("the lock file is damaged ({exc}); restore it "
                                                           "from git (git checkout -- <file>) or delete it "
                                                           "and run `publish translate --adopt`").format(
            exc=exc)),),
                            _("fix the lock file")) from None


@dataclass(frozen=True)
class CachedTranslation:
    """A checked translation of one source text."""

    source_hash: str
    source: str
    """The source text (lets --update-reviewed show the model what changed)."""
    target: str
    origin: str


class TranslationCache:
    """Append-only JSON Lines per target language; a torn last line is ignored."""

    def __init__(self, folder: Path, lang: str):
        self.path = folder / "translations" / f"{lang}.jsonl"
        self._lock = threading.Lock()
        self._by_source: dict[str, list[CachedTranslation]] = {}
        if self.path.is_file():
            for line in self.path.read_text("utf-8").splitlines():
                try:
                    self._remember(CachedTranslation(**json.loads(line)))
                except (ValueError, TypeError):
                    continue

    def _remember(self, item: CachedTranslation) -> None:
        self._by_source.setdefault(item.source_hash, []).append(item)

    def lookup(self, source_hash: str, origin: str | None = None) -> CachedTranslation | None:
        """The latest translation of that source (made with `origin`, when given)."""
        for item in reversed(self._by_source.get(source_hash, [])):
            if origin is None or item.origin == origin:
                return item
        return None

    def lookup_target(self, source_hash: str, target: str) -> CachedTranslation | None:
        """The machine translation of that source whose text is `target`, if any (not a person's)."""
        for item in reversed(self._by_source.get(source_hash, [])):
            if item.target == target and item.origin != "adopted":
                return item
        return None

    def targets(self, source_hash: str) -> set[str]:
        return {item.target for item in self._by_source.get(source_hash, [])}

    def add(self, items: list[CachedTranslation]) -> None:
        if not items:
            return
        lines = "".join(json.dumps(asdict(item), ensure_ascii=False, sort_keys=True) + "\n" for item in items)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a+b") as stream:
                stream.seek(0, os.SEEK_END)
                if stream.tell():
                    stream.seek(stream.tell() - 1)
                    if stream.read(1) != b"\n":  # a torn line from a crash: start a fresh one
                        lines = "\n" + lines
                stream.write(lines.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
            for item in items:
                self._remember(item)
