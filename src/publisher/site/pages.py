"""What the templates get: one frozen record per page, fully worked out.

Templates only lay these out; every decision (what is live, which links
exist, what the notices say) is made while building these records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from ..config import LanguageConfig
from ..markdown import Heading
from .metadata import MetaTag


@dataclass(frozen=True)
class LanguageLink:
    """A link to the same page in some language (switcher, hreflang)."""

    code: str
    """Language code (`ja`)."""
    hreflang: str
    """BCP 47 tag (`zh-CN`)."""
    label: str
    """The language's own name (`简体中文`)."""
    href: str
    """URL relative to the current page."""
    absolute_url: str
    """Absolute URL from the site's base URL (for `<link rel=alternate>`)."""
    current: bool
    """True for the page's own language."""


@dataclass(frozen=True)
class Banner:
    """The notice on a page that is not live (only in `--drafts/--future` builds)."""

    kind: Literal["draft", "review", "scheduled"]
    text: str
    """Already in the page's language, with the release time filled in."""


@dataclass(frozen=True)
class Image:
    src: str
    """URL relative to the current page."""
    alt: str
    width: int | None
    height: int | None
    srcset: str = ""
    """Smaller copies in the original format (`url 480w, ...`); empty when there are none."""
    webp_srcset: str = ""
    """The same as WebP, offered first through `<picture><source>`."""
    sizes: str = "100vw"
    """How wide the image is shown (for the browser's choice among `srcset`)."""


@dataclass(frozen=True)
class PreviewMark:
    """A short badge on a listed article that is not live (preview builds only)."""

    kind: Literal["draft", "review", "scheduled"]
    label: str
    """`下書き`, `公開予定`, ... in the page's language."""


@dataclass(frozen=True)
class TocEntry:
    """A `##` section in the table of contents, with its `###` sub-blocks."""

    heading: Heading
    children: tuple[Heading, ...]


@dataclass(frozen=True)
class ArticleLink:
    """An article as listed elsewhere (index entries, related links)."""

    href: str
    """URL relative to the current page."""
    code: str | None
    """`中国G93` (templates add the brackets)."""
    title: str
    title_html: Markup
    """Title with phrase breaks (BudouX) for display."""
    date_text: str
    """`2025.12.05`."""
    date_iso: str
    """`2025-12-05`, for `<time datetime>`."""
    summary: str | None
    preview: PreviewMark | None
    """Set when the article is listed only because drafts or future pages were asked for."""
    reading_time: str | None = None
    """`約5分で読めます`, in the page's language; None when the body has no text."""


@dataclass(frozen=True)
class TagLink:
    """A tag, linking to its page."""

    name: str
    """The tag as written (`産業クラスター`)."""
    href: str
    """URL of the tag page relative to the current page."""
    count: int = 0
    """Articles with this tag (on the tag list)."""


@dataclass(frozen=True)
class Pagination:
    """Where a page of a paginated list stands, with links to its neighbours."""

    number: int
    """This page's number, from 1."""
    total: int
    """Number of pages."""
    previous_href: str | None
    """URL of the previous page relative to this one; None on the first."""
    next_href: str | None
    """URL of the next page relative to this one; None on the last."""
    pages: tuple[tuple[int, str], ...]
    """Every page as (number, relative URL), for numbered links."""


