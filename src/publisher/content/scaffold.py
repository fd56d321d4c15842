"""`publish new`: start an article folder with the frontmatter filled in (like `hugo new`)."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import yaml

from ..config import SiteConfig
from ..errors import PublisherError
from ..i18n import _
from .loader import SLUG_PATTERN


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
    fields.update({"date": day, "status": "draft", "tags": [], "summary": ""})
    frontmatter = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=None)
    body = "## 1. \n\n"
    folder.mkdir(parents=True)
    path = folder / f"{config.source_language.code}.md"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".new-", suffix=".md")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(f"---\n{frontmatter}---\n\n{body}")
    os.replace(temporary, path)
    return path
