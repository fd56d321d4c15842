"""Site search as a build contributor: `publish build` hands `SearchContributor()` to `build_site`.

The site build knows only the `Contributor` hook (`publisher.site.plan`). The
search joins it twice: before the pages are gathered it says the site has a
search (`Contribution.search`: a search page per language, a search box on
the index pages), and once the new site is written into the staging folder,
before it goes live, `after_write` indexes that tree, so the output never
holds pages without their index, nor an index of pages it does not hold
(only the languages whose indexed pages changed: `bundle.py`). A build that
will likely patch an index starts Pagefind early (`prepare`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from importlib.util import find_spec
from typing import Mapping

from ..config import SiteConfig
from ..content import Site
from ..site.options import AfterWrite, BuildOptions, Contribution, WrittenSite

PAGEFIND_PACKAGE = "pagefind_bin_extended"
"""The import name of the PyPI package that holds Pagefind's extended binary (`pagefind[extended]`)."""


class SearchContributor:
    """The search index of every page the build writes (drafts too, in a preview build, which shows them)."""

    name = "search"
    output_folder = "pagefind/"
    """Where its files go (`pagefind.BUNDLE_FOLDER`): the spare's are left for `after_write` to keep."""

    def __call__(self, config: SiteConfig, site: Site, options: BuildOptions) -> Contribution:
        return Contribution(search=True)

    def inputs(self, config: SiteConfig) -> str:
        """Another Pagefind makes another index (and UI): its version joins the build's digest."""
        return pagefind_version()

    def prepare(self, config: SiteConfig, memo: Mapping[str, object]) -> object:
        """A Pagefind service loading its dictionaries while the site is built, when the previous build
        indexed a language whose words Pagefind splits: an edit's few pages are then indexed in milliseconds
        (`service.py`); stopped once the site is loaded if no indexed text changed (`prepared.py`). A first
        build starts none (it runs Pagefind over every page anyway)."""
        from .prepared import SearchStart
        from .service import PagefindService

        languages, folders = memo.get("languages"), memo.get("folders")
        return SearchStart(PagefindService.start(languages) if isinstance(languages, dict) else None,
                           folders if isinstance(folders, dict) else {})

    def after_write(self, config: SiteConfig, written: WrittenSite, options: BuildOptions) -> AfterWrite:
        from .bundle import update_index  # only a build that wrote something indexes: not the no-op
        from .prepared import SearchStart

        start = written.prepared if isinstance(written.prepared, SearchStart) else None
        made = update_index(written, pagefind_version(), start.service if start is not None else None)
        if start is not None and start.folders:
            made = replace(made, memo={**made.memo, "folders": start.folders})
        return made

    def reads(self, path: str, html: bytes) -> object:
        """What Pagefind reads of a page (an article page written again with its PDF's size: the same)."""
        from .regions import indexed_page

        return indexed_page(path, html)


def pagefind_version() -> str:
    """The installed Pagefind's version: another one indexes every language again. Every build asks, the
    no-op too, so it is read from the name of the package's `<name>-<version>.dist-info` folder beside it;
    `importlib.metadata`, which costs about 0.06 s to import and to search every installed distribution
    (a build with nothing to do takes about 0.2 s at 1,000 articles), answers only when that folder is not
    found once (an editable or unusual install)."""
    spec = find_spec(PAGEFIND_PACKAGE)
    if spec is None or spec.origin is None:
        return "<no pagefind>"
    where = os.path.dirname(os.path.dirname(spec.origin))
    prefix, suffix = f"{PAGEFIND_PACKAGE}-", ".dist-info"
    try:
        found = [name[len(prefix):-len(suffix)] for name in os.listdir(where)
                 if name.startswith(prefix) and name.endswith(suffix)]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0]
    from importlib import metadata

    try:
        return metadata.version(PAGEFIND_PACKAGE)
    except metadata.PackageNotFoundError:
        return "<no pagefind>"
