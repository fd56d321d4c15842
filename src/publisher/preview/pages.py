"""The pages under `/_preview/`: the dashboard, the side-by-side views and the phone views.

`PreviewPages` is the site build's `ExtraFiles` hook (`BuildOptions.extra_files`):
called with the loaded site, it returns the pages as bytes, and the build
writes them with the rest of the preview. They are static files with relative
links only, so a preview built with `publish build --preview --out DIR` works
from any static host and any sub-path; times that move (how long until a
release) are worked out in the reader's browser, so nothing here depends on
the clock but the build's `now` (which decides live against scheduled).

Output:

- `_preview/index.html`: the dashboard (`dashboard.py` gathers it);
- `_preview/<slug>/<lang>.html`: source and translation side by side, for each
  target language (`side_by_side.py`);
- `_preview/<slug>/phone.html`: the page in a phone-sized frame beside the
  desktop view (`?lang=zh` picks the language, `?size=small` the small phone).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from ..config import SiteConfig
from ..content import Article, Site
from ..errors import PublisherError
from ..site.plan import BuildOptions
from ..site.templates import Templates
from .dashboard import (
    Dashboard,
    Factcheck,
    LanguageVersion,
    gather_dashboard,
    in_build,
    language_name,
    page_href,
    plan_translations,
)
from .side_by_side import STATES, SideBySide, align
from .strings import STRINGS, t

VERSION = "1"
"""Goes into the hook's name (and so into the build's input digest): bump when the output changes."""

#: Phone frames (CSS pixels): the regular and the small phone.
PHONE_SIZES = {"regular": (390, 844), "small": (360, 740)}
#: The desktop view beside the phone: a window of this size, scaled down.
DESKTOP_SIZE = (1280, 800)
DESKTOP_SCALE = 0.5


@dataclass(frozen=True)
class PreviewPage:
    """What every preview template gets besides its own data."""

    root: str
    """The way from the page to the site root (`../`, `../../`): every link starts with it."""
    title: str
    """The page title."""

    def t(self, key: str, **values: object) -> str:
        """A UI string (`strings.py`)."""
        return t(key, **values)

    @property
    def strings(self) -> Mapping[str, str]:
        return STRINGS


@dataclass(frozen=True)
class DashboardPage(PreviewPage):
    dashboard: Dashboard
    statuses: tuple[str, ...]
    """The statuses to filter by, in the dashboard's order."""


@dataclass(frozen=True)
class SideBySidePage(PreviewPage):
    article_title: str
    code: str | None
    view: SideBySide
    source_name: str
    target_name: str
    source_html_lang: str
    target_html_lang: str
    legend: tuple[str, ...]
    """Every row state, for the legend."""
    others: tuple[tuple[str, str, str], ...]
    """(lang, name, href) of the article's other side-by-side views and its pages in this build."""


@dataclass(frozen=True)
class PhoneLanguage:
    lang: str
    name: str
    href: str
    """The page, relative to the phone view."""


@dataclass(frozen=True)
class PhonePage(PreviewPage):
    article_title: str
    code: str | None
    languages: tuple[PhoneLanguage, ...]
    """The article's pages in this build; the first is shown when `?lang=` names none of them."""
    sizes: Mapping[str, tuple[int, int]]
    desktop: tuple[int, int]
    desktop_scale: float

    @property
    def desktop_box(self) -> tuple[int, int]:
        return int(self.desktop[0] * self.desktop_scale), int(self.desktop[1] * self.desktop_scale)


class PreviewPages:
    """The `/_preview/` pages of a preview build (an `ExtraFiles` hook).

    `factcheck`, when given, is called for each article that lists `sources`
    and returns its findings; the dashboard then shows a fact-check column.
    """

    def __init__(self, factcheck: Factcheck | None = None):
        self.factcheck = factcheck
        checker = f"+factcheck:{getattr(factcheck, '__module__', '')}.{getattr(factcheck, '__qualname__', '')}"
        self.name = f"preview-pages/{VERSION}" + (checker if factcheck is not None else "")

    def inputs(self, config: SiteConfig) -> str:
        """Digest of what the pages read outside the article folders: the glossary (it makes
        machine translations stale). The build adds it to its input digest."""
        glossary = config.root / "glossary.csv"
        try:
            return hashlib.sha256(glossary.read_bytes()).hexdigest()
        except OSError:
            return "<no glossary>"

    def __call__(self, config: SiteConfig, site: Site, options: BuildOptions) -> dict[str, bytes]:
        if not options.is_preview:
            raise PublisherError("the preview pages list drafts and scheduled articles, so they are made only "
                                 "in preview builds; use `publish preview` or `publish build --preview --out DIR`")
        return make_preview_pages(config, site, now=options.now, include_drafts=options.include_drafts,
                                  include_future=options.include_future, factcheck=self.factcheck)


def make_preview_pages(config: SiteConfig, site: Site, *, now, include_drafts: bool, include_future: bool,
                       factcheck: Factcheck | None = None) -> dict[str, bytes]:
    """Every preview page, by its path in the output."""
    templates = Templates(config.templates_dir)
    plans = plan_translations(config, site)
    dashboard = gather_dashboard(config, site, now=now, include_drafts=include_drafts,
                                 include_future=include_future, plans=plans, factcheck=factcheck)
    files: dict[str, bytes] = {}

    def render(path: str, template: str, page: Any) -> None:
        files[path] = templates.render(f"preview/{template}", page).encode("utf-8")

    render("_preview/index.html", "dashboard.html",
           DashboardPage(root="../", title=t("dashboard_title"), dashboard=dashboard,
                         statuses=("scheduled", "review", "draft", "live")))
    rows = {row.slug: row for row in dashboard.rows}
    for article in site.articles:
        row = rows[article.slug]
        title = article.source.title
        for lang in config.target_languages:
            view = align(config, article, lang.code, plans.get((article.slug, lang.code)), image_root="../../")
            render(f"_preview/{article.slug}/{lang.code}.html", "side-by-side.html", SideBySidePage(
                root="../../", title=t("sbs_title", title=title), article_title=title, code=article.code,
                view=view, source_name=language_name(config.source_language), target_name=language_name(lang),
                source_html_lang=config.source_language.html_lang, target_html_lang=lang.html_lang,
                legend=tuple(reversed(STATES)), others=_others(row.versions, lang.code)))
        if row.phone_href is not None:
            render(f"_preview/{article.slug}/phone.html", "phone.html", PhonePage(
                root="../../", title=t("phone_title", title=title), article_title=title, code=article.code,
                languages=_phone_languages(config, article, now, include_drafts, include_future),
                sizes=PHONE_SIZES, desktop=DESKTOP_SIZE, desktop_scale=DESKTOP_SCALE))
    return files


def _others(versions: Sequence[LanguageVersion], current: str) -> tuple[tuple[str, str, str], ...]:
    """Links from a side-by-side view: the other translations' views (relative to the view)."""
    return tuple((v.lang, v.name, f"{quote(v.lang)}.html") for v in versions
                 if not v.is_source and v.lang != current)


def _phone_languages(config: SiteConfig, article: Article, now, include_drafts: bool,
                     include_future: bool) -> tuple[PhoneLanguage, ...]:
    return tuple(PhoneLanguage(lang.code, language_name(lang), "../../" + page_href(article.slug, lang.code))
                 for lang in config.languages
                 if article.document(lang.code) is not None
                 and in_build(article, lang.code, now, include_drafts, include_future))

