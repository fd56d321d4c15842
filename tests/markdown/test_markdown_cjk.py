"""Soft line breaks: dropped between CJK characters, kept elsewhere."""

from __future__ import annotations

import pytest

from publisher.markdown import render_markdown
from publisher.markdown.cjk import is_cjk, joins_without_space


@pytest.mark.parametrize(
    ("source", "lang", "expected"),
    [
        ("日本の企業は\n海外に出る。", "ja", "<p>日本の企業は海外に出る。</p>\n"),
        ("中国的城市\n发展很快。", "zh", "<p>中国的城市发展很快。</p>\n"),
        # punctuation, brackets, full-width forms, circled numbers on either side
        ("次の点、\n「市場」\n（重要）\n①と②", "ja", "<p>次の点、「市場」（重要）①と②</p>\n"),
        ("以下几点：\n【重点】\n❶项目", "zh", "<p>以下几点：【重点】❶项目</p>\n"),
        # across inline markup
        ("**強調**\n次の行", "ja", "<p><strong>強調</strong>次の行</p>\n"),
        ("前の行\n*次の行*", "ja", "<p>前の行<em>次の行</em></p>\n"),
        ("[链接](https://example.com/)\n后面", "zh", '<p><a href="https://example.com/">链接</a>后面</p>\n'),
    ],
)
def test_softbreak_between_cjk_vanishes(html, source, lang, expected):
    assert html(source, lang) == expected


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_softbreak_between_latin_words_stays(html, lang):
    assert html("Cloud services\nare common.", lang) == "<p>Cloud services\nare common.</p>\n"


@pytest.mark.parametrize(
    ("source", "lang"),
    [("日本語\nEnglish", "ja"), ("English\n日本語", "ja"), ("中文\nAI", "zh"), ("2025\n年", "zh")],
)
def test_softbreak_between_cjk_and_latin_stays(html, source, lang):
    before, after = source.split("\n")
    assert html(source, lang) == f"<p>{before}\n{after}</p>\n"


def test_code_span_counts_by_its_text(html):
    assert html("`code`\n次", "ja") == "<p><code>code</code>\n次</p>\n"
    assert html("`設定`\n次", "ja") == "<p><code>設定</code>次</p>\n"


@pytest.mark.parametrize(("source", "lang"), [("一行目  \n二行目", "ja"), ("第一行\\\n第二行", "zh")])
def test_hard_breaks_untouched(html, source, lang):
    assert "<br>\n" in html(source, lang)


def test_shared_punctuation_joins_only_next_to_cjk(html):
    assert html("蘇州(江蘇省)\nの例", "ja") == "<p>蘇州(江蘇省)の例</p>\n"
    assert html("企业\n(日资)", "zh") == "<p>企业(日资)</p>\n"
    assert html("(see above)\nnext", "ja") == "<p>(see above)\nnext</p>\n"
    assert html("他说：“好”\n然后", "zh") == "<p>他说：“好”然后</p>\n"
    assert html("He said “yes”\n“no”", "ja") == "<p>He said “yes”\n“no”</p>\n"


def test_character_classes():
    for ch in "漢かカ、。「」（）【】・ー①⑳⑴❶❿ＡＢ㈱":
        assert is_cjk(ch), ch
    for ch in "aZ1.,()한":
        assert not is_cjk(ch), ch
    assert not joins_without_space(None, "漢")
    assert not joins_without_space("漢", None)


@pytest.mark.parametrize(("source", "html"), [
    ("> **産業クラスターとは、** 特定の産業", "<strong>産業クラスターとは、</strong>特定の産業"),
    ("**保税区とは、**　輸入", "<strong>保税区とは、</strong>輸入"),
    ("「重要」 です。", "「重要」です。"),
    ("これは、 特定の", "これは、特定の"),
    ("结论： 政策", "结论：政策"),
])
def test_no_space_between_cjk_punctuation_and_cjk_text(source: str, html: str) -> None:
    assert html in str(render_markdown(source, lang="ja").html)


@pytest.mark.parametrize(("source", "html"), [
    ("**DX とは、** digital", "<strong>DX とは、</strong> digital"),   # Latin after: the space stays
    ("A, B and C", "A, B and C"),
    ("とは、 `code`", "とは、 <code>code</code>"),
    ("日本 語", "日本 語"),                                            # not after punctuation: as typed
])
def test_spaces_that_stay(source: str, html: str) -> None:
    assert html in str(render_markdown(source, lang="ja").html)
