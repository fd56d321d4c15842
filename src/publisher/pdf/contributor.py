"""The PDFs as a build contributor: `publish build` hands `PdfContributor()` to `build_site`.

The site build knows only the `Contributor` hook (`publisher.site.plan`); this
is where the PDFs join it. They are made before the pages are gathered, so
each article page links to its PDF and is rebuilt when the PDF changes.
"""

from __future__ import annotations

from typing import Callable

from ..config import SiteConfig
from ..content import Site
from ..errors import Problem
from ..site.options import BuildOptions, Contribution


class PdfContributor:
    """One PDF per page the build shows (`[pdf] enabled` and `BuildOptions.pdfs` permitting).

    `progress(step, done, total)`, the build's progress callback, hears of each PDF rendered (the slow
    part of a cold build)."""

    name = "pdf"

    def __init__(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        self.progress = progress

    def __call__(self, config: SiteConfig, site: Site, options: BuildOptions) -> Contribution:
        if not (config.pdf.enabled and options.pdfs):
            return Contribution()
        from .batch import build_site_pdfs  # WeasyPrint's side: only a build with something to render needs it

        problems: list[Problem] = []
        pdfs = build_site_pdfs(config, site, options.now, include_drafts=options.include_drafts,
                               include_future=options.include_future, problems=problems,
                               progress=(lambda done, total: self.progress("PDFs", done, total))
                               if self.progress is not None else None)
        return Contribution(article_pdfs=pdfs, warnings=tuple(problems))
