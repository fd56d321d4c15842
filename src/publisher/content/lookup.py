"""Which article an `ARTICLE` argument of a command names: a slug, its folder, or one of its `<lang>.md` files.

One reading of the argument (`_reference`) for every command, and two answers:
`find_article` gives the loaded, valid article (for commands that render or
check it: `pdf`, `factcheck`); `find_article_file` gives one language file of
the folder without loading the site (for commands that edit that file:
`revise`, `image`), so other articles' problems do not stop them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import SiteConfig
from ..errors import ProblemsError, PublisherError
from ..i18n import _
from .loader import LoadResult, load_site
from .model import Article


@dataclass(frozen=True)
class ArticleFile:
    """One language file of one article folder."""

    slug: str
    """The folder name."""
    folder: Path
    """`articles/<slug>/`."""
    lang: str
    """Language of `path`."""
    path: Path
    """`articles/<slug>/<lang>.md` (it exists)."""


@dataclass(frozen=True)
class _Reference:
    """What an `ARTICLE` argument says."""

    folder: Path
    """The article folder it names (absolute; a bare slug is a folder of the content folder)."""
    lang: str | None
    """The language of the `.md` file it names, None for a slug or a folder."""

    @property
    def slug(self) -> str:
        return self.folder.name


def _reference(config: SiteConfig, reference: str) -> _Reference:
    """A slug is a folder of the content folder; a path (with `/`) is taken from the current folder."""
    text = reference.strip().rstrip("/")
    candidate = Path(text)
    lang = None
    if candidate.suffix == ".md":
        lang, folder = candidate.stem, candidate.parent
    elif "/" in text or candidate.is_absolute():
        folder = candidate
    else:
        folder = config.content_dir / text
    if not folder.is_absolute():
        folder = Path.cwd() / folder
    return _Reference(folder, lang)


def find_article(config: SiteConfig, reference: str, *, action: str | None = None,
                 loaded: LoadResult | None = None) -> tuple[Article, str | None]:
    """The loaded article, and the language of the `.md` file named (None for a slug or folder).

    An article with errors (a bad date, a missing source file) is a `ProblemsError` listing them, so
    the writer sees what to fix; `action` ends that message ("run the fact check again"; default
    "try again", in the message language).
    `loaded`: the site, when the caller has loaded it already.
    """
    named = _reference(config, reference)
    slug, lang = named.slug, named.lang
    loaded = loaded or load_site(config)
    article = loaded.site.article(slug)
    if article is None:
        folder = config.content_dir / slug
        if folder.is_dir():
            errors = tuple(p for p in loaded.errors if p.path.resolve().is_relative_to(folder.resolve()))
            if errors:
                raise ProblemsError(errors, _("the article {slug} has errors; fix them and {action}").format(
                                                slug=slug, action=action or _("try again")))
            raise PublisherError(_("the article {slug} has no {source_language_code}.md; add it").format(
                                     slug=slug, source_language_code=config.source_language.code))
        known = ", ".join(a.slug for a in loaded.site.articles) or _("none")
        raise PublisherError(_("no article {slug!r} in {content_dir}; give a folder name from there "
                               "(articles: {known})").format(
                                 slug=slug, content_dir=config.content_dir, known=known))
    if lang is not None and lang not in config.language_codes:
        raise PublisherError(_("{reference}: {lang!r} is not one of the site's languages ({items})").format(
                                 reference=reference, lang=lang, items=', '.join(config.language_codes)))
    return article, lang


def find_article_file(config: SiteConfig, reference: str, lang: str | None = None) -> ArticleFile:
    """The file `reference` names, in `lang` (default: the `.md` file's language, else the source language).

    Only this article's folder is looked at: other articles' problems do not matter here.
    """
    named = _reference(config, reference)
    folder, slug, file_lang = named.folder, named.slug, named.lang
    if lang and file_lang and lang != file_lang:
        raise PublisherError(_("{reference} is the {file_lang} file but --lang says {lang}; give one of them").format(
            reference=reference, file_lang=file_lang, lang=lang))
    lang = lang or file_lang or config.source_language.code
    if lang not in config.language_codes:
        raise PublisherError(_("{lang!r} is not one of the site's languages ({languages}); check --lang or the "
                               "file name").format(lang=lang, languages=", ".join(config.language_codes)))
    path = folder / f"{lang}.md"
    if not path.is_file():
        if not (folder / f"{config.source_language.code}.md").is_file():
            raise PublisherError(_("no article {reference!r}: there is no {content}/{slug}/{source}.md; give the "
                                   "folder name of an article (see {content}/)").format(
                reference=reference, content=config.content_dir.name, slug=slug, source=config.source_language.code))
        raise PublisherError(_("the article {slug} has no {lang}.md yet; create it first (for a translation: "
                               "`publish translate`)").format(slug=slug, lang=lang))
    return ArticleFile(slug=slug, folder=folder.resolve(), lang=lang, path=path.resolve())
