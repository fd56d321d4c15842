"""Page records: what every HTML page shows, worked out from the visible articles.

`gather_pages` adds one `PageJob` per page to the plan: article pages, the
paginated indexes, tag pages, the tag list, the language chooser and the 404
page. Templates only lay these records out (see `pages.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence
from urllib.parse import quote

from markupsafe import Markup

from ..cache import Cache, digest
from ..config import LanguageConfig, SiteConfig
from ..content import Article, Visibility
from ..content.model import Status
from ..markdown import Heading
from ..markdown.media import is_relative_reference
from ..notices import article_notices
from ..content.variants import for_language
from ..display_time import display_time
from . import state as build_state
from .cards import SIZE as CARD_SIZE, card_path, card_text
from .images import SIZES, ResponsiveImage
from .sizes import file_size_text
from .metadata import article_json_ld, social_meta
from .pages import (
    ArticleLink,
    ArticlePage,
    Banner,
    Image,
    IndexPage,
    LanguageLink,
    NotFoundPage,
    Pagination,
    PreviewMark,
    RootPage,
    TagIndexPage,
    TagLink,
    TocEntry,
)
from .options import BuildOptions
from .plan import Body, BuildMemo, Entry, PageJob, Plan, picture
from .related import RelatedLinks
from .tags import SiteTags, tag_segment

def _base(config: SiteConfig, options: BuildOptions, lang: LanguageConfig, path: str, *, title: str,
          description: str, alternates: tuple[LanguageLink, ...], x_default: str | None,
          visibility: Visibility | None = None, article: Article | None = None, root: str | None = None,
          og_image: str | None = None, og_image_alt: str | None = None,
          og_image_size: tuple[int, int] | None = None,
          ranking: tuple[ArticleLink, ...] = (), tags: Sequence[str] = ()) -> dict:
    if root is None:
        depth = path.count("/")
        root = "../" * depth if depth else "./"
    banner = _banner(article, lang, visibility, config) if article is not None and visibility else None
    canonical_url = config.base_url + url_path(path)
    social = social_meta(
        title=title or lang.t("site_title"), url=canonical_url, site_name=lang.t("site_title"), lang=lang.html_lang,
        description=description, image_url=og_image or _default_og_image(config),
        image_alt=og_image_alt if og_image else None, image_size=og_image_size if og_image else None,
        alternate_langs=[a.hreflang for a in alternates if not a.current],
        og_type="article" if article is not None else "website",
        published=article.publish_at if article is not None else None, tags=tags)
    return dict(
        lang=lang, root=root, canonical_url=canonical_url, title=title, description=description,
        alternates=alternates, x_default_url=x_default,
        noindex=banner is not None or options.is_preview, banner=banner,  # a preview is never indexed
        year=options.now.astimezone(config.timezone).year,
        organization=config.organization, contact_url=config.contact_url, feedback_url=config.feedback_url,
        site_url=config.base_url, feed_href=f"{root}{lang.code}/feed.xml",
        social=social, ranking=ranking,
    )


@lru_cache(maxsize=65536)
def url_path(path: str) -> str:
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
        when = display_time(article.publish_at, config.timezone, lang.code, lang.display_timezone)
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
                                  href=root + url_path(path), absolute_url=config.base_url + url_path(path),
                                  current=lang.code == current.code))
    return tuple(links)


def gather_pages(plan: Plan, config: SiteConfig, options: BuildOptions, entries: tuple[Entry, ...],
                  bodies: dict, media: dict, ranking: dict[str, tuple[str, ...]],
                  pdf_files: dict[tuple[str, str], Path], cache: Cache, folder_keys: Mapping[str, str],
                  listing_parts: dict[tuple[str, str], str], previous: build_state.BuildState | None,
                  unchanged: build_state.BuildState | None, memo: BuildMemo, common: str,
                  search: bool, site_tags: SiteTags,
                  unfinished_pdfs: frozenset[tuple[str, str]] = frozenset()) -> dict[str, str]:
    """Every page as a record -- except the pages known to be as in `previous` (the previous build, all its
    pages still there): a page whose inputs are the same (an article page: `common`, the site's inputs, its
    folder's key (`folder_keys`), its body's key and PDF, and `listing_parts`, what it shows of its own
    article and of those it links to; a list page: `common`, the site's inputs,
    `search`, whether it has a search box, and what it shows of the articles it lists), and with `unchanged`
    (whose listing digest is this build's) every list page. The pages of `unfinished_pdfs` (PDFs still being
    rendered) always get a record, without the PDF's size: the build adds it once the PDF is made.
    Returns each page's inputs, for the next build."""
    by_lang: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        by_lang.setdefault(entry.lang.code, {})[entry.article.slug] = entry
    tags, tag_names = site_tags.by_language, site_tags.names

    def ranked(lang: LanguageConfig, root: str) -> tuple[ArticleLink, ...]:
        here = by_lang.get(lang.code, {})
        return tuple(_article_link(here[slug], root, memo) for slug in ranking.get(lang.code, ()) if slug in here)

    related = RelatedLinks(by_lang, config.related_count, cache)
    languages_of: dict[str, list[str]] = {}
    for entry in entries:
        languages_of.setdefault(entry.article.slug, []).append(entry.lang.code)
    ranked_parts = {code: digest(*(listing_parts[(slug, code)] for slug in ranking.get(code, ()) if slug in here))
                    for code, here in by_lang.items()}
    carried = _Carried(plan, previous)
    for entry in entries:
        article, code = entry.article, entry.lang.code
        path = f"{code}/{article.slug}/index.html"
        document = article.document(code)
        assert document is not None
        unfinished = (article.slug, code) in unfinished_pdfs
        body = bodies[(article.slug, code)]
        pdf = pdf_files.get((article.slug, code))
        if carried(path, digest(
                common, folder_keys.get(article.slug, ""), body.key, str(pdf) if pdf is not None else "",
                listing_parts[(article.slug, code)], repr(languages_of[article.slug]),
                repr([tag_names.get((code, tag_segment(t)), t) for t in document.tags]), ranked_parts[code],
                "related", *(listing_parts[(e.article.slug, code)] for e in related.of(article, code))),
                reuse=not unfinished):
            continue
        page = _article_page(entry, entries, by_lang, config, options, body, media.get(article.slug, {}),
                             ranked(entry.lang, "../../"), tag_names, related, languages_of[article.slug], memo)
        if pdf is not None:
            page = replace(page, pdf_href=f"{article.slug}.pdf",
                           pdf_size=None if unfinished else file_size_text(pdf.stat().st_size))
        elif config.pdf.enabled and not options.pdfs:
            page = replace(page, pdf_href=f"{article.slug}.pdf")  # the preview server makes it on request
        plan.pages.append(PageJob(path, "article.html", page, body.key))
    related.save()
    if unchanged is not None:
        for path in unchanged.pages:
            if path not in carried.inputs and path in unchanged.files:
                plan.pages.append(PageJob(path, "", None, key=unchanged.files[path]))
                if path in unchanged.page_inputs:
                    carried.inputs[path] = unchanged.page_inputs[path]
        return carried.inputs  # the list pages are as before

    lists = digest(common, str(search))
    for lang in config.languages:
        listed = [e for e in entries if e.lang.code == lang.code]
        tag_links_root = {}
        for segment, tagged in sorted(tags.get(lang.code, {}).items(), key=lambda item: (-len(item[1]), item[0])):
            tag_links_root[segment] = (tag_names[(lang.code, segment)], len(tagged))
        shown = _Shown(lists, ranked_parts.get(lang.code, ""), listing_parts, carried)
        _paginate(plan, config, options, lang, listed, f"{lang.code}/", lang.t("index_title"),
                  ranked, tag_links_root, memo, shown)
        for segment, tagged in sorted(tags.get(lang.code, {}).items()):
            name = tag_names[(lang.code, segment)]
            _paginate(plan, config, options, lang, tagged, f"{lang.code}/tags/{segment}/",
                      lang.t("tag_title", tag=name), ranked, None, memo, shown)
        path = f"{lang.code}/tags/index.html"
        if tag_links_root and not carried(path, digest(lists, path, repr(tag_links_root),
                                                       repr(_languages_with_tags(config, tags)))):
            root = "../../"
            plan.pages.append(PageJob(path, "tags.html", TagIndexPage(
                **_base(config, options, lang, f"{lang.code}/tags/", title=lang.t("tags_title"),
                        description=lang.t("site_description"),
                        alternates=_language_links(config, "tags", lang, _languages_with_tags(config, tags), root),
                        x_default=None),
                tags=tuple(TagLink(name, f"{root}{url_path(f'{lang.code}/tags/{segment}/')}", count)
                           for segment, (name, count) in tag_links_root.items()),
            )))

    if not carried("index.html", digest(lists, "index.html")):
        plan.pages.append(PageJob("index.html", "root.html", _root_page(config, options)))
    if not carried("404.html", digest(lists, "404.html")):
        plan.pages.append(PageJob("404.html", "404.html", _not_found_page(config, options)))
    return carried.inputs


