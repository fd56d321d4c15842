"""The side-by-side view `/_preview/<slug>/<lang>.html`: source and translation aligned section by
section and block by block (the lock file's pairing), rendered with the site's renderer, with the
stale, review, edited, missing and added blocks marked; two columns on a wide screen, stacked on a
phone. The site is tests/support/preview_fixture.py's.
"""

from __future__ import annotations

from collections import Counter

import pytest
from bs4 import BeautifulSoup

from support.browser import desktop_context, mobile_context
from support.layout import MEASURE_JS
from support.preview_fixture import ADDED_ZH, EDITED_ZH, NEW_PARAGRAPH, REWORDED, preview_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return preview_site(tmp_path_factory.mktemp("side_by_side"))


def _page(site, slug: str) -> BeautifulSoup:
    return BeautifulSoup(site.read(f"_preview/{slug}/zh.html"), "html.parser")


def _text(cell) -> str:
    """A cell's content without its file/line label (CJK text has no spaces to keep)."""
    if cell is None:
        return ""
    for meta in cell.select(".sbs-meta"):
        meta.extract()
    return "".join(cell.get_text().split())


def _rows(section) -> list[tuple[str, str, str]]:
    return [(row["data-state"], _text(row.select_one(".sbs-source")), _text(row.select_one(".sbs-target")))
            for row in section.select(".sbs-row")]


def _sections(page: BeautifulSoup) -> dict[str, list[tuple[str, str, str]]]:
    return {section.get("aria-label") or section.h2.get_text(): _rows(section)
            for section in page.select("section.sbs-section")}


def test_rows_are_aligned_section_by_section_with_their_states(site) -> None:
    sections = _sections(_page(site, "alpha"))
    assert list(sections) == ["タイトルと概要", "1. なぜ今、地方都市なのか", "2. 三つの視点"]
    first = sections["1. なぜ今、地方都市なのか"]
    assert [state for state, _, _ in first] == ["ok", "ok", "ok", "review", "stale"]
    assert first[0][1:] == ("1.なぜ今、地方都市なのか", "1.为何现在关注地方城市")
    assert first[1][1].startswith("①沿海部") and first[1][2].startswith("①沿海地区")
    # The reworded source sits beside the (adopted) translation it needs checked against...
    assert first[3] == ("review", REWORDED[1], "这一差距正在改变选址的前提。")
    # ...and the new paragraph has nothing beside it yet.
    assert first[4] == ("stale", NEW_PARAGRAPH, "—")

    second = sections["2. 三つの視点"]
    states = [state for state, _, _ in second]
    assert states == ["ok", "added", "ok", "ok", "ok", "ok", "edited", "ok", "ok"]
    assert second[1] == ("added", "—", ADDED_ZH), "a person's addition stays where it stands in the translation"
    # A heading and its tagline render as one <hgroup>: one row, on both sides.
    assert second[2][1] == "【視点❶】物流(港までの距離)(時間で測る距離)"
    assert second[2][2] == "【视角❶】物流（到港口的距离）（用时间衡量距离）"
    edited = second[6]
    assert EDITED_ZH[1].strip("- \n") in edited[2] and "道路" in edited[1]


def test_blocks_are_rendered_by_the_site_renderer_not_shown_as_markdown(site) -> None:
    page = _page(site, "alpha")
    source = page.select(".sbs-source .article-body")
    for rendered in ("p.point", "p.flow", "div.table-scroll table", "hgroup h3 + p.tagline", "div.callout-term",
                     "div.callout-summary", "ul li", "sup.footnote-ref a", "section.footnotes ol li", "h2"):
        assert page.select(f".sbs-source .article-body {rendered}"), rendered
        assert page.select(f".sbs-target .article-body {rendered}"), rendered
    text = "".join(cell.get_text() for cell in source)
    assert "## " not in text and "**" not in text and "[^1]" not in text and "| ---" not in text


def test_ids_are_unique_and_in_page_links_reach_them(site) -> None:
    for slug in ("alpha", "beta", "delta", "epsilon", "gamma"):
        page = _page(site, slug)
        ids = Counter(element["id"] for element in page.select("[id]"))
        assert not [i for i, n in ids.items() if n > 1], f"{slug}: duplicate ids"
        for link in page.select('a[href^="#"]'):
            assert link["href"][1:] in ids, f"{slug}: {link['href']} points nowhere"
    footnote_links = [a["href"] for a in _page(site, "alpha").select(".footnote-ref a")]
    assert footnote_links == ["#src-fn1", "#tgt-fn1"]


def test_stale_marks_have_words_and_a_legend(site) -> None:
    page = _page(site, "alpha")
    badges = [badge.get_text() for badge in page.select(".sbs-row .state-badge")]
    assert Counter(badges) == Counter({"要確認": 1, "要更新": 1, "手直しあり": 1, "訳文のみ": 1})
    counts = [" ".join(li.get_text(" ", strip=True).split()) for li in page.select(".state-counts li")]
    assert counts[:4] == ["要確認 1", "要更新 1", "手直しあり 1", "訳文のみ 1"]
    legend = {dt.get_text(): dd.get_text() for dt, dd in zip(page.select(".legend dt"), page.select(".legend dd"))}
    assert set(legend) == {"最新", "要更新", "要確認", "手直しあり", "未翻訳", "訳文のみ", "未登録"}
    assert all(legend.values())
    # Each row names the file and line it comes from, so a writer can find it.
    meta = [m.get_text(" ", strip=True) for m in page.select(".sbs-row[data-state=review] .sbs-meta")]
    assert meta[0].startswith("日本語 ja.md ") and meta[1].startswith("中国語 zh.md ")


