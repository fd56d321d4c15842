"""Many PDFs at once: cached by the hash of their inputs, rendered in parallel.

A PDF's cache key covers everything that can change it: the job (article
metadata, language, live related links, copyright year), the bytes of the
page's own Markdown file and of the article's images, the print template
folder, the print stylesheet, `publisher.toml`, and the code (this package's
source and the WeasyPrint version). A rebuild with nothing changed renders
nothing; an edit re-renders only the PDFs of the pages it changes.

Cache files are `<cache_dir>/<slug>.<lang>.<layout>-<keywords>.pdf`, written
atomically; an entry whose key is no longer current is removed when its
replacement is made. The layout key leaves the tags out: a PDF whose tags
changed gets them as new keywords on the cached layout (`keywords.py`).

The few PDFs of an edit can be rendered in the background (`background=True`):
a forked process imports WeasyPrint and renders them while the build writes
and indexes the pages (about 2.5 s for one PDF: 0.9 s of it importing
WeasyPrint), and the build waits for them (`RenderingPdfs.wait`) just before
the site goes live.
"""

from __future__ import annotations

import copyreg
import os
import types
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .. import fsio
from ..config import SiteConfig
from ..content import Site, Visibility
from ..errors import Problem
from ..i18n import _
from ..parallel import Background, BackgroundDied, run_parallel
from .fonts import check_fonts
from .jobkeys import FolderDigests, JobKeys
from .keywords import Restamper
from .render import PdfArticleError, PdfError, PdfJob, PdfRenderer, make_job


def _mapping_proxy(values: dict) -> types.MappingProxyType:
    return types.MappingProxyType(values)


# SiteConfig and Article hold read-only mappings; let them travel to worker processes.
copyreg.pickle(types.MappingProxyType, lambda proxy: (_mapping_proxy, (dict(proxy),)))


@dataclass(frozen=True)
class PdfBatch:
    """What `build_pdfs` made."""

    files: dict[tuple[str, str], Path]
    """The PDF of each job, by (slug, lang), in the cache folder."""
    rendered: tuple[tuple[str, str], ...]
    """The (slug, lang) pairs rendered this time; the others came from the cache."""
    problems: tuple[Problem, ...] = ()
    """One warning per PDF that could not be made (left out of `files`); the other PDFs are made."""
    rendering: RenderingPdfs | None = None
    """The PDFs of `files` still being rendered in the background (`build_pdfs(background=True)`); their
    failures are known from its `wait()`."""


BACKGROUND_LIMIT = 16
"""At most this many PDFs are rendered in the background (`build_pdfs(background=True)`): the PDFs of an
edit (one article's, and those of the articles whose related links show its title). More are rendered
before the build goes on, with progress shown: a cold build's thousands would double its memory beside
the page workers and Pagefind, and take the cores anyway."""


def build_site_pdfs(config: SiteConfig, site: Site, now: datetime, *, include_drafts: bool = False,
                    include_future: bool = False, problems: list[Problem] | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    background: bool = False) -> PdfBatch:
    """The PDF of every page the build shows at `now`, by (slug, lang), using the site's cache and settings.

    That is every live page, and for a preview build the drafts (`include_drafts`) and the scheduled
    pages (`include_future`) too, with the banner their PDF prints at the top. A PDF that cannot be
    made is left out, with a warning added to `problems`: one article's PDF never stops the site.
    `background`: see `build_pdfs`.
    """
    shown = {Visibility.LIVE}
    if include_drafts:
        shown.add(Visibility.DRAFT)
    if include_future:
        shown.add(Visibility.SCHEDULED)
    jobs = [make_job(config, site, article, lang.code, now=now)
            for article in site.articles for lang in config.languages
            if article.visibility(lang.code, now) in shown]
    cache = cache_folder(config)
    batch = build_pdfs(config, jobs, cache, config.pdf.workers, progress=progress, background=background,
                       folder_keys=site.folder_keys)
    if problems is not None:
        problems.extend(batch.problems)
    if cache.is_dir():
        _forget_gone_pages(cache, site, set(batch.files.values()))  # those still rendering are kept
    return batch


def _forget_gone_pages(cache: Path, site: Site, current: set[Path]) -> None:
    """Drop cached PDFs of pages that no longer exist (article deleted or renamed, language file removed).

    Only those: a production build (live pages) and a preview build (drafts and
    scheduled pages too) share this cache, and neither may drop the other's
    PDFs. Older versions of a page that still exists are replaced when its new
    version is made (`_drop_stale`).
    """
    documents = {(article.slug, document.lang) for article in site.articles for document in article.documents}
    for entry in cache.glob("*.pdf"):
        parts = entry.name.rsplit(".", 3)  # <slug>.<lang>.<key>.pdf; a slug may hold dots
        if entry not in current and (len(parts) != 4 or (parts[0], parts[1]) not in documents):
            entry.unlink(missing_ok=True)


