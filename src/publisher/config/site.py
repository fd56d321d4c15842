"""Site configuration: `publisher.toml`, loaded once into a frozen `SiteConfig`.

Languages, their UI strings and the standing notices live here rather than in
code or templates, so adding a target language (English, say) is a
configuration change.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError, Problem
from ..languages import language
from ..limits import UnsafeFile, inside, read_bounded
from .markdown import MarkdownSettings, parse_markdown_settings
from .deploy import DeployTarget, parse_deploy_targets
from .files import CONFIG_FILENAME, glossary_words, line_of
from ..i18n import _
from .pdf import PdfSettings, parse_pdf_settings
from .preview import PreviewSettings, parse_preview_settings
from .strings import PLACEHOLDERS, fill, placeholder_problem


#: Every language must define these UI strings (`[strings.<lang>]`).
#: `{placeholders}` are filled in by the templates.
REQUIRED_STRINGS: tuple[str, ...] = (
    "site_title",
    "site_description",
    "breadcrumb_home",
    "breadcrumb_label",
    "language_name",
    "language_switch_label",
    "skip_to_content",
    "toc_title",
    "related_label",
    "feedback_prompt",
    "feedback_note",
    "notice_ai_text",
    "notice_ai_image",
    "notice_pseudonyms",
    "notice_mobile",
    "notice_copyright",
    "contact_prompt",
    "contact_link",
    "banner_draft",
    "banner_review",
    "banner_scheduled",
    "label_draft",
    "label_review",
    "label_scheduled",
    "index_title",
    "index_empty",
    "choose_language",
    "published_on",
    "reading_time",
    "flow_label",
    "table_label",
    "footnotes_label",
    "footnote_back_label",
    "ranking_title",
    "tags_title",
    "tag_title",
    "tags_label",
    "pagination_label",
    "page_previous",
    "page_next",
    "page_title",
    "not_found_title",
    "not_found_message",
    "search_title",
    "search_label",
    "search_button",
    "search_results",
    "search_no_results",
    "search_searching",
    "search_more",
    "search_clear",
    "search_needs_script",
)

_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class RankingConfig:
    """`[ranking]`: the popularity ranking from an analytics export."""

    file: Path
    """Page views export (GA4 "Pages and screens" CSV); a missing file hides the ranking with a warning."""
    size: int = 10
    """How many articles the ranking shows."""


@dataclass(frozen=True)
class FeedConfig:
    """`[feeds]`: the Atom feed of each language."""

    content: str = "full"
    """`full`: whole articles in the feed; `summary`: summaries only."""
    entries: int = 20
    """Newest articles per feed."""


@dataclass(frozen=True)
class ImageConfig:
    """`[images]`: responsive variants of raster images."""

    widths: tuple[int, ...] = (480, 800, 1200)
    """Widths (px) of the variants; none is made wider than the original."""
    webp_quality: int = 80
    """WebP quality (1-100)."""
    jpeg_quality: int = 82
    """JPEG quality (1-100)."""


@dataclass(frozen=True)
class LanguageConfig:
    """One language the site publishes in."""

    code: str
    """Short code used in folders, file names and URLs (`ja`, `zh`)."""
    html_lang: str
    """BCP 47 tag for `<html lang>` and hreflang (`zh-CN`, so browsers pick Simplified glyphs); default: the
    tag `publisher.languages` knows for the code, else the code. Everything else the code knows about the
    language (prompt name, og:locale, PDF fonts, phrase breaks) is looked up by this tag."""
    strings: Mapping[str, str] = field(repr=False)
    """UI strings and notices in this language (see `REQUIRED_STRINGS`); left out of `repr`, which
    page records are keyed by -- the build keys pages by the whole configuration instead."""
    keep_together: tuple[str, ...] = ()
    """Words a line never breaks inside (titles, headings): `[languages.<code>] keep_together` plus this
    language's column of `glossary.csv`."""
    display_timezone: ZoneInfo | None = None
    """Time zone times are shown in to readers of this language, beside the site's (`[languages.<code>]
    display_timezone`; default Asia/Shanghai for `zh`); None: the site's own."""

    def t(self, key: str, **values: object) -> str:
        """The string `key`, with `{placeholders}` filled from `values`."""
        text = self.strings[key]
        return fill(text, **values) if values else text


