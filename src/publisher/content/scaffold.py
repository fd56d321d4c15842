"""`publish new`: start an article folder with the frontmatter filled in (like `hugo new`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..config import SiteConfig
from ..errors import PublisherError
from ..fsio import write_new
from .frontmatter import document_text
from .loader import SLUG_PATTERN


def new_article(config: SiteConfig, slug: str, *, title: str, code: str | None, day: date) -> Path:
    """Create `articles/<slug>/<source>.md` as a draft; never touch an existing article."""
    if not SLUG_PATTERN.match(slug):
        raise PublisherError(f"{slug!r} cannot be a slug (it is the URL): use lower-case letters, digits "
                             "and hyphens, e.g. 'city-growth-2026'")
    folder = config.content_dir / slug
    if folder.exists():
        raise PublisherError(f"{folder} already exists; choose another slug (nothing was changed)")
    fields: dict[str, object] = {"title": title}
    if code:
        fields["code"] = code
    fields.update({"date": day, "status": "draft", "tags": [], "summary": ""})
    body = "## 1. \n\n"
    folder.mkdir(parents=True)
    path = folder / f"{config.source_language.code}.md"
    write_new(path, document_text(fields, body))
    return path