@dataclass(frozen=True, kw_only=True)
class PageBase:
    """What every page has."""

    lang: LanguageConfig
    """The page's language; `lang.t(key)` gives UI strings."""
    root: str
    """Relative URL from this page to the site root (`../../`, or `./` at the root)."""
    canonical_url: str
    """Absolute URL of this page."""
    title: str
    """Plain `<title>` text (without the site title)."""
    description: str
    """Meta description."""
    alternates: tuple[LanguageLink, ...]
    """This page in every language it is visible in, including its own (switcher and hreflang)."""
    x_default_url: str | None
    """Absolute URL for `hreflang="x-default"` (the source-language page), or None."""
    noindex: bool
    """`<meta name="robots" content="noindex">` (pages that are not live; every page of a preview build)."""
    banner: Banner | None
    """Draft / scheduled banner, shown at the top."""
    year: int
    """For the copyright line."""
    organization: str
    contact_url: str
    feedback_url: str
    site_url: str = ""
    """The site's base URL (`https://www.example.com/`)."""
    feed_href: str | None = None
    """This language's Atom feed, relative to the page (None where there is none)."""
    tag_feed_href: str | None = None
    """On a tag page: the tag's own Atom feed, relative to the page."""
    tag_feed_title: str | None = None
    """That feed's title."""
    social: tuple[MetaTag, ...] = ()
    """Open Graph and Twitter card `<meta>` tags (`metadata.social_meta`)."""
    json_ld: Markup | None = None
    """schema.org data for `<script type="application/ld+json">`, already escaped for that place."""
    ranking: tuple[ArticleLink, ...] = ()
    """The popularity ranking (most viewed first); empty hides it."""


@dataclass(frozen=True, kw_only=True)
class ArticlePage(PageBase):
    """`/<lang>/<slug>/index.html`."""

    code: str | None
    title_html: Markup
    date_text: str
    date_iso: str
    hero: Image | None
    body_html: Markup
    toc: tuple[TocEntry, ...]
    """Table of contents; empty when the article is short."""
    related: tuple[ArticleLink, ...]
    notices: tuple[str, ...]
    """Standing notices for this article, in order, in the page's language."""
    tags: tuple[TagLink, ...] = ()
    """This language version's tags."""
    pdf_href: str | None = None
    """Link to the article's PDF (`<slug>.pdf`, relative), or None when there is none ([pdf] off, not live).
    In the preview server's pages the PDF is made when the link is followed."""
    pdf_size: str | None = None
    """The PDF's size as shown beside the link (`1.2 MB`); None when it is made on request."""
    reading_time: str | None = None
    """`約5分で読めます`, in the page's language; None when the body has no text."""


@dataclass(frozen=True, kw_only=True)
class IndexPage(PageBase):
    """`/<lang>/index.html` and `/<lang>/page/N/`: live articles, newest first."""

    entries: tuple[ArticleLink, ...]
    pagination: Pagination | None = None
    """Links to the other pages of the list; None when everything fits on one."""
    heading: str = ""
    """The list's `<h1>` (the index title, or the tag's)."""
    tags: tuple[TagLink, ...] = ()
    """On the first index page: every tag of the language, for browsing."""
    is_front: bool = False
    """The language's front page (`/<lang>/`), which the breadcrumbs mark as current."""
    search_href: str | None = None
    """The language's search page, relative (`../search/`), for the search box; None: the site has no search."""


@dataclass(frozen=True, kw_only=True)
class TagIndexPage(PageBase):
    """`/<lang>/tags/`: every tag of the language with its article count."""

    tags: tuple[TagLink, ...]


@dataclass(frozen=True, kw_only=True)
class NotFoundPage(PageBase):
    """`/404.html`: served by the host for unknown URLs, at any depth (so its links are root-relative)."""

    languages: tuple[LanguageLink, ...]
    """The index of each language."""
    messages: tuple[tuple[LanguageConfig, str, str], ...]
    """(language, title, message) in every language."""


@dataclass(frozen=True, kw_only=True)
class RootPage(PageBase):
    """`/index.html`: leads to each language's index."""

    languages: tuple[LanguageLink, ...]
    """One link per language to its index page."""
    site_titles: tuple[tuple[LanguageConfig, str], ...]
    """Each language with its own site title, for the chooser."""


@dataclass(frozen=True, kw_only=True)
class SearchPage(PageBase):
    """`/<lang>/search/`: the site search of one language (Pagefind's UI over the index of the written site);
    the search box of the index pages sends its words here as `?q=`."""

    bundle_href: str
    """The search index and its UI script, relative (`../../pagefind/`)."""
