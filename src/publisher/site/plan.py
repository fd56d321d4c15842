"""The build's intermediate data: what is visible, what each page needs, what the output will hold.

Shared by `build` (which runs the stages), `records` (page records) and
`outputs` (feeds, sitemap, releases and the other files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import quote

from markupsafe import Markup

from ..cache import Cache, code_version, digest
from ..config import LanguageConfig
from ..content import Article, Visibility
from ..errors import PublisherError
from ..i18n import _
from ..markdown import Heading, Picture, ReadingCount, RenderedBody
from .cards import Card
from .images import SIZES, ResponsiveImage
from ..typography import phrase_html
from .pages import ArticleLink, PageBase


@dataclass(frozen=True)
class Release:
    """A page that went live since the previous production build of the same output."""

    slug: str
    lang: str
    url: str
    """Absolute URL of the page."""
    title: str
    code: str | None
    publish_at: datetime


@dataclass(frozen=True)
class Withdrawal:
    """A page that was live at the previous production build and is not any more."""

    slug: str
    lang: str
    url: str
    """Absolute URL the page had."""
    title: str
    """Its title (from the article, or from the release history when the article is gone; else empty)."""
    code: str | None
    reason: str
    """`withdrawn` (no longer published), `scheduled` (its release time moved to the future) or `deleted`."""


@dataclass(frozen=True)
class Entry:
    """One article page that this build makes."""

    article: Article
    lang: LanguageConfig
    visibility: Visibility


@dataclass(frozen=True)
class PageJob:
    """An HTML page to write: its record, and the cached body it embeds (article pages)."""

    path: str
    template: str
    page: PageBase | None
    """The record; None when the page is known unchanged (`key` from the previous build)."""
    body_key: str | None = None
    key: str | None = None
    """The page's content key when it is known without its record."""


@dataclass
class Plan:
    """Everything the new output will hold."""

    pages: list[PageJob] = field(default_factory=list)
    data: dict[str, bytes] = field(default_factory=dict)
    """Generated files (feeds, sitemap, ...) by output path."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Files copied as they are (assets, original images), by output path."""
    variants: list[tuple[ResponsiveImage, object]] = field(default_factory=list)
    """Image variants to publish (made in the cache when missing)."""
    cards: list[Card] = field(default_factory=list)
    """Social cards of the article pages (drawn in the cache when missing; their files are in `deferred`)."""
    deferred: dict[str, tuple[str, Callable[[], bytes]]] = field(default_factory=dict)
    """Generated files by output path, as (hash of their inputs, maker): made only when the current output
    has no file of that key (a feed is kept when none of its entries changed, the sitemap when no page's URL,
    date or languages did)."""


@dataclass(frozen=True)
class Body:
    """An article body as the build needs it: its key, and its headings and HTML on demand."""

    key: str
    """Cache key of the rendered body (hash of the Markdown and what rendering depends on)."""
    rendered: RenderedBody | None
    """The rendered body, when this build rendered or loaded it; else it is in the cache under `key`."""
    cache: Cache
    reading: ReadingCount = ReadingCount()
    """What the body gives to read (its reading time), kept in the cache beside it."""

    @property
    def headings(self) -> tuple[Heading, ...]:
        """For the table of contents (kept in the cache on their own: small, and needed more often)."""
        if self.rendered is not None:
            return self.rendered.headings
        headings = self.cache.load("headings", self.key)
        return headings if isinstance(headings, tuple) else self._load().headings

    def html(self) -> Markup:
        return (self.rendered or self._load()).html

    def _load(self) -> RenderedBody:
        body = self.cache.load("bodies", self.key)
        if not isinstance(body, RenderedBody):
            raise PublisherError(_("the build cache lost a rendered page body ({key}); delete {cache_folder} "
                                   "and build again").format(key=self.key, cache_folder=self.cache.folder))
        return body


def phrase_key(lang: LanguageConfig) -> str:
    """The language part of a phrased title's key: its code, and its words kept together when it has any."""
    return f"{lang.code}:{digest(*lang.keep_together)}" if lang.keep_together else lang.code


@dataclass
class BuildMemo:
    """What one build remembers while it gathers pages: made per build and passed down, so two builds in
    one process (the preview server's) never see each other's leftovers."""

    phrased: dict[tuple[str, str], str] = field(default_factory=dict)
    """Titles with phrase breaks by (title, `phrase_key(lang)`), kept in the cache between builds (BudouX is slow on
    thousands of titles)."""
    links: dict[tuple[str, str, str], tuple[Entry, ArticleLink]] = field(default_factory=dict)
    """Article links made in this build by (slug, lang, root): each article is listed on many pages."""
    loaded: int = 0
    """How many phrased titles came from the cache."""
    reading: dict[tuple[str, str], str] = field(default_factory=dict)
    """The reading time of each visible page as shown (`約5分で読めます`), by (slug, lang code)."""

    @classmethod
    def load(cls, cache: Cache) -> "BuildMemo":
        phrased = cache.load("phrases", digest("titles", code_version())) or {}
        return cls(phrased=dict(phrased), loaded=len(phrased))

    def title_html(self, title: str, lang: LanguageConfig) -> Markup:
        key = (title, phrase_key(lang))
        phrased = self.phrased.get(key)
        if phrased is None:
            phrased = self.phrased[key] = str(phrase_html(title, lang.code, lang.keep_together))
        return Markup(phrased)

    def store(self, cache: Cache, titles: Iterable[tuple[str, str]]) -> None:
        """Save the phrased titles of this build's pages, when it phrased any anew."""
        if len(self.phrased) != self.loaded:
            wanted = set(titles)
            cache.store("phrases", digest("titles", code_version()),
                        {k: v for k, v in self.phrased.items() if k in wanted})


def reading_times(entries: Iterable[Entry], bodies: Mapping[tuple[str, str], Body]) -> dict[tuple[str, str], str]:
    """Each page's reading time in its language's words (`[strings.<lang>] reading_time`), by (slug, lang code);
    a body with no text has none."""
    times = {}
    shown: dict[tuple[str, int], str] = {}  # a few dozen texts for thousands of pages
    for entry in entries:
        where = (entry.article.slug, entry.lang.code)
        minutes = bodies[where].reading.minutes(entry.lang.html_lang)
        if minutes is not None:
            text = shown.get((entry.lang.code, minutes))
            if text is None:
                text = shown[(entry.lang.code, minutes)] = entry.lang.t("reading_time", minutes=minutes)
            times[where] = text
    return times


def picture(image: ResponsiveImage, root: str) -> Picture:
    return Picture(src=root + quote(image.path), width=image.width, height=image.height,
                   srcset=image.srcset(root, image.mime) if image.mime and image.variants else "",
                   webp_srcset=image.srcset(root, "image/webp") if image.variants else "", sizes=SIZES)
