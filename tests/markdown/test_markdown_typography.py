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
