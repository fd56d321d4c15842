"""Heading ids, the TOC data, `【…】` markers, taglines, phrase wrapping."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from publisher.markdown import Heading, render_markdown
from publisher.markdown.headings import slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("1. 地図より「潮目」を読む", "1-地図より潮目を読む"),
        ("【成長事例❶】蘇州(江蘇省)", "成長事例1蘇州江蘇省"),
        ("【成长案例❷】成都（四川省）", "成长案例2成都四川省"),
        ("なぜ？ 今：DX・AI！", "なぜ-今dxai"),
        ("Why DX? A Primer", "why-dx-a-primer"),
        ("ＤＸ　の基本", "dx-の基本"),
        ("①準備と⑵実行", "1準備と2実行"),
        ("a - b", "a-b"),
        ("snake_case", "snake_case"),
        ("「」、。", "section"),
        ("", "section"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_is_stable():
    assert slugify("2. 政策の追い風") == slugify("2. 政策の追い風") == "2-政策の追い風"


def test_ids_are_unique_in_order_and_explicit_wins(html):
    source = "## 概要\n\n## 概要\n\n## 概要\n\n## 別 {#gaiyo}\n\n## 重复 {#gaiyo}\n\n### gaiyo\n"
    body = render_markdown(source, lang="ja")
    assert [h.id for h in body.headings] == ["概要", "概要-1", "概要-2", "gaiyo", "gaiyo-1", "gaiyo-2"]
    assert '<h2 id="gaiyo"><span class="phrases">別</span></h2>' in body.html
    assert "{#" not in body.html


def test_generated_id_avoids_later_explicit_id():
    body = render_markdown("## Summary\n\n## 结论 {#summary}\n", lang="zh")
    assert [h.id for h in body.headings] == ["summary-1", "summary"]


def test_escaped_braces_are_not_an_id():
    body = render_markdown("## 見出し \\{#x}\n", lang="ja")
    assert body.headings[0].id == "見出し-x"
    assert body.headings[0].text == "見出し {#x}"


def test_empty_slug_falls_back_to_section():
    body = render_markdown("## 「」\n\n## ！？\n", lang="ja")
    assert [h.id for h in body.headings] == ["section", "section-1"]


def test_toc_data_lists_h2_and_h3_only():
    source = "# 題\n\n## 1. 概要 *重要*\n\n### 細目\n\n#### 小見出し\n\n## 2. 次\n"
    body = render_markdown(source, lang="ja")
    assert body.headings == (
        Heading(2, "1-概要-重要", "1. 概要 重要", Markup("1. 概要 <em>重要</em>")),
        Heading(3, "細目", "細目", Markup("細目")),
        Heading(2, "2-次", "2. 次", Markup("2. 次")),
    )
    assert '<h4 id="小見出し">' in body.html  # deeper headings still get ids
    assert all(isinstance(h.html, Markup) for h in body.headings)


def test_toc_html_drops_links_and_footnote_refs():
    source = "## 出典[^1]と[リンク](https://example.com/)\n\n[^1]: 注。\n"
    body = render_markdown(source, lang="ja")
    heading = body.headings[0]
    assert heading.html == Markup("出典とリンク")
    assert heading.text == "出典とリンク"
    assert '<a href="https://example.com/">' in body.html  # the body keeps the link


@pytest.mark.parametrize(
    ("source", "lang", "marker"),
    [
        ("### 【成長事例❶】蘇州(江蘇省)", "ja", "【成長事例❶】"),
        ("### 【成长案例❶】苏州(江苏省)", "zh", "【成长案例❶】"),
    ],
)
def test_marker_span(html, source, lang, marker):
    out = html(source, lang)
    assert f'<span class="marker">{marker}</span>' in out.replace("<wbr>", "")
    body = render_markdown(source, lang=lang)
    assert body.headings[0].html.startswith(Markup(f'<span class="marker">{marker}</span>'))


def test_marker_only_at_start(html):
    assert 'class="marker"' not in html("### 蘇州【注】\n")


@pytest.mark.parametrize(
    ("source", "lang", "tagline"),
    [
        ("### 【成長事例❶】蘇州(江蘇省)\n(部品の町から設計の町へ)\n", "ja", "(部品の町から設計の町へ)"),
        ("### 【成長事例❷】成都\n\n（内陸の消費の中心）\n", "ja", "（内陸の消費の中心）"),
        ("### 【成长案例❶】苏州\n(从零件之城到设计之城)\n", "zh", "(从零件之城到设计之城)"),
        ("### 【成长案例❷】成都\n（内陆的消费中心）\n", "zh", "（内陆的消费中心）"),
    ],
)
def test_tagline_grouped_with_heading(html, source, lang, tagline):
    out = html(source, lang)
    assert out.startswith("<hgroup>\n<h3 id=")
    assert out.endswith(f'</h3>\n<p class="tagline">{tagline}</p>\n</hgroup>\n')


@pytest.mark.parametrize(
    "paragraph",
    ["(a) と (b)", "(注) 本文が続く", "本文(注)", "（未閉じ", "(混在）"],
)
def test_not_a_tagline(html, paragraph):
    out = html(f"### 見出し\n\n{paragraph}\n")
    assert "<hgroup>" not in out and "tagline" not in out


def test_heading_content_is_phrase_wrapped(html):
    out = html("## 政策の追い風に乗る日系企業\n")
    assert out.startswith('<h2 id="政策の追い風に乗る日系企業"><span class="phrases">')
    assert "<wbr>" in out
    assert out.replace("<wbr>", "") == (
        '<h2 id="政策の追い風に乗る日系企業"><span class="phrases">政策の追い風に乗る日系企業</span></h2>\n'
    )
    assert "style=" not in out


def test_heading_phrase_wrapping_keeps_inline_markup(html):
    out = html("## 中国市场的 `API` 与 *数字化* 转型\n", "zh")
    assert "<code>API</code>" in out and "<em>" in out and "</em>" in out
    assert out.replace("<wbr>", "").count("<span") == out.replace("<wbr>", "").count("</span>")
