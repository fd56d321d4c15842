"""Searching the sample site in Chromium: its real Pagefind index, over HTTP, as a reader does it.

The sample site (built once per session with its search index, see
conftest.py) has two live articles in each language; a word from the body of
one of them must find that one on its language's search page, and only it.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import pytest
from icu4py.breakers import WordBreaker

from publisher.config import load_config
from publisher.search import SearchContributor
from publisher.site.build import BuildOptions, build_site
from support.browser import mobile_context
from support.fixture_site import NOW, copy_fixture

pytestmark = pytest.mark.browser

RESULT_LINK = ".pagefind-ui__result-link"
MESSAGE = ".pagefind-ui__message"


@pytest.fixture(scope="module")
def site_url(sample_site: Path, static_server: Callable[[Path], str]) -> str:
    return static_server(sample_site)


@pytest.fixture
def page(browser):
    context = mobile_context(browser, 360, 740)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], errors  # no script error on the search page


def _results(page) -> tuple[str, list[str]]:
    """The result message and the links of the main results (not their sections), once the search is done
    and every result is drawn: Pagefind UI shows the count first, then each result as a grey placeholder
    (`.pagefind-ui__loading`) until its fragment has been fetched."""
    page.wait_for_function("() => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && !m.textContent.includes('…')"
                           " && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading'); }",
                           timeout=15000)
    links = page.locator(f".pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title "
                         f"{RESULT_LINK}")
    return page.locator(MESSAGE).inner_text(), [link.get_attribute("href") for link in links.all()]


def test_japanese_word_from_the_search_box_finds_its_article(page, site_url):
    page.goto(f"{site_url}ja/")
    box = page.get_by_role("searchbox", name="記事を検索")
    box.fill("合肥")
    box.press("Enter")
    page.wait_for_url(f"**/ja/search/?q={quote('合肥')}")
    message, links = _results(page)
    assert links == ["/ja/china-city-growth-stories/"]
    assert message == "「合肥」の検索結果: 1 件"  # [strings.ja] search_results
    page.locator(RESULT_LINK).first.click()
    page.wait_for_url("**/ja/china-city-growth-stories/")
    assert page.locator("html").get_attribute("lang") == "ja"


def test_chinese_word_finds_its_article_on_the_zh_search_page(page, site_url):
    page.goto(f"{site_url}zh/search/?q={quote('深圳')}")
    message, links = _results(page)
    assert links == ["/zh/features-of-greater-bay-clusters/"]
    assert message == "“深圳”的搜索结果：1 条"  # [strings.zh] search_results
    assert page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.parametrize(("language", "words", "article"), [
    ("ja", "恵州", "features-of-greater-bay-clusters"),  # one word in Pagefind's index; the browser asks `恵` `州`
    ("ja", "サーボモーター", "features-of-greater-bay-clusters"),  # asked as `サーボ` `モーター`
    ("zh", "阳江", "features-of-greater-bay-clusters"),  # asked as `阳` `江`
    ("zh", "港澳", "features-of-greater-bay-clusters"),  # in `粤港澳`, one word in Pagefind's index
])
def test_a_name_finds_its_article_however_the_browser_splits_it(page, site_url, language, words, article):
    """Pagefind splits the pages with its dictionaries and the queries with the browser's; the index also holds
    the words under the browser's parts (`search/browser_words.py`), so a name copied from an article finds it."""
    page.goto(f"{site_url}{language}/search/?q={quote(words)}")
    assert f"/{language}/{article}/" in _results(page)[1]


def test_the_build_splits_words_as_the_browser_does(page, site_url):
    """ICU in the build (icu4py) and Chromium's `Intl.Segmenter` split the sample articles' Japanese and Chinese
    alike, so the words the index gets are the ones readers' queries are split into. (Their ICU versions differ
    on Latin text, `hero.svg`, which `browser_words` leaves to Pagefind.)"""
    def cjk(parts: list[str]) -> list[str]:
        return [part for part in parts if re.search(r"[\u3041-\u30ff\u3400-\u9fff]", part)]

    page.goto(f"{site_url}ja/")
    for language in ("ja", "zh"):
        for source in sorted((Path(__file__).parents[2] / "articles").glob(f"*/{language}.md")):
            text = source.read_text("utf-8")
            browser = page.evaluate("([text, language]) => [...new Intl.Segmenter(language, {granularity: 'word'})"
                                    ".segment(text)].map((part) => part.segment)", [text, language])
            assert cjk(list(WordBreaker(text, language))) == cjk(browser) != [], source


def test_each_language_searches_its_own_pages(page, site_url):
    page.goto(f"{site_url}zh/search/?q={quote('合肥')}")
    assert _results(page)[1] == ["/zh/china-city-growth-stories/"]  # not the ja page with the same word


def test_site_furniture_finds_nothing(page, site_url):
    """The ranking, notices and footer are on every article page, and in no index."""
    for words in ("ランキング", "無断転載", "文字サイズ"):
        page.goto(f"{site_url}ja/search/?q={quote(words)}")
        message, links = _results(page)
        assert links == [], words
        assert message == f"「{words}」に一致する記事はありません。別の言葉で検索してください。"


def test_search_page_speaks_the_site_strings(page, site_url):
    page.goto(f"{site_url}ja/search/")
    box = page.locator(".pagefind-ui__search-input")
    box.wait_for()
    assert box.get_attribute("placeholder") == "記事を検索"
    assert page.locator("h1").inner_text() == "サイト内検索"
    box.fill("合肥")
    assert _results(page)[1] == ["/ja/china-city-growth-stories/"]


def test_after_an_edit_indexes_ja_again_both_languages_find_their_pages(page, static_server, tmp_path):
    """The ja index made again beside the zh one carried over, and the entry file merged: one bundle that
    searches both, and finds the edited text."""
    config = dataclasses.replace(load_config(copy_fixture(tmp_path)), cache_dir=tmp_path / "cache")
    options = BuildOptions(now=NOW, out_dir=tmp_path / "out", contributors=(SearchContributor(),))
    build_site(config, options)
    alpha = config.content_dir / "alpha/ja.md"
    alpha.write_text(alpha.read_text("utf-8") + "\n景徳鎮の窯元を訪ねた記録も加えた。\n", "utf-8")
    report = build_site(config, options)
    assert report.remade["search"] == ("ja",)
    site_url = static_server(report.out_dir)
    for lang, words, found in (("ja", "景徳鎮", "/ja/alpha/"), ("ja", "名刺", "/ja/beta/"),
                               ("zh", "人工成本", "/zh/alpha/")):
        page.goto(f"{site_url}{lang}/search/?q={quote(words)}")
        assert _results(page)[1] == [found], words
