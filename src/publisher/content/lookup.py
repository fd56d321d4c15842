"""Which article an `ARTICLE` argument of a command names: a slug, its folder, or one of its `<lang>.md` files."""

from __future__ import annotations

import os
from pathlib import Path

from ..config import SiteConfig
from ..errors import ProblemsError, PublisherError
from ..i18n import _
from .loader import LoadResult, load_site
from .model import Article


def find_article(config: SiteConfig, reference: str, *, action: str = "try again",
                 loaded: LoadResult | None = None) -> tuple[Article, str | None]:
    """The loaded article, and the language of the `.md` file named (None for a slug or folder).

    An article with errors (a bad date, a missing source file) is a `ProblemsError` listing them, so
    the writer sees what to fix; `action` ends that message ("run the fact check again").
    `loaded`: the site, when the caller has loaded it already.
    """
    lang = None
    slug = reference.strip().rstrip("/")
    candidate = Path(slug)
    if candidate.suffix == ".md":
        lang, slug = candidate.stem, candidate.parent.name
    elif os.sep in slug or "/" in slug:
        slug = candidate.name
    loaded = loaded or load_site(config)
    article = loaded.site.article(slug)
    if article is None:
        folder = config.content_dir / slug
        if folder.is_dir():
            errors = tuple(p for p in loaded.errors if p.path.resolve().is_relative_to(folder.resolve()))
            if errors:
                raise ProblemsError(errors, _("the article {slug} has errors; fix them and {action}").format(
                                                slug=slug, action=action))
            raise PublisherError(_("the article {slug} has no {source_language_code}.md; add it").format(
                                     slug=slug, source_language_code=config.source_language.code))
        known = ", ".join(a.slug for a in loaded.site.articles) or "none"
        raise PublisherError(_("no article {slug!r} in {content_dir}; give a folder name from there "
                               "(articles: {known})").format(
                                 slug=slug, content_dir=config.content_dir, known=known))
    if lang is not None and lang not in config.language_codes:
        raise PublisherError(_("{reference}: {lang!r} is not one of the site's languages ({items})").format(
                                 reference=reference, lang=lang, items=', '.join(config.language_codes)))
    return article, lang
