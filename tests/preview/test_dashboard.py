"""The preview dashboard `/_preview/index.html`: every article, its status, release time, translation
state and links; sorting and filtering in Chromium; readable on a phone; valid HTML; deterministic.

The site is the fixture site with every translation state (tests/support/preview_fixture.py).
"""

from __future__ import annotations

import re

import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from support.browser import desktop_context, mobile_context
from support.layout import MEASURE_JS
from support.fixture_site import NOW
from support.preview_fixture import ADDED_ZH, build_preview, make_preview_site, preview_site
from support.vnu import check_html

ORDER = ["gamma", "epsilon", "delta", "beta", "alpha"]
"""The default order: next release (scheduled), then review and drafts, then live, newest first."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The preview build, with PDFs (every visible page gets one in a preview)."""
    return preview_site(tmp_path_factory.mktemp("dashboard"), pdf=True)


def _soup(site, path: str = "_preview/index.html") -> BeautifulSoup:
    return BeautifulSoup(site.read(path), "html.parser")


def _rows(soup: BeautifulSoup) -> dict[str, object]:
    return {tr["data-slug"]: tr for tr in soup.select("table.dashboard tbody tr")}


def _cell(row, name: str):
    return row.select_one(f"td.cell-{name}")


def test_every_article_is_listed_in_the_default_order_with_its_status(site) -> None:
    soup = _soup(site)
    rows = _rows(soup)
    assert list(rows) == ORDER
    statuses = {slug: (row["data-status"], _cell(row, "status").get_text(strip=True)) for slug, row in rows.items()}
    assert statuses == {"gamma": ("scheduled", "公開予定"), "epsilon": ("review", "確認待ち"),
                        "delta": ("draft", "下書き"), "beta": ("live", "公開中"), "alpha": ("live", "公開中")}
    codes = {slug: _cell(row, "code").get_text(strip=True) for slug, row in rows.items()}
    assert codes == {"gamma": "【中国T03】", "epsilon": "【中国T05】", "delta": "(なし)", "beta": "【中国T02】",
                     "alpha": "【中国T01】"}
    # The filter offers the statuses that occur, with their counts.
    chips = [" ".join(b.get_text(" ", strip=True).split()) for b in soup.select("[data-filter]")]
    assert chips == ["すべて 5", "公開予定 1", "確認待ち 1", "下書き 1", "公開中 2"]


def test_titles_in_each_language_with_their_own_status(site) -> None:
    rows = _rows(_soup(site))
    titles = {slug: [(li.select_one(".lang-tag").get_text(), li.select_one(".title-text, .muted").get_text(),
                      (li.select_one("[lang]") or {}).get("lang"))
                     for li in _cell(row, "title").select("li")] for slug, row in rows.items()}
    assert titles["alpha"] == [("日本語", "地方都市の工業団地を選ぶときの三つの視点", "ja"),
                               ("中国語", "选择地方城市工业园区的三个视角", "zh-CN")]
    assert titles["delta"] == [("日本語", "書きかけの記事", "ja"), ("中国語", "(未作成)", None)]
    # beta is live in Japanese, but its Chinese version is still a draft: said next to that title.
    zh = _cell(rows["beta"], "title").select("li")[1]
    assert zh.select_one(".status").get_text() == "下書き"
    assert _cell(rows["alpha"], "title").select_one(".status") is None


def test_release_times_are_labelled_in_japanese_with_an_iso_instant_for_the_script(site) -> None:
    soup = _soup(site)
    rows = _rows(soup)
    times = {slug: (_cell(row, "release").time["datetime"], _cell(row, "release").time.get_text())
             for slug, row in rows.items()}
    assert times == {
        "gamma": ("2026-06-01T09:00:00+09:00", "2026.06.01(月) 09:00 日本時間"),
        # written as 2026-03-01T10:00+08:00: shown in Tokyo time
        "epsilon": ("2026-03-01T11:00:00+09:00", "2026.03.01(日) 11:00 日本時間"),
        "delta": ("2026-01-05T00:00:00+09:00", "2026.01.05(月) 00:00 日本時間"),
        "beta": ("2025-12-05T09:00:00+09:00", "2025.12.05(金) 09:00 日本時間"),
        "alpha": ("2025-11-01T00:00:00+09:00", "2025.11.01(土) 00:00 日本時間"),
    }
    header = soup.select_one('th[data-sort-key="release"]').get_text()
    assert "Asia/Tokyo" not in header and "Asia/Tokyo" not in _cell(rows["gamma"], "release").get_text()
    # "How long until" is left to the browser (the page would otherwise go stale as time passes).
    for row in rows.values():
        relative = _cell(row, "release").select_one("[data-relative]")
        assert relative["data-relative"] == _cell(row, "release").time["datetime"]
        assert relative.get_text() == ""


