"""One article in one language -> PDF bytes, with WeasyPrint.

The same content as the web page (the Markdown body, the header, the
notices), laid out by `templates/print/article.html` and `assets/print.css`.
Everything the PDF shows is worked out into a `PdfJob` first (which related
articles are live, the copyright year), so a job alone decides the output and
its hash can key the cache (`publisher.pdf.batch`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from ..config import LanguageConfig, SiteConfig
from ..content import Article, Site, Visibility
from ..errors import PublisherError
from ..i18n import _
from ..markdown import render_markdown
from ..markdown.labels import site_labels
from ..notices import article_notices
from ..site.templates import Templates
from ..content.variants import for_language
from ..display_time import display_time
from ..typography import phrase_html
from .fontfiles import compact_font_files
from .fonts import check_fonts
from .phrases import keep_phrases

#: The print template, inside `site.templates_dir`.
PRINT_TEMPLATE = "print/article.html"
#: The print stylesheet, inside `site.assets_dir`.
PRINT_CSS = "print.css"


class PdfError(PublisherError):
    """A PDF could not be made."""


@dataclass(frozen=True)
class RelatedRef:
    """A related article as the PDF lists it: `(参考) 【code】 title`, linking to the live web page."""

    code: str | None
    """Series code (`中国G93`), or None."""
    title: str
    """Title in the PDF's language."""
    url: str
    """Absolute URL of the related article's page in the same language."""


@dataclass(frozen=True)
class PdfJob:
    """Everything that decides one PDF (besides the files it reads)."""

    article: Article
    """The article, as loaded (its folder holds the Markdown and images)."""
    lang: str
    """Language code of the version to print (`ja`, `zh`)."""
    related: tuple[RelatedRef, ...]
    """Related articles that are live in this language at the time of the build."""
    year: int
    """Year for the copyright line (the build's `now`, in site time)."""
    banner: str | None = None
    """Set when the page is not live (an on-demand PDF of a draft): printed at the top."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.article.slug, self.lang)


@dataclass(frozen=True)
class PrintHero:
    src: str
    """file:// URL of the image in the article folder."""
    alt: str
    """Alt text in the PDF's language (the figure's alt text in a tagged PDF)."""


@dataclass(frozen=True)
class PrintPage:
    """What `templates/print/article.html` gets."""

    lang: LanguageConfig
    """The page's language; `lang.t(key)` gives UI strings."""
    page_size: str
    """`A4` or `phone` (the template sets it as a class on <html>)."""
    title: str
    """Plain title (metadata, running header)."""
    title_html: Markup
    """Title with BudouX phrases kept together."""
    code: str | None
    """Series code, shown as `【中国G93】` and in the running header."""
    date_text: str
    """`2025.12.05`."""
    date_iso: str
    """`2025-12-05`, for `<time datetime>`."""
    summary: str | None
    """PDF Subject."""
    tags: tuple[str, ...]
    """PDF Keywords."""
    author: str
    """The publishing organization (PDF Author)."""
    created: str
    """Release instant, ISO 8601 (PDF CreationDate)."""
    modified: str
    """Latest change, ISO 8601 (PDF ModDate): the release instant, as the content model has no edit date."""
    url: str
    """Absolute URL of the web page."""
    hero: PrintHero | None
    """The hero image under the header, or None."""
    body_html: Markup
    """The Markdown body as HTML, headings' phrases kept whole."""
    related: tuple[RelatedRef, ...]
    """`(参考)` lines: related articles live in this language."""
    notices: tuple[str, ...]
    """The article's standing notices (AI text, AI images, pseudonyms); the web page's phone tip is left out."""
    copyright: str
    """The copyright line, filled in."""
    contact_url: str
    """Where the contact call to action links."""
    feedback_url: str
    """Where the feedback prompt links."""
    banner: str | None
    """Draft/scheduled notice printed at the top, or None for a live page."""


def make_job(config: SiteConfig, site: Site, article: Article, lang_code: str, *, now: datetime) -> PdfJob:
    """The job for `article` in `lang_code` as of `now` (related links only to live pages)."""
    lang = _language(config, lang_code)
    document = article.document(lang.code)
    if document is None:
        available = ", ".join(d.lang for d in article.documents)
        raise PdfError(_("{slug} has no {lang} version ({lang}.md); choose one of: "
                         "{available}").format(
                           slug=article.slug, lang=lang.code, available=available))
    related = []
    for slug in article.related:
        other = site.article(slug)
        other_doc = other.document(lang.code) if other else None
        if other is not None and other_doc is not None and other.is_live(lang.code, now):
            related.append(RelatedRef(other.code, other_doc.title, f"{config.base_url}{lang.code}/{slug}/"))
    banner = None
    visibility = article.visibility(lang.code, now)
    if visibility is Visibility.SCHEDULED:
        banner = lang.t("banner_scheduled", time=display_time(article.publish_at, config.timezone, lang.code,
                                                              lang.display_timezone))
    elif visibility is Visibility.DRAFT:
        statuses = (article.source.status.value, document.status.value)
        kind = "review" if "review" in statuses and "draft" not in statuses else "draft"
        banner = lang.t(f"banner_{kind}")
    return PdfJob(article=article, lang=lang.code, related=tuple(related),
                  year=now.astimezone(config.timezone).year, banner=banner)


def render_article_pdf(config: SiteConfig, site: Site, article: Article, lang_code: str, *, now: datetime) -> bytes:
    """The PDF of `article` in `lang_code` as of `now` (fonts are checked first)."""
    job = make_job(config, site, article, lang_code, now=now)
    check_fonts([_language(config, lang_code).html_lang])
    return render_job(config, job)


