"""sitemap.xml with hreflang alternates, and robots.txt.

Search engines learn the language pairs (ja <-> zh-CN) from `xhtml:link`
alternates in the sitemap; each page lists every language version, itself
included, as the sitemaps protocol for localized pages asks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

from publisher.errors import PublisherError

from ..i18n import _

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000
"""The protocol's limit of URLs per sitemap file."""

_ABSOLUTE = re.compile(r"^https?://[^/\s]+")


@dataclass(frozen=True)
class Alternate:
    """One language version of a page."""

    hreflang: str
    """BCP 47 tag (`ja`, `zh-CN`) or `x-default`."""
    url: str
    """Absolute URL of that version."""


@dataclass(frozen=True)
class SitemapUrl:
    """One page in the sitemap."""

    url: str
    """Absolute URL of the page."""
    lastmod: date | datetime | None
    """When the page last changed (a datetime must be time-zone aware), or None if unknown."""
    alternates: tuple[Alternate, ...] = ()
    """Every live language version including this page's own, plus `x-default` if wanted; empty for none."""


def sitemap_xml(urls: Sequence[SitemapUrl]) -> bytes:
    """The sitemap as UTF-8 XML, pages in the given order."""
    if len(urls) > MAX_URLS:
        raise PublisherError(_("the site has {count} pages but one sitemap holds at most {limit}; sitemap "
                               "index files are not supported yet, so split the site or raise an issue.").format(
                                 count=len(urls), limit=MAX_URLS))
    # Namespaces declared as plain attributes, prefixes as written: ET.register_namespace would change
    # process-wide state (the Atom feed also wants the default namespace).
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for page in urls:
        _require_absolute(page.url)
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = page.url
        if page.lastmod is not None:
            ET.SubElement(url, "lastmod").text = w3c_date(page.lastmod)
        for alternate in page.alternates:
            _require_absolute(alternate.url)
            ET.SubElement(url, "xhtml:link",
                          {"rel": "alternate", "hreflang": alternate.hreflang, "href": alternate.url})
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def robots_txt(sitemap_url: str | None, *, allow_indexing: bool = True) -> str:
    """robots.txt: everything allowed and the sitemap named, or (previews) everything disallowed and no sitemap."""
    if not allow_indexing:
        return "User-agent: *\nDisallow: /\n"
    lines = ["User-agent: *", "Allow: /"]
    if sitemap_url:
        _require_absolute(sitemap_url)
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"


def w3c_date(moment: date | datetime) -> str:
    """`2025-12-05` or `2025-12-05T09:00:00+09:00` (W3C Datetime needs an offset when there is a time)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{moment!r} has no time zone; sitemap lastmod needs an offset (pass aware datetimes)")
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()


def _require_absolute(url: str) -> None:
    """Sitemaps and robots.txt take absolute URLs only; a relative one is a caller's bug."""
    if not _ABSOLUTE.match(url):
        raise ValueError(_("{url!r} is not an absolute http(s) URL; sitemaps need absolute URLs").format(
                             url=url))
