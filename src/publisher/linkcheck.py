"""Internal links of the articles that lead nowhere, for `publish check`, at their line.

A link inside the site is checked against what the site holds: another
article (`../slug/`, `/ja/slug/`, in that language), a tag page, an anchor
(`#id`, a heading of this article or of the one linked), or a file of the
article folder (`chart.png`). Links to other sites are not fetched.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .cache import Cache, digest
from .codeclosure import code_version_of
from .config import SiteConfig
from .content import Site
from .errors import Problem
from .i18n import _
from .markdown.parser import get_parser
from .site.cached_map import cached_map

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


_Read = tuple[list[tuple[int, str, str]], frozenset[str]]
"""A body's links and images (line within the body, kind `link`/`image`, target) and heading ids."""


def _read(body: str) -> _Read:
    """(line within the body, kind `link`/`image`, target) of every link and image of `body`, and the ids of
    its headings, from one parse."""
    found = []
    ids = set()
    for token in get_parser().parse(body, {}):
        if token.type == "heading_open" and token.attrGet("id"):
            ids.add(str(token.attrGet("id")))
        if token.type != "inline" or not token.children or token.map is None:
            continue
        for child in token.children:
            if child.type == "link_open":
                found.append((token.map[0], "link", str(child.attrGet("href") or "")))
            elif child.type == "image":
                found.append((token.map[0], "image", str(child.attrGet("src") or "")))
    return found, frozenset(ids)


_KIND = "links"
"""The build cache's kind for each body's links and heading ids, by its text."""


def _is_read(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list) and isinstance(
        value[1], frozenset)


def _reads(site: Site, cache: Cache | None) -> dict[tuple[str, str], _Read]:
    """Each document's `_read`, by (slug, language). With a `cache`, kept there by the body's text, so a check
    parses only the bodies changed since, and `--external` none again."""
    code = code_version_of(__name__)
    keys: dict[tuple[str, str], str] = {}
    bodies: dict[str, str] = {}
    for article in site.articles:
        for document in article.documents:
            key = keys[(article.slug, document.lang)] = digest(_KIND, code, document.body)
            bodies[key] = document.body
    read = cached_map(cache, _KIND, bodies, _read, _is_read)
    return {where: read[key] for where, key in keys.items()}


def link_problems(config: SiteConfig, site: Site, cache: Cache | None = None) -> list[Problem]:
    """A warning for every internal link or image of every article that does not resolve. With a `cache`,
    each body's links and heading ids are kept there by its text, so a check parses only the bodies changed
    since (what they lead to is looked up again every time)."""
    from .site.tags import tag_segment

    articles = {a.slug: a for a in site.articles}
    tags = {(d.lang, tag_segment(t)) for a in site.articles for d in a.documents for t in d.tags}
    read = _reads(site, cache)

    def anchors(slug: str, lang: str) -> frozenset[str]:
        return read[(slug, lang)][1] if (slug, lang) in read else frozenset()

    base_path = urlsplit(config.base_url).path or "/"
    problems = []
    for article in site.articles:
        for document in article.documents:
            for line, kind, target in read[(article.slug, document.lang)][0]:
                reason = _unresolved(target, kind, article, document.lang, articles, tags, anchors, base_path,
                                     config.language_codes)
                if reason:
                    problems.append(Problem(document.path, document.body_line + line, kind,
                                            f"{unquote(target)} {reason}", "warning"))
    return problems


