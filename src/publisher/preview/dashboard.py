"""What the preview dashboard shows, gathered from the loaded site (no rendering here).

Every article, visible or not, with its status at the build's `now`, its
release time (below), each language version (title, status,
links that exist in this build), the state of each translation (planned as
`publisher.translation.translate.plan_site` does: the lock files, no model call) and,
when a checker is given, its fact-check warnings.

Links are relative to the site root (`ja/alpha/`); the pages prefix them with
the way back to it, so the preview works from any host and any sub-path.

Release times are written by `publisher.display_time`, as the pages' banners are: in the preview's own
language (`strings.LANGUAGE`, Japanese) with a human zone label (`2026.06.01(月) 09:00 日本時間`), in the
zone readers of that language read times in (its `[languages.<code>] display_timezone`: the site's zone
for Japanese). Below it, each language of the article whose readers read times in another zone gets its
own line in that zone (`中国語 2026.06.01(月) 08:00 中国時間` for zh, Beijing time by default): the time
its readers will see in the page's banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Mapping, Sequence
from urllib.parse import quote
from zoneinfo import ZoneInfo

from ..config import LanguageConfig, SiteConfig
from ..content import Article, Site, Status, Visibility
from ..display_time import display_time
from ..errors import ProblemsError, PublisherError
from ..languages import language
from ..translation.glossary import Glossary, load_glossary
from ..translation.lock import TranslationCache
from ..translation.plan import DocumentPlan, plan_document
from .strings import LANGUAGE, t

#: A fact checker: the findings (anything with `line` and `figure`, or just countable) for one article.
Factcheck = Callable[[SiteConfig, Article], Sequence[object]]

def source_findings(config: SiteConfig, article: Article) -> Sequence[object]:
    """The fact check of the article's source language (`publisher.factcheck.check_article`): the figures
    that are in none of its sources. The dashboard's default checker."""
    from ..factcheck import check_article

    return check_article(config, article).findings


#: Article statuses in the dashboard's default order: next releases, then drafts, then what is live.
STATUS_ORDER = ("scheduled", "review", "draft", "live")

#: Translation states from the most to the least urgent (the translation column sorts by this).
TRANSLATION_ORDER = ("error", "missing", "untracked", "review", "stale", "edited", "ok")


@dataclass(frozen=True)
class TranslationStatus:
    """Where one translation stands, from its lock file."""

    state: str
    """The most urgent state: one of `TRANSLATION_ORDER`."""
    stale: int
    """Blocks and fields to translate (new or changed source)."""
    review: int
    """A person's text whose source changed since: to check."""
    edited: int
    """Blocks a person edited after the machine (kept as they are)."""
    label: str
    """What the dashboard shows, in Japanese (`要更新 3・要確認 1`)."""
    detail: str
    """What `publish status` says (`stale (3 segments), needs review (1)`), or the error."""

    @property
    def rank(self) -> int:
        return TRANSLATION_ORDER.index(self.state)


@dataclass(frozen=True)
class LanguageVersion:
    """One language of an article as the dashboard shows it."""

    lang: str
    """Language code (`ja`, `zh`)."""
    html_lang: str
    """BCP 47 tag for the title's `lang` attribute."""
    name: str
    """The language's name in Japanese (`中国語`)."""
    is_source: bool
    title: str | None
    """The title in this language; None when the file does not exist."""
    status: str | None
    """`live`, `scheduled`, `review` or `draft` for this page; None when there is no such file."""
    page_href: str | None
    """The page, relative to the site root; None when this build does not contain it."""
    pdf_href: str | None
    """Its PDF, relative to the site root; None without one ([pdf] off, or the page is not built)."""
    side_by_side_href: str | None
    """The side-by-side view of this translation (target languages), relative to the site root."""
    translation: TranslationStatus | None
    """Target languages only: the translation's state."""


@dataclass(frozen=True)
class FactcheckSummary:
    """The fact-check warnings of one article."""

    checked: bool
    """False when the article lists no `sources` (nothing to check against)."""
    count: int
    """Figures found in none of the sources."""
    lines: tuple[str, ...]
    """One line per finding (`12行目: 9.6万社`), for the details."""
    error: str | None = None
    """Why the check could not run, when it could not."""


