"""The side-by-side view of a translation: source and translation aligned, block by block.

Pairing comes from the translation's plan (`publisher.translation.plan`): each source
block knows the translation block its lock entry describes and its state
(up to date, stale, edited by hand, needs review). A translation without a
lock file is aligned by block structure, as `publish translate --adopt`
would; a missing one shows the source alone. Translation blocks that
translate no source block (a person's additions) get rows of their own, where
they stand in the translation. Rows are grouped by the source's `##`
sections.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

from markupsafe import Markup

from ..config import SiteConfig
from ..content import Article, Document
from ..translation.plan import TRANSLATED_FIELDS, DocumentPlan, source_fields
from ..markdown.labels import site_labels
from .fragments import Fragment, render_fragments

#: Row states, from the least to the most urgent (a merged row takes the most urgent).
STATES = ("ok", "untracked", "added", "edited", "stale", "review", "missing")

#: The plan's item states as row states (`copy`: a pass-through block not copied yet, i.e. stale).
_ITEM_STATES = {"ok": "ok", "stale": "stale", "copy": "stale", "edited": "edited", "review": "review"}


@dataclass(frozen=True)
class Cell:
    """One side of a row."""

    html: Markup
    """The block(s) rendered with the site's renderer."""
    line: int
    """1-based line of the (first) block in its Markdown file."""


@dataclass(frozen=True)
class AlignedRow:
    """Source blocks and the translation blocks that go with them."""

    state: str
    """One of `STATES`."""
    source: Cell | None
    """None when the translation has a block the source does not (a person's addition)."""
    target: Cell | None
    """None when there is no translation of the source block (missing, or new source)."""


@dataclass(frozen=True)
class AlignedSection:
    """A `##` section of the source (or the opening before the first one)."""

    anchor: str
    """Element id of the section on the page."""
    title: str
    """The heading's text; empty for the opening."""
    rows: tuple[AlignedRow, ...]
    """Source and translation blocks, paired, in source order."""


@dataclass(frozen=True)
class FieldRow:
    """A translated frontmatter field (title, summary, hero alt text, tags)."""

    key: str
    """The field's name."""
    state: str
    """As for blocks: `ok`, `stale`, `review`, `edited`, `missing`."""
    source: str
    """The source's value (tags one per line)."""
    target: str | None
    """The translation's value; None when it has none."""


@dataclass(frozen=True)
class SideBySide:
    """One translation of one article, aligned."""

    slug: str
    """The article's folder name."""
    source_lang: str
    """Code of the source language (`ja`)."""
    target_lang: str
    """Code of the translation's language (`zh`)."""
    source_file: str
    """`ja.md`: where the source lines are."""
    target_file: str
    """`zh.md`."""
    mode: str
    """`tracked` (pairs from the lock file), `untracked` (pairs by structure), `missing` or `error`."""
    error: str | None
    """Why the translation's state is unknown (mode `error`)."""
    fields: tuple[FieldRow, ...]
    """The translated frontmatter fields."""
    sections: tuple[AlignedSection, ...]
    """The body, section by section."""

    def count(self, state: str) -> int:
        return (sum(1 for section in self.sections for row in section.rows if row.state == state)
                + sum(1 for field in self.fields if field.state == state))

    @property
    def states(self) -> tuple[tuple[str, int], ...]:
        """(state, rows and fields in it) for every state that occurs, most urgent first."""
        return tuple((state, self.count(state)) for state in reversed(STATES) if self.count(state))


def align(config: SiteConfig, article: Article, target_lang: str, plan: DocumentPlan | str | None,
          image_root: str) -> SideBySide:
    """The side-by-side of `article`'s translation into `target_lang`.

    `image_root` is the way from the page to the site root: images are linked as
    `<image_root>media/<slug>/<file>`, where the build publishes them.
    """
    source_doc = article.source
    target_doc = article.document(target_lang)
    source_lang = config.source_language
    target_config = config.language(target_lang)

    def image_url(reference: str) -> str:
        return f"{image_root}media/{quote(article.slug)}/{quote(reference)}"

    source = render_fragments(source_doc.body, lang=source_lang.code, id_prefix="src-", image_url=image_url,
                              labels=site_labels(source_lang.strings))
    target = (render_fragments(target_doc.body, lang=target_lang, id_prefix="tgt-", image_url=image_url,
                               labels=site_labels(target_config.strings)) if target_doc is not None else ())

    error = plan if isinstance(plan, str) else None
    plan_object = plan if isinstance(plan, DocumentPlan) else None
    if target_doc is None:
        mode = "missing"
        pairs: dict[int, tuple[int | None, str]] = {j: (None, "missing") for j in range(len(source))}
    elif plan_object is not None and plan_object.tracked and len(plan_object.blocks) == len(source):
        mode = "tracked"
        pairs = {}
        for j, item in enumerate(plan_object.blocks):
            index = item.target_index if item.target_index is not None and item.target_index < len(target) else None
            pairs[j] = (index, _ITEM_STATES.get(item.state, "stale"))
    else:
        # No lock file (or the plan could not be made, or the files changed under it): pair by structure.
        mode = "untracked" if error is None else "error"
        pairs = {j: (t, "untracked") for j, t in _pair_by_structure(source, target).items()}
        pairs.update({j: (None, "untracked") for j in range(len(source)) if j not in pairs})

    rows = _merge(_rows(pairs, len(target), state_for_added="added" if mode == "tracked" else "untracked"),
                  source, target)
    sections = _sections(rows, source, target, source_doc, target_doc)
    return SideBySide(slug=article.slug, source_lang=source_lang.code, target_lang=target_lang,
                      source_file=source_doc.path.name, target_file=f"{target_lang}.md", mode=mode, error=error,
                      fields=_fields(source_doc, target_doc, plan_object, mode), sections=sections)