def cache_folder(config: SiteConfig) -> Path:
    """`[pdf] cache_dir`, resolved against the site's folder; by default the build cache's `pdf` folder."""
    if config.pdf.cache_dir is None:
        return (config.cache_folder / "pdf").resolve()
    return (config.root / config.pdf.cache_dir).resolve()


def build_pdfs(config: SiteConfig, jobs: Sequence[PdfJob], cache_dir: Path, workers: int = 0, *,
               progress: Callable[[int, int], None] | None = None, background: bool = False,
               folder_keys: Mapping[str, str] | None = None) -> PdfBatch:
    """Render the PDFs of `jobs` not already in `cache_dir`, `workers` at a time (0: one per core);
    `progress(done, total)` after each PDF rendered (the slow part of a build).

    `background`: when at most `BACKGROUND_LIMIT` are to be rendered, return at once with them in `files`
    and `rendering` (a forked process rendering them); `rendering.wait()` then gives the batch as it ends.
    `folder_keys`: `Site.folder_keys`, with which the article folders' digests are remembered between
    builds (`JobKeys`)."""
    if not jobs:
        return PdfBatch({}, ())
    cache_dir.mkdir(parents=True, exist_ok=True)
    files: dict[tuple[str, str], Path] = {}
    todo: list[tuple[PdfJob, Path]] = []
    earlier: dict[Path, Path] = {}
    cached: dict[str, Path] | None = None
    keys = JobKeys(config, FolderDigests(cache_dir, folder_keys) if folder_keys else None)
    for job in jobs:
        slug, lang = job.key
        path = cache_dir / f"{slug}.{lang}.{keys.key(job)}.pdf"
        files[job.key] = path
        if path.is_file():
            continue
        if cached is None:
            cached = {entry.name.rsplit("-", 1)[0]: entry for entry in cache_dir.glob("*-*.pdf")}
        todo.append((job, path))
        if (same_layout := cached.get(path.name.rsplit("-", 1)[0])) is not None:
            earlier[path] = same_layout

    if keys.remembered is not None:
        keys.remembered.save()
    workers = min(workers or os.cpu_count() or 1, len(todo))
    if todo and background and len(todo) <= BACKGROUND_LIMIT and hasattr(os, "fork"):
        return PdfBatch(files, (), rendering=RenderingPdfs(config, files, todo, earlier, workers))
    return _settled(files, todo, *(_make_all(config, todo, earlier, workers, progress) if todo else ([], ())))


def _settled(files: dict[tuple[str, str], Path], todo: list[tuple[PdfJob, Path]],
             failures: list[str | None], restamped: Sequence[int] = ()) -> PdfBatch:
    """The batch once `todo` is made: the PDFs that failed (`failures`, in order) out of `files`, with a
    warning each; the older versions of those made removed from the cache. `restamped`: the positions in
    `todo` of the PDFs made from a cached layout (not counted as rendered)."""
    problems = []
    for (job, path), failure in zip(todo, failures):
        if failure is not None:
            del files[job.key]
            document = job.article.document(job.lang)
            problems.append(Problem(document.path if document is not None else job.article.folder, None, "pdf",
                                    _("the PDF of this page could not be made ({failure}), so the page is published "
                                      "without one; simplify deeply nested markup in the body").format(
                                        failure=failure), "warning"))
            continue
        _drop_stale(path)
    skipped = set(restamped)
    return PdfBatch(files, tuple(job.key for index, ((job, _path), failure) in enumerate(zip(todo, failures))
                                 if failure is None and index not in skipped), tuple(problems))


