"""sitemap.xml (namespaces, hreflang alternates, lastmod) and robots.txt."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.errors import PublisherError
from publisher.site.sitemap import (
    SITEMAP_NS, XHTML_NS, Alternate, SitemapUrl, robots_txt, sitemap_xml, w3c_date,
)

SM = f"{{{SITEMAP_NS}}}"
XHTML = f"{{{XHTML_NS}}}"
TOKYO = ZoneInfo("Asia/Tokyo")
BASE = "https://www.example.com/"

PAIR = (
    Alternate("ja", BASE + "ja/city-growth/"),
    Alternate("zh-CN", BASE + "zh/city-growth/"),
    Alternate("x-default", BASE + "ja/city-growth/"),
)

URLS = [
    SitemapUrl(BASE + "ja/", date(2025, 12, 5)),
    SitemapUrl(BASE + "ja/city-growth/", datetime(2025, 12, 5, 9, 0, tzinfo=TOKYO), PAIR),
    SitemapUrl(BASE + "zh/city-growth/", datetime(2025, 12, 6, 18, 30, tzinfo=ZoneInfo("Asia/Shanghai")), PAIR),
    SitemapUrl(BASE + "ja/only-japanese/?a=1&b=2", None),
]


def parse(urls=URLS) -> tuple[bytes, ET.Element]:
    data = sitemap_xml(urls)
    return data, ET.fromstring(data)


def test_namespaces_and_declarations():
    data, root = parse()
    assert root.tag == SM + "urlset"
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    head = data.split(b">", 2)[1]
    assert b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' in head
    assert b'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in head
    # Every element is in one of the two namespaces: nothing was serialized unqualified or as ns0.
    for element in root.iter():
        assert element.tag.startswith((SM, XHTML)), element.tag
    assert b"ns0" not in data


def test_locs_in_order_with_loc_first_and_escaped():
    _, root = parse()
    urls = root.findall(SM + "url")
    assert [u.findtext(SM + "loc") for u in urls] == [u.url for u in URLS]
    assert all(list(u)[0].tag == SM + "loc" for u in urls)  # the schema wants loc first
    data = sitemap_xml(URLS)
    assert b"/ja/only-japanese/?a=1&amp;b=2</loc>" in data


def test_lastmod_is_w3c_datetime_with_offset_or_a_date():
    _, root = parse()
    lastmods = [u.findtext(SM + "lastmod") for u in root.findall(SM + "url")]
    assert lastmods == ["2025-12-05", "2025-12-05T09:00:00+09:00", "2025-12-06T18:30:00+08:00", None]


def test_alternates_list_every_language_and_x_default():
    _, root = parse()
    ja_page = root.findall(SM + "url")[1]
    links = ja_page.findall(XHTML + "link")
    assert [(l.get("rel"), l.get("hreflang"), l.get("href")) for l in links] == [
        ("alternate", "ja", BASE + "ja/city-growth/"),
        ("alternate", "zh-CN", BASE + "zh/city-growth/"),
        ("alternate", "x-default", BASE + "ja/city-growth/"),
    ]
    # The page's own language is among its alternates, as the localized-sitemap rules require.
    assert ja_page.findtext(SM + "loc") in {l.get("href") for l in links}
    assert root.findall(SM + "url")[0].findall(XHTML + "link") == []


def test_alternate_children_come_after_the_sitemap_elements():
    _, root = parse()
    for url in root.findall(SM + "url"):
        tags = [child.tag for child in url]
        first_link = next((i for i, t in enumerate(tags) if t.startswith(XHTML)), len(tags))
        assert all(t.startswith(XHTML) for t in tags[first_link:])


def test_empty_sitemap_is_well_formed():
    _, root = parse([])
    assert root.tag == SM + "urlset" and list(root) == []


def test_naive_lastmod_and_relative_urls_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        sitemap_xml([SitemapUrl(BASE, datetime(2025, 12, 5, 9, 0))])
    with pytest.raises(ValueError, match="absolute"):
        sitemap_xml([SitemapUrl("/ja/", None)])
    with pytest.raises(ValueError, match="absolute"):
        sitemap_xml([SitemapUrl(BASE, None, (Alternate("zh-CN", "../zh/"),))])


def test_more_urls_than_one_sitemap_holds_is_a_clear_error():
    with pytest.raises(PublisherError, match="at most 50000"):
        sitemap_xml([SitemapUrl(BASE, None)] * 50_001)


def test_robots_for_production_names_the_sitemap():
    text = robots_txt(BASE + "sitemap.xml")
    assert text == "User-agent: *\nAllow: /\n\nSitemap: https://www.example.com/sitemap.xml\n"


def test_robots_without_sitemap():
    assert robots_txt(None) == "User-agent: *\nAllow: /\n"


def test_robots_for_a_preview_disallows_everything_and_hides_the_sitemap():
    text = robots_txt(BASE + "sitemap.xml", allow_indexing=False)
    assert text == "User-agent: *\nDisallow: /\n"
    assert "Sitemap" not in text


def test_robots_lines_are_valid_directives():
    for text in (robots_txt(BASE + "sitemap.xml"), robots_txt(None, allow_indexing=False)):
        for line in text.splitlines():
            assert line == "" or re.fullmatch(r"(User-agent|Allow|Disallow|Sitemap): \S+", line), line


def test_robots_refuses_a_relative_sitemap_url():
    with pytest.raises(ValueError, match="absolute"):
        robots_txt("/sitemap.xml")


def _elementtree_sitemap(urls) -> bytes:
    """The reference: the sitemap as ElementTree writes it (what `sitemap_xml` wrote before it built text)."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for page in urls:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = page.url
        if page.lastmod is not None:
            ET.SubElement(url, "lastmod").text = w3c_date(page.lastmod)
        for alternate in page.alternates:
            ET.SubElement(url, "xhtml:link", {"rel": "alternate", "hreflang": alternate.hreflang,
                                              "href": alternate.url})
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_URL = st.builds(lambda host, rest: f"https://{host}/{rest}", st.sampled_from(["www.example.com", "例え.jp"]),
                 _ANY_TEXT)
_LASTMOD = st.one_of(st.none(), st.dates(), st.datetimes(timezones=st.just(TOKYO)))
_PAGE = st.builds(SitemapUrl, _URL, _LASTMOD, st.lists(st.builds(Alternate, _ANY_TEXT, _URL), max_size=3).map(tuple))


@given(st.lists(_PAGE, max_size=5))
def test_the_sitemap_is_the_bytes_elementtree_writes(urls):
    """Any URLs, language tags and dates (markup characters, CJK, control characters, line breaks and tabs
    in attributes included), and no URL at all."""
    assert sitemap_xml(urls) == _elementtree_sitemap(urls)
