"""Images (URL mapping, lazy loading) and footnotes."""

from __future__ import annotations

import pytest


def page_url(name: str) -> str:
    return f"/ja/sample/{name}"


def test_relative_image_goes_through_image_url(html):
    out = html("![蘇州の工業団地](suzhou.png)", image_url=page_url)
    assert out == (
        '<p><img src="/ja/sample/suzhou.png" alt="蘇州の工業団地" loading="lazy" decoding="async"></p>\n'
    )


def test_image_url_gets_the_reference_as_written(html):
    seen: list[str] = []

    def record(name: str) -> str:
        seen.append(name)
        return f"/zh/sample/{name}"

    out = html("![图表](<图表 1.png>)", "zh", image_url=record)
    assert seen == ["图表 1.png"]
    assert 'src="/zh/sample/%E5%9B%BE%E8%A1%A8%201.png"' in out


@pytest.mark.parametrize(
    "src", ["https://cdn.example.com/a.png", "/shared/logo.svg", "//cdn.example.com/b.png"]
)
def test_absolute_image_untouched(html, src):
    out = html(f"![x]({src})", image_url=page_url)
    assert f'src="{src}"' in out and 'loading="lazy"' in out and 'decoding="async"' in out


def test_images_without_image_url_keep_their_src(html):
    assert '<img src="chart.png" alt="" loading="lazy" decoding="async">' in html("![](chart.png)")


@pytest.mark.parametrize(
    ("lang", "section", "back"),
    [("ja", "脚注", "本文に戻る"), ("zh", "注释", "返回正文")],
)
def test_footnotes(html, lang, section, back):
    out = html("本文です。[^src]\n\n[^src]: 参照: 公開資料", lang)
    assert '<p>本文です。<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup></p>' in out
    assert out.endswith(
        '<hr class="footnotes-sep">\n'
        f'<section class="footnotes" aria-label="{section}">\n'
        '<ol class="footnotes-list">\n'
        '<li id="fn1" class="footnote-item"><p>参照: 公開資料 '
        f'<a href="#fnref1" class="footnote-backref" aria-label="{back}">\u21a9\ufe0e</a></p>\n'
        "</li>\n</ol>\n</section>\n"
    )


def test_footnote_referenced_twice_has_two_backrefs(html):
    out = html("一つ目[^a]、二つ目[^a]。\n\n[^a]: 同じ出典。")
    assert 'id="fnref1:1"' in out
    assert 'href="#fnref1"' in out and 'href="#fnref1:1"' in out


def test_no_self_closing_or_obsolete_markup(html):
    out = html("一行目  \n二行目\n\n---\n\n![](a.png)\n\n本文[^1]\n\n[^1]: 注。")
    assert " />" not in out
    for obsolete in ("align=", "border=", "<center", "<font", "rev="):
        assert obsolete not in out


def test_heading_id_avoids_footnote_ids():
    from publisher.markdown import render_markdown

    body = render_markdown("## fn1\n\n本文[^1]\n\n[^1]: 注。", lang="ja")
    assert body.headings[0].id == "fn1-1"
