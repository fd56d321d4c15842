"""`publish build`: load the site, decide what is visible at `now`, render, write.

Reads top to bottom: gather everything first (what is visible, every page's
record), then render and write. Nothing here reads the clock: `now` comes in
with the options, so scheduled releases are testable.
"""

from __future__ import annotations

import dataclasses
import time as _time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image as PILImage

from ..config import LanguageConfig, SiteConfig
from ..content import Article, LoadResult, Visibility, load_site
from ..content.model import Status
from ..errors import BuildRefused, Problem
from ..markdown import Heading, render_markdown
from ..markdown.labels import LABEL_KEYS
from ..typography import phrase_html
from .pages import (ArticleLink, ArticlePage, Banner, Image, IndexPage, LanguageLink, PageBase, PreviewMark,
                    RootPage, TocEntry)
from .templates import Templates
from .writer import OutputWriter


#: Files of an article folder that are published with it (images); anything
#: else there (Markdown, lock files, notes) stays private.
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"})


@dataclass(frozen=True)
class BuildOptions:
    now: datetime
    """The instant the site is built "as of" (timezone-aware)."""
    include_drafts: bool = False
    """Also build drafts and pages in review (with a banner and noindex)."""
    include_future: bool = False
    """Also build published pages whose release time has not come (with a banner and noindex)."""
    out_dir: Path | None = None
    """Output folder; default `site.output_dir`."""


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    """The folder written."""
    pages_written: int
    """HTML pages written."""
    files_written: int
    """All files written (pages, assets, images)."""
    live_pages: int
    """Article pages that are live at `now`."""
    preview_pages: int
    """Article pages built only because drafts/future pages were asked for."""
    warnings: tuple[Problem, ...]
    """Content warnings (the build went on)."""
    seconds: float


@dataclass(frozen=True)
class _Entry:
    """One article page that this build makes."""

    article: Article
    lang: LanguageConfig
    visibility: Visibility


def build_site(config: SiteConfig, options: BuildOptions) -> BuildReport:
    started = _time.perf_counter()
    if options.now.tzinfo is None:
        raise ValueError("BuildOptions.now must be timezone-aware")

    loaded = load_site(config)
    if loaded.errors:
        raise BuildRefused(loaded.errors, f"{len(loaded.errors)} error(s) in the content; "
                                          "run `publish check` to see them all, fix them, and build again")

    entries = _visible_entries(loaded, config, options)
    # --- PDFs (publisher.pdf; [pdf] in publisher.toml) ----------------------
    # One PDF per live page, from the cache when its inputs are unchanged;
    # written to <lang>/<slug>/<slug>.pdf and linked from the article page.
    # Pages that are not live (preview builds) get none.
    pdf_files: dict[tuple[str, str], Path] = {}
    if config.pdf.enabled:
        from ..pdf.batch import build_site_pdfs
        pdf_files = build_site_pdfs(config, loaded.site, options.now)
    # --- end PDFs -------------------------------------------------------------
    pages: list[tuple[str, str, PageBase]] = []
    for entry in entries:
        page = _article_page(entry, entries, config, options)
        if (entry.article.slug, entry.lang.code) in pdf_files:  # PDFs
            page = dataclasses.replace(page, pdf_href=f"{entry.article.slug}.pdf")
        pages.append((f"{entry.lang.code}/{entry.article.slug}/index.html", "article.html", page))
    for lang in config.languages:
        pages.append((f"{lang.code}/index.html", "index.html", _index_page(lang, entries, config, options)))
    pages.append(("index.html", "root.html", _root_page(config, options)))

    templates = Templates(config.templates_dir)
    out_dir = (options.out_dir or config.output_dir).resolve()
    with OutputWriter(out_dir, protected=(config.root, config.content_dir, config.templates_dir,
                                          config.assets_dir)) as writer:
        for relative, template, page in pages:
            writer.write_text(relative, templates.render(template, page))
        writer.copy_tree(config.assets_dir, "assets")
        for article in {entry.article.slug: entry.article for entry in entries}.values():
            for file in sorted(article.folder.iterdir()):
                if file.is_file() and file.suffix.lower() in MEDIA_SUFFIXES and not file.name.startswith("."):
                    writer.copy_file(file, f"media/{article.slug}/{file.name}")
        for (slug, lang_code), pdf in sorted(pdf_files.items()):  # PDFs
            writer.copy_file(pdf, f"{lang_code}/{slug}/{slug}.pdf")
        writer.commit()

    return BuildReport(
        out_dir=out_dir,
        pages_written=len(pages),
        files_written=writer.files_written,
        live_pages=sum(1 for e in entries if e.visibility is Visibility.LIVE),
        preview_pages=sum(1 for e in entries if e.visibility is not Visibility.LIVE),
        warnings=loaded.warnings,
        seconds=_time.perf_counter() - started,
    )


