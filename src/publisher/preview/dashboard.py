"""What the preview dashboard shows, gathered from the loaded site (no rendering here).

Every article, visible or not, with its status at the build's `now`, its
release time (below), each language version (title, status,
links that exist in this build), the state of each translation (planned as
`publisher.translation.translate.plan_site` does: the lock files, no model call) and,
when a checker is given, its fact-check warnings.

Links are relative to the site root (`ja/alpha/`); the pages prefix them with
the way back to it, so the preview works from any host and any sub-path.

Everything is gathered once per UI language (`strings.UI_LANGUAGES`: the reader picks one per request).
Release times are written by `publisher.display_time`, as the pages' banners are: in the UI language
with a human zone label (`2026.06.01(月) 09:00 日本時間`), in the zone readers of that language read times in (its `[languages.<code>] display_timezone`: the site's zone
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
from ..i18n import translator
from ..translation.plan import status_summary
from .strings import UI_LANGUAGES, UiText, default_ui

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
    error: str = ""
    """Why the state is unknown (state `error`)."""

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
    """The language's name in the UI language (`中国語` in Japanese)."""
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
    translation_label: str = ""
    """Its words on the dashboard (`要更新 3・要確認 1`)."""
    translation_detail: str = ""
    """What `publish status` says of it (`stale (3 segments), needs review (1)`), or the error."""


@dataclass(frozen=True)
class FactcheckSummary:
    """The fact-check warnings of one article."""

    checked: bool
    """False when the article lists no `sources` (nothing to check against)."""
    count: int
    """Figures found in none of the sources."""
    findings: tuple[tuple[object, str], ...]
    """(line, figure) of each finding, for the details (`12行目: 9.6万社`)."""
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


@dataclass(frozen=True)
class Dashboard:
    """Everything on the dashboard page."""

    rows: tuple[ArticleRow, ...]
    """In the default order: next releases first, then drafts (review first), then live, newest first."""
    source_lang: str
    """Code of the source language (`ja`)."""
    target_langs: tuple[tuple[str, str], ...]
    """(code, name in the UI language) of each target language: one translation column each."""
    timezone: str
    """The site's time zone (IANA name)."""
    factcheck: bool
    """Whether the fact-check column is shown."""
    ui: str = "ja"
    """The language of its words (`ja`, `zh`, `en`)."""

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
        return TranslationStatus("error", 0, 0, 0, plan or "")
    if not plan.exists:
        return TranslationStatus("missing", 0, 0, 0)
    if not plan.tracked:
        return TranslationStatus("untracked", 0, 0, 0)
    stale, review, edited = plan.stale, plan.count("review"), plan.count("edited")
    state = "review" if review else "stale" if stale else "edited" if edited else "ok"
    return TranslationStatus(state, stale, review, edited)


def translation_label(status: TranslationStatus, ui: UiText) -> str:
    """`要更新 3・要確認 1`, `未翻訳`: the state in the UI language."""
    if status.state in ("error", "missing", "untracked"):
        return ui.t(f"translation_{status.state}")
    parts = [ui.t(key, n=n) for key, n in (("translation_stale", status.stale), ("translation_review", status.review),
                                           ("translation_edited", status.edited)) if n]
    return {"ja": "・", "zh": "、"}.get(ui.lang, ", ").join(parts) or ui.t("translation_ok")


def translation_detail(status: TranslationStatus, ui: UiText) -> str:
    """What `publish status` says, in the UI language (the error as it was reported)."""
    if status.state == "error":
        return status.error
    return status_summary(status.state != "missing", status.state != "untracked", status.stale, status.review,
                          status.edited, translator(ui.lang))


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


def staff_zone(config: SiteConfig, ui: str) -> ZoneInfo | None:
    """The zone readers of the UI language read times in: that language's `display_timezone` when the site
    has it, else the registry's default for it; None: the site's zone."""
    try:
        return config.language(ui).display_timezone
    except KeyError:
        known = language(ui)
        return ZoneInfo(known.reader_timezone) if known is not None and known.reader_timezone else None


def release_text(moment: datetime, config: SiteConfig, ui: str) -> str:
    """`2026.06.01(月) 09:00 日本時間`: in the UI language and its readers' zone; were that not the
    site's zone, the site's time follows in parentheses."""
    return display_time(moment, config.timezone, ui, staff_zone(config, ui), weekday=True)


def reader_times(article: Article, moment: datetime, config: SiteConfig, ui: UiText) -> tuple[ReaderTime, ...]:
    """The release for each language of `article` whose readers' zone shows another time than the dashboard's
    (`[languages.<code>] display_timezone`: Beijing time for zh)."""
    shown = staff_zone(config, ui.lang) or config.timezone
    times = []
    for lang in config.languages:
        zone = lang.display_timezone
        if zone is None or article.document(lang.code) is None or \
                moment.astimezone(zone).utcoffset() == moment.astimezone(shown).utcoffset():
            continue
        times.append(ReaderTime(lang=lang.code, name=language_name(lang, ui), zone=zone.key,
                                text=display_time(moment, zone, ui.lang, weekday=True),
                                iso=moment.astimezone(zone).isoformat()))
    return tuple(times)


