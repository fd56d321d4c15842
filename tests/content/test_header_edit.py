"""Setting frontmatter fields in place: only the lines of the keys set change."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from publisher.content.header_edit import set_fields
from publisher.errors import PublisherError

PATH = Path("articles/x/ja.md")

HAND_MADE = """\
---
# The header as a writer formats it.
title: "港の話: 2026年"   # quoted because of the colon
date: 2026-01-05
tags:
  - 華南
  - 物流
hero: old.svg
hero_alt: 古い画像
ai:
  text: true   # drafted
  # image comes from publish image

pseudonyms: true
---

## 1. 本文

本文の段落。
"""


def _fields(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_replaced_and_nested_keys_change_only_their_lines() -> None:
    out = set_fields(HAND_MADE, {"hero": "hero.png", "hero_alt": "新しい画像", "ai": {"text": True, "image": "m"}},
                     PATH)
    before, after = HAND_MADE.splitlines(), out.splitlines()
    assert [line for line in after if line not in before] == ["hero: hero.png", "hero_alt: 新しい画像", "  image: m"]
    assert [line for line in before if line not in after] == ["hero: old.svg", "hero_alt: 古い画像"]
    assert after.index("  image: m") == after.index("  text: true   # drafted") + 1
    assert _fields(out)["ai"] == {"text": True, "image": "m"}
    assert out.endswith("## 1. 本文\n\n本文の段落。\n")


def test_new_keys_go_after_the_previous_key_set_else_at_the_end() -> None:
    text = "---\ntitle: x\nhero: a.svg\nstatus: draft\n---\nbody\n"
    out = set_fields(text, {"hero": "b.png", "hero_alt": "説明", "ai": {"image": "m"}}, PATH)
    assert out == "---\ntitle: x\nhero: b.png\nhero_alt: 説明\nai: {image: m}\nstatus: draft\n---\nbody\n"
    out = set_fields("---\ntitle: x\n---\nbody\n", {"sources": ["sources/a.txt", "sources/b.md"]}, PATH)
    assert out == "---\ntitle: x\nsources: [sources/a.txt, sources/b.md]\n---\nbody\n"


def test_values_that_need_quotes_are_quoted_and_a_bom_is_kept() -> None:
    out = set_fields("\ufeff---\ntitle: x\n---\nbody\n", {"hero_alt": "説明: 夜の港 #1", "code": "yes"}, PATH)
    assert out.startswith("\ufeff---\n")
    assert yaml.safe_load(out[1:].split("---\n")[1]) == {"title": "x", "hero_alt": "説明: 夜の港 #1", "code": "yes"}


def test_flow_mappings_stay_flow_and_block_lists_stay_block() -> None:
    text = "---\nai: {text: true}\ntags:\n  - a\n---\nbody\n"
    out = set_fields(text, {"ai": {"text": True, "image": "m"}, "tags": ["a", "b"]}, PATH)
    assert out == "---\nai: {text: true, image: m}\ntags:\n- a\n- b\n---\nbody\n"


def test_a_header_that_cannot_be_edited_is_refused() -> None:
    with pytest.raises(PublisherError, match="no frontmatter"):
        set_fields("just text\n", {"hero": "a.png"}, PATH)
    with pytest.raises(PublisherError, match="not closed"):
        set_fields("---\ntitle: x\n", {"hero": "a.png"}, PATH)
    with pytest.raises(PublisherError, match="not valid YAML"):
        set_fields("---\ntitle: [x\n---\n", {"hero": "a.png"}, PATH)