def test_chinese_versions_show_the_release_in_beijing_time(site) -> None:
    """The zh page's readers read times in Beijing time ([languages.zh] display_timezone, by default): each
    article with a Chinese version says when that is, as its banner will; delta has no Chinese version."""
    rows = _rows(_soup(site))
    readers = {slug: [(li.select_one(".lang-tag").get_text(), li.time["datetime"], li.time.get_text())
                      for li in _cell(row, "release").select(".reader-times li")] for slug, row in rows.items()}
    assert readers == {
        "gamma": [("中国語", "2026-06-01T08:00:00+08:00", "2026.06.01(月) 08:00 中国時間")],
        "epsilon": [("中国語", "2026-03-01T10:00:00+08:00", "2026.03.01(日) 10:00 中国時間")],
        "delta": [],
        "beta": [("中国語", "2025-12-05T08:00:00+08:00", "2025.12.05(金) 08:00 中国時間")],
        # the day before in Beijing
        "alpha": [("中国語", "2025-10-31T23:00:00+08:00", "2025.10.31(金) 23:00 中国時間")],
    }


def _gather(config_path: Path, extra: str):
    """The dashboard of the fixture site with `extra` added to its publisher.toml's language tables."""
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.preview.dashboard import gather_dashboard

    text = config_path.read_text("utf-8")
    for table, line in extra:
        assert table in text
        text = text.replace(table, f"{table}\n{line}", 1)
    config_path.write_text(text, "utf-8")
    config = load_config(config_path)
    return {row.slug: row for row in gather_dashboard(config, load_site(config).site, now=NOW, include_drafts=True,
                                                      include_future=True, translations={}).rows}


def test_the_display_zones_of_the_configuration_decide(tmp_path) -> None:
    """Chinese readers in Tokyo time: no second line. The preview's Japanese read in another zone: the
    release in that zone first, the site's in parentheses (one helper, publisher.display_time, for both)."""
    rows = _gather(make_preview_site(tmp_path / "a"), [("[languages.zh]", 'display_timezone = "Asia/Tokyo"')])
    assert rows["gamma"].release_text == "2026.06.01(月) 09:00 日本時間"
    assert all(not row.reader_times for row in rows.values())

    rows = _gather(make_preview_site(tmp_path / "b"), [("[languages.ja]", 'display_timezone = "Asia/Shanghai"')])
    assert rows["gamma"].release_text == "2026.06.01(月) 08:00 中国時間（日本時間 09:00）"
    assert all(not row.reader_times for row in rows.values()), "zh readers see what the dashboard shows first"


def test_translation_states_come_from_the_lock_files(site) -> None:
    from publisher.translation.translate import plan_site

    rows = _rows(_soup(site))
    states = {slug: (_cell(row, "translation").span["class"][1], _cell(row, "translation").get_text(strip=True))
              for slug, row in rows.items()}
    assert states == {
        "alpha": ("translation-review", "要更新 1・要確認 1・手直し 1"),
        "beta": ("translation-stale", "要更新 2"),     # summary and tags were never translated
        "gamma": ("translation-stale", "要更新 1"),    # tags
        "delta": ("translation-missing", "未翻訳"),
        "epsilon": ("translation-untracked", "未登録(ロックファイルなし)"),
    }
    # The same reading as `publish status`, which the cell's title quotes (in the page's language).
    from publisher.i18n import translator

    for plan in plan_site(site.config()):
        assert _cell(rows[plan.slug], "translation").span["title"] == plan.summary(translator("ja"))


def test_fact_check_warnings_of_articles_with_sources(site) -> None:
    """The real fact check (`publisher.factcheck.check_article`) of each article that lists sources."""
    soup = _soup(site)
    assert soup.select_one('th[data-sort-key="factcheck"]').get_text(strip=True) == "事実確認"
    rows = _rows(soup)
    cells = {slug: _cell(row, "factcheck") for slug, row in rows.items()}
    assert cells["alpha"].summary.get_text(strip=True) == "1件"
    assert cells["alpha"]["data-sort-value"] == "1"
    findings = [li.get_text() for li in cells["alpha"].select("li")]
    assert len(findings) == 1 and findings[0].endswith("行目: 3時間")  # 約 is not part of the figure
    line = int(findings[0].split("行目")[0])
    assert "蕪湖 | 約3時間" in (site.root / "articles/alpha/ja.md").read_text("utf-8").split("\n")[line - 1]
    for slug in ("beta", "gamma", "delta", "epsilon"):
        assert cells[slug].get_text(strip=True) == "出典なし" and cells[slug]["data-sort-value"] == "-1"


