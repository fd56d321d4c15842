"""Site search as a build contributor: `publish build` hands `SearchContributor()` to `build_site`.

The site build knows only the `Contributor` hook (`publisher.site.plan`). The
search joins it twice: before the pages are gathered it says the site has a
search (`Contribution.search`: a search page per language, a search box on
the index pages), and once the new site is written into the staging folder,
before it goes live, `after_write` indexes that tree, so the output never
holds pages without their index, nor an index of pages it does not hold
(only the languages whose indexed pages changed: `bundle.py`).
"""

from __future__ import annotations

from importlib import metadata

from ..config import SiteConfig
from ..content import Site
from ..site.options import AfterWrite, BuildOptions, Contribution, WrittenSite
from .bundle import update_index


class SearchContributor:
    """The search index of every page the build writes (drafts too, in a preview build, which shows them)."""

    name = "search"

    def __call__(self, config: SiteConfig, site: Site, options: BuildOptions) -> Contribution:
        return Contribution(search=True)

    def inputs(self, config: SiteConfig) -> str:
        """Another Pagefind makes another index (and UI): its version joins the build's digest."""
        return pagefind_version()

    def after_write(self, config: SiteConfig, written: WrittenSite, options: BuildOptions) -> AfterWrite:
        return update_index(written, pagefind_version())


def pagefind_version() -> str:
    """The installed Pagefind's version: another one indexes every language again."""
    try:
        return metadata.version("pagefind-bin-extended")
    except metadata.PackageNotFoundError:
        return "<no pagefind>"
