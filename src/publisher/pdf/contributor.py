"""The PDFs as a build contributor: `publish build` hands `PdfContributor()` to `build_site`.

The site build knows only the `Contributor` hook (`publisher.site.plan`); this
is where the PDFs join it. They are known before the pages are gathered, so
each article page links to its PDF and is rebuilt when the PDF changes. The
few PDFs of an edit are rendered in the background while the build writes and
indexes the pages (`Contribution.unfinished`); a cold build's many are
rendered first, with progress shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..config import SiteConfig
from ..content import Site
from ..errors import Problem
from ..site.options import BuildOptions, Contribution

if TYPE_CHECKING:
    from .batch import RenderingPdfs


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
        batch = build_site_pdfs(config, site, options.now, include_drafts=options.include_drafts,
                                include_future=options.include_future, problems=problems,
                                progress=(lambda done, total: self.progress("PDFs", done, total))
                                if self.progress is not None else None, background=True)
        return Contribution(article_pdfs=batch.files, warnings=tuple(problems),
                            unfinished=_Rendering(batch.rendering, self.progress)
                            if batch.rendering is not None else None)


class _Rendering:
    """`Contribution.unfinished` for PDFs rendered in the background."""

    def __init__(self, rendering: RenderingPdfs, progress: Callable[[str, int, int], None] | None):
        self.rendering, self.progress = rendering, progress
        self.article_pdfs = rendering.keys

    def wait(self) -> Contribution:
        progress = self.progress
        batch = self.rendering.wait((lambda done, total: progress("PDFs", done, total)) if progress else None)
        return Contribution(article_pdfs=batch.files, warnings=batch.problems)

    def cancel(self) -> None:
        self.rendering.cancel()
