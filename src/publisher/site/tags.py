"""Tags as the site shows them: each tag's URL segment, and the visible pages under each tag."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .plan import Entry


@lru_cache(maxsize=65536)
def tag_segment(tag: str) -> str:
    """The tag's folder name in URLs: the tag itself (CJK kept), without characters that break paths."""
    text = unicodedata.normalize("NFKC", tag).strip().lower()
    return re.sub(r"[\s/\\?#%&:;<>\"'|*]+", "-", text).strip("-.") or "tag"


def tags_by_language(entries: Sequence[Entry]) -> dict[str, dict[str, list[Entry]]]:
    """lang -> tag segment -> entries (newest first), from each language version's own tags."""
    tags: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        document = entry.article.document(entry.lang.code)
        assert document is not None
        for tag in dict.fromkeys(tag_segment(t) for t in document.tags):
            tags.setdefault(entry.lang.code, {}).setdefault(tag, []).append(entry)
    return tags


def tag_names_of(entries: Sequence[Entry]) -> dict[tuple[str, str], str]:
    """(lang, segment) -> the tag as first written."""
    names: dict[tuple[str, str], str] = {}
    for entry in sorted(entries, key=lambda e: e.article.slug):
        document = entry.article.document(entry.lang.code)
        assert document is not None
        for tag in document.tags:
            names.setdefault((entry.lang.code, tag_segment(tag)), tag)
    return names


@dataclass(frozen=True)
class SiteTags:
    """The visible pages' tags, worked out once per build for the pages and the feeds that list them."""

    by_language: dict[str, dict[str, list[Entry]]]
    """`tags_by_language`: lang -> tag segment -> entries (newest first)."""
    names: dict[tuple[str, str], str]
    """`tag_names_of`: (lang, segment) -> the tag as first written."""

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> "SiteTags":
        return cls(tags_by_language(entries), tag_names_of(entries))
