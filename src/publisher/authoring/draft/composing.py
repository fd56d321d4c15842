"""The answers as house-style Markdown, and the article folder written as a whole."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from ...config import SiteConfig
from ...content.loader import SLUG_PATTERN
from ...errors import shown_path
from ...content.frontmatter import document_text
from ...content.slugs import derive_slug
from ...fsio import SwapError, swap_folder, write_text
from ...markdown.escape import escape as _escape  # model text shows as written: no HTML, links, stray structure
from ...markdown.escape import escape_inline as _escape_inline
from ...sources import Passage
from .model import BACKUP_DIR, CIRCLED, DraftError, DraftOptions, FILLED, Outline, SectionPlan, _text
from .passages import _Source
from ...i18n import _


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
        raise DraftError(_("{folder}/ already exists; nothing was changed. Choose another --slug, or run again "
                           "with --force to replace it (the current folder is kept in {name}/{backup_dir}/)").format(
                               folder=shown_path(folder, config.root), name=config.content_dir.name,
                               backup_dir=BACKUP_DIR))


def _write_folder(config: SiteConfig, slug: str, text: str, sources: list[_Source],
                  options: DraftOptions) -> tuple[Path, Path | None]:
    """Build the article folder under a temporary name, then rename it into place (after moving an old one away)."""
    if not SLUG_PATTERN.match(slug):
        raise DraftError(_("the slug {slug} made from the title is not usable; give --slug").format(slug=repr(slug)))
    content = config.content_dir
    final = content / slug
    if final.exists() and not final.is_dir():
        raise DraftError(_("{final} is a file, not an article folder; move it away or choose another --slug.").format(
                               final=final))
    _refuse_existing(config, slug, options.force)

    def build(staging: Path) -> None:
        (staging / "sources").mkdir()
        for source in sources:
            shutil.copyfile(source.path, staging / source.name)
            os.chmod(staging / source.name, 0o644)
        write_text(staging / f"{config.source_language.code}.md", text)

    stamp = options.now.strftime("%Y%m%dT%H%M%S")
    try:
        _staged, backup = swap_folder(final, build, staging_prefix=f".draft-{slug}-",
                                backup=content / BACKUP_DIR / f"{slug}-{stamp}" if final.exists() else None)
    except SwapError:
        raise DraftError(_("{final} appeared while drafting; nothing was changed.").format(final=final)) from None
    return final / f"{config.source_language.code}.md", backup
