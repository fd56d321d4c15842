"""Redirects from the old addresses of live articles (`aliases:`, see `content/aliases.py`).

Each alias gets, when it is a folder or an `.html` file, a tiny page that
sends the reader on at once (`<meta http-equiv="refresh">`), names the article
as its canonical URL, asks not to be indexed, and shows a link for a browser
that does not follow the refresh; and every alias gets a line `from to 301` in
`_redirects` at the root of the output, the file Netlify and Cloudflare Pages
read to answer with a real 301 (Cloudflare applies it before the page;
Netlify serves the page when one exists, unless told to force). Other hosts
ignore `_redirects` and serve the pages.

Where a redirect leads: an alias under a language folder (`zh/old/x.html`)
leads to the article's page in that language when that page is live, any
other alias to the source-language page. Only live articles' aliases are
published; redirects appear in no sitemap, feed or list.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from markupsafe import escape

from ..config import SiteConfig
from ..content import Visibility
from ..errors import Problem, PublisherError
from ..i18n import _
from .plan import Entry, Plan

#: Cloudflare Pages reads at most this many static redirects from `_redirects`.
CLOUDFLARE_MAX_REDIRECTS = 2000
REDIRECTS_FILE = "_redirects"


def gather_redirects(plan: Plan, config: SiteConfig, entries: Sequence[Entry]) -> list[Problem]:
    """Add the redirect pages and `_redirects` (when any live article has aliases) to `plan`; returns
    warnings. A redirect that would replace a file of the site is refused (`publish check` refuses it first)."""
    live = {(e.article.slug, e.lang.code): e for e in entries if e.visibility is Visibility.LIVE}
    source = config.source_language.code
    site_path = "/" + config.base_url.split("://", 1)[1].partition("/")[2]
    taken = {job.path for job in plan.pages} | set(plan.data) | set(plan.copies) | set(plan.deferred)
    lines: dict[str, str] = {}
    for (slug, lang), entry in sorted(live.items()):
        if lang != source:
            continue
        article = entry.article
        for alias in article.aliases:
            target = live.get((slug, alias.first_segment), entry)
            target_path = f"{target.lang.code}/{slug}/"
            page_path = alias.page_path
            if page_path is not None:
                if page_path in taken:
                    raise PublisherError(_("{file}:{line}: aliases: {alias!r} would replace the site's own {path}; "
                                           "remove the alias").format(file=article.source.path, line=alias.line,
                                                                      alias=alias.written, path=page_path))
                depth = page_path.count("/")
                plan.data[page_path] = redirect_page(
                    config.base_url + quote(target_path), "../" * depth + quote(target_path),
                    _title(target), target.lang.html_lang)
                taken.add(page_path)
            lines[site_path + quote(alias.path)] = site_path + quote(target_path)
    if not lines:
        return []
    if REDIRECTS_FILE in taken:
        raise PublisherError(_("the site's own {path} is in the way of the redirects file; rename it").format(
            path=REDIRECTS_FILE))
    plan.data[REDIRECTS_FILE] = redirects_file(lines)
    if len(lines) > CLOUDFLARE_MAX_REDIRECTS:
        return [Problem(config.config_path, None, "aliases", _(
            "{count} redirects: Cloudflare Pages reads only the first {limit} lines of _redirects (the redirect "
            "pages still work on every host)").format(count=len(lines), limit=CLOUDFLARE_MAX_REDIRECTS),
            "warning")]
    return []


def redirect_page(canonical_url: str, href: str, title: str, html_lang: str) -> bytes:
    """The page at an old address: refresh at once to `href` (relative, so a preview host stays itself),
    `canonical_url` as the canonical, noindex, and a visible link."""
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(html_lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{escape(canonical_url)}">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(href)}">\n'
        "</head>\n"
        "<body>\n"
        f'<p><a href="{escape(href)}">{escape(title)}</a></p>\n'
        "</body>\n"
        "</html>\n"
    ).encode()


def redirects_file(lines: dict[str, str]) -> bytes:
    """`_redirects`: one `from to 301` line per alias (paths percent-encoded), sorted."""
    text = "# Written by publish build from the articles' `aliases:`; edit those, not this file.\n"
    text += "".join(f"{source} {target} 301\n" for source, target in sorted(lines.items()))
    return text.encode("utf-8")


def _title(entry: Entry) -> str:
    document = entry.article.document(entry.lang.code)
    title = document.title if document is not None else entry.article.slug
    return f"【{entry.article.code}】{title}" if entry.article.code else title
