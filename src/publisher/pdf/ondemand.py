"""`publish pdf ARTICLE`: one PDF on demand, of any article (drafts too, with their banner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..config import SiteConfig
from ..content import load_site
from ..content.lookup import find_article
from ..fsio import write_bytes
from ..i18n import _
from .render import PdfError, render_article_pdf


@dataclass(frozen=True)
class WrittenPdf:
    path: Path
    """The PDF written."""
    slug: str
    lang: str
    live: bool
    """False when the page is a draft or scheduled at `now` (the PDF then carries a banner)."""


def write_article_pdf(config: SiteConfig, reference: str, *, lang: str | None, out: Path | None,
                      now: datetime, default_dir: Path) -> WrittenPdf:
    """Render the article `reference` (a slug, its folder, or one of its `.md` files) to `out`.

    `lang` defaults to the language of a given `.md` file, else the source
    language; `out` defaults to `<default_dir>/<slug>.<lang>.pdf`. The file is
    written atomically, and an existing file that is not a PDF is never replaced.
    """
    loaded = load_site(config)
    article, lang_from_path = find_article(
        config, reference, action=_("make the PDF again (`publish check` lists every problem)"), loaded=loaded)
    lang = lang or lang_from_path or config.source_language.code
    target = (out if out is not None else default_dir / f"{article.slug}.{lang}.pdf").resolve()
    if target.is_dir():
        raise PdfError(_("{target} is a folder; give --out a file name such as {slug}.{lang}.pdf").format(
                           target=target, slug=article.slug, lang=lang))
    if target.exists() and not _is_pdf(target):
        raise PdfError(_("{target} exists and is not a PDF, so it was left alone; choose another --out file").format(
                           target=target))
    if not target.parent.is_dir():
        raise PdfError(_("the folder {folder} does not exist; create it or choose another --out file").format(
                           folder=target.parent))
    site = loaded.site
    data = render_article_pdf(config, site, article, lang, now=now)
    write_bytes(target, data)
    return WrittenPdf(path=target, slug=article.slug, lang=lang, live=article.is_live(lang, now))


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(5) == b"%PDF-"
    except OSError:
        return False