@dataclass(frozen=True)
class ReaderTime:
    """The release time as the readers of one language read it, when their zone is not the dashboard's."""

    lang: str
    """Language code (`zh`)."""
    name: str
    """The language's name in the preview's language (`中国語`)."""
    zone: str
    """Their display time zone (IANA name, `Asia/Shanghai`)."""
    text: str
    """`2026.06.01(月) 08:00 中国時間`: the release in that zone, labelled in the preview's language."""
    iso: str
    """The same instant in that zone, ISO 8601 (for `<time datetime>`)."""


@dataclass(frozen=True)
class ArticleRow:
    """One article of the dashboard."""

    slug: str
    """The article's folder name."""
    code: str | None
    """Series code (`中国G96`), if it has one."""
    status: str
    """The article's status at the build's `now`: `live`, `scheduled`, `review` or `draft` (the source's)."""
    publish_at: datetime
    """The release instant, in the site's time zone."""
    release_text: str
    """`2026.06.01(月) 09:00 日本時間`: the release time as staff read it (`release_text`)."""
    reader_times: tuple[ReaderTime, ...]
    """The release time for the article's languages whose readers read times in another zone (zh)."""
    versions: tuple[LanguageVersion, ...]
    """The source language first, then each target language of the site."""
    phone_href: str | None
    """The phone view (relative to the site root); None when no page of the article is built."""
    factcheck: FactcheckSummary | None
    """None when no checker was given."""

    @property
    def status_rank(self) -> int:
        return STATUS_ORDER.index(self.status)

    @property
    def release_iso(self) -> str:
        return self.publish_at.isoformat()

    @property
    def release_timestamp(self) -> int:
        """Seconds since the epoch: sorts right whatever the offsets (daylight saving time)."""
        return int(self.publish_at.timestamp())

    @property
    def source(self) -> LanguageVersion:
        return self.versions[0]

    @property
    def status_label(self) -> str:
        return t(f"status_{self.status}")


@dataclass(frozen=True)
class Dashboard:
    """Everything on the dashboard page."""

    rows: tuple[ArticleRow, ...]
    """In the default order: next releases first, then drafts (review first), then live, newest first."""
    source_lang: str
    """Code of the source language (`ja`)."""
    target_langs: tuple[tuple[str, str], ...]
    """(code, Japanese name) of each target language: one translation column each."""
    timezone: str
    """The site's time zone (IANA name)."""
    factcheck: bool
    """Whether the fact-check column is shown."""

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


# --- translation plans ------------------------------------------------------------


@dataclass(frozen=True)
class Planner:
    """Plans translations as `publisher.translation.translate.plan_site` does (`plan_document` with each target
    language's translation cache and glossary), one document at a time, reading those once."""

    config: SiteConfig
    caches: Mapping[str, TranslationCache]
    glossaries: Mapping[str, Glossary | str]
    """Each target language's glossary, or why it could not be read."""

    @classmethod
    def read(cls, config: SiteConfig) -> "Planner":
        state_dir = config.root / ".publisher"
        caches, glossaries = {}, {}
        for lang in config.target_languages:
            caches[lang.code] = TranslationCache(state_dir, lang.code)
            try:
                glossaries[lang.code] = load_glossary(config.root / "glossary.csv", config.source_language.code,
                                                      lang.code)
            except PublisherError as exc:
                glossaries[lang.code] = _error_text(exc, config)
        return cls(config, caches, glossaries)

    def plan(self, article: Article, lang: str) -> DocumentPlan | str:
        """The plan of `article`'s translation into `lang`, or why it could not be made (a damaged lock file)."""
        glossary = self.glossaries[lang]
        if isinstance(glossary, str):
            return glossary
        try:
            return plan_document(article.slug, article.source.path, article.folder / f"{lang}.md", lang,
                                 self.caches[lang], glossary)
        except PublisherError as exc:
            return _error_text(exc, self.config)


