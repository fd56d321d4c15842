"""A translation file put together from kept and new blocks, written atomically, then its lock."""

from __future__ import annotations

from typing import Any


from ..content.frontmatter import frontmatter_text
from ..fsio import write_text
from .lock import Lock, LockEntry, lock_path
from .plan import DocumentPlan
from ..markdown.segments import join_blocks, text_hash
from .reports import DocumentReport


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