class PdfArticleError(PdfError):
    """One article's PDF failed to lay out (its markup, its images); the other PDFs can still be made."""


def render_job(config: SiteConfig, job: PdfJob) -> bytes:
    """Lay out and write one PDF. Fonts must have been checked (`fonts.check_fonts`).

    For many PDFs, make one `PdfRenderer` and call its `render` for each job instead.
    """
    return PdfRenderer(config).render(job)


class PdfRenderer:
    """What every PDF of a batch shares, loaded once: WeasyPrint, the print template, the parsed
    print stylesheet and one font configuration.

    Made per PDF, these cost more than a short article's layout: WeasyPrint's default is a new
    fontconfig set-up and Pango font map for every document (font discovery, every CJK face
    opened again), the stylesheet parsed again and the template compiled again. A batch makes
    one renderer before forking its workers, so each worker starts with all of it loaded.

    `compact_fonts=False` leaves the font files as WeasyPrint writes them (tests compare the two).
    """

    def __init__(self, config: SiteConfig, *, compact_fonts: bool = True) -> None:
        import weasyprint  # imported here: most commands never render a PDF
        from weasyprint.text.fonts import FontConfiguration

        _quiet_weasyprint()
        css_path = config.assets_dir / PRINT_CSS
        if not css_path.is_file():
            raise PdfError(_("the print stylesheet {css_path} is missing; restore assets/{stylesheet} from the "
                             "project (or set site.assets_dir)").format(css_path=css_path, stylesheet=PRINT_CSS))
        self.config = config
        self.templates = Templates(config.templates_dir)
        self.font_config = FontConfiguration()
        self.stylesheet = weasyprint.CSS(filename=str(css_path), font_config=self.font_config)
        self.assets = config.assets_dir.resolve()
        self.options: dict = {"pdf_variant": "pdf/ua-1"} if config.pdf.tagged else {}
        self._html = weasyprint.HTML
        self._finisher = (lambda _document, pdf: compact_font_files(pdf)) if compact_fonts else None

    def render(self, job: PdfJob) -> bytes:
        """The PDF of `job`."""
        page = print_page(self.config, job)
        html = self.templates.render(PRINT_TEMPLATE, page)
        folder = job.article.folder.resolve()
        try:
            document = self._html(string=html, base_url=folder.as_uri() + "/",
                                  url_fetcher=_local_fetcher(folder, self.assets))
            return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config,
                                      finisher=self._finisher, **self.options)
        except PublisherError:
            raise
        except Exception as exc:  # WeasyPrint raises many kinds; name the article and what to check
            raise PdfArticleError(_("{file}: the PDF could not be made ({exc}); check the article's images and "
                                    "{template}, {stylesheet}").format(
                                      file=job.article.folder / (job.lang + '.md'), exc=exc,
                                      template=PRINT_TEMPLATE, stylesheet=PRINT_CSS)) from exc


def print_page(config: SiteConfig, job: PdfJob) -> PrintPage:
    """The template record for `job`."""
    article = job.article
    lang = _language(config, job.lang)
    document = article.document(lang.code)
    assert document is not None

    def image_url(reference: str) -> str:
        name = for_language(unquote(reference), lang.code, lambda variant: (article.folder / variant).is_file())
        return (article.folder / name).resolve().as_uri()

    labels = site_labels(lang.strings)
    body = render_markdown(document.body, lang=lang.code, image_url=image_url, labels=labels,
                           raw_html=config.markdown.allow_raw_html, keep_together=lang.keep_together)
    hero = None
    if article.hero:
        hero = PrintHero(src=image_url(article.hero), alt=document.hero_alt or article.source.hero_alt or "")

    notices = article_notices(article, lang)
    released = article.publish_at.astimezone(config.timezone).isoformat()
    return PrintPage(
        lang=lang,
        page_size=config.pdf.page_size,
        title=document.title,
        title_html=Markup(keep_phrases(str(phrase_html(document.title, lang.code, lang.keep_together)))),
        code=article.code,
        date_text=f"{article.date:%Y.%m.%d}",
        date_iso=article.date.isoformat(),
        summary=document.summary,
        tags=document.tags,
        author=config.organization,
        created=released,
        modified=released,
        url=f"{config.base_url}{lang.code}/{article.slug}/",
        hero=hero,
        body_html=Markup(keep_phrases(str(body.html))),
        related=job.related,
        notices=tuple(notices),
        copyright=lang.t("notice_copyright", year=job.year, organization=config.organization),
        contact_url=config.contact_url,
        feedback_url=config.feedback_url,
        banner=job.banner,
    )


def _language(config: SiteConfig, code: str) -> LanguageConfig:
    try:
        return config.language(code)
    except KeyError:
        raise PdfError(_("unknown language {code!r}; use one of {items} (site.languages in publisher.toml)").format(
                           code=code, items=', '.join(config.language_codes))) from None


def _local_fetcher(*folders: Path):
    """A WeasyPrint fetcher that reads files from `folders` only (the article folder, the assets).

    No network access and no other local files: an absolute image URL in an
    article is left out of the PDF (with a warning) rather than fetched.
    """
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(folder) for folder in folders) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(_("not fetched for the PDF: {url} (only files in the article folder are used)").format(
                                 url=url))

    return LocalFetcher(allowed_protocols=("file",))


def _quiet_weasyprint() -> None:
    """WeasyPrint logs every CSS property it ignores; only real problems should reach the user."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
