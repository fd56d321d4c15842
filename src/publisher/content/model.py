"""The content model: articles and their language versions, as loaded and validated.

These frozen records are what the rest of the pipeline sees; nothing after
`content.load_site` reads article files again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Mapping


class Status(enum.Enum):
    """Editorial status of one language version."""

    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"


class Visibility(enum.Enum):
    """Whether a page may appear in a production build at a given instant."""

    LIVE = "live"
    """Published and released: appears everywhere."""
    DRAFT = "draft"
    """Source or translation not `published` (draft or review)."""
    SCHEDULED = "scheduled"
    """Published but its release time has not come."""


@dataclass(frozen=True)
class Document:
    """One language version of an article: `ja.md`, `zh.md`, ..."""

    lang: str
    """Language code (`ja`, `zh`), the file's stem."""
    path: Path
    """The Markdown file."""
    title: str
    """Title in this language."""
    summary: str | None
    """One- or two-sentence summary (index pages, meta description)."""
    hero_alt: str | None
    """Alt text of the hero image in this language."""
    tags: tuple[str, ...]
    """Tags in this language."""
    status: Status
    """This version's own editorial status."""
    body: str
    """Markdown body, verbatim, without the frontmatter."""
    body_line: int
    """1-based line in `path` where `body` starts (so body line maps map back to the file)."""


#: File names a static host serves as HTML: a redirect page can be written there.
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Alias:
    """An old address of an article, from `aliases:` in its source file."""

    path: str
    """Normal form, relative to the site's root: `old/china-g93.html`, or `old/path/` for a folder."""
    written: str
    """As the writer wrote it (for messages)."""
    line: int
    """Its line in the source file."""

    @property
    def page_path(self) -> str | None:
        """Where its redirect page goes in the output (`old/path/index.html`); None for a file name a static
        host would not serve as HTML (`old/page.php`), which gets only its `_redirects` line."""
        if self.path.endswith("/"):
            return f"{self.path}index.html"
        return self.path if self.path.lower().endswith(HTML_SUFFIXES) else None

    @property
    def first_segment(self) -> str:
        """The top folder (`zh` in `zh/old/x.html`): a language code sends readers to that language's page."""
        return self.path.split("/", 1)[0]


@dataclass(frozen=True)
class Article:
    """An article folder: the source document, its translations, and shared metadata."""

    slug: str
    """Folder name; the URL segment (`/ja/<slug>/`)."""
    folder: Path
    """`articles/<slug>/`."""
    code: str | None
    """Series code such as `中国G93`, shown as `【中国G93】`."""
    date: date
    """Displayed publication date (`YYYY.MM.DD`)."""
    publish_at: datetime
    """Release instant, always timezone-aware."""
    hero: str | None
    """Hero image file name, relative to the article folder."""
    related: tuple[str, ...]
    """Slugs of related articles, in the writer's order."""
    ai_text: bool
    """The base text was produced with AI generation (a notice says so)."""
    ai_image: str | None
    """Name of the image model that made the images, or None (a notice names it)."""
    pseudonyms: bool
    """Company names in examples may be pseudonyms (a notice says so)."""
    source: Document
    """The source-language document (`ja.md`)."""
    translations: Mapping[str, Document] = field(default_factory=dict)
    """Target-language documents that exist, by language code."""
    sources: tuple[str, ...] = ()
    """Source documents the article was written from (`sources/report.pdf`), relative to `folder`; checked to
    exist. They are never published; `publish factcheck` checks the article's figures against them."""
    aliases: tuple[Alias, ...] = ()
    """Old addresses of the article (`content/aliases.py`): a live article gets a redirect at each."""

    def document(self, lang: str) -> Document | None:
        """The document in `lang`, if there is one."""
        if lang == self.source.lang:
            return self.source
        return self.translations.get(lang)

    @property
    def documents(self) -> tuple[Document, ...]:
        """Source first, then translations in the order they were loaded."""
        return (self.source, *self.translations.values())

    def visibility(self, lang: str, now: datetime) -> Visibility | None:
        """How the page in `lang` stands at `now`; None when there is no such document.

        A page is live when the source is published, its release time has
        passed (the exact instant counts as passed) and, for a translation,
        the translation is published too.
        """
        document = self.document(lang)
        if document is None:
            return None
        if self.source.status is not Status.PUBLISHED or document.status is not Status.PUBLISHED:
            return Visibility.DRAFT
        if now < self.publish_at:
            return Visibility.SCHEDULED
        return Visibility.LIVE

    def is_live(self, lang: str, now: datetime) -> bool:
        return self.visibility(lang, now) is Visibility.LIVE


@dataclass(frozen=True)
class Site:
    """Every article of the site, loaded and validated."""

    articles: tuple[Article, ...]
    """All articles, sorted by slug (stable order for builds and reports)."""
    folder_keys: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Per article folder name: the content scan's key of the folder (`content.scan`), which changes whenever
    its files do; empty when the site was loaded without a scan. Lets a feature keep what it derives from a
    folder's files (the PDFs' cache keys) until they change. Not compared: the articles are the site."""

    def article(self, slug: str) -> Article | None:
        return self._by_slug.get(slug)

    @cached_property
    def _by_slug(self) -> dict[str, Article]:
        """`article` looks up related links for each of thousands of pages: a dict, not a walk of the tuple."""
        return {article.slug: article for article in self.articles}