class _Carried:
    """Records each page's inputs; a page whose inputs are the previous build's is carried over from it
    (its content key known, no record made)."""

    def __init__(self, plan: Plan, previous: build_state.BuildState | None):
        self.plan, self.previous = plan, previous
        self.inputs: dict[str, str] = {}

    def __call__(self, path: str, key: str, reuse: bool = True) -> bool:
        self.inputs[path] = key
        previous = self.previous
        if reuse and previous is not None and previous.page_inputs.get(path) == key and path in previous.files:
            self.plan.pages.append(PageJob(path, "", None, key=previous.files[path]))
            return True
        return False


@dataclass(frozen=True)
class _Shown:
    """What a list page of one language shows besides its own articles, for its inputs' key."""

    lists: str
    """The site's inputs (config, templates, code, ...) and whether list pages have a search box."""
    ranking: str
    """The ranked articles' listing parts."""
    listing_parts: Mapping[tuple[str, str], str]
    carried: _Carried

    def carry(self, path: str, heading: str, number: int, total: int, tags: object, chunk: Sequence[Entry]) -> bool:
        """Whether the page at `path` is carried over (its inputs are the previous build's)."""
        return self.carried(path, digest(self.lists, self.ranking, path, heading, str(number), str(total), repr(tags),
                                         *(self.listing_parts[(e.article.slug, e.lang.code)] for e in chunk)))


