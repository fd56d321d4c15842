"""Each house-style rule of `publish check` on the body: the slip is a warning at its exact line with the
fix; the correct Markdown next to it (the false-positive cases) gives none."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.house_style import body_warnings

PATH = Path("articles/a/ja.md")
BODY_LINE = 10
"""Body line 0 is file line 10 (as after a nine-line frontmatter block)."""


def warnings(body: str, *, published: bool = False, lang: str = "ja") -> list[tuple[int, str, str]]:
    return [(p.line - BODY_LINE, p.field, p.message)
            for p in body_warnings(PATH, body, BODY_LINE, lang, published=published)]


def lines_and_fields(body: str, **kwargs) -> list[tuple[int, str]]:
    return [(line, field) for line, field, _ in warnings(body, **kwargs)]


def test_every_warning_is_located_and_formatted_like_other_problems() -> None:
    (problem,) = body_warnings(PATH, "①一つ目。\n②二つ目。\n", BODY_LINE, "ja")
    assert problem.severity == "warning"
    assert problem.format() == (f"{PATH}:11: point: warning: `②` follows the line above without a blank line, "
                                "so it is shown as part of the previous paragraph; add a blank line before this line")


# -- circled-number points -------------------------------------------------------------------------------

def test_point_right_after_the_previous_one() -> None:
    assert lines_and_fields("## 1. 節\n\n①一つ目の点。\n②二つ目の点。\n③三つ目。\n") == [(3, "point"), (4, "point")]


def test_point_in_a_block_quote_and_a_list_item() -> None:
    assert lines_and_fields("> ①一つ目。\n> ②二つ目。\n\n- ①項目\n  ②続き\n") == [(1, "point"), (4, "point")]


@pytest.mark.parametrize("body", [
    "①一つ目の点。\n\n②二つ目の点。\n",                        # blank line between: right
    "①成長の結果: 伸びた。\n\n②理由と背景: 政策。\n",
    "本文では ① と\n② を比べる。\n".replace("\n② を", "\n比べる ② を"),  # a circled number inside a line
    "```\n①一つ目\n②二つ目\n```\n",                            # code is left alone
    "| 列 |\n| --- |\n| ①a |\n| ②b |\n",                      # table cells are not paragraphs
])
def test_points_written_right_give_no_warning(body: str) -> None:
    assert warnings(body) == []


# -- flow marker ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "line", "side"), [
    ("政策の重点を読む。↓\n\n次の段落。\n", 0, "end"),
    ("前の段落。\n\n↓次に、計画へ取り込む。\n", 2, "start"),
])
def test_flow_marker_glued_to_a_sentence(body: str, line: int, side: str) -> None:
    ((found_line, field, message),) = warnings(body)
    assert (found_line, field) == (line, "flow marker")
    assert f"glued to the {side} of a sentence" in message and "blank line before and after" in message


def test_flow_marker_on_its_own_line_but_inside_a_paragraph() -> None:
    assert lines_and_fields("前の段落。\n↓\n次の段落。\n") == [(1, "flow marker")]


@pytest.mark.parametrize("body", [
    "前の段落。\n\n↓\n\n次の段落。\n",
    "価格↓の局面でも需要は底堅い。\n",          # an arrow inside a sentence is text
    "> 前の段落。\n>\n> ↓\n>\n> 次。\n",
    "- 売上↓\n- 利益↑\n",                          # list items are not flow markers
])
def test_flow_markers_written_right_give_no_warning(body: str) -> None:
    assert warnings(body) == []


def test_summary_mark_run_into_the_paragraph_above() -> None:
    assert lines_and_fields("③最後の点。\n■ まとめ。\n") == [(1, "summary box")]
    assert warnings("③最後の点。\n\n■ まとめ。\n") == []


# -- numbered sections --------------------------------------------------------------------------------------

def test_numbered_section_without_hashes() -> None:
    body = "## 2. 前の節\n\n本文。\n\n3. 候補を絞り込む手順\n\n①本文。\n"
    ((line, field, message),) = warnings(body)
    assert (line, field) == (4, "section")
    assert "`3. 候補を絞り込む手順`" in message and "write `## 3. 候補を絞り込む手順`" in message
    assert "table of contents" in message


@pytest.mark.parametrize("body", [
    "1. 手順を決める\n2. 担当を決める\n3. 期限を決める\n",             # a real ordered list
    "手順:\n\n1. 工場の候補を三つに絞り、現地で確認する。\n",          # one item, but a sentence
    "## 3. 候補を絞り込む手順\n\n本文。\n",
    "- 1. 入れ子\n",
    "> 1. 引用の中\n",
    "1. 一つ目の項目で、説明が二行に\n   わたって続く\n",
])
def test_ordered_lists_that_are_lists_give_no_warning(body: str) -> None:
    assert warnings(body) == []


# -- sub-blocks and taglines ----------------------------------------------------------------------------------

@pytest.mark.parametrize("first", ["【特徴❶】鄭州(河南省)", "(例❶) 大阪の化粧品メーカーA社", "（例❷）部品商社B社"])
def test_sub_block_line_without_hashes(first: str) -> None:
    ((line, field, message),) = warnings(f"## 1. 節\n\n{first}\n\n本文。\n")
    assert (line, field) == (2, "sub-block")
    assert f"write it as `### {first}`" in message


@pytest.mark.parametrize("body", [
    "### 【特徴❶】鄭州(河南省)\n\n(物流の要)\n\n本文。\n",
    "### (例❶) 大阪の化粧品メーカーA社\n\n本文。\n",
    "【注意】期限は守る。\n",                          # brackets without a sub-block number
    "本文で【特徴❶】に触れる。\n",                   # mentioned inside a sentence
    "(例えば、上海の場合)\n",
])
def test_sub_blocks_written_right_give_no_warning(body: str) -> None:
    assert warnings(body) == []


def test_tagline_with_an_unclosed_parenthesis() -> None:
    body = "### 【特徴❶】鄭州(河南省)\n\n(中国の物流の\n要となる内陸都市\n\n①本文。\n"
    ((line, field, message),) = warnings(body)
    assert (line, field) == (2, "tagline")
    assert "never closes it" in message and "end it with `)`" in message
    assert "end it with `）`" in warnings("### 【特徴❶】鄭州\n\n（物流の要\n")[0][2]


@pytest.mark.parametrize("tagline", ["(物流の要)", "（物流の要）", "(シルクロード(陸路)の起点)", "（物流の要)"])
def test_closed_taglines_give_no_warning(tagline: str) -> None:
    assert warnings(f"### 【特徴❶】鄭州\n\n{tagline}\n\n本文。\n") == []


def test_a_parenthesis_after_an_ordinary_heading_is_not_a_tagline() -> None:
    assert warnings("### まとめ\n\n(これは注記で、\n閉じていない\n") == []


# -- empty sections (published pages only) --------------------------------------------------------------------

def test_empty_section_in_a_published_page() -> None:
    body = "## 1. 前半\n\n本文。\n\n## 2. 空の節\n\n## 3. 後半\n\n本文。\n\n## 4. 最後\n\n[^1]: 参照: 資料\n"
    found = warnings(body, published=True)
    assert [(line, field) for line, field, _ in found] == [(4, "section"), (10, "section")]
    assert "the section `## 2. 空の節` is empty" in found[0][2]
    assert warnings(body) == []  # a draft may still be filling its sections in


def test_sections_with_only_sub_blocks_are_not_empty() -> None:
    body = "## 2. 五つの都市\n\n### 【成長物語❶】合肥\n\n(先端の街)\n\n本文。\n"
    assert warnings(body, published=True) == []
    assert lines_and_fields("## 2. 節\n\n### 【特徴❶】空\n\n## 3. 次\n\n本文。\n", published=True) == [(2, "section")]


def test_chinese_body() -> None:
    assert lines_and_fields("①第一点。\n②第二点。\n", lang="zh") == [(1, "point")]