def test_without_a_checker_there_is_no_fact_check_column_and_a_failing_one_shows_an_error(tmp_path) -> None:
    from publisher.errors import PublisherError
    from publisher.preview.pages import PreviewPages

    config_path = make_preview_site(tmp_path)
    build_preview(config_path, tmp_path / "none", preview_pages=PreviewPages(factcheck=None))
    soup = BeautifulSoup((tmp_path / "none/_preview/index.html").read_text("utf-8"), "html.parser")
    assert not soup.select('th[data-sort-key="factcheck"], td.cell-factcheck')

    def broken(config, article):
        raise PublisherError("sources/survey.txt cannot be read; restore it")

    build_preview(config_path, tmp_path / "broken", preview_pages=PreviewPages(factcheck=broken))
    soup = BeautifulSoup((tmp_path / "broken/_preview/index.html").read_text("utf-8"), "html.parser")
    alpha = _cell(_rows(soup)["alpha"], "factcheck").span
    assert alpha.get_text() == "確認できません" and "survey.txt cannot be read" in alpha["title"]


def _targets(site, page: str) -> list[str]:
    soup = _soup(site, page)
    return [a["href"] for a in soup.select("a[href]")] + [f["src"] for f in soup.select("iframe[src]")] + \
        [link["href"] for link in soup.select("link[href]")] + [s["src"] for s in soup.select("script[src], img[src]")]


def test_every_link_of_the_preview_pages_resolves_to_a_file_of_the_output(site) -> None:
    pages = sorted(p.relative_to(site.out).as_posix() for p in (site.out / "_preview").rglob("*.html"))
    built = ["_preview/alpha/phone.html", "_preview/alpha/zh.html", "_preview/beta/phone.html",
             "_preview/beta/zh.html", "_preview/delta/phone.html", "_preview/delta/zh.html",
             "_preview/epsilon/phone.html", "_preview/epsilon/zh.html", "_preview/gamma/phone.html",
             "_preview/gamma/zh.html", "_preview/index.html"]
    # each page in Japanese (the site's source language) and beside it in the other UI languages
    assert pages == sorted(built + [name.replace(".html", f".{ui}.html") for name in built for ui in ("zh", "en")])
    broken, checked = [], 0
    for page in pages:
        for target in _targets(site, page):
            parts = urlsplit(target)
            assert not parts.scheme and not parts.netloc and not target.startswith("/"), \
                f"{page}: {target} is not relative (the preview must work from any host and sub-path)"
            if target.startswith("#"):
                continue
            path = (site.out / page).parent / unquote(parts.path)
            if parts.path.endswith("/"):
                path = path / "index.html"
            checked += 1
            if not path.resolve().is_file() or not path.resolve().is_relative_to(site.out.resolve()):
                broken.append(f"{page}: {target}")
    assert not broken, "links to nothing:\n" + "\n".join(broken)
    assert checked > 60


def test_links_to_each_language_page_pdf_and_view_are_there_for_drafts_too(site) -> None:
    rows = _rows(_soup(site))
    links = {slug: [a.get_text() for a in _cell(row, "links").select("a")] for slug, row in rows.items()}
    assert links["gamma"] == ["日本語ページ", "日本語PDF", "中国語ページ", "中国語PDF", "対訳(中国語)", "スマホ表示"]
    assert links["delta"] == ["日本語ページ", "日本語PDF", "対訳(中国語)", "スマホ表示"]  # no zh.md
    hrefs = [a["href"] for a in _cell(rows["delta"], "links").select("a")]
    assert hrefs == ["../ja/delta/", "../ja/delta/delta.pdf", "../_preview/delta/zh.html", "../_preview/delta/phone.html"]
    # The draft's PDF carries the draft banner, the scheduled one's the release time.
    delta = _pdftext(site.out / "ja/delta/delta.pdf")
    assert "下書き" in delta and "書きかけの記事" in delta
    assert "公開予定" in _pdftext(site.out / "ja/gamma/gamma.pdf")