def _languages_with_tags(config: SiteConfig, tags: dict) -> list[str]:
    return [lang.code for lang in config.languages if tags.get(lang.code)]


def _paginate(plan: Plan, config: SiteConfig, options: BuildOptions, lang: LanguageConfig, listed: list[Entry],
              folder: str, heading: str, ranked, tag_counts: dict[str, tuple[str, int]] | None,
              memo: BuildMemo, shown: _Shown) -> None:
    """`folder/index.html`, then `folder/page/2/index.html` ... with `per_page` entries each (those whose
    inputs did not change carried over)."""
    per_page = config.per_page
    chunks = [listed[i:i + per_page] for i in range(0, len(listed), per_page)] or [[]]
    total = len(chunks)
    base_depth = folder.count("/")

    def page_dir(number: int) -> str:
        return folder if number == 1 else f"{folder}page/{number}/"

    for number, chunk in enumerate(chunks, start=1):
        path = page_dir(number)
        if shown.carry(f"{path}index.html", heading, number, total, tag_counts if number == 1 else None, chunk):
            continue
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
            tags = tuple(TagLink(name, f"{root}{url_path(f'{lang.code}/tags/{segment}/')}", count)
                         for segment, (name, count) in tag_counts.items())
        page = IndexPage(
            **_base(config, options, lang, path, title=title, description=lang.t("site_description"),
                    alternates=alternates, x_default=x_default, ranking=ranked(lang, root)),
            entries=tuple(_article_link(e, root, memo) for e in chunk),
            pagination=pagination, heading=heading, tags=tags, is_front=is_index and number == 1,
        )
        plan.pages.append(PageJob(f"{path}index.html", "index.html", page))


