"""The preview's own words in the reader's language, chosen per request: `?ui=` (remembered in a cookie),
else the cookie, else Accept-Language (zh* -> zh, ja* -> ja), else the site's source language. The
server answers threads at once, so two readers in two languages never see each other's."""

from __future__ import annotations

import http.client
import threading

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.preview.pages import PreviewPages
from publisher.preview.server import PreviewServer, PreviewState
from publisher.preview.tab_pages import BuildFailure, error_page
from publisher.preview.ui import COOKIE, choose, from_accept_language

from support.fixture_site import NOW
from support.preview import running_preview
from support.preview_fixture import make_preview_site, preview_site


@pytest.mark.parametrize(("query", "cookie", "accept", "expected"), [
    ("", None, None, (None, False)),
    ("", None, "zh-CN,zh;q=0.9,en;q=0.8", ("zh", False)),
    ("", None, "zh-TW", ("zh", False)),
    ("", None, "ja-JP,ja;q=0.9", ("ja", False)),
    ("", None, "en-US,en;q=0.9", (None, False)),               # neither: the site's source language
    ("", None, "en-US,zh;q=0.5,ja;q=0.7", ("ja", False)),      # the first of them by preference
    ("", None, "zh;q=0,ja", ("ja", False)),                    # q=0 means not wanted
    ("", f"x=1; {COOKIE}=en", "zh-CN", ("en", False)),         # a choice made before wins over the browser
    ("ui=zh", f"{COOKIE}=en", "ja", ("zh", True)),             # the switch wins over everything
    ("ui=xx", None, "ja", ("ja", False)),                      # an unknown language is no choice
])
def test_the_language_of_a_request(query, cookie, accept, expected):
    choice = choose(query, cookie, accept)
    assert (choice.lang, choice.explicit) == expected
    assert ("Set-Cookie" in choice.headers()) == expected[1]


def test_accept_language_ignores_garbage():
    assert from_accept_language("*, ;q=x, de") is None


@pytest.fixture(scope="module", params=["written", "on-request"])
def server(request, tmp_path_factory):
    """The pages as `publish build --preview` writes them (every language, the server picks a file), and as
    `publish preview` serves them (rendered on request in the reader's language)."""
    if request.param == "written":
        site = preview_site(tmp_path_factory.mktemp("ui"))
        server = PreviewServer(("127.0.0.1", 0), PreviewState(site.out, source_language="ja"))
        server.start()
        yield server
        server.close()
    else:
        config_path = make_preview_site(tmp_path_factory.mktemp("ui-on-request"))
        with running_preview(config_path, clock=lambda: NOW, extra_files=PreviewPages()) as (session, _transcript):
            assert not (session.out_dir / "_preview").exists()
            yield session


def _get(server, path: str, **headers: str) -> tuple[http.client.HTTPResponse, BeautifulSoup]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response, BeautifulSoup(response.read().decode("utf-8"), "html.parser")
    finally:
        connection.close()


def _title(soup: BeautifulSoup) -> str:
    return soup.select_one("h1").get_text(strip=True)


def test_the_dashboard_follows_accept_language_and_is_japanese_by_default(server):
    response, soup = _get(server, "/_preview/", **{"Accept-Language": "zh-CN,zh;q=0.9"})
    assert soup.html["lang"] == "zh-CN" and _title(soup) == "预览：文章列表"
    assert "Set-Cookie" not in response.headers
    rows = {tr["data-slug"]: tr for tr in soup.select("table.dashboard tbody tr")}
    assert rows["gamma"].select_one("td.cell-status").get_text(strip=True) == "待发布"
    # the release in Beijing time, the zone zh readers read times in, with Tokyo's in parentheses
    assert rows["gamma"].select_one("td.cell-release time").get_text() == "2026.06.01(周一) 08:00 北京时间（东京时间 09:00）"
    assert rows["gamma"].select_one("td.cell-translation").get_text(strip=True) == "需更新 1"

    _response, soup = _get(server, "/_preview/")
    assert soup.html["lang"] == "ja" and _title(soup) == "プレビュー: 記事一覧"
    _response, soup = _get(server, "/_preview/", **{"Accept-Language": "en-US,en"})
    assert _title(soup) == "プレビュー: 記事一覧", "neither Japanese nor Chinese: the site's source language"


