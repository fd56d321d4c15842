"""The `/_preview/` pages of a preview session, rendered when a browser asks for them.

`publish build --preview` writes every `/_preview/` page (`pages.PreviewPages`).
A preview server rebuilds after every save, and making all of them again --
the dashboard lists every article, a thousand phone pages -- took a third of a
second of each rebuild at 1,000 articles, while the writer looks at one page.
Here the build hook only keeps the site it was given (the build's own loaded
articles, its `now`); a page is rendered on its first request after a build
and kept until the next build hands over a new site, so no page is ever older
than the build the tab was told about.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from ..config import SiteConfig
from ..content import Site
from ..site.options import BuildOptions
from ..site.templates import Templates
from .pages import (PreviewPages, check_preview_build, dashboard_page, dashboards, phone_page,
                    side_by_side_views)
from .strings import UI_LANGUAGES, default_ui

_ARTICLE_PAGE = re.compile(r"^_preview/([^/]+)/([^/]+)\.html$")


@dataclass(frozen=True)
class _Snapshot:
    """What the last build handed the hook."""

    config: SiteConfig
    site: Site
    options: BuildOptions


class PagesOnRequest:
    """A build hook (`BuildOptions.extra_files`) that adds no file; `page(path)` renders a `/_preview/`
    page from the site of the last build that called it (None: no such page)."""

    def __init__(self, pages: PreviewPages | None = None):
        self.pages = pages if pages is not None else PreviewPages()
        self.name = self.pages.name + "+on-request"
        self._snapshot: _Snapshot | None = None
        self._rendered: dict[tuple[str, str], bytes | None] = {}
        self._lock = threading.Lock()

    def inputs(self, config: SiteConfig) -> str:
        return self.pages.inputs(config)

    def __call__(self, config: SiteConfig, site: Site, options: BuildOptions) -> dict[str, bytes]:
        check_preview_build(options)
        with self._lock:
            self._snapshot = _Snapshot(config, site, options)
            self._rendered = {}
        return {}

    def page(self, path: str, ui: str) -> bytes | None:
        """The page at `path` (`_preview/index.html`, `_preview/<slug>/<lang or phone>.html`) in the UI
        language `ui` as of the last build, rendered now unless it was since that build; None when the
        build has no such page."""
        ui = ui if ui in UI_LANGUAGES else default_ui(ui)
        with self._lock:  # one render at a time: a page asked for twice is rendered once
            if (path, ui) not in self._rendered:
                self._rendered[(path, ui)] = self._render(path, ui) if self._snapshot is not None else None
            return self._rendered[(path, ui)]

    def _render(self, path: str, ui: str) -> bytes | None:
        snapshot = self._snapshot
        assert snapshot is not None
        config, site, options = snapshot.config, snapshot.site, snapshot.options
        memory = self.pages.memory
        templates = Templates(config.templates_dir)
        when = dict(now=options.now, include_drafts=options.include_drafts, include_future=options.include_future)
        if path == "_preview/index.html":
            views = side_by_side_views(config, site, options.jobs, memory)
            board = dashboards(config, site, views, uis=(ui,), factcheck=self.pages.factcheck, **when)[ui]
            return dashboard_page(templates, board)
        match = _ARTICLE_PAGE.match(path)
        article = site.article(match.group(1)) if match else None
        if match is None or article is None:
            return None
        name = match.group(2)
        if name == "phone":
            phones: dict[str, bytes] = {}
            made = phone_page(config, article, templates, memory, phones, ui=ui, **when)
            memory.phones.update(phones)
            return made
        if name not in {lang.code for lang in config.target_languages}:
            return None
        views = side_by_side_views(config, site, 1, memory, articles=(article,))
        return views[(article.slug, name)].pages[ui]
