"""Section headings broken by hand in legacy exports are joined: while a bracket is unclosed, and a short
continuation line right before the section's first point. Made-up exports (no seed text)."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest
from importer.conftest import options
from importer.test_body import blocks
from support.factory import make_site

from publisher.config import load_config
from publisher.importer import import_pages
from publisher.importer.model import BlockKind

SECTION, PARAGRAPH = BlockKind.SECTION, BlockKind.PARAGRAPH


@pytest.mark.parametrize(("text", "heading"), [
    ("1. 内陸都市の物流(保税区と\n中欧班列)を読む\n①本文は\nここ。", "1. 内陸都市の物流(保税区と中欧班列)を読む"),
    ("1. 販路の選び方「代理店か\n直販か」\n①本文。", "1. 販路の選び方「代理店か直販か」"),
    ("1. 現地法人の設立【手続きと\n期間の\n目安】\n①本文。", "1. 現地法人の設立【手続きと期間の目安】"),
    ("1. 沿岸だけを見ていると\n見落とすもの\n①本文。", "1. 沿岸だけを見ていると見落とすもの"),
    ("1. 五つの都市が\n選ばれた理由\n【特徴❶】蘇州\n(部品の街)\n①本文。", "1. 五つの都市が選ばれた理由"),
])
def test_a_heading_continued_on_the_next_lines_is_joined(text: str, heading: str) -> None:
    found = blocks(text)
    assert found[0] == (SECTION, heading)
    assert all(kind is not PARAGRAPH or not text.startswith(("中欧", "直販", "期間", "見落とす", "選ばれた"))
               for kind, text in found[1:])


@pytest.mark.parametrize("text", [
    "1. 概要\n本文は普通の段落で、\n続く。\n\n①点。",     # a paragraph, not a continuation
    "1. 見出し\n短い文で終わる。\n①点。",                 # a sentence
    "1. 見出し\n\n続きに見える行\n①点。",                  # a blank line first: a paragraph
    "1. 見出し\n②点が先に来る。",
    "1. 見出し\n↓\n①点。",
])
def test_lines_that_are_not_continuations_stay_apart(text: str) -> None:
    assert blocks(text)[0][0] is SECTION
    assert blocks(text)[0][1] == "1. " + text.split("\n")[0][3:]


def test_an_unclosed_bracket_does_not_swallow_the_first_point() -> None:
    found = blocks("1. 見出し(閉じ忘れ\n①本文。")
    assert found[0] == (SECTION, "1. 見出し(閉じ忘れ")
    assert found[1] == (PARAGRAPH, "①本文。")


def test_a_made_up_export_imports_whole_headings(tmp_path: Path) -> None:
    export = tmp_path / "export.txt"
    export.write_text(
        "【中国T09】 内陸の物流拠点を選ぶ 2つの視点2026.02.10\n"
        "1. 保税区の使い方(越境ECと\n一般貿易)の違い\n"
        "①越境ECでは保税区に在庫を\n置いて発送する。\n\n"
        "2. 鉄道輸送を組み合わせる\nときの注意\n"
        "①中欧班列は日数が読み\nやすい。\n", encoding="utf-8")
    config = load_config(make_site(tmp_path / "site", {}))
    (file,) = import_pages(config, [export], options()).files
    assert file.page.sections == ("1. 保税区の使い方(越境ECと一般貿易)の違い", "2. 鉄道輸送を組み合わせるときの注意")
    body = frontmatter.load(file.written).content
    assert "## 1. 保税区の使い方(越境ECと一般貿易)の違い\n\n①越境ECでは保税区に在庫を置いて発送する。" in body
    assert "## 2. 鉄道輸送を組み合わせるときの注意\n\n①中欧班列は" in body