def _error_text(exc: PublisherError, config: SiteConfig) -> str:
    if isinstance(exc, ProblemsError) and exc.problems:
        return "; ".join(problem.format(config.root) for problem in exc.problems)
    return str(exc)


def translation_status(plan: DocumentPlan | str | None) -> TranslationStatus:
    """The dashboard's reading of a plan (None: nothing could be planned, no source)."""
    if plan is None or isinstance(plan, str):
        return TranslationStatus("error", 0, 0, 0, t("translation_error"), plan or "")
    if not plan.exists:
        return TranslationStatus("missing", 0, 0, 0, t("translation_missing"), plan.summary())
    if not plan.tracked:
        return TranslationStatus("untracked", 0, 0, 0, t("translation_untracked"), plan.summary())
    stale, review, edited = plan.stale, plan.count("review"), plan.count("edited")
    parts = [t(key, n=n) for key, n in (("translation_stale", stale), ("translation_review", review),
                                        ("translation_edited", edited)) if n]
    state = "review" if review else "stale" if stale else "edited" if edited else "ok"
    return TranslationStatus(state, stale, review, edited, "・".join(parts) or t("translation_ok"), plan.summary())


# --- statuses, times, links ----------------------------------------------------------


def article_status(article: Article, now: datetime) -> str:
    """`draft` or `review` (the source's status), else `scheduled` before the release instant, else `live`."""
    if article.source.status is Status.DRAFT:
        return "draft"
    if article.source.status is Status.REVIEW:
        return "review"
    return "scheduled" if now < article.publish_at else "live"


def page_status(article: Article, lang: str, now: datetime) -> str | None:
    """The status of the page in `lang` (a translation has its own), None when there is no such file."""
    visibility = article.visibility(lang, now)
    if visibility is None:
        return None
    if visibility is Visibility.DRAFT:
        document = article.document(lang)
        assert document is not None
        statuses = {article.source.status, document.status}
        return "draft" if Status.DRAFT in statuses else "review"
    return visibility.value


def in_build(article: Article, lang: str, now: datetime, include_drafts: bool, include_future: bool) -> bool:
    """Whether the build makes the page (the same rule as the site build's)."""
    visibility = article.visibility(lang, now)
    return (visibility is Visibility.LIVE or (visibility is Visibility.DRAFT and include_drafts)
            or (visibility is Visibility.SCHEDULED and include_future))


def staff_zone(config: SiteConfig) -> ZoneInfo | None:
    """The zone the preview's own language reads times in: that language's `display_timezone` when the site
    has it, else the registry's default for it; None: the site's zone."""
    try:
        return config.language(LANGUAGE).display_timezone
    except KeyError:
        known = language(LANGUAGE)
        return ZoneInfo(known.reader_timezone) if known is not None and known.reader_timezone else None


def release_text(moment: datetime, config: SiteConfig) -> str:
    """`2026.06.01(月) 09:00 日本時間`: in the preview's language and its readers' zone; were that not the
    site's zone, the site's time follows in parentheses."""
    return display_time(moment, config.timezone, LANGUAGE, staff_zone(config), weekday=True)


def reader_times(article: Article, moment: datetime, config: SiteConfig) -> tuple[ReaderTime, ...]:
    """The release for each language of `article` whose readers' zone shows another time than the dashboard's
    (`[languages.<code>] display_timezone`: Beijing time for zh)."""
    shown = staff_zone(config) or config.timezone
    times = []
    for lang in config.languages:
        zone = lang.display_timezone
        if zone is None or article.document(lang.code) is None or \
                moment.astimezone(zone).utcoffset() == moment.astimezone(shown).utcoffset():
            continue
        times.append(ReaderTime(lang=lang.code, name=language_name(lang), zone=zone.key,
                                text=display_time(moment, zone, LANGUAGE, weekday=True),
                                iso=moment.astimezone(zone).isoformat()))
    return tuple(times)