@dataclass(frozen=True)
class SiteConfig:
    """Everything `publisher.toml` says, validated and resolved."""

    root: Path
    """The site's folder (where `publisher.toml` is); relative paths resolve from here."""
    config_path: Path
    """The `publisher.toml` that was read."""
    base_url: str
    """Absolute URL the site is served from, ending in `/` (for canonical and alternate links)."""
    timezone: ZoneInfo
    """The site's time zone: release times without an offset are read in it, and shown in it."""
    languages: tuple[LanguageConfig, ...]
    """Every language, the source language first."""
    content_dir: Path
    """Folder of article folders (`articles/<slug>/ja.md`)."""
    templates_dir: Path
    """Jinja2 templates."""
    assets_dir: Path
    """CSS, icons and other files copied to `/assets/`."""
    output_dir: Path
    """Where `publish build` writes the site (`dist/`)."""
    toc_min_headings: int
    """A table of contents is shown when an article has at least this many `##` headings."""
    organization: str
    """Publisher name for the copyright notice and metadata."""
    contact_url: str
    """Where the contact call to action links."""
    feedback_url: str
    """Where the feedback prompt links."""
    ranking: RankingConfig | None = None
    """The popularity ranking; None to show none."""
    feeds: FeedConfig = FeedConfig()
    """Atom feeds."""
    images: ImageConfig = ImageConfig()
    """Responsive image variants."""
    per_page: int = 20
    """Articles per index or tag page; more make further pages (`/ja/page/2/`)."""
    related_count: int = 4
    """Related links per article: the `related` list first, then articles sharing tags."""
    cache_dir: Path | None = None
    """Build cache (`.publisher/cache/` beside publisher.toml); deleting it only slows the next build."""
    pdf: PdfSettings = PdfSettings()
    """The `[pdf]` table: whether builds make PDFs, page size, tagging (see `publisher.pdf`)."""
    preview: PreviewSettings = PreviewSettings()
    """The `[preview]` table: where `publish preview` listens (see `publisher.preview`)."""
    markdown: MarkdownSettings = MarkdownSettings()
    """The `[markdown]` table: whether raw HTML in bodies is published (see `config/markdown.py`)."""
    deploy: Mapping[str, DeployTarget] = field(default_factory=lambda: MappingProxyType({}))
    """The `[deploy.<name>]` tables: where `publish deploy` publishes (see `publisher.deploy`)."""

    @property
    def cache_folder(self) -> Path:
        """The build cache's folder: `cache_dir`, else `.publisher/cache/` beside publisher.toml."""
        return self.cache_dir or self.root / ".publisher" / "cache"

    @property
    def source_language(self) -> LanguageConfig:
        return self.languages[0]

    @property
    def target_languages(self) -> tuple[LanguageConfig, ...]:
        return self.languages[1:]

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> LanguageConfig:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)


