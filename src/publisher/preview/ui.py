"""Which language one request's preview pages are in: the reader's choice, else their browser's.

Japanese and Chinese staff use one preview server at once, so the language is worked out for each
request from what it carries, never kept for the process: `?ui=zh` (the pages' language switch; the
answer stores it in a cookie), else that cookie, else `Accept-Language` (`zh*` -> zh, `ja*` -> ja), else
nothing: the pages as built, in the site's source language. The build writes each page in every UI
language (`index.html`, `index.zh.html` ..., see `pages.py`); `localized()` picks the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from .strings import ui_language

QUERY = "ui"
"""The query parameter of the language switch (`?ui=zh`)."""

COOKIE = "publish_preview_ui"
"""The cookie that keeps the reader's choice."""

_COOKIE_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class UiChoice:
    """The language of one request's pages."""

    lang: str | None
    """`ja`, `zh` or `en`; None: nothing chosen or asked for (the pages as built)."""
    explicit: bool = False
    """Chosen with `?ui=` in this request: the answer sets the cookie."""

    def headers(self) -> dict[str, str]:
        """`Set-Cookie` for an explicit choice; nothing otherwise."""
        if not self.explicit or self.lang is None:
            return {}
        return {"Set-Cookie": f"{COOKIE}={self.lang}; Path=/; Max-Age={_COOKIE_SECONDS}; SameSite=Lax"}


def choose(query: str, cookie_header: str | None, accept_language: str | None) -> UiChoice:
    """The language of a request with this query string and these headers."""
    for value in parse_qs(query).get(QUERY, []):
        chosen = ui_language(value)
        if chosen:
            return UiChoice(chosen, explicit=True)
    stored = ui_language(_cookie(cookie_header or "", COOKIE))
    if stored:
        return UiChoice(stored)
    return UiChoice(from_accept_language(accept_language or ""))


def from_accept_language(header: str) -> str | None:
    """`zh` or `ja`: the first of them in the browser's order of preference (q values), else None."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _quality, _position, tag in sorted(ranked):
        primary = tag.replace("_", "-").split("-")[0]
        if primary in ("zh", "ja"):
            return primary
    return None


def _cookie(header: str, name: str) -> str | None:
    for pair in header.split(";"):
        key, _eq, value = pair.strip().partition("=")
        if key == name:
            return value.strip().strip('"')
    return None


def variant_name(path: str, lang: str) -> str:
    """`_preview/index.html` -> `_preview/index.zh.html`: the page in another UI language."""
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}.{lang}.{suffix}" if dot else f"{path}.{lang}"


def localized(path: Path, lang: str | None) -> Path:
    """The file of the page `path` in `lang`; `path` itself when the build made none (its default language,
    or a page named with its language already)."""
    if lang is None:
        return path
    variant = path.with_name(variant_name(path.name, lang))
    return variant if variant.is_file() else path