def test_fields_are_compared_too(site) -> None:
    fields = _sections(_page(site, "beta"))["タイトルと概要"]
    assert fields[0] == ("ok", "展示会の名刺を商談につなげる", "把展会名片转化为商谈")
    assert [state for state, _, _ in fields[1:]] == ["stale", "stale"]  # summary, tags: never translated


def test_a_missing_translation_shows_the_source_alone(site) -> None:
    page = _page(site, "delta")
    assert "zh.md" in page.select_one(".preview-note").get_text()
    rows = [row for rows in _sections(page).values() for row in rows]
    assert rows and all(state == "missing" and target == "—" for state, _, target in rows)
    assert ("missing", "下書きの本文。", "—") in rows


def test_a_translation_without_a_lock_file_is_paired_by_structure(site) -> None:
    page = _page(site, "epsilon")
    assert "--adopt" in page.select_one(".preview-note").get_text()
    sections = _sections(page)
    assert list(sections)[1:] == ["1. 現状を数える", "2. 候補を絞る"]
    rows = sections["1. 現状を数える"]
    assert [state for state, _, _ in rows] == ["untracked"] * 3
    assert rows[1] == ("untracked", "倉庫ごとの在庫と出荷の回数を、まず一か月分集める。", "首先收集每个仓库一个月的库存和出货次数。")
    # Images point where the build publishes them.
    images = [img["src"] for img in page.select(".sbs-row img")]
    assert images == ["../../media/epsilon/layout.svg"] * 2
    assert (site.out / "media/epsilon/layout.svg").is_file()


def test_rows_update_when_the_translation_is_brought_up_to_date(tmp_path) -> None:
    """Adopting again after fixing the translation by hand: the review and stale marks go."""
    from publisher.translation.lock import lock_path
    from support.preview_fixture import build_preview, make_preview_site

    config_path = make_preview_site(tmp_path)
    zh = config_path.parent / "articles/gamma/zh.md"
    lock_path(zh).unlink()
    zh.write_text(zh.read_text("utf-8").replace("status: published\n", "status: published\ntags: [工业园区]\n"),
                  "utf-8")
    from publisher.config import load_config
    from publisher.translation.translate import adopt

    adopt(load_config(config_path), slugs=["gamma"])
    out = tmp_path / "preview"
    build_preview(config_path, out)
    page = BeautifulSoup((out / "_preview/gamma/zh.html").read_text("utf-8"), "html.parser")
    assert {row["data-state"] for row in page.select(".sbs-row")} == {"ok"}
    assert not page.select(".sbs-row .state-badge")


@pytest.mark.browser
def test_two_columns_on_a_wide_screen_stacked_on_a_phone(site, browser, static_server, tmp_path,
                                                         record_screenshot) -> None:
    url = static_server(site.out) + "_preview/alpha/zh.html"

    def boxes(page):
        return page.eval_on_selector('.sbs-row[data-state="review"]', """row => {
            const box = (s) => { const r = row.querySelector(s).getBoundingClientRect();
                                 return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
            return {source: box('.sbs-source'), target: box('.sbs-target')};
        }""")

    context = desktop_context(browser, 1280, 900)
    try:
        page = context.new_page()
        page.goto(url)
        b = boxes(page)
        assert b["target"]["left"] > b["source"]["right"] and abs(b["target"]["top"] - b["source"]["top"]) < 2
    finally:
        context.close()

    context = mobile_context(browser, 360, 740)
    try:
        page = context.new_page()
        page.goto(url)
        b = boxes(page)
        assert b["target"]["top"] >= b["source"]["bottom"] and abs(b["target"]["left"] - b["source"]["left"]) < 2
        m = page.evaluate(MEASURE_JS, 360)
        assert m["scrollWidth"] <= 360 and not m["overflowing"], m["overflowing"]
        small = [t["what"] for t in m["targets"]
                 if not t["exempt"] and (t["height"] < 47.5 or (t["iconLike"] and t["width"] < 47.5))]
        assert not small, small
        shot = tmp_path / "side-by-side-360.png"
        page.screenshot(path=str(shot), full_page=True)
        record_screenshot(shot)
    finally:
        context.close()


def test_views_are_made_again_only_when_what_they_show_changed(tmp_path) -> None:
    from publisher.cache import Cache
    from support.preview_fixture import build_preview, make_preview_site

    config_path = make_preview_site(tmp_path)
    out = tmp_path / "preview"
    build_preview(config_path, out)
    cache = Cache(config_path.parent / ".publisher/cache")
    assert len(cache.keys("preview-views")) == 5  # one per article and target language
    before = {p: p.read_bytes() for p in (out / "_preview").glob("*/zh.html")}

    ja = config_path.parent / "articles/beta/ja.md"
    ja.write_text(ja.read_text("utf-8") + "\n書き足した一文。\n", "utf-8")
    build_preview(config_path, out)
    assert len(cache.keys("preview-views")) == 6, "only beta's view was made again"
    after = {p: p.read_bytes() for p in (out / "_preview").glob("*/zh.html")}
    assert [p.parent.name for p in before if before[p] != after[p]] == ["beta"]
    assert "書き足した一文。" in after[out / "_preview/beta/zh.html"].decode()

    # The glossary decides which machine translations are stale: every view is made again.
    (config_path.parent / "glossary.csv").write_text("ja,zh,note\n営業,销售,\n", "utf-8")
    build_preview(config_path, out)
    assert len(cache.keys("preview-views")) == 11
