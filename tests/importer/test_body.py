"""The body rules: hand-made breaks removed, new points start new blocks, house-style blocks recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.importer.body import parse_body
from publisher.importer.compose import body_markdown
from publisher.importer.model import Block, BlockKind, SourceLine
from publisher.importer.reading import clean_line


def parse(text: str) -> tuple[list[Block], list]:
    lines = [clean_line(SourceLine(n, line)) for n, line in enumerate(text.strip("\n").split("\n"), start=1)]
    return parse_body(Path("export.txt"), lines)


def blocks(text: str) -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in parse(text)[0]]


def markdown(text: str) -> str:
    return body_markdown(tuple(parse(text)[0]))


def test_a_word_cut_for_the_phone_is_joined_without_a_space() -> None:
    assert blocks("①越境ECで成果を収め\nる日系企業は、拠点の選び方から\n違っている。") == [
        (BlockKind.PARAGRAPH, "①越境ECで成果を収める日系企業は、拠点の選び方から違っている。"),
    ]


def test_latin_words_cut_for_the_phone_keep_one_space() -> None:
    assert blocks("空港の隣には Cross Border\nHub と呼ばれる施設と\nAI\nlab がある。") == [
        (BlockKind.PARAGRAPH, "空港の隣には Cross Border Hub と呼ばれる施設とAI lab がある。"),
    ]


def test_hand_made_spaces_between_japanese_characters_are_dropped() -> None:
    (_, text), = blocks("沿岸都市だったが、 いまは 内陸の\n都市の比重が 56%に達した。")
    assert text == "沿岸都市だったが、いまは内陸の都市の比重が 56%に達した。"
    assert blocks("⑴ 通関の電子化") == [(BlockKind.PARAGRAPH, "⑴ 通関の電子化")]  # a space after a leading mark stays


@pytest.mark.parametrize("opener", [
    "②次の点として、倉庫の空きを",
    "⑵次の手順として、倉庫の空きを",
    "❷次の点として、倉庫の空きを",
    "【注意】倉庫の空きを",
    "(例❷) 名古屋の部品商社B社",
    "※数値は2025年の推計値。",
])
def test_a_new_point_starts_a_new_paragraph(opener: str) -> None:
    found = blocks(f"①最初の点は\nここまで。\n{opener}\n確認する。")
    assert found[0] == (BlockKind.PARAGRAPH, "①最初の点はここまで。")
    assert found[1][1].startswith(opener.split("、")[0].replace(" ", "")[:4])
    assert found[0][0] is BlockKind.PARAGRAPH
    expected = BlockKind.SUB_BLOCK if opener.startswith("(例") else BlockKind.PARAGRAPH
    assert found[1][0] is expected and all(kind is BlockKind.PARAGRAPH for kind, _ in found[2:])


def test_an_example_title_line_is_a_sub_block_heading() -> None:
    assert blocks("(例❶) 大阪の化粧品メーカーA社\n重慶の倉庫を使い、発送を\n早めた。") == [
        (BlockKind.SUB_BLOCK, "(例❶) 大阪の化粧品メーカーA社"),
        (BlockKind.PARAGRAPH, "重慶の倉庫を使い、発送を早めた。"),
    ]


def test_a_labelled_part_is_followed_by_one_space() -> None:
    assert blocks("①強み:\n航空貨物の取扱量が\n内陸で最大級。") == [
        (BlockKind.PARAGRAPH, "①強み: 航空貨物の取扱量が内陸で最大級。"),
    ]


def test_numbered_lines_become_sections_only_in_order() -> None:
    found = blocks("1. 沿岸だけを見ない\n本文の一行目。\n2. 内陸都市の特徴\n本文。\n1. 途中に出てきた番号付きの行")
    assert found == [
        (BlockKind.SECTION, "1. 沿岸だけを見ない"),
        (BlockKind.PARAGRAPH, "本文の一行目。"),
        (BlockKind.SECTION, "2. 内陸都市の特徴"),
        (BlockKind.PARAGRAPH, "本文。"),
        (BlockKind.PARAGRAPH, "1. 途中に出てきた番号付きの行"),
    ]
    md = markdown("1. 沿岸だけを見ない\n本文。\n1. 途中の行")
    assert md.startswith("## 1. 沿岸だけを見ない\n\n本文。\n\n1\\. 途中の行\n")


def test_sub_block_heading_keeps_its_marker_and_the_tagline_after_it() -> None:
    assert blocks("【特徴❶】鄭州(河南省)\n(空港と鉄道が交わる物流の十字路)\n①強み:\n航空貨物。") == [
        (BlockKind.SUB_BLOCK, "【特徴❶】鄭州(河南省)"),
        (BlockKind.TAGLINE, "(空港と鉄道が交わる物流の十字路)"),
        (BlockKind.PARAGRAPH, "①強み: 航空貨物。"),
    ]
    assert markdown("【成長物語❷】重慶(直轄市)\n(長江上流の拠点)") == (
        "### 【成長物語❷】重慶(直轄市)\n\n(長江上流の拠点)\n")


def test_a_tagline_glued_to_the_heading_and_cut_for_the_phone() -> None:
    assert blocks("【成長物語❾】重慶(直轄市):(長江上流の\n製造と消費を束ねる拠点)\n①強み:\n部品。") == [
        (BlockKind.SUB_BLOCK, "【成長物語❾】重慶(直轄市)"),
        (BlockKind.TAGLINE, "(長江上流の製造と消費を束ねる拠点)"),
        (BlockKind.PARAGRAPH, "①強み: 部品。"),
    ]


def test_a_heading_colon_is_dropped_and_a_plain_circled_ten_is_a_marker_too() -> None:
    assert blocks("【特徴⑩】西安(陝西省):\n（陸の玄関口）") == [
        (BlockKind.SUB_BLOCK, "【特徴⑩】西安(陝西省)"),
        (BlockKind.TAGLINE, "（陸の玄関口）"),
    ]


def test_an_unclosed_tagline_is_kept_as_a_paragraph_and_reported() -> None:
    found, unplaced = parse("【特徴❶】鄭州(河南省)\n(閉じ括弧のない\n①強み:\n航空貨物。")
    assert found[1].kind is BlockKind.PARAGRAPH
    assert unplaced and "does not close its parenthesis" in unplaced[0].message
    assert unplaced[0].line == 2


def test_arrow_lines_become_flow_markers() -> None:
    assert blocks("物流が整った。\n↓\n企業が集まった。") == [
        (BlockKind.PARAGRAPH, "物流が整った。"),
        (BlockKind.FLOW, "↓"),
        (BlockKind.PARAGRAPH, "企業が集まった。"),
    ]
    assert markdown("物流が整った。\n↓\n企業が集まった。") == "物流が整った。\n\n↓\n\n企業が集まった。\n"


def test_square_summary_lines_become_callouts() -> None:
    assert blocks("①本文。\n■ 内陸都市は、物流と産業の\n集積を合わせて選ぶ。") == [
        (BlockKind.PARAGRAPH, "①本文。"),
        (BlockKind.SUMMARY, "■ 内陸都市は、物流と産業の集積を合わせて選ぶ。"),
    ]
    assert markdown("■ 内陸都市を選ぶ。") == "> ■ 内陸都市を選ぶ。\n"


def test_term_explanations_become_callouts() -> None:
    text = "拡大である。\n保税区とは、輸入した貨物を関税を\n納めないまま保管できる区域のこと。"
    assert blocks(text) == [
        (BlockKind.PARAGRAPH, "拡大である。"),
        (BlockKind.TERM, "保税区とは、輸入した貨物を関税を納めないまま保管できる区域のこと。"),
    ]
    assert markdown(text).endswith("> **保税区とは、** 輸入した貨物を関税を納めないまま保管できる区域のこと。\n")
    assert markdown("DX とは、業務をデジタルで作り替えること。") == "> **DX とは、** 業務をデジタルで作り替えること。\n"


def test_a_to_wa_inside_a_running_sentence_is_not_a_callout() -> None:
    assert blocks("大事なのは、品質と\nその違いとは、何かを知ること。") == [
        (BlockKind.PARAGRAPH, "大事なのは、品質とその違いとは、何かを知ること。"),
    ]
    assert blocks("これとは、別の話。") == [(BlockKind.PARAGRAPH, "これとは、別の話。")]


def test_bullets_become_a_list_and_their_cut_lines_are_joined() -> None:
    text = "確認すること。\n・保税倉庫の空きを確認する\n・通関業者を2社以上\n比較する\n・返品の流れを決める"
    found = parse(text)[0]
    assert [b.kind for b in found] == [BlockKind.PARAGRAPH, BlockKind.LIST]
    assert found[1].items == ("保税倉庫の空きを確認する", "通関業者を2社以上比較する", "返品の流れを決める")
    assert markdown(text) == ("確認すること。\n\n- 保税倉庫の空きを確認する\n- 通関業者を2社以上比較する\n"
                              "- 返品の流れを決める\n")


def test_source_notes_become_footnotes_of_the_paragraph_before() -> None:
    text = "試験区は全国に165ある。\n( 参照: 商務部「越境EC総合試験区の発展報告」)"
    found = parse(text)[0]
    assert found == [Block(BlockKind.PARAGRAPH, "試験区は全国に165ある。", 1,
                           footnotes=("参照: 商務部「越境EC総合試験区の発展報告」",))]
    assert markdown(text) == "試験区は全国に165ある。[^1]\n\n[^1]: 参照: 商務部「越境EC総合試験区の発展報告」\n"


def test_related_line_becomes_a_reference_block() -> None:
    assert blocks("最後の段落。\n(参考)現地代理店と長く付き合うための契約の基本") == [
        (BlockKind.PARAGRAPH, "最後の段落。"),
        (BlockKind.REFERENCE, "現地代理店と長く付き合うための契約の基本"),
    ]


def test_markdown_syntax_in_the_text_is_escaped() -> None:
    assert markdown("価格は*特別*で、<b>太字</b>と[リンク]を_含む。") == (
        "価格は\\*特別\\*で、\\<b>太字\\</b>と\\[リンク\\]を\\_含む。\n")
    assert markdown("- で始まる行\n") == "\\- で始まる行\n"
