"""`publish build`: load the site, decide what is visible at `now`, render, write.

Reads top to bottom, as `build_site` does:

1. load the articles (parsing only folders that changed since the cache saw them);
2. if nothing the site depends on changed since the last build of this output
   folder (files, config, templates, assets, what is live at `now`), stop:
   nothing is written;
3. gather: the visible pages, images, the ranking, and every output file as a
   record (`pages.py`) or as bytes (feeds, sitemap, ...);
4. render what changed -- article bodies whose Markdown changed, pages whose
   record changed -- in parallel on every CPU core for a cold build;
5. write the new site beside the old one (unchanged files are hard links to
   the current output) and swap it in atomically (`writer.py`).

Nothing here reads the clock: `now` comes in with the options, so scheduled
releases are testable.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import time as _time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import quote

from markupsafe import Markup

from ..cache import Cache, code_version, digest, tree_digest
from ..config import LanguageConfig, SiteConfig
from ..content import Article, ContentScan, LoadResult, Visibility, load_site, scan_content
from ..content.model import Status
from ..errors import BuildRefused, Problem, PublisherError
from ..markdown import Heading, Picture, RenderedBody, render_markdown
from ..markdown.labels import site_labels
from ..notices import article_notices
from ..markdown.media import is_relative_reference
from ..typography import phrase_html
from . import state as build_state
from .feeds import Feed, FeedEntry, atom_feed
from .images import SIZES, ImageProcessor, ImageSettings, ResponsiveImage
from .metadata import article_json_ld
from .pages import (ArticleLink, ArticlePage, Banner, Image, IndexPage, LanguageLink, NotFoundPage, PageBase,
                    Pagination, PreviewMark, RootPage, TagIndexPage, TagLink, TocEntry)
from .ranking import load_pageviews, top_articles
from .sitemap import Alternate, SitemapUrl, robots_txt, sitemap_xml
from .templates import Templates
from .writer import OutputWriter, check_output_folder, output_build_id

#: Files of an article folder that are published with it (images); anything
#: else there (Markdown, lock files, notes) stays private.
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"})

#: Below this many renders, worker processes cost more than they save.
PARALLEL_THRESHOLD = 24

#: `progress(step, done, total)`: called as a long build goes, for a progress display.
Progress = Callable[[str, int, int], None]


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
    jobs: int | None = None
    """Worker processes for rendering; None: one per CPU core; 1: render in this process."""

    @property
    def is_preview(self) -> bool:
        return self.include_drafts or self.include_future


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
class BuildReport:
    out_dir: Path
    """The folder written."""
    pages_written: int
    """HTML pages rendered and written (new or changed)."""
    pages_unchanged: int
    """HTML pages whose record did not change, carried over from the previous build."""
    files_written: int
    """All files written (pages, feeds, assets, images)."""
    files_unchanged: int
    """All files carried over unchanged."""
    live_pages: int
    """Article pages that are live at `now`."""
    preview_pages: int
    """Article pages built only because drafts/future pages were asked for."""
    warnings: tuple[Problem, ...]
    """Content and data warnings (the build went on)."""
    seconds: float
    nothing_changed: bool = False
    """True when the output was already up to date and nothing was written."""
    released: tuple[Release, ...] = ()
    """Pages that went live since the previous production build (also in `releases.json`)."""

    @property
    def pages_total(self) -> int:
        return self.pages_written + self.pages_unchanged


@dataclass(frozen=True)
class _Entry:
    """One article page that this build makes."""

    article: Article
    lang: LanguageConfig
    visibility: Visibility


@dataclass(frozen=True)
class _PageJob:
    """An HTML page to write: its record, and the cached body it embeds (article pages)."""

    path: str
    template: str
    page: PageBase | None
    """The record; None when the page is known unchanged (`key` from the previous build)."""
    body_key: str | None = None
    key: str | None = None
    """The page's content key when it is known without its record."""


@dataclass
class _Plan:
    """Everything the new output will hold."""

    pages: list[_PageJob] = field(default_factory=list)
    data: dict[str, bytes] = field(default_factory=dict)
    """Generated files (feeds, sitemap, ...) by output path."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Files copied as they are (assets, original images), by output path."""
    variants: list[tuple[ResponsiveImage, object]] = field(default_factory=list)
    """Image variants to publish (made in the cache when missing)."""
    unchanged: dict[str, str] = field(default_factory=dict)
    """Generated files known to be as in the previous build (path -> key), not generated again."""