def _pdftext(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-")
    return "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


def test_the_pages_are_in_their_ui_language_and_never_indexed(site) -> None:
    for page in (site.out / "_preview").rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        ui = page.name.split(".")[-2] if page.name.count(".") == 2 else "ja"
        assert soup.html["lang"] == {"ja": "ja", "zh": "zh-CN", "en": "en"}[ui], page
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex, nofollow", page
    assert "Disallow: /" in site.read("robots.txt")


def test_the_hook_output_depends_on_the_files_not_the_clock(site) -> None:
    from publisher.content import load_site
    from publisher.preview.dashboard import source_findings
    from publisher.preview.pages import make_preview_pages

    config = site.config()
    loaded = load_site(config).site

    def pages(now):
        return make_preview_pages(config, loaded, now=now, include_drafts=True, include_future=True,
                                  factcheck=source_findings)

    first = pages(site.now)
    assert first == pages(site.now), "the same files give the same bytes"
    assert first == pages(site.now + timedelta(hours=3)), "time passing (no release crossed) changes nothing"
    built = {path: (site.out / path).read_bytes() for path in first}
    assert built == first, "what the build wrote is what the hook made"


def test_an_unchanged_site_is_not_rebuilt_but_a_glossary_change_is(tmp_path) -> None:
    config_path = make_preview_site(tmp_path)
    out = tmp_path / "preview"
    build_preview(config_path, out)
    assert build_preview(config_path, out).nothing_changed
    (config_path.parent / "glossary.csv").write_text("ja,zh,note\n工業団地,工业园区,\n", "utf-8")
    assert not build_preview(config_path, out).nothing_changed
    # A person's addition to a translation is a change of the article folder: rebuilt, and shown.
    zh = config_path.parent / "articles/gamma/zh.md"
    zh.write_text(zh.read_text("utf-8") + f"\n{ADDED_ZH}\n", "utf-8")
    assert not build_preview(config_path, out).nothing_changed
    assert ADDED_ZH in (out / "_preview/gamma/zh.html").read_text("utf-8")


def test_a_production_build_refuses_the_preview_pages(tmp_path) -> None:
    from publisher.errors import PublisherError

    config_path = make_preview_site(tmp_path)
    with pytest.raises(PublisherError, match="only in preview builds"):
        build_preview(config_path, tmp_path / "out", include_drafts=False, include_future=False)


def test_a_third_language_gets_its_own_column_and_views(tmp_path) -> None:
    config_path = make_preview_site(tmp_path)
    text = config_path.read_text("utf-8").replace('languages = ["ja", "zh"]', 'languages = ["ja", "zh", "en"]')
    strings = (config_path.parent / "publisher.toml").read_text("utf-8").split("[strings.zh]")[1]
    text += '\n[languages.en]\nhtml_lang = "en"\n\n[strings.en]\n' + strings.split("\n[", 1)[0]
    config_path.write_text(text, "utf-8")
    (config_path.parent / "articles/alpha/en.md").write_text(
        "---\ntitle: Three ways to choose an industrial park\nstatus: draft\n---\n\n## 1. Why now\n\nWages differ.\n",
        "utf-8")
    out = tmp_path / "preview"
    build_preview(config_path, out)
    soup = BeautifulSoup((out / "_preview/index.html").read_text("utf-8"), "html.parser")
    headings = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
    assert headings[4:6] == ["翻訳(中国語)", "翻訳(英語)"]
    alpha = _rows(soup)["alpha"]
    assert [td.get_text(strip=True) for td in alpha.select("td.cell-translation")][1] == "未登録(ロックファイルなし)"
    assert (out / "_preview/alpha/en.html").is_file() and (out / "_preview/delta/en.html").is_file()
    assert "en.html" in (out / "_preview/alpha/zh.html").read_text("utf-8")


# --- in the browser ------------------------------------------------------------------


def _order(page) -> list[str]:
    return page.eval_on_selector_all("table.dashboard tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.slug)")


@pytest.mark.browser
def test_sorting_by_each_column_and_filtering_by_status(site, browser, static_server) -> None:
    url = static_server(site.out) + "_preview/index.html"
    context = desktop_context(browser, 1280, 900)
    try:
        page = context.new_page()
        page.goto(url)
        assert _order(page) == ORDER
        assert page.is_visible("[data-toolbar]"), "the script shows the sort and filter controls"

        def click(key: str) -> list[str]:
            page.click(f'th[data-sort-key="{key}"] button')
            return _order(page)

        assert click("code") == ["delta", "alpha", "beta", "gamma", "epsilon"]  # no code first
        assert page.get_attribute('th[data-sort-key="code"]', "aria-sort") == "ascending"
        assert click("code") == ["epsilon", "gamma", "beta", "alpha", "delta"]
        assert page.get_attribute('th[data-sort-key="code"]', "aria-sort") == "descending"
        assert click("release") == ["alpha", "beta", "delta", "epsilon", "gamma"]
        assert click("status") == ["gamma", "epsilon", "delta", "beta", "alpha"]
        # Most urgent translation first: missing, not tracked, needs review, stale (ties keep the default order).
        assert click("translation-zh") == ["delta", "epsilon", "alpha", "gamma", "beta"]
        click("title")  # Japanese titles, in the browser's Japanese collation
        titles = page.eval_on_selector_all("table.dashboard tbody tr td.cell-title",
                                           "cells => cells.map(c => c.dataset.sortValue)")
        collated = page.evaluate("t => [...t].sort(new Intl.Collator('ja', {numeric: true}).compare)", titles)
        assert titles == collated and len(set(titles)) == 5

        page.click('[data-filter="draft"]')
        assert _order(page) == ["delta"]
        assert page.text_content("[data-count]") == "1件"
        assert page.get_attribute('[data-filter="draft"]', "aria-pressed") == "true"
        page.click('[data-filter="live"]')
        assert sorted(_order(page)) == ["alpha", "beta"]
        page.click('[data-filter=""]')
        assert len(_order(page)) == 5 and page.text_content("[data-count]") == "5件"

        # The sort menu (what a phone uses: its cards have no column headings) does the same.
        page.select_option("[data-sort-select]", "release")
        assert _order(page) == ["alpha", "beta", "delta", "epsilon", "gamma"]
        page.click("[data-sort-direction]")
        assert _order(page) == ["gamma", "epsilon", "delta", "beta", "alpha"]
        page.select_option("[data-sort-select]", "")
        assert _order(page) == ORDER
    finally:
        context.close()


@pytest.mark.browser
def test_how_long_until_each_release_is_worked_out_in_the_browser(site, browser, static_server) -> None:
    context = desktop_context(browser, 1280, 900)
    try:
        page = context.new_page()
        page.clock.set_fixed_time(site.now)
        page.goto(static_server(site.out) + "_preview/index.html")
        text = dict(page.eval_on_selector_all(
            "tbody tr", "rows => rows.map(r => [r.dataset.slug, r.querySelector('[data-relative]').textContent])"))
        gamma = (site.now.replace(year=2026, month=6, day=1, hour=9) - site.now)
        assert text["gamma"] == f"あと{round(gamma.total_seconds() / 86400)}日"  # 141 days 21 hours: in days
        # delta is a draft planned 5 days 12 hours ago: late, not "published 5 days ago".
        assert text["delta"] == "予定日を6日過ぎています"
        assert page.eval_on_selector("tr[data-slug=delta] [data-relative]", "e => e.classList.contains('overdue')")
        assert re.fullmatch(r"\d+日前", text["alpha"])  # live: published N days ago
        assert not page.eval_on_selector("tr[data-slug=alpha] [data-relative]",
                                         "e => e.classList.contains('overdue')")
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_it_is_a_plain_table_in_the_default_order(site, browser, static_server) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(static_server(site.out) + "_preview/index.html")
        assert _order(page) == ORDER
        assert not page.is_visible("[data-toolbar]"), "controls that need the script stay hidden without it"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 320])
