"""Popularity ranking from GA4 CSV exports: messy real-world files in, views per slug out."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.site.ranking import Pageviews, load_pageviews, top_articles

LANGS = ("ja", "zh")

ENGLISH_EXPORT = """\
# ----------------------------------------
# Pages and screens: Page path and screen class
# Account: Sample Consulting
# Property: Sample blog
# ----------------------------------------
#
# All Users
# Start date: 20251101
# End date: 20251130
#

Page path and screen class,Views,Users,Views per user,Average engagement time
,"4,321",1200,3.6,55
/ja/city-growth/,"1,234",900,1.37,80
/zh/city-growth/,100,80,1.25,70
/ja/bonded-zones/,800,600,1.33,90
/ja/bonded-zones/?utm_source=newsletter,50,40,1.25,30
/zh/bonded-zones/index.html,7,5,1.4,20
/ja/,2000,1500,1.33,10
/en/city-growth/,999,1,1,1
/ja/tags/dx/,300,200,1.5,12
Grand total,"4,321",1200,3.6,55
"""


def write(tmp_path: Path, text: str, *, bom: bool = False, name: str = "pageviews.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_english_export_sums_languages_and_ignores_unknown_paths(tmp_path):
    pageviews, problem = load_pageviews(write(tmp_path, ENGLISH_EXPORT), languages=LANGS)
    assert problem is None
    assert dict(pageviews.views) == {"city-growth": 1334, "bonded-zones": 857}


def test_japanese_export_with_bom_full_urls_and_fragments(tmp_path):
    text = (
        "# ページとスクリーン: ページ パスとスクリーン クラス\n"
        "# 開始日: 20251101\n"
        "\n"
        "ページ パスとスクリーン クラス,表示回数,ユーザー\n"
        "https://www.example.com/ja/city-growth/#section-2,\"2,500\",10\n"
        "https://www.example.com/zh/city-growth,500,10\n"
        "/ja/ev-battery/index.html?ref=top,30,1\n"
        "合計,\"3,030\",21\n"
    )
    pageviews, problem = load_pageviews(write(tmp_path, text, bom=True), languages=LANGS)
    assert problem is None
    assert dict(pageviews.views) == {"city-growth": 3000, "ev-battery": 30}


def test_site_under_a_base_path(tmp_path):
    text = (
        "Page path,Screen page views\n"
        "/blog/ja/city-growth/,10\n"
        "/blog/zh/city-growth/,5\n"
        "/ja/city-growth/,1000\n"          # outside the site: another app on the same host
        "https://www.example.com/blog/ja/bonded-zones,3\n"
    )
    path = write(tmp_path, text)
    for base in ("/blog/", "/blog", "blog", "https://www.example.com/blog/"):
        pageviews, problem = load_pageviews(path, languages=LANGS, base_path=base)
        assert problem is None
        assert dict(pageviews.views) == {"city-growth": 15, "bonded-zones": 3}, base


def test_third_language_is_configuration_only(tmp_path):
    text = "Page path,Views\n/ja/a/,1\n/en/a/,2\n/ko/a/,4\n"
    pageviews, _ = load_pageviews(write(tmp_path, text), languages=("ja", "zh", "en"))
    assert dict(pageviews.views) == {"a": 3}


def test_percent_encoded_paths_are_decoded(tmp_path):
    text = "Page path,Views\n/ja/%E6%88%90%E9%95%B7/,4\n/zh/成長/,1\n"
    pageviews, _ = load_pageviews(write(tmp_path, text), languages=LANGS)
    assert dict(pageviews.views) == {"成長": 5}


def test_missing_file_is_one_warning_naming_it(tmp_path):
    path = tmp_path / "data" / "pageviews.csv"
    pageviews, problem = load_pageviews(path, languages=LANGS)
    assert pageviews is None
    assert problem.severity == "warning"
    assert problem.path == path and problem.line is None
    assert "missing" in problem.message and "Download CSV" in problem.message
    assert str(path) in problem.format()


def test_unrecognised_header_names_its_line(tmp_path):
    text = "# Pages and screens\n\nPage title,Views\nHome,3\n"
    pageviews, problem = load_pageviews(write(tmp_path, text), languages=LANGS)
    assert pageviews is None
    assert (problem.line, problem.severity) == (3, "warning")
    assert "header" in problem.message and "Page path" in problem.message
    assert problem.format().startswith(f"{tmp_path / 'pageviews.csv'}:3: ranking: warning: ")


@pytest.mark.parametrize("value", ["many", "12.5", "-3", "", "1,23"])
def test_non_numeric_views_names_its_line(tmp_path, value):
    text = f"# report\nPage path,Views\n/ja/a/,10\n/ja/b/,\"{value}\"\n"
    pageviews, problem = load_pageviews(write(tmp_path, text), languages=LANGS)
    assert pageviews is None
    assert problem.line == 4
    assert repr(value) in problem.message and "/ja/b/" in problem.message


def test_short_row_is_reported_not_a_traceback(tmp_path):
    pageviews, problem = load_pageviews(write(tmp_path, "Page path,Views\n/ja/a/\n"), languages=LANGS)
    assert pageviews is None and problem.line == 2


def test_empty_file_and_comments_only(tmp_path):
    for text in ("", "# Pages and screens\n#\n\n"):
        pageviews, problem = load_pageviews(write(tmp_path, text), languages=LANGS)
        assert pageviews is None and "no header" in problem.message


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "pageviews.csv"
    path.write_bytes("Page path,Views\n/ja/a/,1\n/ja/表示/,2\n".encode("shift_jis"))
    pageviews, problem = load_pageviews(path, languages=LANGS)
    assert pageviews is None
    assert problem.line == 3 and "UTF-8" in problem.message


def test_multi_table_export_stops_at_the_next_section(tmp_path):
    text = ENGLISH_EXPORT + "# ----\n# Second table\nDate,Views\n20251101,abc\n"
    pageviews, problem = load_pageviews(write(tmp_path, text), languages=LANGS)
    assert problem is None and pageviews.views["city-growth"] == 1334


def test_views_mapping_is_read_only(tmp_path):
    pageviews, _ = load_pageviews(write(tmp_path, ENGLISH_EXPORT), languages=LANGS)
    with pytest.raises(TypeError):
        pageviews.views["x"] = 1  # type: ignore[index]


def test_top_articles_only_live_highest_first_ties_by_slug():
    pageviews = Pageviews(views={"a": 5, "b": 9, "c": 5, "draft": 100, "d": 1, "zero": 0})
    live = {"a", "b", "c", "d", "zero", "never-viewed"}
    assert top_articles(pageviews, live, 10) == (("b", 9), ("a", 5), ("c", 5), ("d", 1))
    assert top_articles(pageviews, live, 2) == (("b", 9), ("a", 5))
    assert top_articles(pageviews, live, 0) == ()
    assert top_articles(pageviews, set(), 10) == ()
