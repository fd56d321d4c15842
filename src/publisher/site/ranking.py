"""Popularity ranking (人気情報ランキング) from an analytics export.

The input is the GA4 "Pages and screens" report exported as CSV, in English
or Japanese. Analytics files are written by other tools and edited by hand,
so a bad file never stops a build: it hides the ranking and yields one
warning that says where the file went wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Collection, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from publisher.errors import Problem
from publisher.limits import UnsafeFile, read_bounded

from ..i18n import _

PATH_HEADERS = frozenset({
    "pagepathandscreenclass", "pagepath", "pagepath+querystring", "pagepathandquerystring",
    "pagelocation", "pagepathplusquerystring",
    "ページパスとスクリーンクラス", "ページパス", "ページパス+クエリ文字列", "ページロケーション",
})
"""Header names (casefolded, spaces removed) of the column holding the page path or URL."""

VIEWS_HEADERS = frozenset({"views", "screenpageviews", "表示回数"})
"""Header names (casefolded, spaces removed) of the column holding the view count."""

TOTAL_LABELS = frozenset({"grandtotal", "total", "合計", "総計"})
"""First-cell labels of the summary row, which is not a page."""

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_FIELD = "ranking"
def _how_to_export() -> str:
    """How to get the file, in the message language (read at each message: the language can change)."""
    return _("export the GA4 report 'Pages and screens' (Reports > Engagement) with Share this report > "
             "Download File > Download CSV")


@dataclass(frozen=True)
class Pageviews:
    """Views per article, read from an analytics export."""

    views: Mapping[str, int]
    """Article slug -> views summed over every language's path (/ja/<slug>/, /zh/<slug>/ ...)."""


def load_pageviews(
    path: Path, *, languages: Sequence[str], base_path: str = "/"
) -> tuple[Pageviews | None, Problem | None]:
    """Read `path`; on any trouble return (None, one warning) so the build goes on without a ranking.

    `base_path` is the path the site lives under (`/blog/`, or the whole base URL);
    rows outside it, and rows that are not `/<lang>/<slug>/` pages, are ignored.
    """
    def warn(line: int | None, message: str) -> tuple[None, Problem]:
        return None, Problem(path, line, _FIELD, message, "warning")

    try:
        data = read_bounded(path)
    except UnsafeFile as error:
        return warn(None, _("{error}, so the popularity ranking is hidden.").format(error=error))
    except FileNotFoundError:
        return warn(None, _("the analytics export is missing, so the popularity ranking is hidden; "
                            "{how_to_export} and save it as {path}.").format(
                              how_to_export=_how_to_export(), path=path))
    except OSError as error:
        return warn(None, _("cannot read the analytics export ({reason}), so the popularity ranking is "
                            "hidden; check the file's permissions.").format(reason=error.strerror or error))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return warn(line, _("the analytics export is not UTF-8 text, so the popularity ranking is hidden; "
                            "{how_to_export} again (GA4 writes UTF-8) instead of re-saving it from a "
                            "spreadsheet.").format(how_to_export=_how_to_export()))

    prefix = _base_prefix(base_path)
    known_languages = frozenset(languages)
    views: dict[str, int] = defaultdict(int)
    path_column = views_column = None
    in_data = False
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            line = reader.line_num
            first = row[0].strip() if row else ""
            if not any(cell.strip() for cell in row):
                continue
            if first.startswith("#"):
                if in_data:
                    break  # a later section of a multi-table export
                continue
            if path_column is None:
                names = [_header_key(cell) for cell in row]
                path_column = next((i for i, n in enumerate(names) if n in PATH_HEADERS), None)
                views_column = next((i for i, n in enumerate(names) if n in VIEWS_HEADERS), None)
                if path_column is None or views_column is None:
                    return warn(line, _("this line should be the header of the GA4 'Pages and screens' "
                                        "report, with a page path column ('Page path and screen class' or "
                                        "'ページ パスとスクリーン クラス') and a views column ('Views' or '表示回数'), so the "
                                        "popularity ranking is hidden; {how_to_export}.").format(
                                          how_to_export=_how_to_export()))
                continue
            in_data = True
            page = row[path_column].strip() if path_column < len(row) else ""
            if not page or _header_key(page) in TOTAL_LABELS:
                continue
            count = row[views_column].strip() if views_column < len(row) else ""
            if not _NUMBER.fullmatch(count):
                return warn(line, _("the views value {count!r} for {page!r} is not a whole number, so the "
                                    "popularity ranking is hidden; fix or remove this row, or export the "
                                    "report again.").format(count=count, page=page))
            slug = _article_slug(page, prefix, known_languages)
            if slug is not None:
                views[slug] += int(count.replace(",", ""))
    except csv.Error as error:
        return warn(reader.line_num, _("the analytics export is not valid CSV ({error}), so the popularity "
                                       "ranking is hidden; {how_to_export} again.").format(
                                         error=error, how_to_export=_how_to_export()))
    if path_column is None:
        return warn(None, _("the analytics export has no header row and no data, so the popularity ranking "
                            "is hidden; {how_to_export}.").format(how_to_export=_how_to_export()))
    return Pageviews(views=MappingProxyType(dict(views))), None


def top_articles(pageviews: Pageviews, eligible: Collection[str], size: int) -> tuple[tuple[str, int], ...]:
    """The `size` most-viewed slugs among `eligible` (the live ones): most views first, ties by slug.

    Articles with no views are left out: a ranking lists what people read.
    """
    ranked = sorted(
        ((slug, count) for slug, count in pageviews.views.items() if slug in eligible and count > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return tuple(ranked[: max(size, 0)])


def _header_key(cell: str) -> str:
    """Header cells compared without case or spaces (GA4's Japanese headers vary in spacing)."""
    return re.sub(r"\s+", "", cell).casefold()


def _base_prefix(base_path: str) -> str:
    """`/blog/` from `blog`, `/blog` or `https://example.com/blog/`; `/` for the root."""
    if "://" in base_path:
        base_path = urlsplit(base_path).path
    inner = base_path.strip("/")
    return f"/{inner}/" if inner else "/"


def _article_slug(page: str, prefix: str, languages: frozenset[str]) -> str | None:
    """The slug of `/<base>/<lang>/<slug>/` (any query, fragment, index.html or host dropped), else None."""
    parts = urlsplit(page)
    path = unquote(parts.path)
    if not path.startswith("/"):
        path = "/" + path
    if not (path + "/").startswith(prefix):
        return None
    segments = [segment for segment in path[len(prefix):].split("/") if segment]
    if segments and segments[-1] in ("index.html", "index.htm"):
        segments.pop()
    if len(segments) == 2 and segments[0] in languages:
        return segments[1]
    return None
