"""`aliases:` -- the old addresses of an article (the legacy site's `/old/china-g93.html`), checked and normalised.

The build publishes a redirect page at each alias of a live article and a line
of `_redirects` (`site/redirects.py`). Here each alias is read as a path of
this site, relative to `site.base_url` (a leading `/` is the site's root, and
an absolute URL of the site's own host is taken as its path), and refused when
it could not be one: another host, a query or fragment, `..`, a hidden or
unprintable name. After every article is read, an alias that would replace a
page of the site or another article's alias is refused too, at its line.

Normal form: no leading `/`; a folder ends in `/` (`old/path` and
`old/path/index.html` are both `old/path/`, whose page is `old/path/index.html`);
a file keeps its name (`old/china-g93.html`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from ..errors import Problem
from ..i18n import _
from ..limits import bad_name_reason
from .files import _item_line
from .frontmatter import RawDocument
from .model import Alias

if TYPE_CHECKING:
    from ..config import SiteConfig
    from .loader import _Fields
    from .model import Article

#: Names at the root of the output that the build writes itself (besides the language folders).
SITE_FILES = frozenset({"index.html", "404.html", "sitemap.xml", "robots.txt", "favicon.ico", "releases.json",
                        "assets", "media"})
#: Names inside a language folder the build writes (besides the article folders).
LANGUAGE_FILES = frozenset({"index.html", "feed.xml", "page", "tags"})
#: Longest name of one folder or file, in bytes (file systems stop at 255).
_MAX_NAME_BYTES = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalise_alias(text: str, base_url: str) -> tuple[str | None, str | None]:
    """(`text` in normal form, None), or (None, why it is refused and how to fix it)."""
    if "\\" in text:
        return None, _("{alias!r} has a backslash; separate folders with `/`, as in /old/page.html").format(
            alias=text)
    parts = urlsplit(text)
    path = parts.path
    if parts.scheme or parts.netloc:
        site = urlsplit(base_url)
        if parts.scheme.lower() not in ("http", "https") or parts.netloc.lower() != site.netloc.lower():
            return None, _("{alias!r} is an address of another site; an alias is a path of this site such as "
                           "/old/page.html (a redirect from another host is set up on that host)").format(alias=text)
        if not (path + "/").startswith(site.path):
            return None, _("{alias!r} is outside the site ({base_url}); write a path inside it").format(
                alias=text, base_url=base_url)
        path = path[len(site.path):]
    if parts.query or parts.fragment or "?" in text or "#" in text:
        return None, _("{alias!r} has a query (`?`) or a fragment (`#`), which a static site cannot redirect; "
                       "write the path only").format(alias=text)
    try:
        segments = [unquote(segment, errors="strict") for segment in path.split("/")]
    except UnicodeDecodeError:
        return None, _("{alias!r} has percent-escapes that are not UTF-8; write the path as it is read, e.g. "
                       "/old/記事.html").format(alias=text)
    for segment in segments:
        if _CONTROL.search(segment) or bad_name_reason(segment):
            return None, _("{alias!r} has a control character; remove it").format(alias=text)
        if "/" in segment or "\\" in segment:
            return None, _("{alias!r} has an escaped `/` (`%2F`); write folders with a plain `/`").format(alias=text)
        if segment == "..":
            return None, _("{alias!r} has `..`, which would leave the site or its folder; write the whole path "
                           "from the site's root, e.g. /old/page.html").format(alias=text)
        if segment.startswith(".") and segment != ".":
            return None, _("{alias!r} has a hidden name (starting with `.`), which is not published; remove the "
                           "alias").format(alias=text)
        if len(segment.encode("utf-8")) > _MAX_NAME_BYTES:
            return None, _("{alias!r} has a name longer than {limit} bytes, which no file system can hold; "
                           "shorten it").format(alias=text, limit=_MAX_NAME_BYTES)
    folder = path.endswith("/")
    segments = [segment for segment in segments if segment not in ("", ".")]
    if segments and segments[-1].lower() in ("index.html", "index.htm"):
        segments, folder = segments[:-1], True
    if not segments:
        return None, _("{alias!r} is the site's front page, which is a page of its own; remove the alias").format(
            alias=text)
    if "." not in segments[-1]:
        folder = True
    return "/".join(segments) + ("/" if folder else ""), None


def check_aliases(fields: _Fields, base_url: str) -> tuple[Alias, ...]:
    """The source's `aliases:` in normal form; each refused one is an error at its line."""
    aliases: dict[str, Alias] = {}
    items = fields.text_list("aliases")
    lines = _item_lines(fields.raw, items)
    for item, line in zip(items, lines):
        path, problem = normalise_alias(item, base_url)
        if path is None:
            fields.failed = True
            fields.problems.append(Problem(fields.raw.path, line, "aliases", problem or ""))
            continue
        same = aliases.get(path.casefold())
        if same is not None:
            fields.problems.append(Problem(fields.raw.path, line, "aliases", _(
                "{alias!r} is the same address as {other!r} (line {other_line}); remove one").format(
                    alias=item, other=same.written, other_line=same.line), "warning"))
            continue
        aliases[path.casefold()] = Alias(path, item, line)
    return tuple(aliases.values())


