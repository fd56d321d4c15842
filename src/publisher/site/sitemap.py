"""sitemap.xml with hreflang alternates, and robots.txt.

Search engines learn the language pairs (ja <-> zh-CN) from `xhtml:link`
alternates in the sitemap; each page lists every language version, itself
included, as the sitemaps protocol for localized pages asks.
"""

from __future__ import annotations

import re
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
    """The sitemap as UTF-8 XML, pages in the given order: the bytes ElementTree writes for it, indented (a
    test holds the two equal), written as text, since a site's page set changes with every new tag and
    ElementTree took 65 ms for the 2,400 URLs of 1,000 articles."""
    if len(urls) > MAX_URLS:
        raise PublisherError(_("the site has {count} pages but one sitemap holds at most {limit}; sitemap "
                               "index files are not supported yet, so split the site or raise an issue.").format(
                                 count=len(urls), limit=MAX_URLS))
    opening = f'<urlset xmlns="{_attribute(SITEMAP_NS)}" xmlns:xhtml="{_attribute(XHTML_NS)}"'
    if not urls:
        return f"{_DECLARATION}{opening} />".encode("utf-8")
    lines = [f"{_DECLARATION}{opening}>"]
    for page in urls:
        _require_absolute(page.url)
        lines.append(f"  <url>\n    <loc>{_text(page.url)}</loc>")
        if page.lastmod is not None:
            lines.append(f"    <lastmod>{_text(w3c_date(page.lastmod))}</lastmod>")
        for alternate in page.alternates:
            _require_absolute(alternate.url)
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{_attribute(alternate.hreflang)}" '
                         f'href="{_attribute(alternate.url)}" />')
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines).encode("utf-8")


_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_SPECIAL = re.compile(r'[&<>"\r\n\t]')
"""Characters escaped in text (the first three) or attributes (all): most URLs have none."""


def _text(value: str) -> str:
    """Element text escaped as ElementTree escapes it."""
    if not _SPECIAL.search(value):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it (in double quotes)."""
    if not _SPECIAL.search(value):
        return value
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


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
