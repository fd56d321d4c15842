"""Atom 1.0 feeds, one per language.

Built as an element tree so every title and body is escaped by the XML
serializer, never by hand. Bodies keep their relative links; `xml:base` on
each entry's content makes feed readers resolve them against the article URL.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"

# Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF):
# one stray control character pasted into an article must not make the whole feed unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One article in a feed."""

    url: str
    """Absolute URL of the article page; also the entry's permanent id."""
    title: str
    """Plain-text title."""
    published: datetime
    """Release instant (time-zone aware)."""
    updated: datetime
    """Last significant change (time-zone aware); at least `published`."""
    summary: str | None
    """Plain-text summary, or None."""
    content_html: str | None
    """Full body HTML with links relative to `url`, or None for a summary-only feed."""
    author: str | None
    """Author name, or None for the feed's author (written on the entry: many readers do not inherit it)."""
    categories: tuple[str, ...]
    """Tags, in the feed's language."""


@dataclass(frozen=True)
class Feed:
    """The feed of one language."""

    feed_url: str
    """Absolute URL the feed is served from (rel=self, and the feed's permanent id)."""
    site_url: str
    """Absolute URL of the language's home page (rel=alternate)."""
    title: str
    """Plain-text feed title."""
    subtitle: str | None
    """Plain-text description, or None."""
    lang: str
    """BCP 47 tag of the content, e.g. `zh-CN`; becomes xml:lang."""
    author: str
    """Name of the organization that writes the site."""
    updated: datetime
    """When the feed last changed (time-zone aware), usually the newest entry's `updated`."""
    icon_url: str | None
    """Absolute URL of a square icon, or None."""
    generator: str = "publisher"
    """Name put in <generator>."""


def atom_feed(feed: Feed, entries: Sequence[FeedEntry]) -> bytes:
    """The feed as UTF-8 Atom XML; entries appear in the given order (pass newest first)."""
    # Atom is the default namespace (<feed xmlns=...>), as feed readers expect. It is declared
    # as a plain attribute: ElementTree's `default_namespace` option refuses Atom's unqualified
    # attributes, and ET.register_namespace would change process-wide state other modules share.
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": feed.lang})
    _text(root, "id", feed.feed_url)
    _text(root, "title", feed.title, type="text")
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle, type="text")
    _text(root, "updated", rfc3339(feed.updated))
    _link(root, feed.feed_url, rel="self", type=ATOM_MEDIA_TYPE)
    _link(root, feed.site_url, rel="alternate", type="text/html", hreflang=feed.lang)
    _person(root, feed.author)
    if feed.icon_url:
        _text(root, "icon", feed.icon_url)
    _text(root, "generator", feed.generator)
    for entry in entries:
        _entry(root, entry, feed.author)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def rfc3339(moment: datetime) -> str:
    """`2025-12-05T09:00:00+09:00`: Atom requires an offset, so naive times are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; feed dates need an offset (pass aware datetimes)")
    return moment.isoformat(timespec="seconds")


def _entry(root: ET.Element, entry: FeedEntry, feed_author: str) -> None:
    element = ET.SubElement(root, "entry")
    _text(element, "id", entry.url)
    _text(element, "title", entry.title, type="text")
    _link(element, entry.url, rel="alternate", type="text/html")
    published, updated = rfc3339(entry.published), rfc3339(entry.updated)
    _text(element, "published", published)
    _text(element, "updated", updated if entry.updated >= entry.published else published)
    _person(element, entry.author or feed_author)
    for category in entry.categories:
        ET.SubElement(element, "category", {"term": _clean(category)})
    if entry.summary:
        _text(element, "summary", entry.summary, type="text")
    if entry.content_html is not None:
        _text(element, "content", entry.content_html, type="html", **{"xml:base": entry.url})


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _clean(text)
    return element


def _link(parent: ET.Element, href: str, **attributes: str) -> None:
    ET.SubElement(parent, "link", {**attributes, "href": href})


def _person(parent: ET.Element, name: str) -> None:
    _text(ET.SubElement(parent, "author"), "name", name)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)
