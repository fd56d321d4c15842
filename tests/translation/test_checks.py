"""Checks of a model's reply: numbers, markers, structure, glossary, untrusted output."""

from publisher.translation.checks import check_reply, markers, numbers
from publisher.translation.glossary import Term


def test_numbers_normalise_full_width_separators_and_man_oku() -> None:
    assert numbers("売上は１２．５％、3,500社、9.60万社、2億円") == {12.5, 3500, 96000, 200000000}
    assert numbers("9.6万家、3500家、2亿日元、12.5%") == {96000, 3500, 200000000, 12.5}
    assert numbers("⟦12⟧だけ") == set()


def test_same_numbers_written_differently_pass() -> None:
    assert check_reply("約3,500社、2026年4月1日", "约3500家，2026年4月1日", kind="paragraph", terms=()) == []


def test_changed_number_is_reported() -> None:
    problems = check_reply("約3,500社", "约3600家", kind="paragraph", terms=())
    assert problems and "3500" in problems[0]


def test_markers_must_stay_in_order() -> None:
    assert markers("### 【特徴❶】速さ ①②↓■") == ["【", "❶", "】", "①", "②", "↓", "■"]
    assert check_reply("①まず", "首先", kind="paragraph", terms=())[0].startswith("the markers")
    assert check_reply("### 【特徴❶】速さ", "### 【特点❶】速度", kind="heading3", terms=()) == []


def test_block_type_and_heading_level_must_match() -> None:
    assert "structure" in check_reply("## 見出し", "### 标题", kind="heading2", terms=())[0]
    assert "structure" in check_reply("段落です。", "段落。\n\n第二段。", kind="paragraph", terms=())[0]
    assert check_reply("- 甲\n- 乙", "- 甲\n- 乙", kind="bullet_list", terms=()) == []


def test_html_links_and_urls_the_source_lacks_are_untrusted() -> None:
    for reply in ("正文<script>alert(1)</script>", "见[这里](https://evil.example)", "访问 https://evil.example",
                  "<img src=x onerror=alert(1)>"):
        assert any("HTML, a link or a URL" in p for p in check_reply("本文", reply, kind="paragraph", terms=()))


def test_glossary_terms_must_be_used() -> None:
    term = Term("日系企業", "日资企业", "")
    assert check_reply("日系企業の話", "日本企业的故事", kind="paragraph", terms=(term,)) == [
        "glossary: translate '日系企業' as '日资企业'"]
    assert check_reply("日系企業の話", "日资企业的故事", kind="paragraph", terms=(term,)) == []


def test_fields_must_stay_on_one_line() -> None:
    assert check_reply("題名", "标题\n第二行", kind=None, terms=()) == ["a frontmatter field must stay on one line"]


def test_markup_the_source_already_had_is_not_untrusted() -> None:
    assert check_reply("www.example.jp を見る", "请看 www.example.jp", kind="paragraph", terms=()) == []
    assert check_reply("www.example.jp を見る", "请看 www.example.jp 和 www.evil.example", kind="paragraph",
                       terms=())


def test_list_items_and_table_rows_are_counted() -> None:
    assert "got bullet_list×1" in check_reply("- 甲\n- 乙", "- 甲乙", kind="bullet_list", terms=())[0]
    table = "| a | b |\n| --- | --- |\n| 1 | 2 |"
    assert check_reply(table, table, kind="table", terms=()) == []
    assert "table×" in check_reply(table, "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |", kind="table",
                                   terms=())[-1]
