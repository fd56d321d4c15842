"""An Atom feed per tag and language, linked from each tag page."""

from __future__ import annotations

import re

import feedparser

from support.fixture_site import NOW, build


def test_each_tag_page_links_its_own_feed_of_exactly_its_live_articles(tmp_path):
    out = build(tmp_path, now=NOW)
    tag_pages = sorted(out.glob("*/tags/*/index.html"))
    assert tag_pages
    for page in tag_pages:
        html = page.read_text("utf-8")
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">',
                           html)
        assert ("feed.xml" in [href for _, href in links]), page
        feed_file = page.parent / "feed.xml"
        feed = feedparser.parse(feed_file.read_bytes())
        assert not feed.bozo, (feed_file, feed.bozo_exception)
        lang = page.relative_to(out).parts[0]
        cards = html.split('<ol class="cards">', 1)[1].split("</ol>", 1)[0]
        listed = set(re.findall(rf'href="(?:\.\./)+{lang}/([^"/]+)/"', cards))
        assert {e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries} == listed, page
        assert all(e.link.startswith(f"https://fixture.example.org/blog/{lang}/") for e in feed.entries)
        assert feed.feed.link.endswith("/") and "tags" in feed.feed.link
    # The scheduled article (gamma, tagged 工業団地) is in no tag feed before its release.
    assert not [f for f in out.glob("*/tags/*/feed.xml") if "gamma" in f.read_text("utf-8")]


def test_a_released_article_joins_its_tag_feed(tmp_path):
    from datetime import datetime
    from support.fixture_site import TOKYO

    out = build(tmp_path, now=datetime(2026, 6, 2, 9, 0, tzinfo=TOKYO))
    feed = feedparser.parse((out / "ja/tags/工業団地/feed.xml").read_bytes())
    assert "https://fixture.example.org/blog/ja/gamma/" in {e.id for e in feed.entries}
