"""Atom feeds: what feedparser (the reader most aggregators build on) reads back."""

from __future__ import annotations

import calendar
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import feedparser
import pytest

from publisher.site.feeds import ATOM_NS, Feed, FeedEntry, atom_feed

SHANGHAI = ZoneInfo("Asia/Shanghai")
TOKYO = ZoneInfo("Asia/Tokyo")

FEED = Feed(
    feed_url="https://www.example.com/zh/feed.xml",
    site_url="https://www.example.com/zh/",
    title="实用信息 <商务> & 资讯",
    subtitle="面向在华日资企业的实务信息",
    lang="zh-CN",
    author="Sample Consulting Co., Ltd.",
    updated=datetime(2025, 12, 8, 10, 30, tzinfo=SHANGHAI),
    icon_url="https://www.example.com/assets/icon-192.png",
)

BODY = (
    '<h2 id="s1">1. 城市的成长</h2>\n'
    '<p>合肥把科技企业与地方资本结合起来。<a href="../bonded-zones/">保税区</a></p>\n'
    '<p><img src="hero.webp" alt="长江沿岸的工业区" width="800" height="450"></p>\n'
    '<p>见 <a href="#s1">第1节</a> 与 <a href="https://other.example.org/report">外部报告</a>。</p>\n'
)

NEWEST = FeedEntry(
    url="https://www.example.com/zh/city-growth/",
    title="城市成长故事 </title> & <script>",
    published=datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO),
    updated=datetime(2025, 12, 8, 10, 30, tzinfo=SHANGHAI),
    summary="六座城市如何依靠产业集群成长。",
    content_html=BODY,
    author=None,
    categories=("城市", "产业政策"),
)

OLDER = FeedEntry(
    url="https://www.example.com/zh/bonded-zones/",
    title="保税区入门",
    published=datetime(2025, 11, 20, 0, 0, tzinfo=timezone.utc),
    updated=datetime(2025, 11, 20, 0, 0, tzinfo=timezone.utc),
    summary=None,
    content_html="<p>保税区是什么？</p>",
    author="王 明",
    categories=(),
)


def parse(feed: Feed = FEED, entries=(NEWEST, OLDER)):
    data = atom_feed(feed, list(entries))
    assert isinstance(data, bytes)
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return data, parsed


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def test_feed_level_fields():
    _, parsed = parse()
    assert parsed.version == "atom10"
    assert parsed.encoding.lower() == "utf-8"
    feed = parsed.feed
    assert feed.id == FEED.feed_url
    assert feed.title == FEED.title  # '<' and '&' survive the round trip, escaped on the wire
    assert feed.subtitle == FEED.subtitle
    assert feed.language == "zh-CN"
    assert feed.author == FEED.author
    assert feed.icon == FEED.icon_url
    assert calendar.timegm(feed.updated_parsed) == epoch(FEED.updated)
    links = {link.rel: link for link in feed.links}
    assert links["self"].href == FEED.feed_url and links["self"].type == "application/atom+xml"
    assert links["alternate"].href == FEED.site_url and links["alternate"].hreflang == "zh-CN"


def test_entries_in_order_with_ids_links_and_dates():
    _, parsed = parse()
    assert [e.id for e in parsed.entries] == [NEWEST.url, OLDER.url]
    first = parsed.entries[0]
    assert first.link == NEWEST.url
    assert first.title == NEWEST.title
    assert first.published == "2025-12-05T09:00:00+09:00"
    assert first.updated == "2025-12-08T10:30:00+08:00"
    assert calendar.timegm(first.published_parsed) == epoch(NEWEST.published)
    assert calendar.timegm(first.updated_parsed) == epoch(NEWEST.updated)
    assert [tag.term for tag in first.tags] == ["城市", "产业政策"]
    assert first.summary == NEWEST.summary


def test_entry_author_falls_back_to_the_feed_author():
    _, parsed = parse()
    assert parsed.entries[0].author == FEED.author
    assert parsed.entries[1].author == "王 明"


def test_content_is_html_with_relative_links_resolved_against_the_article():
    _, parsed = parse()
    content = parsed.entries[0].content[0]
    assert content.type == "text/html"
    assert content.base == NEWEST.url
    assert content.language == "zh-CN"
    html = content.value
    assert 'src="https://www.example.com/zh/city-growth/hero.webp"' in html
    assert 'href="https://www.example.com/zh/bonded-zones/"' in html
    assert 'href="https://www.example.com/zh/city-growth/#s1"' in html
    assert 'href="https://other.example.org/report"' in html
    assert "合肥把科技企业与地方资本结合起来。" in html
    assert 'alt="长江沿岸的工业区"' in html


def test_on_the_wire_markup_is_escaped_and_cjk_is_raw_utf8():
    data, _ = parse()
    root = ET.fromstring(data)
    assert root.tag == f"{{{ATOM_NS}}}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'<feed xmlns="http://www.w3.org/2005/Atom"' in data
    assert "城市成长故事 &lt;/title&gt; &amp; &lt;script&gt;".encode() in data
    assert "合肥".encode("utf-8") in data
    content = root.find(f"{{{ATOM_NS}}}entry/{{{ATOM_NS}}}content")
    assert content.get("type") == "html" and content.text == BODY


def test_summary_only_feed_has_no_content():
    summary_only = FeedEntry(**{**NEWEST.__dict__, "content_html": None})
    data, parsed = parse(entries=[summary_only])
    entry = parsed.entries[0]
    assert "content" not in entry
    assert entry.summary == NEWEST.summary
    assert f"{{{ATOM_NS}}}content".encode() not in data and b"<content" not in data


def test_empty_feed_is_still_valid():
    _, parsed = parse(entries=[])
    assert parsed.entries == [] and parsed.feed.title == FEED.title


def test_optional_feed_fields_left_out():
    bare = Feed(**{**FEED.__dict__, "subtitle": None, "icon_url": None})
    data, parsed = parse(feed=bare)
    assert "subtitle" not in parsed.feed and "icon" not in parsed.feed
    assert b"<icon" not in data


def test_control_characters_pasted_into_text_do_not_break_the_feed():
    dirty = FeedEntry(**{**OLDER.__dict__, "title": "保税区\x0b入门\x00", "content_html": "<p>a\x1fb</p>"})
    _, parsed = parse(entries=[dirty])
    assert parsed.entries[0].title == "保税区入门"
    assert parsed.entries[0].content[0].value == "<p>ab</p>"


def test_updated_is_never_before_published():
    backwards = FeedEntry(**{**OLDER.__dict__, "updated": OLDER.published - timedelta(days=1)})
    _, parsed = parse(entries=[backwards])
    assert parsed.entries[0].updated == parsed.entries[0].published


def test_naive_datetimes_are_refused():
    naive = FeedEntry(**{**OLDER.__dict__, "published": datetime(2025, 11, 20, 9, 0)})
    with pytest.raises(ValueError, match="time zone"):
        atom_feed(FEED, [naive])
    with pytest.raises(ValueError, match="time zone"):
        atom_feed(Feed(**{**FEED.__dict__, "updated": datetime(2025, 12, 8)}), [])