def _unresolved(target, kind, article, lang, articles, tags, anchors, base_path, languages) -> str | None:
    if not target or _SCHEME.match(target) or target.startswith("//"):
        return None  # another site, mail, phone: not checked here
    parts = urlsplit(target)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        if fragment and fragment not in anchors(article.slug, lang) and not fragment.startswith("fn"):
            return _("points to no heading of this article; use the id of one of its headings (## Heading {#id})")
        return None
    if kind == "image":
        return None  # images are checked with the content (a missing one is an error there)
    if "/" not in path.rstrip("/") and "." in path and not path.startswith((".", "/")):
        if not (article.folder / path).is_file():
            return _("is not a file of the article folder {folder}/; put the file there or fix the name (names "
                     "are case-sensitive)").format(folder=article.folder.name)
        return None
    page = "/" + lang + "/" + article.slug + "/"
    resolved = posixpath.normpath(path if path.startswith("/") else posixpath.join(page, path))
    if base_path != "/" and resolved.startswith(base_path.rstrip("/") + "/"):
        resolved = resolved[len(base_path.rstrip("/")):]
    segments = [s for s in resolved.split("/") if s and s != "index.html"]
    if len(segments) == 2 and segments[0] in languages:
        other = articles.get(segments[1])
        if other is None or other.document(segments[0]) is None:
            return _("leads to no article: there is no {slug}/{lang}.md; check the slug").format(
                slug=segments[1], lang=segments[0])
        if fragment and fragment not in anchors(other.slug, segments[0]):
            return _("points to no heading of {slug} ({lang}); check the anchor").format(
                slug=segments[1], lang=segments[0])
        return None
    if len(segments) == 3 and segments[0] in languages and segments[1] == "tags":
        if (segments[0], segments[2]) not in tags:
            return _("leads to no tag page: no {lang} article has the tag {tag!r}").format(
                lang=segments[0], tag=segments[2])
        return None
    if len(segments) <= 1 or segments[1] in ("tags", "feed.xml", "page") or segments[0] in ("assets", "media"):
        return None  # index pages, feeds, assets: made by every build
    return _("leads to no page of the site; link an article as ../slug/ or a tag as ../tags/tag/")


#: `check --external`: requests at once, seconds per request, seconds in all.
EXTERNAL_WORKERS, EXTERNAL_TIMEOUT, EXTERNAL_BUDGET = 8, 10.0, 60.0


def external_problems(site: Site, *, cache: Cache | None = None, workers: int = EXTERNAL_WORKERS,
                      timeout: float = EXTERNAL_TIMEOUT, budget: float = EXTERNAL_BUDGET) -> list[Problem]:
    """A warning for every http(s) link that answers with an error or not at all: a few requests at
    once, each URL once, and no more than `budget` seconds in all (what is left unchecked is said).
    `cache`: the bodies' links as `link_problems` keeps them."""
    import time
    import urllib.error
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor, wait

    read = _reads(site, cache)
    where: dict[str, list[tuple[Path, int]]] = {}
    for article in site.articles:
        for document in article.documents:
            for line, kind, target in read[(article.slug, document.lang)][0]:
                if target.startswith(("http://", "https://")):
                    where.setdefault(target.split("#", 1)[0], []).append((document.path, document.body_line + line))

    def probe(url: str) -> str | None:
        for method in ("HEAD", "GET"):  # some servers refuse HEAD
            request = urllib.request.Request(url, method=method, headers={"User-Agent": "publish-check/1"})
            try:
                with urllib.request.urlopen(request, timeout=timeout):
                    return None
            except urllib.error.HTTPError as exc:
                if method == "HEAD" and exc.code in (403, 405, 501):
                    continue
                return _("answers {code} {reason}").format(code=exc.code, reason=exc.reason)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                return _("does not answer ({reason})").format(reason=getattr(exc, "reason", exc))
        return None

    problems: list[Problem] = []
    deadline = time.monotonic() + budget
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(probe, url): url for url in sorted(where)}
        done, pending = wait(futures, timeout=max(0.0, deadline - time.monotonic()))
        for future in pending:
            future.cancel()
        for future, url in futures.items():
            reason = future.result() if future in done else None
            if future in pending:
                reason = _("was not checked within {seconds:.0f} seconds; run check --external again").format(
                    seconds=budget)
            if reason:
                for path, line in where[url]:
                    problems.append(Problem(path, line, "link", f"{url} {reason}", "warning"))
        pool.shutdown(wait=False, cancel_futures=True)
    return problems