def load_config(path: Path) -> SiteConfig:
    """Read and validate `publisher.toml`; raise `ConfigError` listing every problem."""
    path = path.resolve()
    try:
        raw_bytes = read_bounded(path)
    except UnsafeFile as exc:
        raise ConfigError((Problem(path, None, "file", str(exc)),)) from None
    except OSError as exc:
        raise ConfigError(
            (Problem(path, None, "file", _("cannot read the configuration ({strerror}); create "
                                           "{file} in the site's folder").format(
                                             strerror=exc.strerror, file=CONFIG_FILENAME)),)
        ) from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise ConfigError(
            (Problem(path, line, "encoding", _("the file is not UTF-8; save it as UTF-8")),)
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise ConfigError(
            (Problem(path, line, "toml", _("invalid TOML ({exc}); fix the syntax at that line").format(exc=exc)),)
        ) from None
    except RecursionError:
        raise ConfigError(
            (Problem(path, None, "toml", _("arrays or tables are nested too deeply (hundreds of `[` inside each "
                                           "other); no setting needs that, so fix the file")),)
        ) from None

    problems: list[Problem] = []
    root = path.parent

    def problem(section: str | None, key: str | None, message: str) -> None:
        field = ".".join(part for part in (section, key) if part)
        problems.append(Problem(path, line_of(text, section, key), field or "config", message))

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            problem(None, name, _("`{name}` must be a table ([{name}])").format(name=name))
            return {}
        return value

    site = table("site")

    def string(section: str, values: dict[str, Any], key: str, default: str | None = None) -> str:
        value = values.get(key, default)
        if value is None:
            problem(section, key, _("missing; add `{key} = \"...\"` under [{section}]").format(
                                      key=key, section=section))
            return ""
        if not isinstance(value, str) or not value.strip():
            problem(section, key, _("must be a non-empty string, not {value!r}").format(value=value))
            return ""
        return value

    base_url = string("site", site, "base_url")
    if base_url and not re.match(r"^https?://[^/\s]+", base_url):
        problem("site", "base_url", _("{base_url!r} is not an absolute http(s) URL; write it like "
                                      "\"https://www.example.com/\"").format(base_url=base_url))
    if base_url and not base_url.endswith("/"):
        base_url += "/"

    tz_name = string("site", site, "timezone")
    timezone = ZoneInfo("UTC")
    if tz_name:
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            problem("site", "timezone", _("unknown time zone {tz_name!r}; use an IANA name such as "
                                          "\"Asia/Tokyo\" or \"Asia/Shanghai\"").format(tz_name=tz_name))

    codes = site.get("languages")
    if codes is None:
        problem("site", "languages", _("missing; list the languages, source first: languages = [\"ja\", \"zh\"]"))
        codes = []
    elif not (isinstance(codes, list) and codes and all(isinstance(c, str) for c in codes)):
        problem("site", "languages", _("must be a non-empty list of language codes, source first: languages "
                                       "= [\"ja\", \"zh\"]"))
        codes = []
    seen: set[str] = set()
    for code in codes:
        if not _LANG_CODE.match(code):
            problem("site", "languages", _("{code!r} is not a language code; use two or three lower-case "
                                           "letters such as \"ja\", \"zh\", \"en\"").format(code=code))
        if code in seen:
            problem("site", "languages", _("{code!r} is listed twice; list each language once").format(
                                             code=code))
        seen.add(code)

    lang_tables = table("languages")
    string_tables = table("strings")
    languages: list[LanguageConfig] = []
    for code in dict.fromkeys(codes):
        section = f"languages.{code}"
        lang_table = lang_tables.get(code, {})
        if not isinstance(lang_table, dict):
            problem(None, section, _("[{section}] must be a table").format(section=section))
            lang_table = {}
        known = language(code)  # what the code knows about it (`publisher.languages`): its usual tag
        html_lang = lang_table.get("html_lang", known.tag if known is not None else code)
        if not isinstance(html_lang, str) or not re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", html_lang):
            problem(section, "html_lang", _("{html_lang!r} is not a BCP 47 tag; use for example \"ja\" or "
                                            "\"zh-CN\"").format(html_lang=html_lang))
            html_lang = code
        strings_section = f"strings.{code}"
        strings = string_tables.get(code)
        if not isinstance(strings, dict):
            problem(None, strings_section, _("missing [{strings_section}]: every language needs its UI "
                                             "strings; copy the [strings.{lang}] table and translate it").format(
                                               strings_section=strings_section,
                                               lang=codes[0] if codes else 'ja'))
            strings = {}
        else:
            for key in REQUIRED_STRINGS:
                if key not in strings:
                    problem(strings_section, None, _("`{key}` is missing; add `{key} = \"...\"` under "
                                                     "[{strings_section}]").format(
                                                       key=key, strings_section=strings_section))
                elif not isinstance(strings[key], str):
                    problem(strings_section, key, _("must be a string"))
            for key, allowed in PLACEHOLDERS.items():
                wording = strings.get(key)
                reason = placeholder_problem(wording, allowed) if isinstance(wording, str) else None
                if reason:
                    problem(strings_section, key, reason)
        keep = lang_table.get("keep_together", [])
        if not (isinstance(keep, list) and all(isinstance(word, str) for word in keep)):
            problem(section, "keep_together", _("must be a list of words, e.g. keep_together = [\"一帯一路\"]"))
            keep = []
        known = language(html_lang)
        zone_name = lang_table.get("display_timezone", known.reader_timezone if known else None)
        display_zone = None
        if zone_name is not None:
            try:
                display_zone = ZoneInfo(str(zone_name))
            except (ZoneInfoNotFoundError, ValueError):
                problem(section, "display_timezone", _("unknown time zone {tz_name!r}; use an IANA name such as "
                                                       "\"Asia/Tokyo\" or \"Asia/Shanghai\"").format(tz_name=zone_name))
        languages.append(LanguageConfig(
            code=code,
            html_lang=html_lang,
            strings=MappingProxyType({k: v for k, v in strings.items() if isinstance(v, str)}),
            keep_together=tuple(dict.fromkeys([*keep, *glossary_words(root / "glossary.csv", code)])),
            display_timezone=display_zone,
        ))

    def site_path(section: str, values: dict[str, Any], key: str, default: str, *, read: bool) -> Path:
        """A path setting, resolved from the site's folder. One the build reads from (`read`) must stay
        inside the site: nothing from elsewhere on the machine is published."""
        value = values.get(key, default)
        if not isinstance(value, str) or not value:
            problem(section, key, _("must be a path such as {default!r}").format(default=default))
            value = default
        elif any(ord(char) < 32 for char in value):
            problem(section, key, _("contains a control character (such as a NUL byte); write a plain path"))
            value = default
        resolved = (root / value).resolve()
        try:
            resolved.exists()
        except OSError as exc:  # a name longer than the file system allows, say
            problem(section, key, _("{start!r}... cannot be used as a path ({reason}); write a shorter one").format(
                start=value[:40], reason=exc.strerror))
            resolved = (root / default).resolve()
        if read and not inside(resolved, root):
            problem(section, key, _("{value!r} is outside the site's folder ({root}); nothing from outside the "
                                    "site is published, so move it into the site's folder").format(
                value=value, root=root))
        return resolved

    def folder(key: str, default: str) -> Path:
        return site_path("site", site, key, default, read=key == "content_dir")

    toc_min = site.get("toc_min_headings", 4)
    if not isinstance(toc_min, int) or isinstance(toc_min, bool) or toc_min < 0:
        problem("site", "toc_min_headings", _("must be a whole number of headings (0 or more), not "
                                              "{toc_min!r}").format(toc_min=toc_min))
        toc_min = 4

    organization = string("site", site, "organization")
    contact_url = string("site", site, "contact_url")
    feedback_url = string("site", site, "feedback_url", contact_url or None)

    def whole(section: str, values: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
        value = values.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problem(section, key, _("must be a whole number from {low} to {high}, not {value!r}").format(
                                      low=low, high=high, value=value))
            return default
        return value

    per_page = whole("site", site, "per_page", 20, 1, 1000)
    related_count = whole("site", site, "related_count", 4, 0, 50)

    ranking_table = table("ranking")
    ranking: RankingConfig | None = None
    if ranking_table.get("enabled", True) is not False:
        ranking = RankingConfig(file=site_path("ranking", ranking_table, "file", "data/pageviews.csv", read=True),
                                size=whole("ranking", ranking_table, "size", 10, 1, 100))

    feeds_table = table("feeds")
    feed_content = feeds_table.get("content", "full")
    if feed_content not in ("full", "summary"):
        problem("feeds", "content", _("must be \"full\" or \"summary\", not {feed_content!r}").format(
                                        feed_content=feed_content))
        feed_content = "full"
    feeds = FeedConfig(content=feed_content, entries=whole("feeds", feeds_table, "entries", 20, 1, 1000))

    images_table = table("images")
    widths = images_table.get("widths", [480, 800, 1200])
    if not (isinstance(widths, list) and widths
            and all(isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8000 for w in widths)):
        problem("images", "widths", _("must be a list of widths in pixels such as [480, 800, 1200], not "
                                      "{widths!r}").format(widths=widths))
        widths = [480, 800, 1200]
    images = ImageConfig(widths=tuple(sorted(set(widths))),
                         webp_quality=whole("images", images_table, "webp_quality", 80, 1, 100),
                         jpeg_quality=whole("images", images_table, "jpeg_quality", 82, 1, 100))
    pdf = parse_pdf_settings(table("pdf"), problem)
    preview = parse_preview_settings(table("preview"), problem)
    markdown = parse_markdown_settings(table("markdown"), problem)
    deploy = parse_deploy_targets(table("deploy"), root, problem)

    unknown = set(data) - {"site", "languages", "strings", "llm", "pdf", "ranking", "feeds", "images",
                           "preview", "markdown", "deploy"}
    for key in sorted(unknown):
        problem(None, key, _("unknown table [{key}]; check the spelling (see README, Configuration)").format(
                               key=key))

    folders = {key: folder(key, default) for key, default in (
        ("content_dir", "articles"), ("templates_dir", "templates"), ("assets_dir", "assets"),
        ("output_dir", "dist"), ("cache_dir", ".publisher/cache"))}
    if problems:
        raise ConfigError(tuple(problems), _("fix publisher.toml first; articles are checked once it loads"))
    return SiteConfig(
        root=root,
        config_path=path,
        base_url=base_url,
        timezone=timezone,
        languages=tuple(languages),
        content_dir=folders["content_dir"],
        templates_dir=folders["templates_dir"],
        assets_dir=folders["assets_dir"],
        output_dir=folders["output_dir"],
        toc_min_headings=toc_min,
        organization=organization,
        contact_url=contact_url,
        feedback_url=feedback_url,
        ranking=ranking,
        feeds=feeds,
        images=images,
        per_page=per_page,
        related_count=related_count,
        cache_dir=folders["cache_dir"],
        pdf=pdf,
        preview=preview,
        markdown=markdown,
        deploy=deploy,
    )