def test_readable_on_a_phone(site, browser, static_server, width, tmp_path, record_screenshot) -> None:
    context = mobile_context(browser, width, 740)
    try:
        page = context.new_page()
        page.goto(static_server(site.out) + "_preview/index.html")
        page.evaluate("document.fonts.ready.then(() => true)")
        m = page.evaluate(MEASURE_JS, width)
        assert m["clientWidth"] == width
        assert m["scrollWidth"] <= width and not m["overflowing"], m["overflowing"]
        small = [f"{t['what']}: {t['width']:.0f}x{t['height']:.0f}" for t in m["targets"]
                 if not t["exempt"] and (t["height"] < 47.5 or (t["iconLike"] and t["width"] < 47.5))]
        assert not small, "tap targets under 48 px:\n" + "\n".join(small)
        assert len(m["targets"]) > 30, "the links, chips and menus were measured"
        assert m["lang"] == "ja"
        # Cards: one article per box, each at most as wide as the screen.
        boxes = page.eval_on_selector_all("tbody tr", "rows => rows.map(r => r.getBoundingClientRect().right)")
        assert len(boxes) == 5 and max(boxes) <= width
        shot = tmp_path / f"dashboard-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        record_screenshot(shot)
    finally:
        context.close()


@pytest.mark.vnu
def test_the_preview_pages_are_valid_html(site) -> None:
    pages = sorted((site.out / "_preview").rglob("*.html"))
    assert len(pages) == 33  # 11 pages in ja, zh and en
    errors = check_html(pages, base=site.out)
    assert not errors, "\n".join(errors)

