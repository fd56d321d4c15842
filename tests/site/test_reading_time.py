"""Reading time on article pages and on the cards of every list, in each language's unit and words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.cache import Cache
from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture

# 13 kanji and kana a sentence (the `。` is not counted): 400 sentences are 5,200 characters, 10.4 minutes.
JA_SENTENCE = "地方都市の工業団地を比べる。"
# 11 hanzi a sentence: 400 sentences are 4,400 characters, 11 minutes at 400 a minute.
ZH_SENTENCE = "比较地方城市的工业园区。"


def set_body(config_path: Path, slug: str, lang: str, body: str) -> None:
    path = config_path.parent / "articles" / slug / f"{lang}.md"
    text = path.read_text("utf-8")
    head, _, _old = text.partition("\n---\n")
    path.write_text(f"{head}\n---\n\n{body}", "utf-8")


@pytest.fixture()
def site(tmp_path):
    config_path = copy_fixture(tmp_path)
    set_body(config_path, "alpha", "ja", "## 1. 比べる\n\n" + JA_SENTENCE * 400 + "\n")
    set_body(config_path, "alpha", "zh", "## 1. 比较\n\n" + ZH_SENTENCE * 400 + "\n")
    return config_path


def build(config_path: Path, out: Path) -> Path:
    build_site(load_config(config_path), BuildOptions(now=NOW, out_dir=out))
    return out


def shown(path: Path, kind: str) -> list[str]:
    return re.findall(rf'<span class="{kind}-reading">([^<]*)</span>', path.read_text("utf-8"))


def test_article_pages_show_minutes_counted_in_characters(site, tmp_path):
    out = build(site, tmp_path / "out")
    assert shown(out / "ja/alpha/index.html", "article") == ["約10分で読めます"]   # 5,200 characters / 500
    assert shown(out / "zh/alpha/index.html", "article") == ["阅读约需11分钟"]     # 4,400 characters / 400
    assert shown(out / "ja/beta/index.html", "article") == ["約1分で読めます"]     # a short article: a minute


def test_cards_show_the_reading_time_of_each_article(site, tmp_path):
    out = build(site, tmp_path / "out")
    assert shown(out / "ja/index.html", "card") == ["約1分で読めます", "約10分で読めます"]  # beta, then alpha
    assert shown(out / "zh/index.html", "card") == ["阅读约需11分钟"]
    assert shown(out / "ja/tags/工業団地/index.html", "card") == ["約10分で読めます"]


def test_an_edited_body_updates_its_page_and_every_card(site, tmp_path):
    out = build(site, tmp_path / "out")
    set_body(site, "alpha", "ja", JA_SENTENCE * 1000 + "\n")  # 13,000 characters: 26 minutes
    build(site, out)
    assert shown(out / "ja/alpha/index.html", "article") == ["約26分で読めます"]
    assert shown(out / "ja/index.html", "card") == ["約1分で読めます", "約26分で読めます"]
    assert shown(out / "ja/tags/立地選定/index.html", "card") == ["約26分で読めます"]


def test_unchanged_bodies_are_not_counted_again(site, tmp_path):
    out = build(site, tmp_path / "out")
    cache = Cache(tmp_path / "site" / ".publisher" / "cache")
    counted = cache.keys("reading")
    assert len(counted) == 3  # alpha ja, alpha zh, beta ja
    # Another article changes: alpha's bodies come from the cache, with their counts, and are not rendered.
    set_body(site, "beta", "ja", "短い本文。\n")
    build(site, out)
    assert shown(out / "ja/index.html", "card") == ["約1分で読めます", "約10分で読めます"]
    assert len(cache.keys("reading") - counted) == 1  # only beta's new body was counted
