"""JSON-LD Article and Open Graph / Twitter tags: right values, and no way out of <script>."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from publisher.site.metadata import (
    HEADLINE_MAX, MetaTag, article_json_ld, og_locale, script_safe_json, social_meta, trim_headline,
)

TOKYO = ZoneInfo("Asia/Tokyo")
PUBLISHED = datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO)
MODIFIED = datetime(2025, 12, 8, 11, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "https://www.example.com/zh/city-growth/"


def make(**overrides) -> str:
    arguments = dict(
        headline="中国城市成长故事：六座城市的产业集群",
        url=URL,
        lang="zh-CN",
        published=PUBLISHED,
        modified=MODIFIED,
        image_url="https://www.example.com/zh/city-growth/hero.webp",
        publisher_name="Sample Consulting Co., Ltd.",
        publisher_url="https://www.example.com/",
        publisher_logo_url="https://www.example.com/assets/logo.png",
        description="六座城市如何依靠产业集群成长。",
        section="中国",
    )
    arguments.update(overrides)
    return article_json_ld(**arguments)


class ScriptText(HTMLParser):
    """What a browser's HTML parser sees: the text of each <script> and every tag opened."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.tags: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_article_fields():
    data = json.loads(make())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == "中国城市成长故事：六座城市的产业集群"
    assert data["inLanguage"] == "zh-CN"
    assert data["datePublished"] == "2025-12-05T09:00:00+09:00"
    assert data["dateModified"] == "2025-12-08T11:15:00+08:00"
    assert data["image"] == ["https://www.example.com/zh/city-growth/hero.webp"]
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": URL}
    assert data["url"] == URL
    assert data["description"] == "六座城市如何依靠产业集群成长。"
    assert data["articleSection"] == "中国"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Sample Consulting Co., Ltd.",
        "url": "https://www.example.com/",
        "logo": {"@type": "ImageObject", "url": "https://www.example.com/assets/logo.png"},
    }
    assert data["author"] == data["publisher"]


def test_dates_parse_back_to_the_same_instants():
    data = json.loads(make())
    assert datetime.fromisoformat(data["datePublished"]) == PUBLISHED
    assert datetime.fromisoformat(data["dateModified"]) == MODIFIED


def test_optional_fields_left_out_and_person_author():
    data = json.loads(make(image_url=None, publisher_logo_url=None, description=None, section=None,
                           author_name="王 明", keywords=("城市", "DX")))
    for key in ("image", "description", "articleSection"):
        assert key not in data
    assert "logo" not in data["publisher"]
    assert data["author"] == {"@type": "Person", "name": "王 明"}
    assert data["keywords"] == ["城市", "DX"]


def test_modified_never_before_published():
    data = json.loads(make(modified=PUBLISHED - timedelta(days=1)))
    assert data["dateModified"] == data["datePublished"]


def test_naive_dates_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        make(published=datetime(2025, 12, 5, 9, 0))
    with pytest.raises(ValueError, match="time zone"):
        make(modified=datetime(2025, 12, 5, 9, 0))


def test_headline_trimmed_to_110_characters():
    long = "産業集群" * 40
    headline = json.loads(make(headline=long))["headline"]
    assert len(headline) == HEADLINE_MAX and headline.endswith("…")
    assert headline[:-1] == long[: HEADLINE_MAX - 1]
    exact = "あ" * HEADLINE_MAX
    assert trim_headline(exact) == exact
    assert trim_headline("  two\n lines  ") == "two lines"


def test_cjk_is_written_as_is_not_as_escapes():
    text = make()
    assert "中国城市成长故事" in text and "\\u4e2d" not in text


def test_script_breakout_is_impossible():
    evil = 'A </script><script>alert("x")</script> <!-- & B > C'
    text = make(headline=evil, description=evil, section="</SCRIPT >")
    for forbidden in ("<", ">", "&"):
        assert forbidden not in text
    page = f'<head><script type="application/ld+json">{text}</script><title>t</title></head>'
    parsed = ScriptText(page)
    assert parsed.tags == ["head", "script", "title"]  # no second <script> was opened
    assert len(parsed.scripts) == 1
    data = json.loads(parsed.scripts[0])
    assert data["headline"] == evil and data["description"] == evil
    assert data["articleSection"] == "</SCRIPT >"


def test_line_separators_are_escaped():
    text = script_safe_json({"a": "x\u2028y\u2029z"})
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "x\u2028y\u2029z"}


def test_social_meta_for_an_article():
    tags = social_meta(
        title="城市成长故事 & <产业>",
        url=URL,
        site_name="实用信息",
        lang="zh-CN",
        description="六座城市如何依靠产业集群成长。",
        image_url="https://www.example.com/zh/city-growth/hero.webp",
        image_alt="长江沿岸的工业区",
        image_size=(1200, 630),
        alternate_langs=("ja",),
        published=PUBLISHED,
        modified=MODIFIED,
        tags=("城市", "DX"),
    )
    assert all(isinstance(tag, MetaTag) for tag in tags)
    pairs = [(t.attribute, t.key, t.content) for t in tags]
    assert ("property", "og:type", "article") in pairs
    assert ("property", "og:title", "城市成长故事 & <产业>") in pairs  # escaping is the template's job
    assert ("property", "og:url", URL) in pairs
    assert ("property", "og:locale", "zh_CN") in pairs
    assert ("property", "og:locale:alternate", "ja_JP") in pairs
    assert ("property", "og:image:width", "1200") in pairs
    assert ("property", "og:image:alt", "长江沿岸的工业区") in pairs
    assert ("property", "article:published_time", "2025-12-05T09:00:00+09:00") in pairs
    assert [c for a, k, c in pairs if k == "article:tag"] == ["城市", "DX"]
    assert ("name", "twitter:card", "summary_large_image") in pairs
    assert ("name", "twitter:image:alt", "长江沿岸的工业区") in pairs
    assert all(a == ("name" if k.startswith("twitter:") else "property") for a, k, _ in pairs)


def test_social_meta_for_an_index_without_image():
    tags = social_meta(title="お役立ち情報", url="https://www.example.com/ja/", site_name="お役立ち情報",
                       lang="ja", og_type="website", published=PUBLISHED, tags=("x",))
    keys = {t.key: t.content for t in tags}
    assert keys["twitter:card"] == "summary" and keys["og:locale"] == "ja_JP"
    assert not any(k.startswith(("og:image", "article:", "twitter:image")) for k in keys)
    assert "og:description" not in keys


@pytest.mark.parametrize("lang, locale", [("ja", "ja_JP"), ("zh-CN", "zh_CN"), ("zh-Hans-CN", "zh_CN"),
                                          ("en-gb", "en_GB"), ("fr", "fr")])
def test_og_locale(lang, locale):
    assert og_locale(lang) == locale