# --- gathering -------------------------------------------------------------


def _visible_entries(loaded: LoadResult, config: SiteConfig, options: BuildOptions) -> tuple[_Entry, ...]:
    """Every (article, language) page this build makes, newest release first."""
    entries = []
    for article in loaded.site.articles:
        for lang in config.languages:
            visibility = article.visibility(lang.code, options.now)
            if visibility is None:
                continue
            if (visibility is Visibility.LIVE
                    or (visibility is Visibility.DRAFT and options.include_drafts)
                    or (visibility is Visibility.SCHEDULED and options.include_future)):
                entries.append(_Entry(article, lang, visibility))
    entries.sort(key=lambda e: (e.article.publish_at, e.article.date, e.article.slug), reverse=True)
    return tuple(entries)


def _visible_languages(article: Article, entries: tuple[_Entry, ...]) -> list[_Entry]:
    return [e for e in entries if e.article.slug == article.slug]


def _base(config: SiteConfig, options: BuildOptions, lang: LanguageConfig, path: str, *, title: str,
          description: str, alternates: tuple[LanguageLink, ...], x_default: str | None,
          visibility: Visibility | None = None, article: Article | None = None) -> dict:
    depth = path.count("/")
    root = "../" * depth if depth else "./"
    banner = _banner(article, lang, visibility, config) if article is not None and visibility else None
    return dict(
        lang=lang, root=root, canonical_url=config.base_url + path, title=title, description=description,
        alternates=alternates, x_default_url=x_default,
        noindex=banner is not None, banner=banner, year=options.now.astimezone(config.timezone).year,
        organization=config.organization, contact_url=config.contact_url, feedback_url=config.feedback_url,
    )


def _not_live_kind(article: Article, lang: LanguageConfig, visibility: Visibility) -> str | None:
    """`draft`, `review` or `scheduled` for a page that is not live; None when it is."""
    if visibility is Visibility.LIVE:
        return None
    if visibility is Visibility.SCHEDULED:
        return "scheduled"
    document = article.document(lang.code)
    statuses = (article.source.status, document.status if document else None)
    return "review" if Status.REVIEW in statuses and Status.DRAFT not in statuses else "draft"


def _banner(article: Article, lang: LanguageConfig, visibility: Visibility, config: SiteConfig) -> Banner | None:
    kind = _not_live_kind(article, lang, visibility)
    if kind == "scheduled":
        moment = article.publish_at.astimezone(config.timezone)
        when = f"{moment:%Y.%m.%d %H:%M} ({config.timezone.key})"
        return Banner("scheduled", lang.t("banner_scheduled", time=when))
    return Banner(kind, lang.t(f"banner_{kind}")) if kind else None


def _language_links(config: SiteConfig, page_dir: str | None, current: LanguageConfig,
                    available: list[str], root: str) -> tuple[LanguageLink, ...]:
    """Links to `<code>/<page_dir>/` for each available language (`page_dir` None: the index)."""
    links = []
    for lang in config.languages:
        if lang.code not in available:
            continue
        path = f"{lang.code}/{page_dir}/" if page_dir else f"{lang.code}/"
        links.append(LanguageLink(code=lang.code, hreflang=lang.html_lang, label=lang.t("language_name"),
                                  href=root + path, absolute_url=config.base_url + path,
                                  current=lang.code == current.code))
    return tuple(links)


