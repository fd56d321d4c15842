"""The pages under `/_preview/`: the dashboard, the side-by-side views and the phone views.

`PreviewPages` is the site build's contributor hook (`BuildOptions.extra_files`):
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

Each page is in one UI language (`strings.UI_LANGUAGES`). `publish build --preview` writes every page in
each of them: `index.html` in the site's default (its source language) and `index.zh.html`,
`index.en.html` ... beside it. The preview server renders a page only when a browser asks for it
(`on_request.py`), in the language the reader chose or their browser asks for (`ui.py`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Mapping, Sequence
from urllib.parse import quote

from ..cache import Cache, code_version, digest, tree_digest
from ..config import SiteConfig
from ..content import Article, Site
from ..errors import PublisherError
from ..translation.lock import lock_path
from ..parallel import run_parallel
from ..site.options import BuildOptions
from ..site.templates import Templates
from .dashboard import (
    Dashboard,
    Factcheck,
    Planner,
    TranslationStatus,
    gather_dashboards,
    in_build,
    language_name,
    page_href,
    source_findings,
    translation_status,
)
from .side_by_side import STATES, SideBySide, align
from .strings import ENDONYMS, UI_LANGUAGES, UiText, default_ui
from .ui import QUERY, variant_name
from ..i18n import _

VERSION = "3"
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
    ui: UiText
    """The words of the page, in the reader's language."""
    switch: tuple[tuple[str, str, str], ...]
    """(lang, its name in itself, href) of each UI language: the language switch."""

    def t(self, key: str, **values: object) -> str:
        """A UI string (`strings.py`) in the page's language."""
        return self.ui.t(key, **values)


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
    """The `/_preview/` pages of a preview build (an contributor hook).

    `factcheck` is called for each article that lists `sources` and returns its
    findings, counted in the dashboard's fact-check column: by default the fact
    check of the source language (`publisher.factcheck`); None leaves the column out.
    """

    def __init__(self, factcheck: Factcheck | None = source_findings):
        self.factcheck = factcheck
        self.memory = PreviewMemory()
        """The last build's pages, for the next build with this hook (a preview session's rebuilds)."""
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
        check_preview_build(options)
        return make_preview_pages(config, site, now=options.now, include_drafts=options.include_drafts,
                                  include_future=options.include_future, factcheck=self.factcheck, jobs=options.jobs,
                                  memory=self.memory)


def check_preview_build(options: BuildOptions) -> None:
    """The preview pages list drafts and scheduled articles: refuse them in a production build."""
    if not options.is_preview:
        raise PublisherError(_("the preview pages list drafts and scheduled articles, so they are made only in "
                               "preview builds; use `publish preview` or `publish build --preview --out DIR`"))


def make_preview_pages(config: SiteConfig, site: Site, *, now: datetime, include_drafts: bool,
                       include_future: bool, factcheck: Factcheck | None = None,
                       jobs: int | None = None, memory: "PreviewMemory | None" = None) -> dict[str, bytes]:
    """Every preview page, by its path in the output. `jobs`: worker processes for the side-by-side views
    (None: one per core), which are made only when their article, lock file, glossary or the code changed.
    `memory`: the pages of the previous call that shared it (None: nothing remembered)."""
    memory = memory if memory is not None else PreviewMemory()
    templates = Templates(config.templates_dir)
    views = side_by_side_views(config, site, jobs, memory)
    default = default_ui(config.source_language.code)
    when = dict(now=now, include_drafts=include_drafts, include_future=include_future)
    common = _common_key(config)
    files: dict[str, bytes] = {}
    phones: dict[str, bytes] = {}
    boards = dashboards(config, site, views, uis=UI_LANGUAGES, factcheck=factcheck, **when)
    for ui in UI_LANGUAGES:
        files[localized("_preview/index.html", ui, default)] = dashboard_page(templates, boards[ui])
        for article in site.articles:
            for lang in config.target_languages:
                files[localized(f"_preview/{article.slug}/{lang.code}.html", ui, default)] = \
                    views[(article.slug, lang.code)].pages[ui]
            phone = phone_page(config, article, templates, memory, phones, ui=ui, common=common, **when)
            if phone is not None:
                files[localized(f"_preview/{article.slug}/phone.html", ui, default)] = phone
    memory.phones = phones
    return files