def _pair_by_structure(source: tuple[Fragment, ...], target: tuple[Fragment, ...]) -> dict[int, int]:
    """Source block -> translation block where the sequences of block kinds agree (as `--adopt` pairs)."""
    matcher = difflib.SequenceMatcher(None, [f.segment.kind for f in source], [f.segment.kind for f in target],
                                      autojunk=False)
    pairs: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update({i1 + k: j1 + k for k in range(i2 - i1)})
    return pairs


@dataclass
class _Row:
    sources: list[int]
    targets: list[int]
    state: str


def _rows(pairs: Mapping[int, tuple[int | None, str]], target_count: int, state_for_added: str) -> list[_Row]:
    """One row per source block in source order; unpaired translation blocks go before the row of the
    next paired translation block that follows them, or at the end."""
    paired = {t for t, _ in pairs.values() if t is not None}
    pending = [t for t in range(target_count) if t not in paired]
    rows: list[_Row] = []
    for j in sorted(pairs):
        t, state = pairs[j]
        if t is not None:
            while pending and pending[0] < t:
                rows.append(_Row([], [pending.pop(0)], state_for_added))
        rows.append(_Row([j], [t] if t is not None else [], state))
    rows.extend(_Row([], [t], state_for_added) for t in pending)
    return rows


def _merge(rows: list[_Row], source: tuple[Fragment, ...], target: tuple[Fragment, ...]) -> list[_Row]:
    """Rows whose blocks render as one (a heading and its tagline) become one row, the most urgent state."""
    row_of_source = {j: n for n, row in enumerate(rows) for j in row.sources}
    row_of_target = {t: n for n, row in enumerate(rows) for t in row.targets}
    parent = list(range(len(rows)))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for fragments, row_of in ((source, row_of_source), (target, row_of_target)):
        for index, fragment in enumerate(fragments):
            if fragment.joined is not None and index in row_of and fragment.joined in row_of:
                union(row_of[index], row_of[fragment.joined])
    merged: dict[int, _Row] = {}
    for n, row in enumerate(rows):  # a group's first row (its root) comes first
        into = merged.setdefault(find(n), _Row([], [], row.state))
        into.sources.extend(row.sources)
        into.targets.extend(row.targets)
        into.state = max(into.state, row.state, key=STATES.index)
    return [merged[root] for root in sorted(merged)]


def _cell(indices: list[int], fragments: tuple[Fragment, ...], document: Document | None) -> Cell | None:
    if not indices or document is None:
        return None
    indices = sorted(indices)
    html = Markup("").join(fragments[i].html for i in indices)
    return Cell(html=html, line=document.body_line + fragments[indices[0]].segment.start_line)


_EXPLICIT_ID = re.compile(r"\s*\{#[^}]*\}\s*$")


def _heading_text(fragment: Fragment) -> str:
    return _EXPLICIT_ID.sub("", fragment.segment.text.lstrip("#").strip())


def _sections(rows: list[_Row], source: tuple[Fragment, ...], target: tuple[Fragment, ...],
              source_doc: Document, target_doc: Document | None) -> tuple[AlignedSection, ...]:
    sections: list[AlignedSection] = []
    title, current = "", []

    def close() -> None:
        if current:
            sections.append(AlignedSection(f"section-{len(sections)}", title, tuple(current)))

    for row in rows:
        first = (source[min(row.sources)] if row.sources else target[min(row.targets)])
        if first.segment.kind == "heading2" and (current or sections):
            close()
            current = []
        if first.segment.kind == "heading2":
            title = _heading_text(first)
        current.append(AlignedRow(row.state, _cell(row.sources, source, source_doc),
                                  _cell(row.targets, target, target_doc)))
    close()
    return tuple(sections)


def _fields(source_doc: Document, target_doc: Document | None, plan: DocumentPlan | None,
            mode: str) -> tuple[FieldRow, ...]:
    if mode == "tracked" and plan is not None:
        return tuple(FieldRow(item.key, _ITEM_STATES.get(item.state, "stale"), item.source, item.target)
                     for item in plan.fields)
    values = source_fields({"title": source_doc.title, "summary": source_doc.summary,
                            "hero_alt": source_doc.hero_alt, "tags": list(source_doc.tags)})
    targets: dict[str, str] = {}
    if target_doc is not None:
        targets = source_fields({"title": target_doc.title, "summary": target_doc.summary,
                                 "hero_alt": target_doc.hero_alt, "tags": list(target_doc.tags)})
    state = "missing" if target_doc is None else "untracked"
    return tuple(FieldRow(key, state if key in targets or target_doc is None else "missing", values[key],
                          targets.get(key)) for key in TRANSLATED_FIELDS if key in values)

