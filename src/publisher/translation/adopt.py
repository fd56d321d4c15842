"""`publish translate --adopt`: record translations written by people in lock files, without a model."""

from __future__ import annotations

import difflib
from typing import Iterable

from ..config import SiteConfig
from ..fsio import write_text
from .lock import CachedTranslation, Lock, LockEntry, TranslationCache, lock_path
from ..markdown.segments import text_hash
from .plan import plan_site
from .reports import AdoptReport
from ..i18n import _


def adopt(config: SiteConfig, *, slugs: Iterable[str] = (), languages: Iterable[str] = ()) -> list[AdoptReport]:
    """Record existing translations written by people in lock files, aligning blocks by structure.

    No model is called and the translation files are not touched.
    """
    from ..markdown.segments import split_blocks

    reports = []
    state_dir = config.root / ".publisher"
    for plan in plan_site(config, slugs=slugs, languages=languages, state_dir=state_dir):
        if not plan.exists:
            reports.append(AdoptReport(plan.slug, plan.lang, 0, (), _("no translation yet")))
            continue
        if plan.tracked:
            reports.append(AdoptReport(plan.slug, plan.lang, 0, (), _("already tracked")))
            continue
        cache = TranslationCache(state_dir, plan.lang)
        from ..content.frontmatter import read_document
        source_raw, _source_fields = read_document(plan.source_path)
        target_raw, _target_fields = read_document(plan.target_path)
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
            where_source = (_("{name} line {line}").format(name=plan.source_path.name,
                                  line=source_raw.body_line + source_blocks[i1].start_line)
                            if i1 < i2 else _("nothing in {name}").format(name=plan.source_path.name))
            where_target = (_("{name} line {line}").format(name=plan.target_path.name,
                                  line=target_raw.body_line + target_blocks[j1].start_line)
                            if j1 < j2 else _("nothing in {name}").format(name=plan.target_path.name))
            unmatched.append(_("{source_count} source block(s) ({where_source}) vs {target_count} translation block(s) "
                               "({where_target}): different structure, not adopted").format(
                                   source_count=i2 - i1, where_source=where_source, target_count=j2 - j1,
                                   where_target=where_target))
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