def _article_page(entry: _Entry, entries: tuple[_Entry, ...], config: SiteConfig,
                  options: BuildOptions) -> ArticlePage:
    article, lang = entry.article, entry.lang
    document = article.document(lang.code)
    assert document is not None
    root = "../../"
    available = [e.lang.code for e in _visible_languages(article, entries)]
    alternates = _language_links(config, article.slug, lang, available, root)
    source_code = config.source_language.code
    x_default = f"{config.base_url}{source_code}/{article.slug}/" if source_code in available else None

    def media_url(reference: str) -> str:
        return f"{root}media/{article.slug}/{reference}"

    labels = {key: lang.strings[f"{key}_label"] for key in LABEL_KEYS}
    body = render_markdown(document.body, lang=lang.code, image_url=media_url, labels=labels)
    toc = _table_of_contents(body.headings, config.toc_min_headings)

    hero = None
    if article.hero:
        width, height = _image_size(article.folder / article.hero)
        hero = Image(src=media_url(article.hero), alt=document.hero_alt or article.source.hero_alt or "",
                     width=width, height=height)

    visible_here = {e.article.slug: e for e in entries if e.lang.code == lang.code}
    related = tuple(_article_link(visible_here[slug], root) for slug in article.related if slug in visible_here)

    notices = []
    if article.ai_text:
        notices.append(lang.t("notice_ai_text"))
    if article.ai_image:
        notices.append(lang.t("notice_ai_image", model=article.ai_image))
    if article.pseudonyms:
        notices.append(lang.t("notice_pseudonyms"))
    notices.append(lang.t("notice_mobile"))

    return ArticlePage(
        **_base(config, options, lang, f"{lang.code}/{article.slug}/", title=document.title,
                description=document.summary or lang.t("site_description"), alternates=alternates,
                x_default=x_default, visibility=entry.visibility, article=article),
        code=article.code,
        title_html=phrase_html(document.title, lang.code),
        date_text=f"{article.date:%Y.%m.%d}",
        date_iso=article.date.isoformat(),
        hero=hero,
        body_html=body.html,
        toc=toc,
        related=related,
        notices=tuple(notices),
    )


def _article_link(entry: _Entry, root: str) -> ArticleLink:
    article, lang = entry.article, entry.lang
    document = article.document(lang.code)
    assert document is not None
    kind = _not_live_kind(article, lang, entry.visibility)
    return ArticleLink(href=f"{root}{lang.code}/{article.slug}/", code=article.code, title=document.title,
                       title_html=phrase_html(document.title, lang.code), date_text=f"{article.date:%Y.%m.%d}",
                       date_iso=article.date.isoformat(), summary=document.summary,
                       preview=PreviewMark(kind, lang.t(f"label_{kind}")) if kind else None)


def _table_of_contents(headings: tuple[Heading, ...], min_sections: int) -> tuple[TocEntry, ...]:
    """`##` sections with their `###` sub-blocks; empty for short articles."""
    sections: list[tuple[Heading, list[Heading]]] = []
    for heading in headings:
        if heading.level == 2:
            sections.append((heading, []))
        elif heading.level == 3 and sections:
            sections[-1][1].append(heading)
    if len(sections) < max(min_sections, 1):
        return ()
    return tuple(TocEntry(heading, tuple(children)) for heading, children in sections)


def _index_page(lang: LanguageConfig, entries: tuple[_Entry, ...], config: SiteConfig,
                options: BuildOptions) -> IndexPage:
    root = "../"
    alternates = _language_links(config, None, lang, list(config.language_codes), root)
    return IndexPage(
        **_base(config, options, lang, f"{lang.code}/", title=lang.t("index_title"),
                description=lang.t("site_description"), alternates=alternates,
                x_default=f"{config.base_url}{config.source_language.code}/"),
        entries=tuple(_article_link(e, root) for e in entries if e.lang.code == lang.code),
    )


def _root_page(config: SiteConfig, options: BuildOptions) -> RootPage:
    lang = config.source_language
    links = _language_links(config, None, lang, list(config.language_codes), "./")
    return RootPage(
        **_base(config, options, lang, "", title=lang.t("site_title"), description=lang.t("site_description"),
                alternates=(), x_default=None),
        languages=links,
        site_titles=tuple((language, language.t("site_title")) for language in config.languages),
    )


def _image_size(path: Path) -> tuple[int | None, int | None]:
    """Intrinsic size for width/height attributes (no layout shift)."""
    if path.suffix.lower() == ".svg":
        try:
            root = ElementTree.parse(path).getroot()
        except (ElementTree.ParseError, OSError):
            return None, None
        width, height = root.get("width"), root.get("height")
        if width and height and width.replace(".", "").isdigit() and height.replace(".", "").isdigit():
            return round(float(width)), round(float(height))
        view_box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(view_box) == 4:
            return round(float(view_box[2])), round(float(view_box[3]))
        return None, None
    try:
        with PILImage.open(path) as image:
            return image.size
    except (OSError, ValueError):
        return None, None
