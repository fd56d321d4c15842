"""What Pagefind reads of a page, as a digest: an index made from the same regions is the same index.

Pagefind indexes the pages that have a `data-pagefind-body` element (then
only those), and of each the text, tags and attributes inside that element
less what is marked `data-pagefind-ignore`, under the page's URL and in the
index of its `<html lang>`. The digest covers exactly that, so editing a tag,
a related link, the ranking or the site footer changes no page's digest, and
any change of the indexed text does, whatever made it (the body, the title,
a template).

The region is found by counting the start and end tags of the element's own
name, which is exact for the HTML the templates and the Markdown renderer
write. Where that could be wrong or where Pagefind reads more than the region
(comments and scripts in it, a second body element, a `data-pagefind-meta`
or `-filter` anywhere, an `h1` before the region, tags that do not balance),
the digest covers the whole page instead: it may then change when the index
would not, never the other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..cache import digest

_START_TAG = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")
_HTML_LANG = re.compile(rb"<html(?=[\s>])[^>]*?\slang\s*=\s*[\"']?([^\"'\s>]*)", re.IGNORECASE)
_WHOLE_PAGE_SIGNS = re.compile(rb"data-pagefind-(?:meta|filter|sort|weight|index-attrs|default-meta)|<h1[\s>]",
                               re.IGNORECASE)
_RAW = re.compile(rb"<!--|<script[\s>]|<style[\s>]|<template[\s>]|<textarea[\s>]", re.IGNORECASE)
_VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())


@dataclass(frozen=True)
class IndexedPage:
    """A page Pagefind indexes: the index it goes into and the digest of what it reads of it."""

    language: str
    """`<html lang>`, lowercased as Pagefind names its indexes (`ja`, `zh-cn`); `unknown` without one."""
    region: str
    """Digest of the page's URL and its indexed region (see the module's docstring)."""


def indexed_page(path: str, html: bytes) -> IndexedPage | None:
    """What Pagefind reads of the page at `path` (in the output), or None when it does not index it."""
    if b"data-pagefind-body" not in html:
        return None
    lang = _HTML_LANG.search(html)
    language = lang.group(1).decode("ascii", "replace").lower() if lang and lang.group(1) else "unknown"
    region = _region(html)
    return IndexedPage(language, digest("pagefind-page", path, language, "region" if region is not None else "page",
                                        region if region is not None else html))


def _region(html: bytes) -> bytes | None:
    """The `data-pagefind-body` element less its `data-pagefind-ignore` elements; None when unsure."""
    bodies = _start_tags(html, b"data-pagefind-body")
    body = next(bodies, None)
    if body is None or next(bodies, None) is not None:
        return None
    end = _element_end(html, body)
    if end is None:
        return None
    region = html[body.start():end]
    if _RAW.search(region) or _WHOLE_PAGE_SIGNS.search(html, 0, body.start()) or _WHOLE_PAGE_SIGNS.search(
            html, end) or re.search(rb"data-pagefind-(?:meta|filter|sort|weight|index-attrs)", region):
        return None
    parts, at = [], 0
    for ignored in _start_tags(region, b"data-pagefind-ignore"):
        if ignored.start() < at:
            continue  # inside an element already left out
        ignored_end = _element_end(region, ignored)
        if ignored_end is None:
            return None
        parts.append(region[at:ignored.start()])
        at = ignored_end
    parts.append(region[at:])
    return b"\x00".join(parts)  # where an ignored element was is kept: it may join or part two words


def _start_tags(html: bytes, attribute: bytes) -> Iterator[re.Match[bytes]]:
    """The start tags with `attribute` (found as text first: a regular expression trying every tag of a
    page would take most of the time)."""
    at = html.find(attribute)
    while at != -1:
        end = at + len(attribute)
        if html[at - 1:at].isspace() and html[end:end + 1] in (b"=", b">", b"/", b" ", b"\n", b"\t", b"\r"):
            tag = _START_TAG.match(html, html.rfind(b"<", 0, at))
            if tag is not None and tag.start() < at < tag.end():
                yield tag
        at = html.find(attribute, end)


def _element_end(html: bytes, start: re.Match[bytes]) -> int | None:
    """Where the element opened by `start` ends (after its end tag), counting nested ones of its name."""
    name = start.group(1).lower()
    if name in _VOID or start.group(0).endswith(b"/>"):
        return start.end()
    depth = 1
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])[^>]*>", re.IGNORECASE)  # (re caches it)
    for tag in tags.finditer(html, start.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None