def _item_lines(raw: RawDocument, items: tuple[str, ...]) -> list[int]:
    """The line of each item: the `- item` line holding exactly it (block lists), else where
    `files._item_line` finds it (the field's line for a list on one line)."""
    start = raw.field_lines.get("aliases", raw.frontmatter_line)
    try:
        text = raw.path.read_text("utf-8").split("\n")[start - 1: raw.body_line - 1]
    except (OSError, UnicodeDecodeError):
        text = []
    block: dict[str, list[int]] = {}
    for offset, line in enumerate(text):
        if offset and re.match(r"^[^\s#-]", line):
            break  # the next field
        match = re.match(r"^\s*-\s+(.*?)\s*$", line)
        if match:
            value = match.group(1)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            block.setdefault(value.strip(), []).append(start + offset)
    return [block[item].pop(0) if block.get(item) else _item_line(raw, "aliases", item) for item in items]


def check_alias_collisions(articles: Iterable[Article], slugs: Iterable[str], config: SiteConfig,
                           problems: list[Problem]) -> None:
    """Refuse an alias that is a page the build writes (an article in any language, an index, a tag page, a
    feed, the sitemap, the assets ...), or another article's alias (or a folder of it), at the alias's line.
    Names are compared as a case-insensitive server would."""
    languages = {code.casefold() for code in config.language_codes}
    folders = {slug.casefold() for slug in slugs}
    # By name without the trailing `/`: the aliases (and whether each is a folder), and the folders they need.
    named: dict[str, tuple[Article, Alias]] = {}
    needed: dict[str, tuple[Article, Alias]] = {}
    for article in articles:
        for alias in article.aliases:
            key = alias.path.casefold()
            reason = _site_page(key, languages, folders)
            if reason is not None:
                problems.append(Problem(article.source.path, alias.line, "aliases", _(
                    "{alias!r} is {page}, a page of this site, and a redirect would replace it; remove the "
                    "alias").format(alias=alias.written, page=reason)))
                continue
            name, is_folder = key.rstrip("/"), key.endswith("/")
            parents = _folders_of(name)
            clash = named.get(name)
            if clash is not None and clash[0].slug == article.slug and clash[1].path.endswith("/") == is_folder:
                clash = None  # the same article's: `check_aliases` warned
            if clash is None and not is_folder:
                clash = needed.get(name)
            if clash is None:
                clash = next((named[parent] for parent in parents
                              if parent in named and not named[parent][1].path.endswith("/")), None)
            if clash is not None:
                other, other_alias = clash
                problems.append(Problem(article.source.path, alias.line, "aliases", _(
                    "{alias!r} collides with the alias {other!r} of {other_slug} ({other_path}:{other_line}): the "
                    "same address, or a file and a folder of the same name; an old address can lead to one "
                    "article only, so remove one of them").format(
                        alias=alias.written, other=other_alias.written, other_slug=other.slug,
                        other_path=_shown(other.source.path), other_line=other_alias.line)))
                continue
            named.setdefault(name, (article, alias))
            for parent in parents:
                needed.setdefault(parent, (article, alias))


def _folders_of(name: str) -> list[str]:
    """The folders a path needs (`old`, `old/path` for `old/path/x.html`), without trailing `/`."""
    segments = name.split("/")
    return ["/".join(segments[:end]) for end in range(1, len(segments))]


def _site_page(key: str, languages: set[str], folders: set[str]) -> str | None:
    """What page of the site the (case-folded) alias is, or None when it is none."""
    segments = key.rstrip("/").split("/")
    first = segments[0]
    if first in SITE_FILES or first.startswith("_"):
        return _("the site's own /{name}").format(name=first)
    if first not in languages:
        return None
    if len(segments) == 1:
        return _("the index of the language {lang}").format(lang=first)
    second = segments[1]
    if second in LANGUAGE_FILES:
        return _("the site's own /{lang}/{name}").format(lang=first, name=second)
    if second in folders:
        return _("the article page /{lang}/{slug}/").format(lang=first, slug=second)
    return None


def _shown(path: Path) -> str:
    """`articles/<slug>/ja.md`, as messages name a file."""
    return "/".join(path.parts[-3:])