def dashboards(config: SiteConfig, site: Site, views: Mapping[tuple[str, str], "View"], *, uis: Sequence[str],
               now: datetime, include_drafts: bool, include_future: bool,
               factcheck: Factcheck | None) -> dict[str, Dashboard]:
    """The dashboard in each UI language of `uis` (the fact check runs once for all), the translation states
    taken from `views` (every article's)."""
    return gather_dashboards(config, site, now=now, include_drafts=include_drafts, include_future=include_future,
                             factcheck=factcheck, uis=uis,
                             translations={where: view.status for where, view in views.items()})


def dashboard_page(templates: Templates, dashboard: Dashboard) -> bytes:
    """`_preview/index.html` in the dashboard's UI language."""
    text = UiText(dashboard.ui)
    return templates.render("preview/dashboard.html", DashboardPage(
        root="../", title=text.t("dashboard_title"), ui=text, switch=switch("index.html"), dashboard=dashboard,
        statuses=("scheduled", "review", "draft", "live"))).encode("utf-8")


def phone_page(config: SiteConfig, article: Article, templates: Templates, memory: "PreviewMemory",
               phones: dict[str, bytes], *, ui: str, now: datetime, include_drafts: bool,
               include_future: bool, common: str | None = None) -> bytes | None:
    """`_preview/<slug>/phone.html` in the UI language `ui` (None when none of the article's pages is in
    the build), from `memory.phones` when what it shows did not change; added to `phones` by its key.
    `common`: `_common_key(config)`, when the caller makes many (it reads the templates and the glossary)."""
    text = UiText(ui)
    languages = _phone_languages(config, article, now, include_drafts, include_future, text)
    if not languages:
        return None
    title = article.source.title
    page = PhonePage(root="../../", title=text.t("phone_title", title=title), ui=text, switch=switch("phone.html"),
                     article_title=title, code=article.code, languages=languages, sizes=PHONE_SIZES,
                     desktop=DESKTOP_SIZE, desktop_scale=DESKTOP_SCALE)
    key = digest(common if common is not None else _common_key(config), repr(page))
    html = memory.phones.get(key)
    if html is None:
        html = templates.render("preview/phone.html", page).encode("utf-8")
    phones[key] = html
    return html



def localized(path: str, ui: str, default: str) -> str:
    """Where `publish build --preview` writes the page `path` in the UI language `ui`: `path` itself in the
    default language, `index.zh.html` beside it in the others (the preview server picks one per reader,
    `ui.localized`)."""
    return path if ui == default else variant_name(path, ui)


def switch(name: str) -> tuple[tuple[str, str, str], ...]:
    """The language switch of the page `name` (in its own folder): the page again with `?ui=<lang>`, which
    the preview server remembers in a cookie."""
    return tuple((code, ENDONYMS[code], f"{name}?{QUERY}={code}") for code in UI_LANGUAGES)

@dataclass
class PreviewMemory:
    """The pages made with one `PreviewPages` hook (in a preview session, by `on_request.py` after every
    save): making a thousand unchanged pages again costs ~0.3 s. Owned by the hook, not the module, so
    two sites previewed in one process share nothing."""

    phones: dict[str, bytes] = field(default_factory=dict)
    """Phone pages by the digest of what they show."""
    views: dict[str, "View"] = field(default_factory=dict)
    """Side-by-side views by key: cheaper than the build cache."""


@dataclass(frozen=True)
class View:
    """A side-by-side page and the translation state it was made from (kept in the build cache)."""

    status: TranslationStatus
    pages: Mapping[str, bytes]
    """The page in each UI language."""