class RenderingPdfs:
    """PDFs rendered in the background, while the build goes on: a forked process loads WeasyPrint and the
    print set-up once and renders the batch as `build_pdfs` would (on `workers` processes forked from it
    when there are several PDFs); the build's own process never waits for the import."""

    def __init__(self, config: SiteConfig, files: dict[tuple[str, str], Path], todo: list[tuple[PdfJob, Path]],
                 earlier: dict[Path, Path], workers: int):
        self.files, self.todo = dict(files), todo
        self.keys = frozenset(job.key for job, _path in todo)
        """The (slug, lang) of the PDFs being rendered."""
        # forked: the process starts with the jobs and this process's modules, nothing pickled
        self._rendering = Background(_make_all, config, todo, earlier, workers, None, name="publish-pdfs")
        self._batch: PdfBatch | None = None

    def wait(self, progress: Callable[[int, int], None] | None = None) -> PdfBatch:
        """The batch once every PDF is rendered (or failed); a site-wide failure (fonts, the print template)
        is raised as it was raised there. `progress(done, total)` before and after."""
        if self._batch is None:
            if progress is not None:
                progress(0, len(self.todo))
            try:
                made = self._rendering.wait()
            except BackgroundDied:  # it died without answering (out of memory, killed)
                raise _worker_died() from None
            if progress is not None:
                progress(len(self.todo), len(self.todo))
            self._batch = _settled(self.files, self.todo, *made)
        return self._batch

    def cancel(self) -> None:
        """Render no more: the process is stopped, and its workers with it (a PDF being written is lost, never
        half-written: each is written to a temporary name, then renamed)."""
        self._rendering.cancel()


def _make_all(config: SiteConfig, todo: list[tuple[PdfJob, Path]], earlier: dict[Path, Path], workers: int,
              progress: Callable[[int, int], None] | None) -> tuple[list[str | None], list[int]]:
    """Make `todo`: those with a cached PDF of the same layout (`earlier`: path -> that file) from it when only
    their keywords differ (`keywords.Restamper`, no WeasyPrint loaded for them), the others rendered. Returns
    why each failed, in order (None: made), and the positions of those restamped; `_settled` then drops the
    older cache entries of all of them."""
    restamper = Restamper(config) if earlier else None
    restamped = [index for index, (job, path) in enumerate(todo)
                 if restamper is not None and path in earlier and restamper(job, earlier[path], path)]
    done = set(restamped)
    rest = [item for index, item in enumerate(todo) if index not in done]
    if progress is not None and restamped:
        progress(len(restamped), len(todo))
    failures = iter(_render_all(config, rest, min(workers, len(rest)), progress and (
        lambda made, _total: progress(len(restamped) + made, len(todo)))) if rest else [])
    return [None if index in done else next(failures) for index in range(len(todo))], restamped


def _render_all(config: SiteConfig, todo: list[tuple[PdfJob, Path]], workers: int,
                progress: Callable[[int, int], None] | None) -> list[str | None]:
    """Render `todo` on `workers` processes, all sharing one `PdfRenderer` made here before they fork
    (WeasyPrint, the template, the stylesheet and the fonts loaded once, not once per PDF). The fonts are
    checked here, not before: a PDF made from a cached one (new keywords) needs none, and the few of an
    edit are checked in the background process (4 runs of `fc-list`, 30 ms).

    Returns, in order, why each job's PDF failed (None: written)."""
    check_fonts(sorted({config.language(job.lang).html_lang for job, _path in todo}))
    renderer = PdfRenderer(config)
    try:
        # fork: workers start with this process's modules, sys.path and the renderer
        # (forkserver/spawn would import the package afresh, possibly another copy of it).
        failures = []
        for failure in run_parallel(partial(_render_into, renderer), todo, workers, threshold=2, chunksize=1):
            failures.append(failure)
            if progress is not None:
                progress(len(failures), len(todo))
        return failures
    except BrokenProcessPool:  # a worker's PublisherError (site-wide: fonts, templates) is re-raised as it is
        raise _worker_died() from None


def _worker_died() -> PdfError:
    return PdfError(_("a PDF worker process died (out of memory, or killed); run the build again, "
                      "or set [pdf] workers = 1 in publisher.toml to render one PDF at a time"))


def _render_into(renderer: PdfRenderer, item: tuple[PdfJob, Path]) -> str | None:
    """Render a job and write it to its path atomically (temp file in the same folder, then rename).

    Returns why this one article's PDF failed (None: written); a site-wide `PdfError` is raised,
    since every PDF would fail the same way."""
    job, path = item
    try:
        data = renderer.render(job)
    except PdfArticleError as exc:
        cause = exc.__cause__
        if isinstance(cause, RecursionError):
            return _("the markup is nested too deeply to lay out")
        return f"{type(cause).__name__ if cause else 'error'}: {str(cause or exc)[:200]}"
    except RecursionError:
        return _("the markup is nested too deeply to lay out")
    fsio.write_bytes(path, data, sync=False)
    return None


def _drop_stale(current: Path) -> None:
    """Remove older cache entries of the same (slug, lang) as `current`."""
    slug_lang = current.name.rsplit(".", 2)[0]
    for other in current.parent.glob(f"{slug_lang}.*.pdf"):
        if other != current and other.name.rsplit(".", 2)[0] == slug_lang:
            other.unlink(missing_ok=True)
