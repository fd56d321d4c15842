"""`publish new`: start an article folder with the frontmatter filled in (like `hugo new`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..config import SiteConfig
from ..errors import PublisherError
from ..fsio import write_new
from .frontmatter import document_text
from ..i18n import _
from .loader import SLUG_PATTERN


HINTS = """\
# One or two sentences for the index, feeds and search results (needed before publishing):
summary: ""
# Tags, separated by a half-width comma (not 、): [物流, 上海]
tags: []
# The hero image, a file in this folder (`publish image` can make one), and what it shows, for screen
# readers (needed with hero). Remove the # to use them:
# hero: hero.png
# hero_alt: 地図の上で光る都市の点を線で結んだイラスト
"""
"""Commented hints after the filled-in fields: what each field is for, and its form."""

BODY_HINTS = """\
<!-- Hints (HTML comments are never published; delete this one when you start):
- Sections: `## 1. 見出し`, `## 2. 見出し` (keep the numbers).
- Points: `①…` `②…`, each after a blank line.
- A line holding only ↓, with blank lines around it, joins two statements.
- Sub-blocks: `### 【特徴❶】見出し`, then a `(…)` tagline paragraph.
- Term box: `> **X とは、** …`; summary: `■ …`.
Then run `publish check`. -->
"""
"""The body of a new article: the house style in brief, as a comment (nothing to publish by mistake)."""


def new_article(config: SiteConfig, slug: str, *, title: str, code: str | None, day: date) -> Path:
    """Create `articles/<slug>/<source>.md` as a draft; never touch an existing article."""
    if not SLUG_PATTERN.match(slug):
        raise PublisherError(_("{slug!r} cannot be a slug (it is the URL): use lower-case letters, digits "
                               "and hyphens, e.g. 'city-growth-2026'").format(slug=slug))
    folder = config.content_dir / slug
    if folder.exists():
        raise PublisherError(_("{folder} already exists; choose another slug (nothing was changed)").format(
                                 folder=folder))
    fields: dict[str, object] = {"title": title}
    if code:
        fields["code"] = code
    fields.update({"date": day, "status": "draft"})
    folder.mkdir(parents=True)
    path = folder / f"{config.source_language.code}.md"
    write_new(path, document_text(fields, BODY_HINTS, HINTS))
    return path
