"""BudouX phrase wrapping for titles and headings."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from publisher.typography import phrase_html, phrase_inline_html, phrase_parser, phrases


def test_japanese_phrases():
    out = phrase_html("地方都市の政策が企業の成長を支える", "ja")
    assert isinstance(out, Markup)
    assert out.startswith('<span class="phrases">') and out.endswith("</span>")
    assert out.count("<wbr>") >= 2
    assert out.replace("<wbr>", "") == '<span class="phrases">地方都市の政策が企業の成長を支える</span>'
    assert "style" not in out


def test_chinese_phrases():
    out = phrase_html("地方城市的政策支持企业成长", "zh-CN")
    assert out.count("<wbr>") >= 2
    assert out.replace("<wbr>", "") == '<span class="phrases">地方城市的政策支持企业成长</span>'


def test_text_is_escaped():
    out = phrase_html("<b>日本&中国</b>の市場", "ja")
    assert "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out


@pytest.mark.parametrize("lang", ["en", "ko", ""])
def test_other_languages_are_only_escaped(lang):
    assert phrase_html("Growth & <policy>", lang) == Markup("Growth &amp; &lt;policy&gt;")


def test_empty_text():
    assert phrase_html("", "ja") == Markup("")


def test_parsers_are_cached():
    assert phrase_parser("ja") is phrase_parser("ja")
    assert phrase_parser("zh") is not phrase_parser("ja")
    assert phrase_parser("fr") is None


def test_no_break_after_opening_or_before_closing_bracket():
    for lang, text in (("zh", "【成长故事❶】合肥(安徽省)"), ("ja", "「政策の光」が照らす（地方都市）")):
        for phrase in phrases(text, lang)[1:]:
            assert phrase[0] not in ")）」】", phrase
        for phrase in phrases(text, lang)[:-1]:
            assert phrase[-1] not in "(（「【", phrase


def test_inline_html_keeps_tags_and_attributes():
    source = '<span class="marker">【成長事例❶】</span>蘇州の<em>設計開発</em>拠点と<a href="/a?x=1&amp;y=2">新しい人材</a>'
    out = phrase_inline_html(source, "ja")
    assert out.startswith('<span class="phrases"><span class="marker">')
    assert "<wbr>" in out
    assert out.replace("<wbr>", "") == f'<span class="phrases">{source}</span>'
    assert "style" not in out


def test_inline_html_never_breaks_inside_code():
    out = phrase_inline_html("設定ファイルの<code>日本語の長いコード名</code>を確認する", "ja")
    code = out.split("<code>")[1].split("</code>")[0]
    assert code == "日本語の長いコード名"


def test_inline_html_other_language_unchanged():
    assert phrase_inline_html("<em>Growth</em> &amp; policy", "en") == Markup("<em>Growth</em> &amp; policy")


# -- words a line never breaks inside -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "whole"), [
    ("第十五次五カ年計画の要点", "ja", "五カ年"),    # BudouX alone: 第十五次五／カ年計画
    ("“一次性”补贴政策", "zh", "一次"),               # BudouX alone: “一／次性
    ("1鎮に1つの産業を育てる", "ja", "1つ"),          # BudouX alone: 1鎮に1／つの
    ("30社が集まる", "ja", "30社"),
    ("売上は15%増えた", "ja", "15%"),
])
def test_no_break_inside_a_number_and_its_counter(text: str, lang: str, whole: str) -> None:
    found = phrases(text, lang)
    assert "".join(found) == text
    assert any(whole in phrase for phrase in found), found


@pytest.mark.parametrize(("text", "lang", "word"), [
    ("“一次性”补贴政策", "zh", "一次性"),
    ("三つの成長事例", "ja", "成長事例"),
    ("第十五次五カ年計画の要点", "ja", "第十五次五カ年計画"),
])
def test_no_break_inside_a_word_to_keep_together(text: str, lang: str, word: str) -> None:
    found = phrases(text, lang, keep=(word, "関係のない語"))
    assert any(word in phrase for phrase in found), found
    assert str(phrase_html(text, lang, (word,))).count("<wbr>") == len(found) - 1


def test_glossary_terms_and_the_config_list_reach_the_headings(tmp_path) -> None:
    from support.factory import make_site

    from publisher.config import load_config
    from publisher.markdown import render_markdown

    config_path = make_site(tmp_path, {})
    (tmp_path / "glossary.csv").write_text("ja,zh,note\n成長事例,成长案例,\n", encoding="utf-8")
    text = config_path.read_text("utf-8").replace('[languages.ja]\n', '[languages.ja]\nkeep_together = ["一次性"]\n')
    config_path.write_text(text, encoding="utf-8")
    ja = load_config(config_path).language("ja")
    assert {"成長事例", "一次性"} <= set(ja.keep_together)
    html = str(render_markdown("## 2. 三つの成長事例\n", lang="ja", keep_together=ja.keep_together).html)
    assert "成長事例" in html and "成長事<wbr>例" not in html