def _article_page(entry: Entry, entries: tuple[Entry, ...], by_lang: dict[str, dict[str, Entry]],
                  config: SiteConfig, options: BuildOptions, body: Body, media: dict[str, ResponsiveImage],
                  ranking: tuple[ArticleLink, ...], tag_names: dict[tuple[str, str], str],
                  related_links: RelatedLinks, available: list[str], memo: BuildMemo) -> ArticlePage:
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
        image = media.get(for_language(article.hero, lang.code, media))
        if image is not None:
            shown = picture(image, root)
            hero = Image(src=shown.src, alt=alt, width=image.width, height=image.height, srcset=shown.srcset,
                         webp_srcset=shown.webp_srcset, sizes=SIZES)
            if image.mime:
                og_image = config.base_url + url_path(image.path)
        elif is_relative_reference(article.hero):
            hero = Image(src=f"{root}media/{article.slug}/{quote(article.hero)}", alt=alt, width=None, height=None)
        else:
            hero = Image(src=article.hero, alt=alt, width=None, height=None)

    related = tuple(_article_link(e, root, memo) for e in related_links.of(article, lang.code))

    notices = article_notices(article, lang)
    notices.append(lang.t("notice_mobile"))

    url = f"{config.base_url}{lang.code}/{article.slug}/"
    card_url = config.base_url + url_path(card_path(article.slug, lang.code))
    json_ld = None
    if entry.visibility is Visibility.LIVE:
        json_ld = Markup(article_json_ld(
            headline=document.title, url=url, lang=lang.html_lang, published=article.publish_at,
            modified=article.publish_at, image_url=og_image or card_url,
            publisher_name=config.organization, publisher_url=config.base_url,
            publisher_logo_url=_default_og_image(config), description=document.summary,
            section=lang.t("site_title")))
    tags = tuple(TagLink(tag_names.get((lang.code, tag_segment(t)), t),
                         f"{root}{url_path(f'{lang.code}/tags/{tag_segment(t)}/')}")
                 for t in dict.fromkeys(document.tags))
    return ArticlePage(
        **_base(config, options, lang, f"{lang.code}/{article.slug}/", title=document.title,
                description=document.summary or lang.t("site_description"), alternates=alternates,
                x_default=x_default, visibility=entry.visibility, article=article,
                og_image=card_url, og_image_size=CARD_SIZE, og_image_alt=card_text(article.code, document.title),
                tags=document.tags, ranking=ranking),
        code=article.code,
        title_html=memo.title_html(document.title, lang),
        date_text=f"{article.date:%Y.%m.%d}",
        date_iso=article.date.isoformat(),
        hero=hero,
        body_html=Markup(""),  # filled in from the cache when the page is rendered
        toc=toc,
        related=related,
        notices=tuple(notices),
        tags=tags,
        json_ld=json_ld,
        reading_time=memo.reading.get((article.slug, lang.code)),
    )


def _article_link(entry: Entry, root: str, memo: BuildMemo) -> ArticleLink:
    key = (entry.article.slug, entry.lang.code, root)
    link = memo.links.get(key)
    if link is None or link[0] is not entry:
        link = memo.links[key] = (entry, _make_article_link(entry, root, memo))
    return link[1]


def _make_article_link(entry: Entry, root: str, memo: BuildMemo) -> ArticleLink:
    article, lang = entry.article, entry.lang
    document = article.document(lang.code)
    assert document is not None
    kind = _not_live_kind(article, lang, entry.visibility)
    return ArticleLink(href=f"{root}{lang.code}/{article.slug}/", code=article.code, title=document.title,
                       title_html=memo.title_html(document.title, lang), date_text=f"{article.date:%Y.%m.%d}",
                       date_iso=article.date.isoformat(), summary=document.summary,
                       preview=PreviewMark(kind, lang.t(f"label_{kind}")) if kind else None,
                       reading_time=memo.reading.get((article.slug, lang.code)))


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
