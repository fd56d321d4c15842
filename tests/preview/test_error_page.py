"""The page the preview shows while a build fails: the heading in the reader's language (the message
language when none is known), the build's problems in the message language, and the site's fonts for the
heading and the details alike."""

from __future__ import annotations

import pytest

from publisher.preview.tab_pages import BuildFailure, error_page

from support.fixture_site import NOW, copy_fixture
from support.preview import running_preview

FAILURE = BuildFailure(("articles/beta/ja.md:4: status: 'publishd' <b>",), "1 error")


@pytest.mark.parametrize(("lang", "html_lang", "heading", "hint", "foreign"), [
    ("ja", "ja", "ビルドエラー: プレビューを更新できません", "ファイルを直して保存すると", ("Build failed", "构建")),
    ("zh", "zh-CN", "构建失败：无法更新预览", "修正文件并保存后", ("Build failed", "ビルド")),
    ("en", "en", "Build failed: the preview could not be updated", "Fix the file and save it",
     ("ビルド", "构建")),
])
def test_the_page_is_in_the_message_language_only(monkeypatch, lang, html_lang, heading, hint, foreign):
    monkeypatch.setenv("PUBLISH_LANG", lang)
    page = error_page(FAILURE, "v1").decode("utf-8")
    assert f'<html lang="{html_lang}">' in page
    assert f"<h1>{heading}</h1>" in page and hint in page
    assert not any(text in page for text in foreign)
    # the problem line, escaped, in the page's own font (not a monospace <code> beside a CJK heading)
    assert "<li>articles/beta/ja.md:4: status: &#x27;publishd&#x27; &lt;b&gt;</li>" in page
    assert "<code>" not in page
    assert '<link rel="stylesheet" href="/assets/site.css">' in page


@pytest.mark.browser
def test_heading_and_details_share_the_site_font_in_chromium(tmp_path, browser, monkeypatch):
    monkeypatch.setenv("PUBLISH_LANG", "zh")
    config_path = copy_fixture(tmp_path)
    article = config_path.parent / "articles" / "beta" / "ja.md"
    with running_preview(config_path, clock=lambda: NOW) as (session, _transcript):
        article.write_text(article.read_text("utf-8").replace("status: published", "status: publishd"), "utf-8")
        context = browser.new_context(locale="zh-CN")  # Accept-Language zh-CN: the heading in Chinese too
        page = context.new_page()
        try:
            page.goto(session.url("/ja/beta/"))
            page.get_by_text("构建失败").first.wait_for(timeout=30_000)
            page.reload()
            page.wait_for_load_state("load")
            fonts = page.evaluate("""() => ['h1', 'li', 'p'].map(
                selector => getComputedStyle(document.querySelector(selector)).fontFamily)""")
            sheets = page.evaluate("() => [...document.styleSheets].map(sheet => sheet.href || 'inline')")
        finally:
            context.close()
    assert len(set(fonts)) == 1, fonts
    assert "Noto Sans CJK SC" in fonts[0]  # the site's Simplified Chinese stack (assets/site.css)
    assert any(sheet.endswith("/assets/site.css") for sheet in sheets)
