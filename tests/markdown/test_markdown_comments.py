"""HTML comments (source markers, writers' notes) never reach the reader: not the page, not the PDF."""

from __future__ import annotations

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

from publisher.markdown import render_markdown
from support.factory import article, make_site

MARKED_BODY = """\
## 1. 市場の規模

### 【特徴❶】物流の速さ
<!-- note: tagline below is from the brief -->
(港から工場まで1時間)

深圳の日系企業は約1,200社ある。
<!-- source: sources/report.txt#L10-L14 -->

②売上は前年比8%伸びた<!-- source: sources/report.txt#L20 -->。

<!--
  A note between writers,
  over several lines.
-->

■ まとめ: 物流が強みになる。

<!-- source: sources/notes.md#L3-L5, sources/report.txt#p.2 -->
"""

SECRET_WORDS = ("source:", "sources/", "note:", "writers", "<!--", "-->")


def test_comment_blocks_and_inline_comments_are_dropped(html) -> None:
    out = html(MARKED_BODY)
    for word in SECRET_WORDS:
        assert word not in out, word
    # The blocks around a comment meet as if it were not there: the tagline still belongs to its heading.
    assert '<p class="tagline">(港から工場まで1時間)</p>' in out
    assert "<p>深圳の日系企業は約1,200社ある。</p>" in out
    # An inline comment leaves no gap in Japanese text.
    assert "売上は前年比8%伸びた。</p>" in out
    assert out.count('class="callout callout-summary"') == 1


def test_comments_inside_other_html_are_cut_out_and_unclosed_ones_hide_the_rest(html) -> None:
    out = render_markdown('<div class="box">見える<!-- 見えない --></div>\n\n本文。\n\n<!-- 閉じていない\n\n残り。\n',
                          lang="ja", raw_html=True).html  # a site that allows raw HTML
    assert '<div class="box">見える</div>' in out
    assert "見えない" not in out and "閉じていない" not in out and "残り" not in out
    assert "<p>本文。</p>" in out


def test_a_comment_like_text_in_code_is_kept(html) -> None:
    out = html("`<!-- code -->`\n\n```\n<!-- fenced -->\n```\n")
    assert "&lt;!-- code --&gt;" in out and "&lt;!-- fenced --&gt;" in out


def test_markers_appear_neither_on_the_web_page_nor_in_the_pdf(tmp_path) -> None:
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.render import render_article_pdf
    from publisher.site.build import BuildOptions, build_site

    now = datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    config_path = make_site(tmp_path / "site", {"marked": {"ja.md": article("出典つきの記事", MARKED_BODY)}})
    config = load_config(config_path)
    report = build_site(config, BuildOptions(now=now, out_dir=tmp_path / "out"))
    page = (report.out_dir / "ja" / "marked" / "index.html").read_text("utf-8")
    assert "深圳の日系企業は約1,200社ある。" in page
    for word in SECRET_WORDS:
        assert word not in page, word

    site = load_site(config).site
    pdf = tmp_path / "marked.pdf"
    pdf.write_bytes(render_article_pdf(config, site, site.article("marked"), "ja", now=now))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "1,200" in text
    for word in ("source", "sources/", "report.txt", "writers"):
        assert word not in text, word
