"""Site-wide outputs of a build: pagination, ranking, tags, feeds, sitemap, metadata, 404, releases."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, TOKYO, Links, build, copy_fixture

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://fixture.example.org/blog/"


def set_config(config_path: Path, table: str, line: str) -> None:
    """Add `line` to `[table]` of a copied fixture config (creating the table)."""
    text = config_path.read_text("utf-8")
    if f"[{table}]" in text:
        text = text.replace(f"[{table}]\n", f"[{table}]\n{line}\n", 1)
    else:
        text += f"\n[{table}]\n{line}\n"
    config_path.write_text(text, "utf-8")


def add_articles(config_path: Path, count: int) -> None:
    for number in range(count):
        folder = config_path.parent / "articles" / f"extra-{number:02d}"
        folder.mkdir()
        (folder / "ja.md").write_text(
            f"---\ntitle: 追加記事{number}\ndate: 2025-10-{number + 1:02d}\nstatus: published\ntags: [営業]\n---\n\n"
            f"本文{number}。\n", "utf-8")


# --- index pages -------------------------------------------------------------


def test_index_is_newest_first_and_paginated(tmp_path):
    config_path = copy_fixture(tmp_path)
    set_config(config_path, "site", "per_page = 2")
    add_articles(config_path, 3)
    out = build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    first = (out / "ja/index.html").read_text("utf-8")
    second = (out / "ja/page/2/index.html").read_text("utf-8")
    third = (out / "ja/page/3/index.html").read_text("utf-8")
    assert not (out / "ja/page/4").exists()
    # beta 2025-12-05, alpha 2025-11-01, then extra-02, 01, 00 (October).
    assert first.index('href="../ja/beta/"') < first.index('href="../ja/alpha/"')
    assert 'href="../../../ja/extra-02/"' in second and 'href="../../../ja/extra-01/"' in second
    assert 'href="../../../ja/extra-00/"' in third
    links = Links(second).hrefs
    assert "../../" in links and "../../page/3/" in links  # previous (page 1) and next
    assert 'rel="prev"' in second and 'rel="next"' in second and 'rel="next"' not in third
    assert 'aria-current="page">2<' in second
    assert '<link rel="canonical" href="https://fixture.example.org/blog/ja/page/2/">' in second


def test_short_index_has_no_pagination(tmp_path):
    out = build(tmp_path)
    assert 'class="pagination"' not in (out / "ja/index.html").read_text("utf-8")
    assert not (out / "ja/page").exists()


# --- ranking -----------------------------------------------------------------


def test_ranking_counts_both_languages_and_only_live_articles(tmp_path):
    out = build(tmp_path)
    page = (out / "ja/index.html").read_text("utf-8")
    ranking = page[page.index('class="ranking"'):]
    # alpha: 900 (ja) + 950 (zh, with a query string) = 1850 > beta: 1500 + 300.
    # gamma has the most views but is not live; unknown paths are ignored.
    assert ranking.index("../ja/alpha/") < ranking.index("../ja/beta/")
    assert "gamma" not in ranking and "unknown-article" not in ranking
    assert "人気情報ランキング" in page
    article = (out / "ja/beta/index.html").read_text("utf-8")
    assert 'class="ranking"' in article
    # zh: beta's translation is a draft, so only alpha ranks there.
    zh = (out / "zh/index.html").read_text("utf-8")
    zh_ranking = zh[zh.index('class="ranking"'):]
    assert "../zh/alpha/" in zh_ranking and "beta" not in zh_ranking


def test_ranking_size_is_configurable(tmp_path):
    config_path = copy_fixture(tmp_path)
    set_config(config_path, "ranking", "size = 1")
    out = build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    page = (out / "ja/index.html").read_text("utf-8")
    ranking = page[page.index('class="ranking"'):page.index("</section>", page.index('class="ranking"'))]
    assert ranking.count("<li>") == 1 and "../ja/alpha/" in ranking


@pytest.mark.parametrize("content, expected", [
    (None, "the analytics export is missing"),
    ("# report\nPage path and screen class,Views\n/blog/ja/alpha/,many\n", "pageviews.csv:3: ranking"),
    ("just,some,columns\n1,2,3\n", "header"),
])
def test_missing_or_malformed_ranking_hides_it_with_one_warning(tmp_path, content, expected):
    config_path = copy_fixture(tmp_path)
    data = config_path.parent / "data/pageviews.csv"
    if content is None:
        data.unlink()
    else:
        data.write_text(content, "utf-8")
    report = build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    ranking_warnings = [w for w in report.warnings if w.field == "ranking"]
    assert len(ranking_warnings) == 1 and expected in ranking_warnings[0].format()
    assert ranking_warnings[0].path == data
    for page in report.out_dir.rglob("*.html"):
        assert 'class="ranking"' not in page.read_text("utf-8"), page


# --- tags and related ----------------------------------------------------------


def test_tag_pages_per_language(tmp_path):
    out = build(tmp_path)
    ja_tag = (out / "ja/tags/工業団地/index.html").read_text("utf-8")
    assert "タグ「工業団地」の記事" in ja_tag and 'href="../../../ja/alpha/"' in ja_tag
    assert "gamma" not in ja_tag  # tagged 工業団地 too, but not live
    zh_tag = (out / "zh/tags/工业园区/index.html").read_text("utf-8")
    assert 'href="../../../zh/alpha/"' in zh_tag
    tag_list = (out / "ja/tags/index.html").read_text("utf-8")
    assert "営業" in tag_list and "(1)" in tag_list
    article = (out / "ja/alpha/index.html").read_text("utf-8")
    assert 'href="../../ja/tags/%E5%B7%A5%E6%A5%AD%E5%9B%A3%E5%9C%B0/"' in article  # 工業団地, percent-encoded


def test_related_links_come_from_related_then_shared_tags(tmp_path):
    config_path = copy_fixture(tmp_path)
    add_articles(config_path, 2)  # tagged 営業, like beta
    out = build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    beta = (out / "ja/beta/index.html").read_text("utf-8")
    related = beta[beta.index('class="related"'):beta.index("</ul>", beta.index('class="related"'))]
    # beta lists no `related`; both extra articles share its tag, newest first.
    assert related.index("extra-01") < related.index("extra-00")
    alpha = (out / "ja/alpha/index.html").read_text("utf-8")
    alpha_related = alpha[alpha.index('class="related"'):alpha.index("</ul>", alpha.index('class="related"'))]
    assert alpha_related.index("../../ja/beta/") >= 0 and "extra" not in alpha_related  # no shared tag


# --- feeds, sitemap, robots ------------------------------------------------------


def test_atom_feeds_parse_and_hold_only_live_articles(tmp_path):
    out = build(tmp_path)
    for lang, expected in (("ja", ["beta", "alpha"]), ("zh", ["alpha"])):
        feed = feedparser.parse((out / f"{lang}/feed.xml").read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert [e.link.rstrip("/").rsplit("/", 1)[1] for e in feed.entries] == expected
        assert feed.feed.language == ("zh-CN" if lang == "zh" else "ja")
        entry = feed.entries[-1]
        assert entry.content[0].value  # full content by default
    ja = feedparser.parse((out / "ja/feed.xml").read_bytes())
    alpha = ja.entries[1]
    assert alpha.title == "【中国T01】地方都市の工業団地を選ぶときの三つの視点"
    assert alpha.published.startswith("2025-11-01T00:00:00+09:00")
    assert "https://fixture.example.org/blog/media/alpha/" in alpha.content[0].value or "<img" not in \
        alpha.content[0].value
    page = (out / "ja/index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="お役立ち情報" href="../ja/feed.xml">' in page


def test_summary_feeds(tmp_path):
    config_path = copy_fixture(tmp_path)
    set_config(config_path, "feeds", 'content = "summary"')
    out = build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    feed = feedparser.parse((out / "ja/feed.xml").read_bytes())
    assert feed.bozo == 0
    assert all("content" not in entry for entry in feed.entries)
    assert feed.entries[0].summary == "展示会で集めた名刺を、一週間以内に商談へつなげる手順。"


def test_sitemap_lists_live_pages_with_hreflang_alternates(tmp_path):
    out = build(tmp_path)
    root = ElementTree.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    urls = {u.find(f"{SITEMAP}loc").text: u for u in root.findall(f"{SITEMAP}url")}
    assert f"{BASE}ja/alpha/" in urls and f"{BASE}zh/alpha/" in urls and f"{BASE}ja/beta/" in urls
    assert not any("gamma" in u or "delta" in u or "zh/beta" in u for u in urls)
    alternates = {link.get("hreflang"): link.get("href")
                  for link in urls[f"{BASE}zh/alpha/"].findall(f"{XHTML}link")}
    assert alternates == {"ja": f"{BASE}ja/alpha/", "zh-CN": f"{BASE}zh/alpha/", "x-default": f"{BASE}ja/alpha/"}
    assert urls[f"{BASE}ja/beta/"].findall(f"{XHTML}link") == []  # no published translation
    assert urls[f"{BASE}ja/alpha/"].find(f"{SITEMAP}lastmod").text.startswith("2025-11-01")
    robots = (out / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots and "Disallow: /" not in robots


def test_preview_build_robots_disallow_everything(tmp_path):
    out = build(tmp_path, include_drafts=True, include_future=True)
    robots = (out / "robots.txt").read_text("utf-8")
    assert "Disallow: /" in robots and "Sitemap" not in robots
    root = ElementTree.parse(out / "sitemap.xml").getroot()
    assert not any("gamma" in (u.find(f"{SITEMAP}loc").text) for u in root.findall(f"{SITEMAP}url"))
    assert not (out / "releases.json").exists()


# --- metadata ----------------------------------------------------------------


def test_canonical_open_graph_twitter_and_json_ld(tmp_path):
    out = build(tmp_path)
    page = (out / "zh/alpha/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://fixture.example.org/blog/zh/alpha/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:locale" content="zh_CN">' in page
    assert '<meta property="og:url" content="https://fixture.example.org/blog/zh/alpha/">' in page
    assert '<meta property="og:image" content="https://fixture.example.org/blog/zh/alpha/card.jpg">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    index_page = (out / "ja/index.html").read_text("utf-8")  # list pages keep the site's image
    assert '<meta property="og:image" content="https://fixture.example.org/blog/assets/og-image.png">' in index_page
    script = page[page.index('<script type="application/ld+json">') + 35:page.index("</script>")]
    data = json.loads(script)
    assert data["@type"] == "Article" and data["inLanguage"] == "zh-CN"
    assert data["headline"] == "选择地方城市工业园区的三个视角"
    assert data["datePublished"] == "2025-11-01T00:00:00+09:00"
    assert data["publisher"]["name"] == "Sample Consulting Co., Ltd."
    assert data["image"]
    index = (out / "ja/index.html").read_text("utf-8")
    assert '<meta property="og:type" content="website">' in index and "application/ld+json" not in index


def test_not_found_page_and_favicons(tmp_path):
    out = build(tmp_path)
    page = (out / "404.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert "ページが見つかりません" in page and "找不到该页面" in page
    # Served at any depth, so links start from the site's path, not "../".
    assert 'href="/blog/assets/site.css"' in page and 'href="/blog/ja/"' in page and 'href="/blog/zh/"' in page
    assert (out / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (out / "assets/favicon.svg").exists() and (out / "assets/apple-touch-icon.png").exists()


# --- releases ------------------------------------------------------------------


def test_releases_json_names_what_went_live_since_the_previous_build(tmp_path):
    config = load_config(copy_fixture(tmp_path))
    out = tmp_path / "out"
    first = build_site(config, BuildOptions(now=NOW, out_dir=out))
    assert first.released == ()  # a first build announces nothing: nothing to compare with
    assert json.loads((out / "releases.json").read_text("utf-8"))["released"] == []
    later = datetime(2026, 6, 1, 9, 0, tzinfo=TOKYO)  # gamma's release instant
    second = build_site(config, BuildOptions(now=later, out_dir=out))
    assert [(r.slug, r.lang) for r in second.released] == [("gamma", "ja"), ("gamma", "zh")]
    releases = json.loads((out / "releases.json").read_text("utf-8"))
    assert [r["url"] for r in releases["released"]] == [f"{BASE}ja/gamma/", f"{BASE}zh/gamma/"]
    assert releases["previous_build_at"] == NOW.isoformat() and releases["built_at"] == later.isoformat()
    third = build_site(config, BuildOptions(now=later, out_dir=out))
    assert third.released == () and third.nothing_changed


def test_nothing_that_is_not_live_leaks_into_any_output(tmp_path):
    out = build(tmp_path)
    for file in out.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".xml", ".json", ".txt"):
            text = file.read_text("utf-8")
            for hidden in ("gamma", "delta", "来年の政策カレンダー", "zh/beta", "把展会名片转化为商谈"):
                assert hidden not in text, (file, hidden)



def test_pages_that_leave_the_site_are_announced_like_releases(tmp_path):
    import contextlib
    import shutil

    from click.testing import CliRunner

    from publisher.cli import main

    config_path = copy_fixture(tmp_path)
    config = load_config(config_path)
    out = tmp_path / "out"
    later = datetime(2026, 6, 1, 9, 0, tzinfo=TOKYO)
    build_site(config, BuildOptions(now=later, out_dir=out))  # alpha, beta (ja) and gamma are live
    articles = config_path.parent / "articles"
    gamma = articles / "gamma" / "ja.md"
    gamma.write_text(gamma.read_text("utf-8").replace("status: published", "status: draft"), "utf-8")
    beta = articles / "beta" / "ja.md"
    beta.write_text(beta.read_text("utf-8").replace("date: 2025-12-05", "date: 2027-12-05")
                    .replace("publish_at: 2025-12-05T09:00", "publish_at: 2027-12-05T09:00"), "utf-8")
    shutil.rmtree(articles / "alpha")
    with contextlib.chdir(config_path.parent):
        result = CliRunner().invoke(main, ["build", "--now", later.isoformat(), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert f"left the site (deleted): {BASE}ja/alpha/\n" in result.stdout  # its title went with it
    assert f"left the site (scheduled again for later): {BASE}ja/beta/  " in result.stdout
    assert f"left the site (no longer published): {BASE}ja/gamma/  来年の政策カレンダー" in result.stdout
    releases = json.loads((out / "releases.json").read_text("utf-8"))
    gone = {(r["slug"], r["lang"]): r["reason"] for r in releases["withdrawn"]}
    assert gone == {("alpha", "ja"): "deleted", ("alpha", "zh"): "deleted", ("beta", "ja"): "scheduled",
                    ("gamma", "ja"): "withdrawn", ("gamma", "zh"): "withdrawn"}
    assert all(r["event"] == "withdrawn" for r in releases["withdrawn"])
    assert [r["event"] for r in releases["history"]] == ["withdrawn"] * 5
