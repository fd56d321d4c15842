"""What the search step starts as a build begins (`SearchContributor.prepare`), and stops once the loaded site
shows that it is not needed.

Pagefind's service is started before the articles are loaded, so that its
dictionaries load while the pages are written (`service.py`). A build in
which no indexed text changed (a tag, a related link, a ranking edit) would
load them for nothing: about 0.5 s of CPU on the other core, which slows an
edit that is otherwise over in under a second. So the step remembers, for
each article folder, the content scan's key and a digest of what an
article's pages show that Pagefind may read (each document's title, summary,
status and body, the article's code, date, release time and hero image); once
the site is loaded, a build whose changed folders all show the same text
stops the service. A folder added or removed, a build with no folder changed
(a release, a template: what changed is not known here) or no record keeps
it running. A wrong guess costs time only: without the service, the program
indexes the pages as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..cache import digest
from ..content import Article, Site
from .service import PagefindService


@dataclass
class SearchStart:
    """The search step's part of one build, from its start to its `after_write` (then `WrittenSite.prepared`)."""

    service: PagefindService | None
    """Pagefind's service, loading its dictionaries; None when none was started, or once stopped."""
    folders_before: Mapping[str, object]
    """The previous build's record: folder name -> [scan key, text digest] (empty: none, a first build)."""
    folders: dict[str, list[str]] = field(default_factory=dict)
    """This build's record, made by `site_loaded`, for the step's memo."""

    def site_loaded(self, site: Site) -> None:
        """Record each folder's text digest (read again only where its scan key changed), and stop the service
        when the folders that changed show the same text as before."""
        by_slug = {article.slug: article for article in site.articles}
        changed = text_changed = False
        for name, key in site.folder_keys.items():
            before = self.folders_before.get(name)
            key_before, text_before = before if isinstance(before, list) and len(before) == 2 else (None, None)
            if key_before == key:
                self.folders[name] = [key, text_before]
                continue
            changed = True
            article = by_slug.get(name)
            text = shown_text_digest(article) if article is not None else ""
            self.folders[name] = [key, text]
            text_changed = text_changed or text_before != text
        if self.folders_before and changed and not text_changed and self.folders.keys() == self.folders_before.keys():
            self.close()

    def close(self) -> None:
        """Stop the service, if one is running."""
        if self.service is not None:
            self.service.close()
            self.service = None


def shown_text_digest(article: Article) -> str:
    """A digest of what the article's pages show that Pagefind may index (not its tags or related links)."""
    parts = [article.code or "", str(article.date), article.publish_at.isoformat(), article.hero or ""]
    for document in article.documents:
        parts += [document.lang, document.title, document.summary or "", document.hero_alt or "",
                  str(document.status), document.body]
    return digest(*parts)