def build_site(config: SiteConfig, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    started = _time.perf_counter()
    if options.now.tzinfo is None:
        raise ValueError("BuildOptions.now must be timezone-aware")
    out_dir = (options.out_dir or config.output_dir).absolute()
    protected = (config.root, config.content_dir, config.templates_dir, config.assets_dir)
    check_output_folder(out_dir, protected)
    cache = Cache(config.cache_dir or config.root / ".publisher" / "cache")

    # 1. Has anything changed since the last build of this output? Files are
    # hashed, not parsed; time matters only if a release instant was crossed.
    scan = scan_content(config)
    site_inputs = _SiteInputs.read(config, options)
    inputs = site_inputs.site_digest(scan)
    previous = build_state.load(cache, out_dir)
    if previous is not None and previous.build_id != output_build_id(out_dir):
        previous = None  # the output was replaced or removed behind our back: rebuild it whole
    if previous is not None and previous.inputs == inputs and not _crossed_release(previous, options.now):
        return BuildReport(out_dir=out_dir, pages_written=0, pages_unchanged=previous.page_count, files_written=0,
                           files_unchanged=len(previous.files), live_pages=previous.live_count,
                           preview_pages=previous.preview_count, warnings=tuple(previous.warnings),
                           seconds=_time.perf_counter() - started, nothing_changed=True)

    # 2. Load (folders that did not change come from the cache).
    loaded = load_site(config, cache, scan)
    if loaded.errors:
        raise BuildRefused(loaded.errors, f"{len(loaded.errors)} error(s) in the content; "
                                          "run `publish check` to see them all, fix them, and build again")
    entries = _visible_entries(loaded, config, options)
    warnings = list(loaded.warnings)

    # 3. Gather. PDFs first (`publisher.pdf`, `[pdf]` in publisher.toml): one per
    # live page, from their own cache when their inputs are unchanged.
    pdf_files: dict[tuple[str, str], Path] = {}
    if config.pdf.enabled:
        from ..pdf.batch import build_site_pdfs
        pdf_files = build_site_pdfs(config, loaded.site, options.now)
    images = ImageProcessor(cache, ImageSettings(config.images.widths, config.images.webp_quality,
                                                 config.images.jpeg_quality))
    media = _plan_media(entries, images)
    bodies = _render_bodies(entries, media, cache, options, progress)
    ranking, ranking_warning = _ranking(config, entries)
    if ranking_warning is not None:
        warnings.append(ranking_warning)
    released = _releases(entries, previous, config, options)
    plan = _Plan()
    phrased = _load_phrased(cache)
    _LINKS.clear()
    folder_keys = dict(zip((folder.name for folder in scan.folders), scan.keys))
    signatures = {f"{e.lang.code}/{e.article.slug}/index.html": digest(
        folder_keys.get(e.article.slug, ""), bodies[(e.article.slug, e.lang.code)].key,
        str(pdf_files.get((e.article.slug, e.lang.code), ""))) for e in entries}
    listing = site_inputs.listing_digest(entries)
    unchanged = previous if (previous is not None and previous.listing == listing
                             and all(os.path.exists(os.path.join(out_dir, page))
                                     for page in (*previous.pages, "sitemap.xml"))) else None
    _gather_pages(plan, config, options, entries, bodies, media, ranking, pdf_files, cache, signatures, unchanged)
    _store_phrased(cache, phrased, ((e.article.document(e.lang.code).title, e.lang.code) for e in entries))
    _gather_files(plan, config, options, entries, bodies, media, cache, released, previous, unchanged)
    for (slug, lang_code), pdf in sorted(pdf_files.items()):
        plan.copies[f"{lang_code}/{slug}/{slug}.pdf"] = pdf

    # 4 and 5. Render what changed and write the new output.
    build_id = digest(inputs, str(_time.time_ns()), str(os.getpid()))
    new_state = build_state.BuildState(build_id=build_id, inputs=inputs, files={}, live=_live_keys(entries),
                                       releases=list(previous.releases) if previous else [],
                                       warnings=warnings, page_count=len(plan.pages),
                                       built_at=options.now.isoformat(),
                                       instants=sorted({a.publish_at.isoformat() for a in loaded.site.articles}),
                                       live_count=_count(entries, live=True),
                                       preview_count=_count(entries, live=False),
                                       listing=listing, page_inputs=signatures,
                                       pages=[job.path for job in plan.pages])
    new_state.releases = ([_release_record(r, options.now) for r in released] + new_state.releases)[:200]
    _make_variants(images, plan.variants, options, progress)
    spare = previous.spare_files if previous is not None else None
    with OutputWriter(out_dir, protected, spare=spare, spare_build=previous.spare_build_id if previous else None) as writer:
        pages_written = _write_pages(writer, plan.pages, site_inputs, config, cache, previous, new_state,
                                     options, progress,
                                     {b.key: b.rendered for b in bodies.values() if b.rendered is not None})
        for path, key in plan.unchanged.items():
            if not writer.keep(path, key, key):
                raise PublisherError(f"{path} is missing from the previous output; delete {cache.folder} "
                                     "and build again")
            new_state.files[path] = key
        for path, data in plan.data.items():
            key = digest(data)
            _write(writer, path, key, previous, new_state, lambda data=data, path=path: writer.write_bytes(path, data))
        for path, source in plan.copies.items():
            key = _file_key(source)
            _write(writer, path, key, previous, new_state, lambda s=source, p=path: writer.copy_file(s, p))
        for image, variant in plan.variants:
            _write(writer, variant.path, variant.cache_key, previous, new_state,
                   lambda i=image, v=variant: writer.copy_file(images.variant_file(i, v), v.path))
        writer.commit(build_id)
    if writer.kept_spare and previous is not None:
        new_state.spare_files, new_state.spare_build_id = previous.files, previous.build_id
    build_state.save(cache, out_dir, new_state)

    return BuildReport(
        out_dir=out_dir,
        pages_written=pages_written,
        pages_unchanged=len(plan.pages) - pages_written,
        files_written=writer.files_written,
        files_unchanged=writer.files_kept,
        live_pages=_count(entries, live=True),
        preview_pages=_count(entries, live=False),
        warnings=tuple(warnings),
        seconds=_time.perf_counter() - started,
        released=tuple(released),
    )


def _count(entries: Sequence[_Entry], *, live: bool) -> int:
    return sum(1 for e in entries if (e.visibility is Visibility.LIVE) == live)


# --- what the build depends on ---------------------------------------------------


@dataclass(frozen=True)
class _SiteInputs:
    """Hashes of what every page depends on besides the articles, read once per build."""

    config: str
    """publisher.toml's bytes."""
    templates: str
    """Every file under the templates folder."""
    common: tuple[str, ...]
    """The above with the code version, the assets, the ranking file and the build options."""

    @classmethod
    def read(cls, config: SiteConfig, options: BuildOptions) -> "_SiteInputs":
        config_digest, templates = digest(config.config_path.read_bytes()), tree_digest(config.templates_dir)
        ranking = "<no ranking>"
        if config.ranking is not None:
            try:
                ranking = digest(config.ranking.file.read_bytes())
            except OSError:
                ranking = "<no ranking file>"
        common = (code_version(), config_digest, templates, tree_digest(config.assets_dir), ranking,
                  str(options.include_drafts), str(options.include_future),
                  str(options.now.astimezone(config.timezone).year))
        return cls(config_digest, templates, common)

    def site_digest(self, scan: ContentScan) -> str:
        """Everything the output depends on but the clock: equal digests (and no release instant
        crossed, see `_crossed_release`) mean an equal site."""
        return digest(*self.common, scan.fingerprint)

    def listing_digest(self, entries: Sequence[_Entry]) -> str:
        """Everything a page may show about articles other than its own: when this is unchanged, an
        article page whose own article did not change, and every list page, are unchanged too."""
        parts = []
        for e in entries:
            article, document = e.article, e.article.document(e.lang.code)
            assert document is not None
            parts.append(repr((article.slug, e.lang.code, e.visibility.value, article.code, article.date,
                               article.publish_at, article.hero, article.related, article.source.tags,
                               document.title, document.summary, document.hero_alt, document.tags,
                               document.status)))
        return digest(*self.common, *parts)


def _crossed_release(previous: build_state.BuildState, now: datetime) -> bool:
    """Whether a release instant lies between the previous build's `now` and this one."""
    if previous.built_at is None:
        return True
    before = datetime.fromisoformat(previous.built_at)
    low, high = min(before, now), max(before, now)
    return any(low < datetime.fromisoformat(instant) <= high for instant in previous.instants)


def _file_key(path: Path) -> str:
    stat = path.stat()
    return digest(str(path), str(stat.st_size), str(stat.st_mtime_ns))


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


def _live_keys(entries: Iterable[_Entry]) -> list[str]:
    return sorted(f"{e.article.slug}/{e.lang.code}" for e in entries if e.visibility is Visibility.LIVE)


def _media_files(article: Article) -> list[Path]:
    try:
        return [file for file in sorted(article.folder.iterdir())
                if file.is_file() and file.suffix.lower() in MEDIA_SUFFIXES and not file.name.startswith(".")]
    except OSError:
        return []


def _plan_media(entries: Sequence[_Entry], images: ImageProcessor) -> dict[str, dict[str, ResponsiveImage]]:
    """For each article with a visible page: its published images by file name."""
    media: dict[str, dict[str, ResponsiveImage]] = {}
    for entry in entries:
        article = entry.article
        if article.slug in media:
            continue
        media[article.slug] = {file.name: images.prepare(file, f"media/{article.slug}/{file.name}")
                               for file in _media_files(article)}
    return media


def _picture(image: ResponsiveImage, root: str) -> Picture:
    return Picture(src=root + quote(image.path), width=image.width, height=image.height,
                   srcset=image.srcset(root, image.mime) if image.mime and image.variants else "",
                   webp_srcset=image.srcset(root, "image/webp") if image.variants else "", sizes=SIZES)


def _image_resolver(article: Article, media: dict[str, ResponsiveImage], root: str) -> dict[str, Picture]:
    return {name: _picture(image, root) for name, image in media.items()}


# --- bodies ----------------------------------------------------------------


def _labels(lang: LanguageConfig) -> dict[str, str]:
    return site_labels(lang.strings)


def _body_key(entry: _Entry, pictures: dict[str, Picture]) -> str:
    document = entry.article.document(entry.lang.code)
    assert document is not None
    return digest("body", code_version(), document.body, entry.lang.code, repr(sorted(_labels(entry.lang).items())),
                  repr(sorted(pictures.items())))


def _render_body_job(job: tuple[str, str, str, dict[str, str], dict[str, Picture], str]) -> tuple[str, RenderedBody]:
    key, body, lang, labels, pictures, fallback_root = job

    def image_url(reference: str) -> str | Picture:
        return pictures.get(reference) or fallback_root + quote(reference)

    return key, render_markdown(body, lang=lang, image_url=image_url, labels=labels)


@dataclass(frozen=True)
class _Body:
    """An article body as the build needs it: its key, and its headings and HTML on demand."""

    key: str
    """Cache key of the rendered body (hash of the Markdown and what rendering depends on)."""
    rendered: RenderedBody | None
    """The rendered body, when this build rendered or loaded it; else it is in the cache under `key`."""
    cache: Cache

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
            raise PublisherError(f"the build cache lost a rendered page body ({self.key}); "
                                 f"delete {self.cache.folder} and build again")
        return body


def _render_bodies(entries: Sequence[_Entry], media: dict[str, dict[str, ResponsiveImage]], cache: Cache,
                   options: BuildOptions, progress: Progress | None) -> dict[tuple[str, str], _Body]:
    """Every visible body: (slug, lang) -> body. Rendered only when its Markdown (or what rendering
    depends on) changed; bodies already in the cache are not even read here."""
    results: dict[tuple[str, str], _Body] = {}
    jobs: dict[str, tuple] = {}
    waiting: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        article = entry.article
        root = "../../"
        pictures = _image_resolver(article, media.get(article.slug, {}), root)
        key = _body_key(entry, pictures)
        where = (article.slug, entry.lang.code)
        if cache.has("headings", key) and cache.has("bodies", key):
            results[where] = _Body(key, None, cache)
            continue
        document = article.document(entry.lang.code)
        assert document is not None
        jobs[key] = (key, document.body, entry.lang.code, _labels(entry.lang), pictures,
                     f"{root}media/{article.slug}/")
        waiting.setdefault(key, []).append(where)
    rendered: list[tuple[str, RenderedBody]] = []
    for done, (key, body) in enumerate(_run(_render_body_job, list(jobs.values()), options), start=1):
        rendered.append((key, body))
        for where in waiting[key]:
            results[where] = _Body(key, body, cache)
        if progress:
            progress("articles", done, len(jobs))
    cache.store_many("bodies", rendered)
    cache.store_many("headings", ((key, body.headings) for key, body in rendered))
    return results


def _run(function, jobs: list, options: BuildOptions, threshold: int = PARALLEL_THRESHOLD) -> Iterable:
    """`map(function, jobs)`, on all CPU cores when there are at least `threshold` jobs."""
    workers = options.jobs or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < threshold:
        yield from map(function, jobs)
        return
    # fork: workers start with the parser, templates and models already loaded,
    # and with the jobs themselves, so only their numbers cross the pipe.
    global _SHARED
    _SHARED = (function, jobs)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            yield from pool.map(_shared_call, range(len(jobs)), chunksize=max(1, min(16, len(jobs) // (workers * 4))))
    finally:
        _SHARED = None


_SHARED: tuple[Callable, list] | None = None


def _shared_call(index: int):
    assert _SHARED is not None
    function, jobs = _SHARED
    return function(jobs[index])


# --- records ---------------------------------------------------------------


_PHRASED: dict[tuple[str, str], str] = {}
"""Titles with phrase breaks, kept in the cache between builds (BudouX is slow on thousands of titles)."""


def _title_html(title: str, lang: str) -> Markup:
    phrased = _PHRASED.get((title, lang))
    if phrased is None:
        phrased = _PHRASED[(title, lang)] = str(phrase_html(title, lang))
    return Markup(phrased)


def _load_phrased(cache: Cache) -> int:
    _PHRASED.clear()
    _PHRASED.update(cache.load("phrases", digest("titles", code_version())) or {})
    return len(_PHRASED)


def _store_phrased(cache: Cache, known: int, titles: Iterable[tuple[str, str]]) -> None:
    if len(_PHRASED) != known:
        wanted = set(titles)
        cache.store("phrases", digest("titles", code_version()), {k: v for k, v in _PHRASED.items() if k in wanted})


_OG_LOCALES = {"ja": "ja_JP", "zh-CN": "zh_CN", "zh-TW": "zh_TW", "zh": "zh_CN", "en": "en_US", "ko": "ko_KR"}


def _base(config: SiteConfig, options: BuildOptions, lang: LanguageConfig, path: str, *, title: str,
          description: str, alternates: tuple[LanguageLink, ...], x_default: str | None,
          visibility: Visibility | None = None, article: Article | None = None, root: str | None = None,
          og_image: str | None = None, ranking: tuple[ArticleLink, ...] = ()) -> dict:
    if root is None:
        depth = path.count("/")
        root = "../" * depth if depth else "./"
    banner = _banner(article, lang, visibility, config) if article is not None and visibility else None
    return dict(
        lang=lang, root=root, canonical_url=config.base_url + _url_path(path), title=title, description=description,
        alternates=alternates, x_default_url=x_default,
        noindex=banner is not None, banner=banner,
        year=options.now.astimezone(config.timezone).year,
        organization=config.organization, contact_url=config.contact_url, feedback_url=config.feedback_url,
        site_url=config.base_url, feed_href=f"{root}{lang.code}/feed.xml",
        og_image_url=og_image or _default_og_image(config), og_locale=_OG_LOCALES.get(lang.html_lang, ""),
        ranking=ranking,
    )


@lru_cache(maxsize=65536)
def _url_path(path: str) -> str:
    return quote(path, safe="/")


def _default_og_image(config: SiteConfig) -> str | None:
    return config.base_url + "assets/og-image.png" if (config.assets_dir / "og-image.png").is_file() else None


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
                                  href=root + _url_path(path), absolute_url=config.base_url + _url_path(path),
                                  current=lang.code == current.code))
    return tuple(links)


@lru_cache(maxsize=65536)
def tag_segment(tag: str) -> str:
    """The tag's folder name in URLs: the tag itself (CJK kept), without characters that break paths."""
    text = unicodedata.normalize("NFKC", tag).strip().lower()
    return re.sub(r"[\s/\\?#%&:;<>\"'|*]+", "-", text).strip("-.") or "tag"


def _tags_by_language(entries: Sequence[_Entry]) -> dict[str, dict[str, list[_Entry]]]:
    """lang -> tag segment -> entries (newest first), from each language version's own tags."""
    tags: dict[str, dict[str, list[_Entry]]] = {}
    for entry in entries:
        document = entry.article.document(entry.lang.code)
        assert document is not None
        for tag in dict.fromkeys(tag_segment(t) for t in document.tags):
            tags.setdefault(entry.lang.code, {}).setdefault(tag, []).append(entry)
    return tags


def _tag_names(entries: Sequence[_Entry]) -> dict[tuple[str, str], str]:
    """(lang, segment) -> the tag as first written."""
    names: dict[tuple[str, str], str] = {}
    for entry in sorted(entries, key=lambda e: e.article.slug):
        document = entry.article.document(entry.lang.code)
        assert document is not None
        for tag in document.tags:
            names.setdefault((entry.lang.code, tag_segment(tag)), tag)
    return names


def _gather_pages(plan: _Plan, config: SiteConfig, options: BuildOptions, entries: tuple[_Entry, ...],
                  bodies: dict, media: dict, ranking: dict[str, tuple[str, ...]],
                  pdf_files: dict[tuple[str, str], Path], cache: Cache, signatures: dict[str, str],
                  unchanged: build_state.BuildState | None) -> None:
    """Every page as a record -- or, with `unchanged` (the previous build, whose listing digest is this
    build's), pages known to be the same by their signature, without building their records."""
    entries_to_build: Sequence[_Entry]
    if unchanged is not None:
        entries_to_build = [e for e in entries
                            if unchanged.page_inputs.get(f"{e.lang.code}/{e.article.slug}/index.html")
                            != signatures[f"{e.lang.code}/{e.article.slug}/index.html"]]
        building = {f"{e.lang.code}/{e.article.slug}/index.html" for e in entries_to_build}
        for path in unchanged.pages:
            if path not in building and path in unchanged.files:
                plan.pages.append(_PageJob(path, "", None, key=unchanged.files[path]))
    else:
        entries_to_build = entries
    by_lang: dict[str, dict[str, _Entry]] = {}
    for entry in entries:
        by_lang.setdefault(entry.lang.code, {})[entry.article.slug] = entry
    tags = _tags_by_language(entries)
    tag_names = _tag_names(entries)

    def ranked(lang: LanguageConfig, root: str) -> tuple[ArticleLink, ...]:
        here = by_lang.get(lang.code, {})
        return tuple(_article_link(here[slug], root) for slug in ranking.get(lang.code, ()) if slug in here)

    related = _RelatedLinks(by_lang, entries, config.related_count, cache)
    languages_of: dict[str, list[str]] = {}
    for entry in entries:
        languages_of.setdefault(entry.article.slug, []).append(entry.lang.code)
    for entry in entries_to_build:
        body = bodies[(entry.article.slug, entry.lang.code)]
        key = body.key
        page = _article_page(entry, entries, by_lang, config, options, body, media.get(entry.article.slug, {}),
                             ranked(entry.lang, "../../"), tag_names, related,
                             languages_of[entry.article.slug])
        if (entry.article.slug, entry.lang.code) in pdf_files:
            page = replace(page, pdf_href=f"{entry.article.slug}.pdf")
        plan.pages.append(_PageJob(f"{entry.lang.code}/{entry.article.slug}/index.html", "article.html", page, key))
    if unchanged is not None:
        related.save()
        return  # the list pages are as before

    for lang in config.languages:
        listed = [e for e in entries if e.lang.code == lang.code]
        tag_links_root = {}
        for segment, tagged in sorted(tags.get(lang.code, {}).items(), key=lambda item: (-len(item[1]), item[0])):
            tag_links_root[segment] = (tag_names[(lang.code, segment)], len(tagged))
        _paginate(plan, config, options, lang, listed, f"{lang.code}/", lang.t("index_title"),
                  ranked, tag_links_root)
        for segment, tagged in sorted(tags.get(lang.code, {}).items()):
            name = tag_names[(lang.code, segment)]
            _paginate(plan, config, options, lang, tagged, f"{lang.code}/tags/{segment}/",
                      lang.t("tag_title", tag=name), ranked, None)
        if tag_links_root:
            root = "../../"
            plan.pages.append(_PageJob(f"{lang.code}/tags/index.html", "tags.html", TagIndexPage(
                **_base(config, options, lang, f"{lang.code}/tags/", title=lang.t("tags_title"),
                        description=lang.t("site_description"),
                        alternates=_language_links(config, "tags", lang, _languages_with_tags(config, tags), root),
                        x_default=None),
                tags=tuple(TagLink(name, f"{root}{_url_path(f'{lang.code}/tags/{segment}/')}", count)
                           for segment, (name, count) in tag_links_root.items()),
            )))

    plan.pages.append(_PageJob("index.html", "root.html", _root_page(config, options)))
    plan.pages.append(_PageJob("404.html", "404.html", _not_found_page(config, options)))
    related.save()


def _languages_with_tags(config: SiteConfig, tags: dict) -> list[str]:
    return [lang.code for lang in config.languages if tags.get(lang.code)]


def _paginate(plan: _Plan, config: SiteConfig, options: BuildOptions, lang: LanguageConfig, listed: list[_Entry],
              folder: str, heading: str, ranked, tag_counts: dict[str, tuple[str, int]] | None) -> None:
    """`folder/index.html`, then `folder/page/2/index.html` ... with `per_page` entries each."""
    per_page = config.per_page
    chunks = [listed[i:i + per_page] for i in range(0, len(listed), per_page)] or [[]]
    total = len(chunks)
    base_depth = folder.count("/")

    def page_dir(number: int) -> str:
        return folder if number == 1 else f"{folder}page/{number}/"

    for number, chunk in enumerate(chunks, start=1):
        path = page_dir(number)
        depth = path.count("/")
        root = "../" * depth
        up = "../" * (depth - base_depth)

        def href(target: int) -> str:
            return up + (f"page/{target}/" if target > 1 else "") or "./"

        pagination = None
        if total > 1:
            pagination = Pagination(number=number, total=total,
                                    previous_href=href(number - 1) if number > 1 else None,
                                    next_href=href(number + 1) if number < total else None,
                                    pages=tuple((n, href(n)) for n in range(1, total + 1)))
        title = heading if number == 1 else lang.t("page_title", title=heading, page=number)
        is_index = folder == f"{lang.code}/"
        if is_index:
            page_suffix = None if number == 1 else f"page/{number}"
            alternates = _language_links(config, page_suffix, lang, list(config.language_codes), root)
            x_default = f"{config.base_url}{config.source_language.code}/" if number == 1 else None
        else:
            alternates = ()
            x_default = None
        tags = ()
        if tag_counts and number == 1:
            tags = tuple(TagLink(name, f"{root}{_url_path(f'{lang.code}/tags/{segment}/')}", count)
                         for segment, (name, count) in tag_counts.items())
        page = IndexPage(
            **_base(config, options, lang, path, title=title, description=lang.t("site_description"),
                    alternates=alternates, x_default=x_default, ranking=ranked(lang, root)),
            entries=tuple(_article_link(e, root) for e in chunk),
            pagination=pagination, heading=heading, tags=tags, is_front=is_index and number == 1,
        )
        plan.pages.append(_PageJob(f"{path}index.html", "index.html", page))


def _article_page(entry: _Entry, entries: tuple[_Entry, ...], by_lang: dict[str, dict[str, _Entry]],
                  config: SiteConfig, options: BuildOptions, body: _Body, media: dict[str, ResponsiveImage],
                  ranking: tuple[ArticleLink, ...], tag_names: dict[tuple[str, str], str],
                  related_links: "_RelatedLinks", available: list[str]) -> ArticlePage:
    article, lang = entry.article, entry.lang
    document = article.document(lang.code)
    assert document is not None
    root = "../../"
    alternates = _language_links(config, article.slug, lang, available, root)
    source_code = config.source_language.code
    x_default = f"{config.base_url}{source_code}/{article.slug}/" if source_code in available else None
    toc = _table_of_contents(body.headings, config.toc_min_headings)

    hero = None
    og_image = None
    if article.hero:
        alt = document.hero_alt or article.source.hero_alt or ""
        image = media.get(article.hero)
        if image is not None:
            picture = _picture(image, root)
            hero = Image(src=picture.src, alt=alt, width=image.width, height=image.height, srcset=picture.srcset,
                         webp_srcset=picture.webp_srcset, sizes=SIZES)
            if image.mime:
                og_image = config.base_url + _url_path(image.path)
        elif is_relative_reference(article.hero):
            hero = Image(src=f"{root}media/{article.slug}/{quote(article.hero)}", alt=alt, width=None, height=None)
        else:
            hero = Image(src=article.hero, alt=alt, width=None, height=None)

    related = tuple(_article_link(e, root) for e in related_links.of(article, lang.code))

    notices = article_notices(article, lang)
    notices.append(lang.t("notice_mobile"))

    url = f"{config.base_url}{lang.code}/{article.slug}/"
    json_ld = None
    if entry.visibility is Visibility.LIVE:
        json_ld = Markup(article_json_ld(
            headline=document.title, url=url, lang=lang.html_lang, published=article.publish_at,
            modified=article.publish_at, image_url=og_image or _default_og_image(config),
            publisher_name=config.organization, publisher_url=config.base_url,
            publisher_logo_url=_default_og_image(config), description=document.summary,
            section=lang.t("site_title")))
    tags = tuple(TagLink(tag_names.get((lang.code, tag_segment(t)), t),
                         f"{root}{_url_path(f'{lang.code}/tags/{tag_segment(t)}/')}")
                 for t in dict.fromkeys(document.tags))
    return ArticlePage(
        **_base(config, options, lang, f"{lang.code}/{article.slug}/", title=document.title,
                description=document.summary or lang.t("site_description"), alternates=alternates,
                x_default=x_default, visibility=entry.visibility, article=article, og_image=og_image,
                ranking=ranking),
        code=article.code,
        title_html=_title_html(document.title, lang.code),
        date_text=f"{article.date:%Y.%m.%d}",
        date_iso=article.date.isoformat(),
        hero=hero,
        body_html=Markup(""),  # filled in from the cache when the page is rendered
        toc=toc,
        related=related,
        notices=tuple(notices),
        tags=tags,
        og_type="article",
        json_ld=json_ld,
    )


class _RelatedIndex:
    """Finds, for each article, the visible articles sharing most tags with it (newest first).

    Articles are grouped by their exact set of (source-language) tags, so one
    article costs one small set intersection per distinct tag set, not one per
    article: large sites reuse a handful of tag combinations.
    """

    def __init__(self, visible: dict[str, _Entry]):
        groups: dict[frozenset[str], list[tuple[tuple[float, str], _Entry]]] = {}
        for entry in visible.values():
            order = (-entry.article.publish_at.timestamp(), entry.article.slug)
            groups.setdefault(_source_tags(entry.article), []).append((order, entry))
        self.groups = [(tags, sorted(members, key=lambda m: m[0])) for tags, members in groups.items() if tags]

    def similar(self, article: Article, exclude: set[str], count: int) -> list[_Entry]:
        own = _source_tags(article)
        if not own or count <= 0:
            return []
        by_score: dict[int, list] = {}
        for tags, members in self.groups:
            shared = len(own & tags)
            if shared:
                by_score.setdefault(shared, []).append(members)
        found: list[_Entry] = []
        for score in sorted(by_score, reverse=True):
            for _, entry in heapq.merge(*by_score[score], key=lambda m: m[0]):
                if entry.article.slug not in exclude:
                    found.append(entry)
                    if len(found) == count:
                        return found
        return found


def _source_tags(article: Article) -> frozenset[str]:
    return frozenset(tag_segment(t) for t in article.source.tags)


class _RelatedLinks:
    """The related articles of each page, remembered between builds: they change only when some
    visible article's tags, date, `related` list or visibility change, not when a text is edited."""

    def __init__(self, by_lang: dict[str, dict[str, _Entry]], entries: Sequence[_Entry], count: int, cache: Cache):
        self.by_lang = by_lang
        self.count = count
        self.cache = cache
        self.key = digest("related", code_version(), str(count), *(
            f"{e.article.slug}|{e.lang.code}|{e.article.publish_at.isoformat()}|{'/'.join(sorted(_source_tags(e.article)))}"
            f"|{','.join(e.article.related)}" for e in entries))
        self.known: dict[tuple[str, str], list[str]] = cache.load("related", self.key) or {}
        self.found = len(self.known)
        self.indexes: dict[str, _RelatedIndex] = {}

    def of(self, article: Article, lang: str) -> list[_Entry]:
        visible = self.by_lang.get(lang, {})
        slugs = self.known.get((article.slug, lang))
        if slugs is None:
            index = self.indexes.get(lang)
            if index is None:
                index = self.indexes[lang] = _RelatedIndex(visible)
            slugs = self.known[(article.slug, lang)] = [e.article.slug for e in _related(article, visible, index,
                                                                                           self.count)]
        return [visible[slug] for slug in slugs if slug in visible]

    def save(self) -> None:
        if len(self.known) != self.found:
            self.cache.store("related", self.key, self.known)


def _related(article: Article, visible: dict[str, _Entry], index: _RelatedIndex, count: int) -> list[_Entry]:
    """The writer's `related` list first, then the articles sharing most tags (newest first)."""
    chosen = [visible[slug] for slug in article.related if slug in visible]
    if len(chosen) >= count:
        return chosen
    exclude = {e.article.slug for e in chosen} | {article.slug}
    return chosen + index.similar(article, exclude, count - len(chosen))


def _article_link(entry: _Entry, root: str) -> ArticleLink:
    key = (entry.article.slug, entry.lang.code, root)
    link = _LINKS.get(key)
    if link is None or link[0] is not entry:
        link = _LINKS[key] = (entry, _make_article_link(entry, root))
    return link[1]


_LINKS: dict[tuple[str, str, str], tuple[_Entry, ArticleLink]] = {}
"""Links made during this build (each article is listed on many pages)."""


def _make_article_link(entry: _Entry, root: str) -> ArticleLink:
    article, lang = entry.article, entry.lang
    document = article.document(lang.code)
    assert document is not None
    kind = _not_live_kind(article, lang, entry.visibility)
    return ArticleLink(href=f"{root}{lang.code}/{article.slug}/", code=article.code, title=document.title,
                       title_html=_title_html(document.title, lang.code), date_text=f"{article.date:%Y.%m.%d}",
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


def _root_page(config: SiteConfig, options: BuildOptions) -> RootPage:
    lang = config.source_language
    links = _language_links(config, None, lang, list(config.language_codes), "./")
    return RootPage(
        **_base(config, options, lang, "", title=lang.t("site_title"), description=lang.t("site_description"),
                alternates=(), x_default=None),
        languages=links,
        site_titles=tuple((language, language.t("site_title")) for language in config.languages),
    )


def _not_found_page(config: SiteConfig, options: BuildOptions) -> NotFoundPage:
    """Served for any unknown URL, at any depth: links start from the site's path, not relative."""
    lang = config.source_language
    site_path = "/" + config.base_url.split("://", 1)[1].partition("/")[2]
    links = _language_links(config, None, lang, list(config.language_codes), site_path)
    base = _base(config, options, lang, "404.html", title=lang.t("not_found_title"),
                 description=lang.t("not_found_message"), alternates=(), x_default=None, root=site_path)
    base["noindex"] = True
    base["feed_href"] = None
    return NotFoundPage(**base, languages=links,
                        messages=tuple((language, language.t("not_found_title"), language.t("not_found_message"))
                                       for language in config.languages))


# --- ranking, releases -------------------------------------------------------


def _ranking(config: SiteConfig, entries: Sequence[_Entry]) -> tuple[dict[str, tuple[str, ...]], Problem | None]:
    """lang -> slugs in ranking order, only live articles that exist in that language."""
    if config.ranking is None:
        return {}, None
    site_path = "/" + config.base_url.split("://", 1)[1].partition("/")[2]
    pageviews, problem = load_pageviews(config.ranking.file, languages=config.language_codes, base_path=site_path)
    if pageviews is None:
        return {}, problem
    ranking = {}
    for lang in config.languages:
        eligible = {e.article.slug for e in entries if e.lang.code == lang.code and e.visibility is Visibility.LIVE}
        ranking[lang.code] = tuple(slug for slug, _ in top_articles(pageviews, eligible, config.ranking.size))
    return ranking, problem


def _releases(entries: Sequence[_Entry], previous: build_state.BuildState | None, config: SiteConfig,
              options: BuildOptions) -> list[Release]:
    """Pages live now that were not live at the previous build (none on a first build or in previews)."""
    if options.is_preview or previous is None:
        return []
    before = set(previous.live)
    released = []
    for entry in entries:
        if entry.visibility is Visibility.LIVE and f"{entry.article.slug}/{entry.lang.code}" not in before:
            document = entry.article.document(entry.lang.code)
            assert document is not None
            released.append(Release(slug=entry.article.slug, lang=entry.lang.code,
                                    url=f"{config.base_url}{entry.lang.code}/{entry.article.slug}/",
                                    title=document.title, code=entry.article.code,
                                    publish_at=entry.article.publish_at))
    return released


def _release_record(release: Release, now: datetime) -> dict:
    return {"slug": release.slug, "lang": release.lang, "url": release.url, "title": release.title,
            "code": release.code, "publish_at": release.publish_at.isoformat(), "detected_at": now.isoformat()}


# --- other files -------------------------------------------------------------


def _gather_files(plan: _Plan, config: SiteConfig, options: BuildOptions, entries: tuple[_Entry, ...],
                  bodies: dict, media: dict[str, dict[str, ResponsiveImage]], cache: Cache,
                  released: list[Release], previous: build_state.BuildState | None,
                  unchanged: build_state.BuildState | None) -> None:
    # Assets, and each visible article's images with their variants.
    if config.assets_dir.is_dir():
        for file in sorted(config.assets_dir.rglob("*")):
            relative = file.relative_to(config.assets_dir)
            if file.is_file() and not any(part.startswith(".") for part in relative.parts):
                plan.copies[f"assets/{relative.as_posix()}"] = file
        favicon = config.assets_dir / "favicon.ico"
        if favicon.is_file():
            plan.copies["favicon.ico"] = favicon
    for images in media.values():
        for image in images.values():
            plan.copies[image.path] = image.source
            plan.variants.extend((image, variant) for variant in image.variants)

    # Feeds: the newest entries of each language.
    for lang in config.languages:
        listed = [e for e in entries if e.lang.code == lang.code][: config.feeds.entries]
        feed_entries = []
        for entry in listed:
            document = entry.article.document(lang.code)
            assert document is not None
            url = f"{config.base_url}{lang.code}/{entry.article.slug}/"
            content = (str(bodies[(entry.article.slug, lang.code)].html()) if config.feeds.content == "full"
                       else None)
            feed_entries.append(FeedEntry(url=url, title=_with_code(entry.article.code, document.title),
                                          published=entry.article.publish_at, updated=entry.article.publish_at,
                                          summary=document.summary, content_html=content,
                                          author=config.organization, categories=tuple(document.tags)))
        updated = max((e.article.publish_at for e in listed), default=datetime(2000, 1, 1, tzinfo=config.timezone))
        feed = Feed(feed_url=f"{config.base_url}{lang.code}/feed.xml", site_url=f"{config.base_url}{lang.code}/",
                    title=lang.t("site_title"), subtitle=lang.t("site_description"), lang=lang.html_lang,
                    author=config.organization, updated=updated,
                    icon_url=config.base_url + "assets/favicon.svg")
        plan.data[f"{lang.code}/feed.xml"] = atom_feed(feed, feed_entries)

    # Sitemap and robots: only indexable (live) pages.
    if options.is_preview:
        plan.data["robots.txt"] = robots_txt(None, allow_indexing=False).encode("utf-8")
    else:
        plan.data["robots.txt"] = robots_txt(config.base_url + "sitemap.xml").encode("utf-8")
    if unchanged is not None and "sitemap.xml" in unchanged.files:  # it shows only what the listing holds
        plan.unchanged["sitemap.xml"] = unchanged.files["sitemap.xml"]
    else:
        plan.data["sitemap.xml"] = sitemap_xml(_sitemap_urls(config, entries, plan.pages))

    # Releases (production builds): what went live since the previous build.
    if not options.is_preview:
        history = [_release_record(r, options.now) for r in released]
        if previous is not None:
            history += previous.releases
        plan.data["releases.json"] = (json.dumps({
            "built_at": options.now.isoformat(),
            "previous_build_at": previous.built_at if previous else None,
            "released": [_release_record(r, options.now) for r in released],
            "history": history[:200],
        }, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _with_code(code: str | None, title: str) -> str:
    return f"【{code}】{title}" if code else title


def _sitemap_urls(config: SiteConfig, entries: tuple[_Entry, ...], pages: list[_PageJob]) -> list[SitemapUrl]:
    urls = []
    live = [e for e in entries if e.visibility is Visibility.LIVE]
    by_slug: dict[str, list[_Entry]] = {}
    for entry in live:
        by_slug.setdefault(entry.article.slug, []).append(entry)
    source = config.source_language.code
    for entry in sorted(live, key=lambda e: (e.article.slug, e.lang.code)):
        versions = sorted(by_slug[entry.article.slug], key=lambda e: config.language_codes.index(e.lang.code))
        alternates: tuple[Alternate, ...] = ()
        if len(versions) > 1:
            alternates = tuple(Alternate(v.lang.html_lang, f"{config.base_url}{v.lang.code}/{v.article.slug}/")
                               for v in versions)
            if any(v.lang.code == source for v in versions):
                alternates += (Alternate("x-default", f"{config.base_url}{source}/{entry.article.slug}/"),)
        urls.append(SitemapUrl(url=f"{config.base_url}{entry.lang.code}/{entry.article.slug}/",
                               lastmod=entry.article.publish_at, alternates=alternates))
    newest = max((e.article.publish_at for e in live), default=None)
    index_alternates = tuple(Alternate(l.html_lang, f"{config.base_url}{l.code}/") for l in config.languages)
    index_alternates += (Alternate("x-default", f"{config.base_url}{source}/"),)
    for lang in config.languages:
        urls.append(SitemapUrl(url=f"{config.base_url}{lang.code}/", lastmod=newest, alternates=index_alternates))
    for path in sorted(job.path for job in pages):  # tags and further index pages (by path: records may not be built)
        if ("/tags/" in path or "/page/" in path) and path.endswith("/index.html"):
            urls.append(SitemapUrl(url=config.base_url + _url_path(path[: -len("index.html")]), lastmod=None))
    return urls


# --- writing -----------------------------------------------------------------


def _make_variants_job(job: tuple[ImageProcessor, ResponsiveImage, list]) -> None:
    images, image, variants = job
    images.make_variants(image, variants)


def _make_variants(images: ImageProcessor, variants: list, options: BuildOptions, progress: Progress | None) -> None:
    """Make the image variants missing from the cache, one image per job, on all CPU cores."""
    missing: dict[Path, tuple[ImageProcessor, ResponsiveImage, list]] = {}
    for image, variant in variants:
        if not images.cached_file(variant).exists():
            job = missing.setdefault(image.source, (images, image, []))
            if variant not in job[2]:
                job[2].append(variant)
    # An image takes about a tenth of a second: worth a worker from a handful on.
    for done, _ in enumerate(_run(_make_variants_job, list(missing.values()), options, threshold=4), start=1):
        if progress:
            progress("images", done, len(missing))


def _write(writer: OutputWriter, path: str, key: str, previous: build_state.BuildState | None,
           new_state: build_state.BuildState, write: Callable[[], None]) -> bool:
    """Keep `path` from the current output when its key is unchanged, else write it; True if written."""
    new_state.files[path] = key
    if writer.keep(path, key, previous.files.get(path) if previous else None):
        return False
    write()
    return True


_WORKER_TEMPLATES: dict[Path, Templates] = {}


def _render_page_job(job: tuple[Path, Path, str, str, PageBase, str | None]) -> tuple[str, str | None]:
    """Render one page into the staging folder (in a worker or in-process); returns its path and any error."""
    templates_dir, staging, path, template, page, body_key = job
    from .templates import TemplateError
    templates = _WORKER_TEMPLATES.get(templates_dir)
    if templates is None:
        bytecode = _BODY_CACHE.folder / "jinja" if _BODY_CACHE is not None else None
        templates = _WORKER_TEMPLATES[templates_dir] = Templates(templates_dir, bytecode)
    try:
        if body_key is not None:
            body = _WORKER_BODIES.get(body_key)
            if body is None and _BODY_CACHE is not None:
                body = _BODY_CACHE.load("bodies", body_key)
            if not isinstance(body, RenderedBody):
                return path, f"the rendered body of {path} is missing from the cache; build again"
            page = replace(page, body_html=body.html)
        html = templates.render(template, page)
    except TemplateError as exc:
        return path, str(exc)
    target = staging / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html.encode("utf-8"))
    return path, None


_BODY_CACHE: Cache | None = None
_WORKER_BODIES: dict[str, RenderedBody] = {}


def _write_pages(writer: OutputWriter, jobs: list[_PageJob], inputs: _SiteInputs, config: SiteConfig,
                 cache: Cache, previous: build_state.BuildState | None, new_state: build_state.BuildState,
                 options: BuildOptions, progress: Progress | None, bodies: dict[str, RenderedBody]) -> int:
    """Render the pages whose record changed; carry the others over. Returns how many were rendered."""
    global _BODY_CACHE
    _BODY_CACHE = cache  # for bodies not handed over in `bodies` (none, normally)
    Templates(config.templates_dir)  # a missing templates folder is reported before any work
    todo = []
    for job in jobs:
        # Records show a language by its code (`LanguageConfig.strings` is left out of its repr),
        # so the whole configuration is part of every page's key.
        key = job.key if job.page is None else digest("page", inputs.templates, inputs.config, job.template,
                                                       repr(job.page), job.body_key or "")
        new_state.files[job.path] = key
        if writer.keep(job.path, key, previous.files.get(job.path) if previous else None):
            continue
        if job.page is None:
            raise PublisherError(f"{job.path} is missing from the previous output; delete "
                                 f"{cache.folder} and build again")
        writer.fresh_path(job.path)  # make the folder, check the path, clear the spare's file
        todo.append((config.templates_dir, writer.staging, job.path, job.template, job.page, job.body_key))
    errors = []
    _WORKER_BODIES.update(bodies)  # forked workers inherit them: no pickling, no second read
    try:
        for done, (path, error) in enumerate(_run(_render_page_job, todo, options), start=1):
            if error:
                errors.append(error)
            if progress:
                progress("pages", done, len(todo))
    finally:
        _WORKER_BODIES.clear()
    if errors:
        from .templates import TemplateError
        raise TemplateError(errors[0])
    writer.files_written += len(todo)
    return len(todo)
