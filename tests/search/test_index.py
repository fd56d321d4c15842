"""The search index of a real build (real Pagefind extended binary) on a copy of the fixture site.

What the index holds is read back from Pagefind's own fragments (gzip'd JSON,
one per page): which pages, in which language, with which text.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.errors import PublisherError
from publisher.search import SearchContributor
from publisher.search.pagefind import index_site
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, Links, copy_fixture

PAGEFIND = "pagefind"


def _build(config_path: Path, tmp_path: Path, **options):
    config = dataclasses.replace(load_config(config_path), cache_dir=tmp_path / "cache")
    out = options.pop("out_dir", tmp_path / "out")
    return build_site(config, BuildOptions(now=options.pop("now", NOW), out_dir=out,
                                           contributors=(SearchContributor(),), **options))


def _fragments(out: Path) -> dict[str, str]:
    """Every indexed page: URL -> its indexed text (Pagefind's word breaks, U+200B, removed)."""
    pages = {}
    for fragment in sorted((out / PAGEFIND / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        page = json.loads(data[len(b"pagefind_dcd"):])
        pages[page["url"]] = page["content"]
    return {url: content.replace("\u200b", "") for url, content in pages.items()}


def _entry(out: Path) -> dict:
    return json.loads((out / PAGEFIND / "pagefind-entry.json").read_text("utf-8"))


def test_one_index_per_language_holding_the_live_article_pages_only(tmp_path):
    out = _build(copy_fixture(tmp_path), tmp_path).out_dir
    languages = _entry(out)["languages"]
    assert {lang: info["page_count"] for lang, info in languages.items()} == {"ja": 2, "zh-cn": 1}
    assert sorted(_fragments(out)) == ["/ja/alpha/", "/ja/beta/", "/zh/alpha/"]
    for bundle_file in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (out / PAGEFIND / bundle_file).is_file()


def test_title_and_body_are_indexed_and_site_furniture_is_not(tmp_path):
    out = _build(copy_fixture(tmp_path), tmp_path).out_dir
    alpha = _fragments(out)["/ja/alpha/"]
    assert "地方都市の工業団地を選ぶときの三つの視点" in alpha  # the title
    assert "沿海部の人件費" in alpha  # the body
    for furniture in ("目次", "お問い合わせ", "人気情報ランキング", "無断転載", "AI 生成", "ご意見", "公開日"):
        assert furniture not in alpha, furniture


def test_japanese_and_chinese_are_split_into_words(tmp_path):
    """The extended build segments CJK text (the plain one would index a sentence as one word): the raw
    fragments carry its word breaks."""
    out = _build(copy_fixture(tmp_path), tmp_path).out_dir
    for fragment in (out / PAGEFIND / "fragment").glob("*.pf_fragment"):
        content = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])["content"]
        assert content.count("\u200b") > 20, fragment.name


def test_search_pages_and_the_search_box(tmp_path):
    out = _build(copy_fixture(tmp_path), tmp_path).out_dir
    for lang, html_lang in (("ja", "ja"), ("zh", "zh-CN")):
        page = (out / lang / "search" / "index.html").read_text("utf-8")
        links = Links(page)
        assert links.lang == html_lang
        assert links.robots == "noindex"  # results are made in the browser: nothing for search engines
        assert 'src="../../pagefind/pagefind-ui.js"' in page and 'src="../../assets/search.js"' in page
        index = (out / lang / "index.html").read_text("utf-8")
        assert f'<form class="search-box" role="search" action="../{lang}/search/" method="get"' in index
        assert "<script" not in index.replace('<script type="application/ld+json">', "")  # no script to load
    tag_page = (out / "ja/tags/営業/index.html").read_text("utf-8")
    assert 'action="../../../ja/search/"' in tag_page
    assert "search/" not in (out / "sitemap.xml").read_text("utf-8")
    strings = (out / "zh/search/index.html").read_text("utf-8")
    assert "\\u641c\\u7d22\\u6587\\u7ae0" in strings  # 搜索文章, the placeholder from [strings.zh]
    assert "[SEARCH_TERM]" in strings and "[COUNT]" in strings  # {term}, {count} in Pagefind's terms


def test_no_search_without_the_contributor(tmp_path):
    config = dataclasses.replace(load_config(copy_fixture(tmp_path)), cache_dir=tmp_path / "cache")
    out = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out")).out_dir
    assert not (out / PAGEFIND).exists()
    assert not (out / "ja/search").exists()
    assert "search-box" not in (out / "ja/index.html").read_text("utf-8")


def test_unchanged_build_does_not_index_again(tmp_path):
    config_path = copy_fixture(tmp_path)
    first = _build(config_path, tmp_path)
    before = {p: p.stat().st_ino for p in (first.out_dir / PAGEFIND).rglob("*") if p.is_file()}
    again = _build(config_path, tmp_path)
    assert again.nothing_changed and again.files_written == 0
    after = {p: p.stat().st_ino for p in (again.out_dir / PAGEFIND).rglob("*") if p.is_file()}
    assert after == before  # the same files, not written anew


def test_edit_is_indexed_by_the_next_build_and_unchanged_index_files_are_kept(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    beta_fragment = {url: content for url, content in _fragments(out).items()}["/ja/beta/"]
    ui = (out / PAGEFIND / "pagefind-ui.js").stat().st_ino
    alpha = config_path.parent / "articles/alpha/ja.md"
    alpha.write_text(alpha.read_text("utf-8") + "\n景徳鎮の窯元を訪ねた記録も加えた。\n", "utf-8")
    report = _build(config_path, tmp_path)
    assert not report.nothing_changed
    indexed = _fragments(out)
    assert "景徳鎮の窯元" in indexed["/ja/alpha/"]
    assert indexed["/ja/beta/"] == beta_fragment
    assert (out / PAGEFIND / "pagefind-ui.js").stat().st_ino == ui  # unchanged files are kept, not rewritten


def test_withdrawn_article_leaves_the_index(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    assert "/ja/beta/" in _fragments(out)
    beta = config_path.parent / "articles/beta/ja.md"
    beta.write_text(beta.read_text("utf-8").replace("status: published", "status: draft", 1), "utf-8")
    _build(config_path, tmp_path)
    assert sorted(_fragments(out)) == ["/ja/alpha/", "/zh/alpha/"]
    assert _entry(out)["languages"]["ja"]["page_count"] == 1


def test_drafts_are_indexed_only_in_a_preview_build(tmp_path):
    config_path = copy_fixture(tmp_path)
    production = _build(config_path, tmp_path).out_dir
    preview = _build(config_path, tmp_path, out_dir=tmp_path / "preview", include_drafts=True,
                     include_future=True).out_dir
    assert "/ja/delta/" not in _fragments(production)
    assert "/ja/delta/" in _fragments(preview) and "/ja/gamma/" in _fragments(preview)


def test_article_named_search_is_refused_with_a_clear_message(tmp_path):
    config_path = copy_fixture(tmp_path)
    folder = config_path.parent / "articles/search"
    folder.mkdir()
    (folder / "ja.md").write_text("---\ntitle: 検索という名の記事\ndate: 2025-12-01\nstatus: published\n---\n\n"
                                  "本文。\n", "utf-8")
    with pytest.raises(PublisherError, match=r"the article folder 'search' has the URL of the search page "
                                             r"/ja/search/; rename the folder"):
        _build(config_path, tmp_path)
    assert not (tmp_path / "out").exists()


def test_site_dir_is_never_written_by_pagefind(tmp_path):
    """Pagefind writes its bundle elsewhere and the build adds it as new files: the trees share unchanged
    files as hard links, so a file changed in place would change the live site too."""
    config_path = copy_fixture(tmp_path)
    out = _build(config_path, tmp_path).out_dir
    alpha = config_path.parent / "articles/alpha/zh.md"
    alpha.write_text(alpha.read_text("utf-8") + "\n新增一段关于景德镇的记录。\n", "utf-8")
    _build(config_path, tmp_path)
    spare = out.with_name(f".{out.name}.spare")
    entry_before = json.loads((spare / PAGEFIND / "pagefind-entry.json").read_text("utf-8"))
    entry_after = _entry(out)
    assert entry_before["languages"]["zh-cn"]["hash"] != entry_after["languages"]["zh-cn"]["hash"]
    assert "景德镇" in _fragments(out)["/zh/alpha/"] and "景德镇" not in _fragments(spare)["/zh/alpha/"]


def test_the_same_site_gives_the_same_index_bytes(tmp_path):
    """Pagefind lists the languages of its entry file in a different order from run to run; the build fixes
    the order, so that an unchanged site uploads nothing and a build killed half-way leaves a whole site."""
    out = _build(copy_fixture(tmp_path), tmp_path).out_dir
    runs = [index_site(out) for _ in range(4)]
    assert all(run == runs[0] for run in runs[1:])
    assert list(json.loads(runs[0]["pagefind/pagefind-entry.json"])["languages"]) == ["ja", "zh-cn"]
