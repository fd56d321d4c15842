"""Site search as a build contributor: `publish build` hands `SearchContributor()` to `build_site`.

The site build knows only the `Contributor` hook (`publisher.site.plan`). The
search joins it twice: before the pages are gathered it says the site has a
search (`Contribution.search`: a search page per language, a search box on
the index pages), and once the new site is written into the staging folder,
before it goes live, `after_write` indexes that tree, so the output never
holds pages without their index, nor an index of pages it does not hold.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from ..config import SiteConfig
from ..content import Site
from ..site.options import BuildOptions, Contribution
from .pagefind import index_site


class SearchContributor:
    """The search index of every page the build writes (drafts too, in a preview build, which shows them)."""

    name = "search"

    def __call__(self, config: SiteConfig, site: Site, options: BuildOptions) -> Contribution:
        return Contribution(search=True)

    def inputs(self, config: SiteConfig) -> str:
        """Another Pagefind makes another index (and UI): its version joins the build's digest."""
        try:
            return metadata.version("pagefind-bin-extended")
        except metadata.PackageNotFoundError:
            return "<no pagefind>"

    def after_write(self, config: SiteConfig, site_dir: Path, options: BuildOptions) -> dict[str, bytes]:
        return index_site(site_dir)
