"""House-style blocks: flow marker, callouts, points, scrolling tables."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("lang", "spoken"), [("ja", "したがって"), ("zh", "因此"), ("en", "therefore")])
def test_flow_marker(html, lang, spoken):
    out = html("前の段落。\n\n↓\n\n次の段落。", lang)
    assert out == (
        "<p>前の段落。</p>\n"
        '<p class="flow"><span class="flow-arrow" aria-hidden="true">↓</span>'
        f'<span class="flow-label visually-hidden">{spoken}</span></p>\n'
        "<p>次の段落。</p>\n"
    )


@pytest.mark.parametrize("source", ["↓ だから", "上がる↓", "⇓"])
def test_arrow_inside_text_is_not_a_flow_marker(html, source):
    assert 'class="flow"' not in html(source)


@pytest.mark.parametrize(
    ("source", "lang"),
    [
        ("> **DX とは、** デジタル技術で\n> 仕事の進め方を変えること。", "ja"),
        ("> **数字化转型是指**利用数字技术\n> 改变工作方式。", "zh"),
    ],
)
def test_block_quote_is_term_callout(html, source, lang):
    out = html(source, lang)
    assert out.startswith('<div class="callout callout-term" role="note">\n<p><strong>')
    assert out.endswith("</p>\n</div>\n")
    assert "blockquote" not in out


@pytest.mark.parametrize(
    ("source", "lang"),
    [("> ■ まとめ\n>\n> 要点を二つ挙げる。", "ja"), ("> **■ 总结**\n>\n> 两个要点。", "zh")],
)
def test_block_quote_starting_with_square_is_summary(html, source, lang):
    out = html(source, lang)
    assert out.startswith('<div class="callout callout-summary" role="note">\n<p>')
    assert out.count("<p>") == 2 and out.endswith("</p>\n</div>\n")


@pytest.mark.parametrize(("text", "lang"), [("■ まとめ:順番が大事。", "ja"), ("■ 总结：顺序很重要。", "zh")])
def test_top_level_square_paragraph_is_summary(html, text, lang):
    out = html(f"前文。\n\n{text}\n\n後文。", lang)
    assert out == (
        "<p>前文。</p>\n"
        f'<div class="callout callout-summary" role="note">\n<p>{text}</p>\n</div>\n'
        "<p>後文。</p>\n"
    )


def test_square_inside_text_or_list_is_not_a_callout(html):
    assert "callout" not in html("記号■は見出しではない。")
    assert "callout" not in html("- ■ 項目\n- 次の項目")


@pytest.mark.parametrize(
    ("source", "lang"),
    [
        ("①成長の結果:\n設計拠点が増えた。", "ja"),
        ("⑳最後の点。", "ja"),
        ("⑴ 在展会上确认反应。", "zh"),
        ("**②理由**：人才政策。", "zh"),
    ],
)
def test_point_paragraphs(html, source, lang):
    assert html(source, lang).startswith('<p class="point">')


@pytest.mark.parametrize("source", ["本文①を参照。", "❶ 丸数字(黒)は対象外。", "1. 番号付きリスト"])
def test_not_point_paragraphs(html, source):
    assert 'class="point"' not in html(source)


def test_point_inside_callout(html):
    out = html("> ①用語の一つ目。")
    assert '<div class="callout callout-term" role="note">\n<p class="point">①' in out


TABLE = "| 都市 | 分野 |\n| --- | --- |\n| 蘇州 | 半導体 |\n"


@pytest.mark.parametrize(("lang", "labels"), [("ja", ["表1", "表2"]), ("zh", ["表格1", "表格2"])])
def test_tables_scroll_in_a_labelled_region(html, lang, labels):
    out = html(f"{TABLE}\n本文。\n\n{TABLE}", lang)
    for label in labels:
        assert f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">\n<table>' in out
    assert out.count("</table>\n</div>\n") == 2


def test_site_labels_override_the_defaults(html):
    """A site's configured wording (e.g. for a new language) is what screen readers get."""
    labels = {"flow": "donc", "table": "Tableau {n}", "footnotes": "Notes", "footnote_back": "Retour au texte"}
    out = html("A\n\n↓\n\n| a |\n| - |\n| b |\n\nB[^1]\n\n[^1]: n\n", "fr", labels=labels)
    assert "donc</span>" in out
    assert 'aria-label="Tableau 1"' in out
    assert 'aria-label="Notes"' in out
    assert 'aria-label="Retour au texte"' in out