def language_name(lang: LanguageConfig) -> str:
    """The language as staff read it (`Language.ui_name`, Japanese); else the site's own `language_name`."""
    known = language(lang.html_lang)
    return (known.ui_name if known is not None else None) or lang.strings.get("language_name") or lang.code


def page_href(slug: str, lang: str) -> str:
    return f"{lang}/{quote(slug)}/"


def pdf_href(slug: str, lang: str) -> str:
    return f"{lang}/{quote(slug)}/{quote(slug)}.pdf"


def side_by_side_href(slug: str, lang: str) -> str:
    return f"_preview/{quote(slug)}/{lang}.html"


def phone_href(slug: str) -> str:
    return f"_preview/{quote(slug)}/phone.html"


# --- the dashboard ---------------------------------------------------------------


def gather_dashboard(config: SiteConfig, site: Site, *, now: datetime, include_drafts: bool, include_future: bool,
                     translations: Mapping[tuple[str, str], TranslationStatus],
                     factcheck: Factcheck | None = None) -> Dashboard:
    """The dashboard of `site` as of `now`, for a build that includes drafts/future pages as given;
    `translations` holds the state of each (slug, target language)."""
    rows = [_row(config, site, article, now, include_drafts, include_future, translations, factcheck)
            for article in site.articles]
    return Dashboard(rows=tuple(default_order(rows)), source_lang=config.source_language.code,
                     target_langs=tuple((lang.code, language_name(lang)) for lang in config.target_languages),
                     timezone=config.timezone.key, factcheck=factcheck is not None)


def default_order(rows: Iterable[ArticleRow]) -> list[ArticleRow]:
    """Next releases first (soonest first), then review and drafts (by planned date), then live (newest first)."""
    def key(row: ArticleRow):
        instant = row.publish_at.timestamp()
        return (row.status_rank, -instant if row.status == "live" else instant, row.slug)

    return sorted(rows, key=key)


def _row(config: SiteConfig, site: Site, article: Article, now: datetime, include_drafts: bool,
         include_future: bool, translations: Mapping[tuple[str, str], TranslationStatus],
         factcheck: Factcheck | None) -> ArticleRow:
    versions = []
    any_page = False
    for lang in config.languages:
        document = article.document(lang.code)
        built = document is not None and in_build(article, lang.code, now, include_drafts, include_future)
        any_page = any_page or built
        is_source = lang.code == config.source_language.code
        versions.append(LanguageVersion(
            lang=lang.code, html_lang=lang.html_lang, name=language_name(lang), is_source=is_source,
            title=document.title if document is not None else None,
            status=page_status(article, lang.code, now),
            page_href=page_href(article.slug, lang.code) if built else None,
            pdf_href=pdf_href(article.slug, lang.code) if built and config.pdf.enabled else None,
            side_by_side_href=None if is_source else side_by_side_href(article.slug, lang.code),
            translation=None if is_source else translations.get((article.slug, lang.code), translation_status(None)),
        ))
    moment = article.publish_at.astimezone(config.timezone)
    return ArticleRow(slug=article.slug, code=article.code, status=article_status(article, now), publish_at=moment,
                      release_text=release_text(moment, config),
                      reader_times=reader_times(article, moment, config), versions=tuple(versions),
                      phone_href=phone_href(article.slug) if any_page else None,
                      factcheck=_factcheck(config, article, factcheck) if factcheck is not None else None)


def _factcheck(config: SiteConfig, article: Article, check: Factcheck) -> FactcheckSummary:
    """Only articles that list sources are checked; a checker that fails shows as an error, not a crash."""
    if not article.sources:
        return FactcheckSummary(checked=False, count=0, lines=())
    try:
        findings = tuple(check(config, article))
    except PublisherError as exc:
        return FactcheckSummary(checked=True, count=0, lines=(), error=_error_text(exc, config))
    lines = []
    for finding in findings:
        figure, line = getattr(finding, "figure", None), getattr(finding, "line", None)
        if figure is not None:
            lines.append(t("factcheck_line", line=line if line is not None else "?", figure=figure))
    return FactcheckSummary(checked=True, count=len(findings), lines=tuple(lines))