def test_the_switch_wins_and_is_remembered(server):
    response, soup = _get(server, "/_preview/?ui=en", **{"Accept-Language": "zh-CN"})
    assert _title(soup) == "Preview: all articles" and soup.html["lang"] == "en"
    cookie = response.headers["Set-Cookie"].split(";")[0]
    assert cookie == f"{COOKIE}=en"
    switch = [(a["hreflang"], a["href"], a.get("aria-current")) for a in soup.select(".ui-switch a")]
    assert switch == [("ja", "index.html?ui=ja", None), ("zh", "index.html?ui=zh", None),
                      ("en", "index.html?ui=en", "true")]
    # the next pages, asked for without ?ui=, keep the choice
    _response, soup = _get(server, "/_preview/alpha/zh.html", Cookie=cookie, **{"Accept-Language": "zh-CN"})
    assert soup.html["lang"] == "en" and soup.select_one(".preview-nav a").get_text() == "Back to all articles"


def test_two_readers_in_two_languages_at_once(server):
    """Many requests in Chinese and Japanese in parallel threads: each gets its own language."""
    results: list[tuple[str, str]] = []
    lock = threading.Lock()

    def read(accept: str) -> None:
        for _round in range(5):
            _response, soup = _get(server, "/_preview/alpha/phone.html", **{"Accept-Language": accept})
            with lock:
                results.append((accept, soup.select_one(".preview-nav a").get_text()))

    threads = [threading.Thread(target=read, args=(accept,)) for accept in ("zh-CN", "ja") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {"zh-CN": "返回文章列表", "ja": "記事一覧へ戻る"}
    assert len(results) == 40 and all(text == expected[accept] for accept, text in results)


def test_the_dashboard_gathered_in_chinese(tmp_path):
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.preview.dashboard import gather_dashboard

    config = load_config(make_preview_site(tmp_path))
    board = gather_dashboard(config, load_site(config).site, now=NOW, include_drafts=True, include_future=True,
                             translations={}, ui="zh")
    assert board.target_langs == (("zh", "中文"),)
    rows = {row.slug: row for row in board.rows}
    assert rows["gamma"].release_text == "2026.06.01(周一) 08:00 北京时间（东京时间 09:00）"
    # the Japanese page's readers read Tokyo time: their line, in Chinese words
    assert [(r.name, r.text) for r in rows["gamma"].reader_times] == [("日语", "2026.06.01(周一) 09:00 东京时间")]
    assert [v.name for v in rows["alpha"].versions] == ["日语", "中文"]


def test_the_error_page_heading_follows_the_reader_and_the_problems_stay_as_printed(monkeypatch):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    failure = BuildFailure(("articles/beta/ja.md:4: status: だめ",), "1件のエラー")
    page = BeautifulSoup(error_page(failure, "v1", "zh").decode("utf-8"), "html.parser")
    assert page.html["lang"] == "zh-CN" and page.h1.get_text() == "构建失败：无法更新预览"
    assert page.li["lang"] == "ja", "the build's own lines are in the message language, marked so"


def test_language_names_in_each_ui_language():
    from publisher.preview.strings import UiText

    assert UiText("ja").language_name("ko") == "韓国語" and UiText("ja").language_name("zh-TW") == "中国語(繁体字)"
    assert UiText("zh").language_name("ja") == "日语" and UiText("en").language_name("zh-CN") == "Chinese"
    assert UiText("ja").language_name("fr") is None


@settings(max_examples=300, deadline=None)
@given(query=st.text(max_size=60), cookie=st.one_of(st.none(), st.text(max_size=80)),
       accept=st.one_of(st.none(), st.text(max_size=80)))
def test_any_request_headers_give_a_language_or_none_never_an_error(query, cookie, accept):
    """Browsers and scripts send anything in these headers: the answer is a UI language or none."""
    choice = choose(query, cookie, accept)
    assert choice.lang in (None, "ja", "zh", "en")
    assert choice.explicit == (choice.lang is not None and "Set-Cookie" in choice.headers())
    assert from_accept_language(accept or "") in (None, "ja", "zh")