def language_name(lang: LanguageConfig, ui: UiText) -> str:
    """The language as staff read it (`中国語` in Japanese); else the site's own `language_name`."""
    return ui.language_name(lang.html_lang) or lang.strings.get("language_name") or lang.code


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
                     factcheck: Factcheck | None = None, ui: str | None = None) -> Dashboard:
    """The dashboard of `site` as of `now`, for a build that includes drafts/future pages as given, in the UI
    language `ui` (None: the site's default); `translations` holds the state of each (slug, target language)."""
    ui = ui or default_ui(config.source_language.code)
    return gather_dashboards(config, site, now=now, include_drafts=include_drafts, include_future=include_future,
                             translations=translations, factcheck=factcheck, uis=(ui,))[ui]


def gather_dashboards(config: SiteConfig, site: Site, *, now: datetime, include_drafts: bool, include_future: bool,
                      translations: Mapping[tuple[str, str], TranslationStatus], factcheck: Factcheck | None = None,
                      uis: Sequence[str] = UI_LANGUAGES) -> dict[str, Dashboard]:
    """The dashboard in each UI language of `uis`; the fact check runs once for all of them."""
    checks = {article.slug: _factcheck(config, article, factcheck) for article in site.articles} \
        if factcheck is not None else {}
    dashboards = {}
    for code in uis:
        ui = UiText(code)
        rows = [_row(config, article, now, include_drafts, include_future, translations, checks.get(article.slug), ui)
                for article in site.articles]
        dashboards[code] = Dashboard(
            rows=tuple(default_order(rows)), source_lang=config.source_language.code,
            target_langs=tuple((lang.code, language_name(lang, ui)) for lang in config.target_languages),
            timezone=config.timezone.key, factcheck=factcheck is not None, ui=code)
    return dashboards


def default_order(rows: Iterable[ArticleRow]) -> list[ArticleRow]:
    """Next releases first (soonest first), then review and drafts (by planned date), then live (newest first)."""
    def key(row: ArticleRow):
        instant = row.publish_at.timestamp()
        return (row.status_rank, -instant if row.status == "live" else instant, row.slug)

    return sorted(rows, key=key)


def _row(config: SiteConfig, article: Article, now: datetime, include_drafts: bool, include_future: bool,
         translations: Mapping[tuple[str, str], TranslationStatus], check: FactcheckSummary | None,
         ui: UiText) -> ArticleRow:
    versions = []
    any_page = False
    for lang in config.languages:
        document = article.document(lang.code)
        built = document is not None and in_build(article, lang.code, now, include_drafts, include_future)
        any_page = any_page or built
        is_source = lang.code == config.source_language.code
        status = None if is_source else translations.get((article.slug, lang.code), translation_status(None))
        versions.append(LanguageVersion(
            lang=lang.code, html_lang=lang.html_lang, name=language_name(lang, ui), is_source=is_source,
            title=document.title if document is not None else None,
            status=page_status(article, lang.code, now),
            page_href=page_href(article.slug, lang.code) if built else None,
            pdf_href=pdf_href(article.slug, lang.code) if built and config.pdf.enabled else None,
            side_by_side_href=None if is_source else side_by_side_href(article.slug, lang.code),
            translation=status,
            translation_label=translation_label(status, ui) if status is not None else "",
            translation_detail=translation_detail(status, ui) if status is not None else "",
        ))
    moment = article.publish_at.astimezone(config.timezone)
    return ArticleRow(slug=article.slug, code=article.code, status=article_status(article, now), publish_at=moment,
                      release_text=release_text(moment, config, ui.lang),
                      reader_times=reader_times(article, moment, config, ui), versions=tuple(versions),
                      phone_href=phone_href(article.slug) if any_page else None, factcheck=check)


def _factcheck(config: SiteConfig, article: Article, check: Factcheck) -> FactcheckSummary:
    """Only articles that list sources are checked; a checker that fails shows as an error, not a crash."""
    if not article.sources:
        return FactcheckSummary(checked=False, count=0, findings=())
    try:
        findings = tuple(check(config, article))
    except PublisherError as exc:
        return FactcheckSummary(checked=True, count=0, findings=(), error=_error_text(exc, config))
    lines = []
    for finding in findings:
        figure, line = getattr(finding, "figure", None), getattr(finding, "line", None)
        if figure is not None:
            lines.append((line if line is not None else "?", str(figure)))
    return FactcheckSummary(checked=True, count=len(findings), findings=tuple(lines))
