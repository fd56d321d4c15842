"""Scheduled releases: what goes live next, for `publish schedule` and cron jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from .content import Article, Site, Status
from .errors import PublisherError
from .i18n import _


@dataclass(frozen=True)
class Release:
    """Pages of one article that go live at one instant."""

    at: datetime
    """The release instant (the source's `publish_at`)."""
    article: Article
    languages: tuple[str, ...]
    """Languages whose pages go live then (source first); a translation still in draft is not among them."""


def upcoming_releases(site: Site, now: datetime) -> tuple[Release, ...]:
    """Published articles whose release time is after `now`, soonest first."""
    releases = []
    for article in site.articles:
        if article.source.status is not Status.PUBLISHED or article.publish_at <= now:
            continue
        languages = tuple(d.lang for d in article.documents if d.status is Status.PUBLISHED)
        releases.append(Release(at=article.publish_at, article=article, languages=languages))
    releases.sort(key=lambda r: (r.at, r.article.slug))
    return tuple(releases)


def parse_instant(text: str, timezone: ZoneInfo) -> datetime:
    """An ISO 8601 date or date-time from the command line; no offset means the site's time zone."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(datetime.fromisoformat(value).date(), time(0, 0), tzinfo=timezone)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PublisherError(
            _("{text!r} is not a date-time; write it as 2025-12-05T09:00+09:00, or without an offset for "
              "site time ({timezone_key})").format(text=text, timezone_key=timezone.key)
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone)
