"""Machine-readable page metadata: schema.org JSON-LD and Open Graph / Twitter card tags.

Search engines read the JSON-LD `Article`; chat apps and social sites read the
Open Graph tags when a link is shared. Both are built from data, never from
strings spliced together, so a title can carry any character safely.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Sequence

from ..languages import og_locale

HEADLINE_MAX = 110
"""Google's limit for `headline` in Article structured data."""

# Inside <script> the HTML parser ends the element at "</script" whatever JSON thinks, and "<!--"
# changes how it scans; JSON's \\u escapes keep the same value while making those sequences impossible.
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")

def article_json_ld(
    *,
    headline: str,
    url: str,
    lang: str,
    published: datetime,
    modified: datetime,
    image_url: str | None,
    publisher_name: str,
    publisher_url: str,
    publisher_logo_url: str | None,
    description: str | None,
    section: str | None = None,
    author_name: str | None = None,
    keywords: Sequence[str] = (),
) -> str:
    """A schema.org `Article` as JSON, safe to place as is inside `<script type="application/ld+json">`.

    `author_name` names a person; without it the publishing organization is the author
    (as it is for the site's house-written articles). `keywords` are the article's tags.
    """
    date_published, date_modified = _iso(published), _iso(modified)
    if modified < published:
        date_modified = date_published  # an edit cannot predate the release
    publisher: dict[str, object] = {"@type": "Organization", "name": publisher_name, "url": publisher_url}
    if publisher_logo_url:
        publisher["logo"] = {"@type": "ImageObject", "url": publisher_logo_url}
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": trim_headline(headline),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": lang,
        "datePublished": date_published,
        "dateModified": date_modified,
    }
    if description:
        data["description"] = description
    if image_url:
        data["image"] = [image_url]
    data["author"] = {"@type": "Person", "name": author_name} if author_name else dict(publisher)
    data["publisher"] = publisher
    if section:
        data["articleSection"] = section
    if keywords:
        data["keywords"] = list(keywords)
    return script_safe_json(data)


def script_safe_json(data: object) -> str:
    """JSON with `<`, `>`, `&` (and U+2028/2029) as \\u escapes, so `</script>` in a value cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE.sub(lambda match: _SCRIPT_SAFE[match.group()], text)


def trim_headline(headline: str, limit: int = HEADLINE_MAX) -> str:
    """Whitespace collapsed, and cut to `limit` characters ending in `…` when longer."""
    text = " ".join(headline.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class MetaTag:
    """One `<meta>` element: `<meta {attribute}="{key}" content="{content}">` (the template escapes content)."""

    attribute: Literal["property", "name"]
    """`property` for Open Graph (`og:`, `article:`), `name` for Twitter cards."""
    key: str
    """e.g. `og:title`, `twitter:card`."""
    content: str
    """The value, unescaped."""


def social_meta(
    *,
    title: str,
    url: str,
    site_name: str,
    lang: str,
    description: str | None = None,
    image_url: str | None = None,
    image_alt: str | None = None,
    image_size: tuple[int, int] | None = None,
    alternate_langs: Sequence[str] = (),
    og_type: Literal["article", "website"] = "article",
    published: datetime | None = None,
    modified: datetime | None = None,
    tags: Sequence[str] = (),
) -> tuple[MetaTag, ...]:
    """Open Graph and Twitter card tags for a page; `lang`/`alternate_langs` are BCP 47 (`zh-CN`)."""
    og = [("og:type", og_type), ("og:title", title), ("og:url", url), ("og:site_name", site_name),
          ("og:locale", og_locale(lang))]
    og += [("og:locale:alternate", og_locale(other)) for other in alternate_langs]
    if description:
        og.append(("og:description", description))
    if image_url:
        og.append(("og:image", image_url))
        if image_size:
            og += [("og:image:width", str(image_size[0])), ("og:image:height", str(image_size[1]))]
        if image_alt:
            og.append(("og:image:alt", image_alt))
    if og_type == "article":
        if published:
            og.append(("article:published_time", _iso(published)))
        if modified:
            og.append(("article:modified_time", _iso(modified)))
        og += [("article:tag", tag) for tag in tags]
    twitter = [("twitter:card", "summary_large_image" if image_url else "summary"), ("twitter:title", title)]
    if description:
        twitter.append(("twitter:description", description))
    if image_url:
        twitter.append(("twitter:image", image_url))
        if image_alt:
            twitter.append(("twitter:image:alt", image_alt))
    return tuple(MetaTag("property", k, v) for k, v in og) + tuple(MetaTag("name", k, v) for k, v in twitter)


def _iso(moment: datetime) -> str:
    """ISO 8601 with the offset; naive times are refused because their instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; metadata dates need an offset (pass aware datetimes)")
    return moment.isoformat(timespec="seconds")