def side_by_side_views(config: SiteConfig, site: Site, jobs: int | None = None,
                       memory: PreviewMemory | None = None,
                       articles: tuple[Article, ...] | None = None) -> dict[tuple[str, str], View]:
    """The side-by-side page of every (slug, target language) -- of `articles` only when given: from the
    build cache when nothing it depends on changed, else planned, aligned and rendered, on every core
    when there are many."""
    cache = Cache(config.cache_folder)
    common = _common_key(config)
    chosen = site.articles if articles is None else articles
    keys = {(article.slug, lang.code): _view_key(common, article, lang.code)
            for article in chosen for lang in config.target_languages}
    memory = memory if memory is not None else PreviewMemory()
    views = {where: memory.views[key] for where, key in keys.items() if key in memory.views}
    stored = cache.load_many("preview-views", list({key for where, key in keys.items() if where not in views}))
    views.update((where, stored[key]) for where, key in keys.items()
                 if where not in views and isinstance(stored.get(key), View))
    todo = [(config, article, lang.code) for article in chosen for lang in config.target_languages
            if (article.slug, lang.code) not in views]
    if todo:
        global _PLANNER
        _PLANNER = Planner.read(config)  # forked workers inherit it: the translation caches are read once
        try:
            made = list(zip(todo, run_parallel(_make_view, todo, jobs)))
        finally:
            _PLANNER = None
            _TEMPLATES.clear()  # worker state of this call only
        for (_key, article, lang), view in made:
            views[(article.slug, lang)] = view
        cache.store_many("preview-views", ((keys[(article.slug, lang)], view) for (_, article, lang), view in made))
    made_now = {keys[where]: view for where, view in views.items()}
    memory.views = made_now if articles is None else {**memory.views, **made_now}
    return views


_PLANNER: Planner | None = None
_TEMPLATES: dict[Path, Templates] = {}


def _make_view(job: tuple[SiteConfig, Article, str]) -> View:
    """Plan, align and render one side-by-side page (in a worker, or in this process)."""
    config, article, lang_code = job
    assert _PLANNER is not None
    plan = _PLANNER.plan(article, lang_code)
    lang = config.language(lang_code)
    templates = _TEMPLATES.get(config.templates_dir) or _TEMPLATES.setdefault(config.templates_dir,
                                                                                Templates(config.templates_dir))
    title = article.source.title
    view = align(config, article, lang_code, plan, image_root="../../")
    pages = {}
    for code in UI_LANGUAGES:
        ui = UiText(code)
        pages[code] = templates.render("preview/side-by-side.html", SideBySidePage(
            root="../../", title=ui.t("sbs_title", title=title), ui=ui, switch=switch(f"{lang_code}.html"),
            article_title=title, code=article.code, view=view,
            source_name=language_name(config.source_language, ui), target_name=language_name(lang, ui),
            source_html_lang=config.source_language.html_lang, target_html_lang=lang.html_lang,
            legend=tuple(reversed(STATES)), others=_others(config, lang_code, ui))).encode("utf-8")
    return View(translation_status(plan), pages)


def _common_key(config: SiteConfig) -> str:
    """What every side-by-side page depends on besides its article: the code, the config, the preview
    templates, the glossary and the translation caches (a translation finished after an interruption)."""
    parts: list[str | bytes] = [VERSION, code_version(), config.config_path.read_bytes(),
                                tree_digest(config.templates_dir / "preview"), _read(config.root / "glossary.csv")]
    for lang in config.target_languages:
        try:
            stat = (config.root / ".publisher" / "translations" / f"{lang.code}.jsonl").stat()
            parts.append(f"{lang.code}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{lang.code}:none")
    return digest(*parts)


def _view_key(common: str, article: Article, lang: str) -> str:
    target = article.folder / f"{lang}.md"
    return digest(common, article.slug, lang, _read(article.source.path), _read(target), _read(lock_path(target)))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"<none>"


def _others(config: SiteConfig, current: str, ui: UiText) -> tuple[tuple[str, str, str], ...]:
    """Links from a side-by-side view: the other translations' views (relative to the view)."""
    return tuple((lang.code, language_name(lang, ui), f"{quote(lang.code)}.html") for lang in config.target_languages
                 if lang.code != current)


def _phone_languages(config: SiteConfig, article: Article, now, include_drafts: bool,
                     include_future: bool, ui: UiText) -> tuple[PhoneLanguage, ...]:
    return tuple(PhoneLanguage(lang.code, language_name(lang, ui), "../../" + page_href(article.slug, lang.code))
                 for lang in config.languages
                 if article.document(lang.code) is not None
                 and in_build(article, lang.code, now, include_drafts, include_future))

