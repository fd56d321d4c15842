"""Which file an `ARTICLE` argument names: a slug, an article folder, or one of its `<lang>.md` files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import SiteConfig
from ..errors import PublisherError


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


def locate_article(config: SiteConfig, reference: str, lang: str | None = None) -> ArticleFile:
    """The file `reference` names, in `lang` (default: the `.md` file's language, else the source language).

    Only this article's folder is looked at: other articles' problems do not matter here.
    """
    text = reference.strip().rstrip("/")
    candidate = Path(text)
    file_lang = None
    if candidate.suffix == ".md":
        file_lang, folder = candidate.stem, candidate.parent
    elif "/" in text or candidate.is_absolute():
        folder = candidate
    else:
        folder = config.content_dir / text
    if not folder.is_absolute():
        folder = Path.cwd() / folder
    slug = folder.name
    if lang and file_lang and lang != file_lang:
        raise PublisherError(f"{reference} is the {file_lang} file but --lang says {lang}; give one of them")
    lang = lang or file_lang or config.source_language.code
    if lang not in config.language_codes:
        raise PublisherError(f"{lang!r} is not one of the site's languages ({', '.join(config.language_codes)}); "
                             "check --lang or the file name")
    path = folder / f"{lang}.md"
    if not path.is_file():
        if not (folder / f"{config.source_language.code}.md").is_file():
            raise PublisherError(f"no article {reference!r}: there is no {config.content_dir.name}/{slug}/"
                                 f"{config.source_language.code}.md; give the folder name of an article "
                                 f"(see {config.content_dir.name}/)")
        raise PublisherError(f"the article {slug} has no {lang}.md yet; create it first (for a translation: "
                             "`publish translate`)")
    return ArticleFile(slug=folder.name, folder=folder.resolve(), lang=lang, path=path.resolve())
