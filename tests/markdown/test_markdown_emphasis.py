"""CJK-friendly emphasis: bold next to CJK punctuation works; Latin keeps CommonMark's rules."""

import pytest

from publisher.markdown import render_markdown


@pytest.mark.parametrize("source, expected", [
    ("> **保税区とは、**輸入した貨物を保管する区域。", "<strong>保税区とは、</strong>輸入した"),
    ("これは**「重要」**です。", "これは<strong>「重要」</strong>です。"),
    ("> **产业集群是指**在特定地区集聚的企业群。", "<strong>产业集群是指</strong>在特定"),
    ("这是**“关键”**一步。", "这是<strong>“关键”</strong>一步。"),
    ("~~旧制度、~~新制度", "<s>旧制度、</s>新制度"),
    ("*注意：*本文", "<em>注意：</em>本文"),
])
def test_emphasis_next_to_cjk_punctuation(source, expected):
    assert expected in render_markdown(source, lang="ja").html


@pytest.mark.parametrize("source, expected", [
    ("**foo,**bar", "<p>**foo,**bar</p>"),  # CommonMark: not right-flanking
    ("snake_case_name", "<p>snake_case_name</p>"),
    ("a**b**c", "<p>a<strong>b</strong>c</p>"),
    ("**bold** text", "<p><strong>bold</strong> text</p>"),
])
def test_latin_emphasis_unchanged(source, expected):
    assert render_markdown(source, lang="ja").html.strip() == expected
