"""The shared parser: built once, CommonMark behaviour, safe to call concurrently."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from markupsafe import Markup

from publisher.markdown import RenderedBody, render_markdown
from publisher.markdown.parser import get_parser


def test_parser_is_built_once():
    assert get_parser() is get_parser()


def test_returns_markup():
    body = render_markdown("本文。", lang="ja")
    assert isinstance(body, RenderedBody)
    assert isinstance(body.html, Markup)
    assert body.headings == ()


def test_commonmark_with_raw_html_tables_and_strikethrough(html):
    allowed = render_markdown('<div class="note">生の HTML</div>\n', lang="ja", raw_html=True).html
    assert allowed == '<div class="note">生の HTML</div>\n'  # `[markdown] raw_html = "allow"`
    assert html('<div class="note">生の HTML</div>\n') == '<p>&lt;div class=&#34;note&#34;&gt;生の HTML&lt;/div&gt;</p>\n'
    assert html("~~旧~~新") == "<p><s>旧</s>新</p>\n"
    assert "<table>" in html("| a |\n| - |\n| b |")
    assert html("- 項目一\n- 項目二") == "<ul>\n<li>項目一</li>\n<li>項目二</li>\n</ul>\n"


def test_calls_do_not_share_state():
    sources = [
        (f"## 見出し{i}\n\n## 見出し{i}\n\n| a |\n| - |\n| {i} |\n\n本文[^1]\n\n[^1]: 注{i}", lang)
        for i in range(20)
        for lang in ("ja", "zh")
    ]
    expected = [render_markdown(src, lang=lang) for src, lang in sources]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda args: render_markdown(args[0], lang=args[1]), sources * 3))
    assert got == expected * 3
    assert [h.id for h in expected[0].headings] == ["見出し0", "見出し0-1"]
    assert 'aria-label="表1"' in expected[0].html and 'aria-label="表格1"' in expected[1].html
