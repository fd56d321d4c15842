"""Load every article folder into `Site`, collecting every problem at once.

`publish check` prints the problems; `publish build` refuses to build when
any is an error. An article with errors is left out of the `Site`, so the
rest can still be reported on (and previewed).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any


from ..cache import Cache
from ..config import SiteConfig
from ..errors import Problem, printable
from ..parallel import run_parallel
from ..i18n import _
from .frontmatter import RawDocument, read_document
from .aliases import check_alias_collisions, check_aliases
from .dates import parse_date, parse_release
from .files import _check_body, _check_folder_files, _check_hero, _check_sources, _check_tags
from .model import Article, Document, Site, Status
from .scan import ContentScan, scan_content

SOURCE_FIELDS = frozenset({
    "title", "code", "date", "publish_at", "status", "tags", "summary",
    "hero", "hero_alt", "related", "ai", "pseudonyms", "sources", "aliases",
})
TRANSLATION_FIELDS = frozenset({"title", "summary", "hero_alt", "tags", "status"})

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^\S+?[A-Z]\d{2,}$")

#: Longest slug: it names files such as `<slug>.<lang>.<key>.pdf`, and file names stop at 255 bytes.
MAX_SLUG = 120
#: Characters no frontmatter value may hold (C0 controls but tab, newline and carriage return).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class LoadResult:
    site: Site
    """Articles that loaded without errors."""
    problems: tuple[Problem, ...]
    """Every error and warning, in file order."""
    fingerprint: str = ""
    """Hash of every article folder's Markdown and file names (equal: the same content); set with a cache."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def load_site(config: SiteConfig, cache: Cache | None = None, scan: ContentScan | None = None,
              workers: int | None = None) -> LoadResult:
    """Read `articles/*/` and validate each article and the links between them.

    With a `cache`, an article folder whose files are byte-for-byte the same
    as at an earlier load is not parsed again (builds of large sites stay fast).
    """
    problems: list[Problem] = []
    if not config.content_dir.is_dir():
        problems.append(Problem(config.config_path, None, "site.content_dir",
                                _("the content folder {content_dir} does not exist; create it or point "
                                  "`content_dir` at the folder holding the article folders").format(
                                    content_dir=config.content_dir)))
        return LoadResult(Site(()), tuple(problems))

    if cache is not None and scan is None:
        scan = scan_content(config, cache)
    folders = list(scan.folders) if scan is not None else sorted(
        p for p in config.content_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    articles: list[Article] = []
    field_lines: dict[str, dict[str, int]] = {}
    keys = list(scan.keys) if scan is not None else [None] * len(folders)
    cached = cache.load_many("articles", [key for key in keys if key is not None]) if cache is not None else {}
    # Folders not in the cache are parsed on every core when there are many (a first build).
    to_parse = [(folder, config) for folder, key in zip(folders, keys) if cached.get(key) is None]
    parsed = dict(zip((folder for folder, _config in to_parse), run_parallel(_parse_folder, to_parse, workers)))
    if cache is not None:
        cache.store_many("articles", ((key, parsed[folder]) for folder, key in zip(folders, keys)
                                      if key is not None and folder in parsed))
    for folder, key in zip(folders, keys):
        article, own_problems, own_lines = parsed[folder] if folder in parsed else cached[key]
        problems.extend(own_problems)
        field_lines.update(own_lines)
        if article is not None:
            articles.append(article)

    _check_duplicates(folders, articles, problems, field_lines)
    known_slugs = {folder.name for folder in folders}
    check_alias_collisions(articles, known_slugs, config, problems)
    for article in articles:
        _check_related(article, known_slugs, problems, field_lines[article.slug].get("related"))
    folder_keys = {folder.name: key for folder, key in zip(folders, keys) if key is not None}
    return LoadResult(Site(tuple(articles), folder_keys), tuple(problems),
                      scan.fingerprint if scan is not None else "")


class _Fields:
    """Typed access to one document's frontmatter, recording problems as it goes."""

    def __init__(self, raw: RawDocument, problems: list[Problem]):
        self.raw = raw
        self.problems = problems
        self.failed = False

    def line(self, name: str) -> int:
        return self.raw.field_lines.get(name, self.raw.frontmatter_line)

    def error(self, name: str, message: str) -> None:
        self.failed = True
        self.problems.append(Problem(self.raw.path, self.line(name), name, message))

    def warn(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.raw.path, self.line(name), name, message, "warning"))

    def has(self, name: str) -> bool:
        return self.raw.fields.get(name) is not None

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.raw.fields.get(name)
        if value is None:
            if required:
                self.error(name, _("is required; add `{name}: ...` to the frontmatter").format(name=name))
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(name, _("must be text, not {describe}; write `{name}: some text`").format(
                                 describe=_describe(value), name=name))
            return None
        if _CONTROL.search(value):
            self.error(name, _("contains a control character (such as a NUL byte); remove it"))
            return None
        value = value.strip()
        if not value:
            if required:
                self.error(name, _("is empty; give the article a {name}").format(name=name))
            return None
        return value

    def boolean(self, value: Any, name: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(name, _("must be true or false, not {describe}").format(describe=_describe(value)))
            return False
        return value

    def text_list(self, name: str) -> tuple[str, ...]:
        value = self.raw.fields.get(name)
        if value is None:
            return ()
        if isinstance(value, str):
            self.error(name, _("must be a list; write `{name}: [{value}]` or one `- item` per line").format(
                                 name=name, value=value))
            return ()
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            self.error(name, _("must be a list of text items, not {describe}").format(describe=_describe(value)))
            return ()
        items = tuple(str(v).strip() for v in value)
        if any(_CONTROL.search(v) for v in items):
            self.error(name, _("has an item with a control character (such as a NUL byte); remove it"))
            return ()
        if any(not v for v in items):
            self.error(name, _("has an empty item; remove it"))
        seen: set[str] = set()
        for item in items:
            if item in seen:
                self.warn(name, _("lists {item!r} twice; remove one").format(item=item))
            seen.add(item)
        return tuple(dict.fromkeys(v for v in items if v))

    def status(self) -> Status:
        value = self.raw.fields.get("status", "draft")
        try:
            return Status(value)
        except ValueError:
            choices = ", ".join(s.value for s in Status)
            self.error("status", _("{value!r} is not a status; use one of: {choices}").format(
                                     value=value, choices=choices))
            return Status.DRAFT

    def unknown_fields(self, allowed: frozenset[str], source_only: frozenset[str], source_name: str) -> None:
        for name in self.raw.fields:
            if name in allowed:
                continue
            if name in source_only:
                self.error(name, _("is set in the source only and is not read here; remove it from this file "
                                   "(set it in {source_name})").format(source_name=source_name))
                continue
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = _("did you mean `{close}`?").format(close=close[0]) if close else _("known fields: {items}").format(
                items=', '.join(sorted(allowed)))
            self.warn(name, _("unknown field, ignored; {hint}").format(hint=hint))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _parse_folder(job: tuple[Path, SiteConfig]) -> tuple[Article | None, list[Problem], dict[str, dict[str, int]]]:
    """One article folder: the article (None when it has errors), its problems, its fields' lines."""
    folder, config = job
    problems: list[Problem] = []
    field_lines: dict[str, dict[str, int]] = {}
    article = _load_article(folder, config, problems, field_lines)
    return article, problems, field_lines


def _load_article(folder: Path, config: SiteConfig, problems: list[Problem],
                  field_lines: dict[str, dict[str, int]]) -> Article | None:
    """The article in `folder`, or None when it has errors (they go to `problems`)."""
    slug = folder.name
    source_lang = config.source_language.code
    source_path = folder / f"{source_lang}.md"
    markdown_files = sorted(folder.glob("*.md"))
    known = set(config.language_codes)
    for path in markdown_files:
        if path.stem not in known:
            problems.append(Problem(path, None, "language",
                                    _("unknown language {path_stem!r}; name the file after a language in "
                                      "site.languages ({items}) or add {path_stem!r} to site.languages in "
                                      "publisher.toml").format(
                                        path_stem=path.stem, items=', '.join(config.language_codes))))
    if not SLUG_PATTERN.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKC", slug).lower()).strip("-") or "my-article"
        problems.append(Problem(folder, None, "slug",
                                _("the folder name '{slug}' is used as the URL and must be lower-case "
                                  "letters, digits and hyphens; rename it, e.g. to {suggestion!r}").format(
                                    slug=printable(slug), suggestion=suggestion[:MAX_SLUG])))
        return None
    if len(slug) > MAX_SLUG:
        problems.append(Problem(folder, None, "slug", _("the folder name is {length} characters long; it names the "
                                "article's files and URL, so keep it to {limit} characters at most").format(
                                    length=len(slug), limit=MAX_SLUG)))
        return None
    if not _check_folder_files(folder, config, problems):
        return None
    if not source_path.is_file():
        if markdown_files:
            for path in markdown_files:
                if path.stem in known:
                    problems.append(Problem(path, None, "source",
                                            _("this translation has no source file; add {source_path_name} "
                                              "(the {source_lang} original) to {folder_name}/").format(
                                                source_path_name=source_path.name, source_lang=source_lang,
                                                folder_name=folder.name)))
        else:
            problems.append(Problem(folder, None, "source",
                                    _("the article folder has no {source_path_name}; add it, or remove the "
                                      "folder").format(source_path_name=source_path.name)))
        return None

    raw, read_problems = read_document(source_path)
    problems.extend(read_problems)
    if raw is None:
        return None
    field_lines[slug] = raw.field_lines
    fields = _Fields(raw, problems)
    fields.unknown_fields(SOURCE_FIELDS, frozenset(), source_path.name)

    title = fields.text("title", required=True)
    code = fields.text("code")
    if code and not _CODE.match(code):
        fields.warn("code", _("{code!r} does not look like a series code (series name, a capital letter and "
                              "a number, e.g. 中国G93)").format(code=code))
    displayed = None
    if fields.has("date"):
        displayed = parse_date(fields, "date", fields.raw.fields["date"])
    else:
        fields.error("date", _("is required; add `date: YYYY-MM-DD` (the date shown on the page)"))
    publish_at = None
    if fields.has("publish_at"):
        publish_at = parse_release(fields, fields.raw.fields["publish_at"], config)
    elif displayed is not None:
        publish_at = datetime.combine(displayed, time(0, 0), tzinfo=config.timezone)
    status = fields.status()
    tags = _check_tags(fields)
    summary = fields.text("summary")
    hero = fields.text("hero")
    hero_alt = fields.text("hero_alt")
    if hero:
        _check_hero(fields, hero, folder)
        if not hero_alt:
            fields.error("hero_alt", _("is required when `hero` is set; describe the image for readers who "
                                       "cannot see it"))
    related = fields.text_list("related")
    ai = raw.fields.get("ai")
    ai_text, ai_image = False, None
    if ai is not None:
        if not isinstance(ai, dict):
            fields.error("ai", _("must be a mapping such as `ai: {text: true, image: \"DALL·E 3\"}`"))
        else:
            for key in ai:
                if key not in ("text", "image"):
                    fields.warn("ai", _("unknown key `{key}`, ignored; use `text` and `image`").format(key=key))
            ai_text = fields.boolean(ai.get("text"), "ai")
            image = ai.get("image")
            if image is True:
                fields.error("ai", _("`image` names the image model; write `image: \"DALL·E 3\"` (or the model "
                                     "used)"))
            elif isinstance(image, str) and image.strip():
                ai_image = image.strip()
            elif image not in (None, False):
                fields.error("ai", _("`image` must be the image model's name, not {describe}").format(
                                       describe=_describe(image)))
    pseudonyms = fields.boolean(raw.fields.get("pseudonyms"), "pseudonyms")
    sources = _check_sources(fields, folder)
    aliases = check_aliases(fields, config.base_url)
    _check_body(raw, folder, problems, config.markdown.allow_raw_html)

    translations: dict[str, Document] = {}
    for lang in config.target_languages:
        path = folder / f"{lang.code}.md"
        if not path.is_file():
            continue
        translation = _load_translation(path, lang.code, source_path.name, folder, problems, needs_hero_alt=bool(hero),
                                        raw_html=config.markdown.allow_raw_html)
        if translation is not None:
            translations[lang.code] = translation

    if fields.failed or title is None or displayed is None or publish_at is None:
        return None
    source = Document(lang=source_lang, path=source_path, title=title, summary=summary, hero_alt=hero_alt,
                      tags=tags, status=status, body=raw.body, body_line=raw.body_line)
    return Article(slug=slug, folder=folder, code=code, date=displayed, publish_at=publish_at, hero=hero,
                   related=related, ai_text=ai_text, ai_image=ai_image, pseudonyms=pseudonyms,
                   source=source, translations=translations, sources=sources, aliases=aliases)


def _load_translation(path: Path, lang: str, source_name: str, folder: Path,
                      problems: list[Problem], *, needs_hero_alt: bool, raw_html: bool = False) -> Document | None:
    raw, read_problems = read_document(path)
    problems.extend(read_problems)
    if raw is None:
        return None
    fields = _Fields(raw, problems)
    fields.unknown_fields(TRANSLATION_FIELDS, SOURCE_FIELDS - TRANSLATION_FIELDS, source_name)
    title = fields.text("title", required=True)
    hero_alt = fields.text("hero_alt")
    if needs_hero_alt and not hero_alt:
        fields.warn("hero_alt", _("missing: the article has a hero image, so this page would describe it "
                                  "with the {source_name} alt text; add `hero_alt:` in this language").format(
                                    source_name=source_name))
    document = Document(lang=lang, path=path, title=title or "", summary=fields.text("summary"),
                        hero_alt=hero_alt, tags=_check_tags(fields),
                        status=fields.status(), body=raw.body, body_line=raw.body_line)
    _check_body(raw, folder, problems, raw_html)
    return None if fields.failed else document


def _check_duplicates(folders: list[Path], articles: list[Article], problems: list[Problem],
                      field_lines: dict[str, dict[str, int]]) -> None:
    by_key: dict[str, Path] = {}
    for folder in folders:
        key = unicodedata.normalize("NFKC", folder.name).casefold()
        if key in by_key:
            problems.append(Problem(folder, None, "slug",
                                    _("duplicate slug: {folder_name!r} and {name!r} would publish to the "
                                      "same URL on a case-insensitive server; rename one folder").format(
                                        folder_name=folder.name, name=by_key[key].name)))
        else:
            by_key[key] = folder
    by_code: dict[str, Article] = {}
    for article in articles:
        if not article.code:
            continue
        other = by_code.get(article.code)
        if other is not None:
            problems.append(Problem(article.source.path, field_lines[article.slug].get("code"), "code",
                                    _("{article_code} is also the code of {other_slug}; codes name one "
                                      "article each, give this one the next free number").format(
                                        article_code=article.code, other_slug=other.slug)))
        else:
            by_code[article.code] = article


def _check_related(article: Article, known_slugs: set[str], problems: list[Problem], line: int | None) -> None:
    for slug in article.related:
        if slug == article.slug:
            problems.append(Problem(article.source.path, line, "related",
                                    _("the article lists itself ({slug!r}); remove it").format(slug=slug)))
        elif slug not in known_slugs:
            close = difflib.get_close_matches(slug, sorted(known_slugs), n=1)
            hint = _("did you mean {close!r}?").format(close=close[0]) if close else _("use the folder name of another article")
            problems.append(Problem(article.source.path, line, "related",
                                    _("no article {slug!r} exists; {hint}").format(slug=slug, hint=hint)))
