"""The files beside the pages: feeds, sitemap, robots.txt, releases.json, assets and images.

Also the two inputs those and the pages share: the popularity ranking (from
the analytics export) and what went live since the previous build.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from datetime import datetime
from typing import Callable, Sequence

from ..cache import Cache, code_version, digest
from ..config import SiteConfig
from ..content import Site, Visibility
from ..errors import Problem
from . import state as build_state
from .feeds import Feed, FeedEntry, atom_feed
from ..content.variants import for_language
from .cards import CardFont, card_bytes, font_for, plan_card
from .images import ResponsiveImage
from .options import BuildOptions
from .plan import Entry, Plan, Release, Withdrawal
from .ranking import load_pageviews, top_articles
from .records import url_path
from .tags import SiteTags
from .sitemap import Alternate, SitemapUrl, robots_txt, sitemap_xml


def ranking_of(config: SiteConfig, entries: Sequence[Entry]) -> tuple[dict[str, tuple[str, ...]], Problem | None]:
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


def releases_since(entries: Sequence[Entry], previous: build_state.BuildState | None, config: SiteConfig,
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


def release_record(release: Release, now: datetime) -> dict:
    return {"event": "released", "slug": release.slug, "lang": release.lang, "url": release.url,
            "title": release.title, "code": release.code, "publish_at": release.publish_at.isoformat(),
            "detected_at": now.isoformat()}


def withdrawals_since(entries: Sequence[Entry], previous: build_state.BuildState | None, site: Site,
                      config: SiteConfig, options: BuildOptions) -> list[Withdrawal]:
    """Pages live at the previous production build that are not live now: withdrawn (not published any
    more), scheduled again (release time moved to the future) or deleted. None in previews."""
    if options.is_preview or previous is None:
        return []
    live = {f"{e.article.slug}/{e.lang.code}" for e in entries if e.visibility is Visibility.LIVE}
    known = {(r.get("slug"), r.get("lang")): r for r in reversed(previous.releases)}
    gone = []
    for key in sorted(set(previous.live) - live):
        slug, _, lang = key.partition("/")
        article = site.article(slug)
        document = article.document(lang) if article is not None else None
        if article is None or document is None:
            reason, title, code = "deleted", known.get((slug, lang), {}).get("title", ""), \
                known.get((slug, lang), {}).get("code")
        else:
            visibility = article.visibility(lang, options.now)
            reason = "scheduled" if visibility is Visibility.SCHEDULED else "withdrawn"
            title, code = document.title, article.code
        gone.append(Withdrawal(slug=slug, lang=lang, url=f"{config.base_url}{lang}/{slug}/", title=title,
                               code=code, reason=reason))
    return gone


def withdrawal_record(withdrawal: Withdrawal, now: datetime) -> dict:
    return {"event": "withdrawn", "reason": withdrawal.reason, "slug": withdrawal.slug, "lang": withdrawal.lang,
            "url": withdrawal.url, "title": withdrawal.title, "code": withdrawal.code,
            "detected_at": now.isoformat()}




def gather_media(plan: Plan, entries: Sequence[Entry], media: dict[str, dict[str, ResponsiveImage]],
                 cache: Cache) -> None:
    """Each visible article's images with their variants, and each page's social card. Known before the bodies
    are rendered, so that those missing from the cache can be made while they are (`media_jobs`)."""
    for images in media.values():
        for image in images.values():
            plan.copies[image.path] = image.source
            plan.variants.extend((image, variant) for variant in image.variants)
    _gather_cards(plan, entries, media, cache)


def _gather_cards(plan: Plan, entries: Sequence[Entry], media: dict[str, dict[str, ResponsiveImage]],
                  cache: Cache) -> None:
    """Each article page's social card (`cards.py`): from the cache, where the build draws those the output
    does not hold yet."""
    fonts: dict[str, CardFont] = {}  # one look-up per language, not per page
    for entry in entries:
        article, lang = entry.article, entry.lang
        if lang.html_lang not in fonts:
            fonts[lang.html_lang] = font_for(lang.html_lang)
        document = article.document(lang.code)
        assert document is not None
        images = media.get(article.slug, {})
        image = images.get(for_language(article.hero, lang.code, images)) if article.hero else None
        hero = image if image is not None and image.mime else None
        card = plan_card(article.slug, lang.code, lang.html_lang, title=document.title, code=article.code or "",
                         site_name=lang.t("site_title"), hero=hero.source if hero else None,
                         keep_together=lang.keep_together, font=fonts[lang.html_lang],
                         hero_hash=hero.content if hero else None)
        plan.cards.append(card)
        plan.deferred[card.path] = (card.key, partial(card_bytes, cache, card))  # its key: what it shows


def gather_files(plan: Plan, config: SiteConfig, options: BuildOptions, entries: tuple[Entry, ...],
                  bodies: dict, released: list[Release], previous: build_state.BuildState | None,
                  withdrawn: Sequence[Withdrawal], site_tags: SiteTags) -> None:
    """Every file of the site but its pages and media (`gather_media`): assets, feeds, sitemap, robots.txt,
    releases."""
    if config.assets_dir.is_dir():
        for file in sorted(config.assets_dir.rglob("*")):
            relative = file.relative_to(config.assets_dir)
            if file.is_file() and not any(part.startswith(".") for part in relative.parts):
                plan.copies[f"assets/{relative.as_posix()}"] = file
        favicon = config.assets_dir / "favicon.ico"
        if favicon.is_file():
            plan.copies["favicon.ico"] = favicon

    # Feeds: the newest entries of each language, and of each tag in each language.
    for lang in config.languages:
        listed = [e for e in entries if e.lang.code == lang.code]
        plan.deferred[f"{lang.code}/feed.xml"] = _feed(config, lang, listed, bodies, f"{lang.code}/",
                                                       lang.t("site_title"))
    _tag_feeds(plan, config, site_tags, bodies)

    # Sitemap and robots: only indexable (live) pages.
    if options.is_preview:
        plan.data["robots.txt"] = robots_txt(None, allow_indexing=False).encode("utf-8")
    else:
        plan.data["robots.txt"] = robots_txt(config.base_url + "sitemap.xml").encode("utf-8")
    pages = sorted(job.path for job in plan.pages)
    plan.deferred["sitemap.xml"] = (_sitemap_key(config, entries, pages),
                                    lambda: sitemap_xml(_sitemap_urls(config, entries, pages)))

    # Releases (production builds): what went live since the previous build.
    if not options.is_preview:
        history = [release_record(r, options.now) for r in released]
        history += [withdrawal_record(w, options.now) for w in withdrawn]
        if previous is not None:
            history += previous.releases
        plan.data["releases.json"] = (json.dumps({
            "built_at": options.now.isoformat(),
            "previous_build_at": previous.built_at if previous else None,
            "released": [release_record(r, options.now) for r in released],
            "withdrawn": [withdrawal_record(w, options.now) for w in withdrawn],
            "history": history[:200],
        }, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _feed(config: SiteConfig, lang, listed: Sequence[Entry], bodies: dict, folder: str,
          title: str) -> tuple[str, Callable[[], bytes]]:
    """The Atom feed of `listed` (newest first), for the page at `folder`: the hash of what it shows (the
    entries' bodies by their keys) and the maker of its bytes, which reads the bodies only when called."""
    listed = list(listed)[: config.feeds.entries]
    full = config.feeds.content == "full"
    feed_entries, body_keys = [], []
    for entry in listed:
        document = entry.article.document(lang.code)
        assert document is not None
        url = f"{config.base_url}{lang.code}/{entry.article.slug}/"
        body = bodies[(entry.article.slug, lang.code)]
        body_keys.append(body.key if full else "")
        feed_entries.append(FeedEntry(url=url, title=_with_code(entry.article.code, document.title),
                                      published=entry.article.publish_at, updated=entry.article.publish_at,
                                      summary=document.summary, content_html=None,
                                      author=config.organization, categories=tuple(document.tags)))
    updated = max((e.article.publish_at for e in listed), default=datetime(2000, 1, 1, tzinfo=config.timezone))
    feed = Feed(feed_url=f"{config.base_url}{url_path(folder)}feed.xml", site_url=f"{config.base_url}{url_path(folder)}",
                title=title, subtitle=lang.t("site_description"), lang=lang.html_lang,
                author=config.organization, updated=updated,
                icon_url=config.base_url + "assets/favicon.svg")
    key = digest("feed", code_version(), repr(feed), repr(feed_entries), *body_keys)

    def make() -> bytes:
        if not full:
            return atom_feed(feed, feed_entries)
        return atom_feed(feed, [replace(item, content_html=str(bodies[(entry.article.slug, lang.code)].html()))
                                for item, entry in zip(feed_entries, listed)])

    return key, make


def _tag_feeds(plan: Plan, config: SiteConfig, site_tags: SiteTags, bodies: dict) -> None:
    """`<lang>/tags/<tag>/feed.xml` for every tag page, and a `<link rel="alternate">` to it on that page."""
    names, tags = site_tags.names, site_tags.by_language
    feeds: dict[str, tuple[str, str]] = {}
    for lang in config.languages:
        for segment, tagged in sorted(tags.get(lang.code, {}).items()):
            folder = f"{lang.code}/tags/{segment}/"
            title = f"{lang.t('tag_title', tag=names[(lang.code, segment)])} | {lang.t('site_title')}"
            plan.deferred[f"{folder}feed.xml"] = _feed(config, lang, tagged, bodies, folder, title)
            feeds[folder] = (title, folder)
    for number, job in enumerate(plan.pages):
        if job.page is None or job.template != "index.html" or "/tags/" not in job.path:
            continue
        folder = job.path.split("page/", 1)[0] if "/page/" in job.path else job.path[: -len("index.html")]
        if folder in feeds:
            up = "../" * (job.path.count("/") - folder.count("/"))
            page = replace(job.page, tag_feed_href=f"{up}feed.xml", tag_feed_title=feeds[folder][0])
            plan.pages[number] = replace(job, page=page)


def _with_code(code: str | None, title: str) -> str:
    return f"【{code}】{title}" if code else title


def _sitemap_key(config: SiteConfig, entries: tuple[Entry, ...], pages: list[str]) -> str:
    """Everything `_sitemap_urls` reads, hashed: the sitemap is made only when it changed."""
    return digest("sitemap", code_version(), config.base_url, config.source_language.code,
                  repr([(lang.code, lang.html_lang) for lang in config.languages]),
                  *(f"{e.article.slug}/{e.lang.code}/{e.article.publish_at.isoformat()}" for e in entries
                    if e.visibility is Visibility.LIVE), *pages)


def _sitemap_urls(config: SiteConfig, entries: tuple[Entry, ...], pages: list[str]) -> list[SitemapUrl]:
    urls = []
    live = [e for e in entries if e.visibility is Visibility.LIVE]
    by_slug: dict[str, list[Entry]] = {}
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
    for path in sorted(pages):  # tags and further index pages (by path: records may not be built)
        if ("/tags/" in path or "/page/" in path) and path.endswith("/index.html"):
            urls.append(SitemapUrl(url=config.base_url + url_path(path[: -len("index.html")]), lastmod=None))
    return urls
