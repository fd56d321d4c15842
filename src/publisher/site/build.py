"""`publish build`: load the site, decide what is visible at `now`, render, write.

Reads top to bottom, as `build_site` does:

1. if nothing the site depends on changed since the last build of this output
   folder (files, config, templates, assets, what is live at `now`), stop:
   nothing is written;
2. load the articles (parsing only folders that changed since the cache saw them);
3. gather: what the contributors add (the PDFs, the preview's pages), the
   visible pages (`plan.py`), images and social cards (those missing from
   the cache are made from now on, in the background when there are many:
   `media_jobs.py`), bodies (rendered only when their Markdown changed), the
   ranking, every page as a record (`records.py`, `pages.py`) and every
   other file as bytes (`outputs.py`);
4. render the pages whose record changed -- in parallel on every CPU core
   for a cold build;
5. write the new site beside the old one, let the contributors read it (the
   search index) and finish what they were still making (the PDFs of an
   edit: `staged.py`), write the cards and images made meanwhile, swap it
   in atomically (`writer.py`), and remember what was written (`state.py`).

Nothing here reads the clock: `now` comes in with the options, so scheduled
releases are testable.
"""

from __future__ import annotations

import os
import time as _time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from ..cache import Cache, Memory, digest
from ..config import SiteConfig
from ..content import Visibility, scan_content
from ..errors import BuildRefused, Problem, PublisherError
from ..gcpause import paused_gc
from ..i18n import _
from . import state as build_state
from .inputs import SiteInputs, crossed_release
from .options import BuildOptions, Contribution
from .staged import (after_write_steps, file_key, finish_unfinished, prepare_steps, tell_site_loaded,
                     write_or_keep)
from .stamp import output_kind, sources_digest, stamp_fields
from .output_lock import output_lock
from .writer import OutputWriter, check_output_folder, link_spare, output_build_id

if TYPE_CHECKING:
    from ..content import ContentScan, LoadResult
    from ..markdown import RenderedBody
    from .pages import PageBase
    from .plan import Entry, PageJob, Release, Withdrawal
    from .templates import Templates

__all__ = ["BuildOptions", "BuildReport", "build_site", "check_preview_folder"]

#: `progress(step, done, total)`: called as a long build goes, for a progress display.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    """The folder written."""
    pages_written: int
    """HTML pages rendered and written (new or changed)."""
    pages_unchanged: int
    """HTML pages whose record did not change, carried over from the previous build."""
    files_written: int
    """All files written (pages, feeds, assets, images)."""
    files_unchanged: int
    """All files carried over unchanged."""
    live_pages: int
    """Article pages that are live at `now`."""
    preview_pages: int
    """Article pages built only because drafts/future pages were asked for."""
    warnings: tuple[Problem, ...]
    """Content and data warnings (the build went on)."""
    seconds: float
    nothing_changed: bool = False
    """True when the output was already up to date and nothing was written."""
    released: tuple[Release, ...] = ()
    """Pages that went live since the previous production build (also in `releases.json`)."""
    withdrawn: tuple[Withdrawal, ...] = ()
    """Pages live at the previous production build that are not any more (also in `releases.json`)."""
    live_articles: int = 0
    """Articles with at least one live page (`live_pages` counts each language's page)."""
    remade: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Contributor name -> what its `after_write` step made anew (the search: the languages it indexed);
    an empty tuple when it carried its files over."""

    @property
    def pages_total(self) -> int:
        return self.pages_written + self.pages_unchanged


def build_site(config: SiteConfig, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    started = _time.perf_counter()
    if options.now.tzinfo is None:
        raise ValueError("BuildOptions.now must be timezone-aware")
    out_dir = Path(os.path.abspath(options.out_dir or config.output_dir))  # `../x` normalised like `/abs/x`
    protected = (config.root, config.content_dir, config.templates_dir, config.assets_dir)
    check_output_folder(out_dir, protected)
    if options.is_preview:
        check_preview_folder(out_dir, config.output_dir)
    with output_lock(out_dir), paused_gc():  # a build's objects live until it ends: see `gcpause`
        return _build_locked(config, options, progress, started, out_dir, protected)


def prepare_spare(config: SiteConfig, out_dir: Path, memory: Memory | None = None) -> bool:
    """Give the output its spare now, if the last build left none (the first one does): the next build then
    touches only what differs. For a session that will rebuild soon (the preview, once it has started),
    so that the first save is as quick as the later ones. True when made."""
    out_dir = Path(os.path.abspath(out_dir))
    cache = Cache(config.cache_folder, memory)
    with output_lock(out_dir):
        state = build_state.load(cache, out_dir)
        if state is None or state.spare_files is not None or state.build_id != output_build_id(out_dir):
            return False
        if not link_spare(out_dir):
            return False
        build_state.save(cache, out_dir, replace(state, spare_files=dict(state.files), spare_build_id=state.build_id))
        return True


def _build_locked(config: SiteConfig, options: BuildOptions, progress: Progress | None, started: float,
                  out_dir: Path, protected: tuple[Path, ...]) -> BuildReport:
    cache = Cache(config.cache_folder, options.memory)
    # `recording`: what the build reads or writes in the cache is kept, `prune` drops the rest; `stop`: what
    # contributors still make in the background stops with the build, whatever ends it.
    with cache.recording() as used, ExitStack() as stop:
        # 1. Has anything changed since the last build of this output? Files are
        # hashed, not parsed; time matters only if a release instant was crossed.
        scan = scan_content(config, cache, changed=options.changed_folders)
        site_inputs = SiteInputs.read(config, options)
        inputs = site_inputs.site_digest(scan)
        previous = remembered = build_state.load(cache, out_dir)
        # `remembered` outlives a replaced output: a CI job keeps the cache, not dist/, and releases.json
        # must still announce what went live since the last build.
        if previous is not None and previous.build_id != output_build_id(out_dir):
            previous = None  # the output was replaced or removed behind our back: rebuild it whole
        if previous is not None and previous.inputs == inputs and not crossed_release(previous, options.now):
            used.forget()  # nothing to do: nothing is marked in the cache either (the last build marked it)
            return BuildReport(out_dir=out_dir, pages_written=0, pages_unchanged=previous.page_count,
                               files_written=0, files_unchanged=len(previous.files), live_pages=previous.live_count,
                               preview_pages=previous.preview_count, warnings=tuple(previous.warnings),
                               seconds=_time.perf_counter() - started, nothing_changed=True,
                               live_articles=previous.live_articles)
        report = _build_changed(config, options, progress, started, out_dir, protected, cache, scan, site_inputs,
                                inputs, previous, remembered, stop)
    if options.prune_cache:
        cache.prune(out_dir)
    return report


def _build_changed(config: SiteConfig, options: BuildOptions, progress: Progress | None, started: float,
                   out_dir: Path, protected: tuple[Path, ...], cache: Cache, scan: ContentScan,
                   site_inputs: SiteInputs, inputs: str, previous: build_state.BuildState | None,
                   remembered: build_state.BuildState | None, stop: ExitStack) -> BuildReport:
    # What the after-write steps start now works beside the build (Pagefind loading its dictionaries): first
    # of all, before the imports below. Once the site is loaded, they are told it (and may stop).
    prepared = prepare_steps(config, options, previous, stop)

    # Something changed. What loads and renders is imported only now: the scheduled job builds every few
    # minutes and usually has nothing to do, and that answer must not wait for the Markdown parser, the
    # templates and the image libraries to load.
    from ..content import load_site
    from .bodies import render_bodies
    from .images import ImageProcessor, plan_media
    from .media_jobs import make_missing
    from .outputs import (gather_files, gather_media, ranking_of, release_record, releases_since, withdrawal_record,
                          withdrawals_since)
    from .plan import BuildMemo, Plan, phrase_key, reading_times
    from .records import gather_pages
    from .redirects import gather_redirects
    from .search_pages import add_search_pages
    from .tags import SiteTags

    # 2. Load (folders that did not change come from the cache).
    loaded = load_site(config, cache, scan, workers=options.jobs)
    if loaded.errors:
        raise BuildRefused(loaded.errors, _("{count} error(s) in the content; run `publish check` to see "
                                            "them all, fix them, and build again").format(
                                              count=len(loaded.errors)))
    tell_site_loaded(prepared, loaded.site)
    entries = _visible_entries(loaded, config, options)
    warnings = list(loaded.warnings)

    # 3. Gather. Contributors first (`BuildOptions.contributors`: the PDFs, the preview's pages):
    # an article page links to its PDF, so the PDFs must be known before the pages (the few of an edit
    # are still being rendered: `unfinished`, waited for at step 5).
    contributions = [(c, _contribution(c(config, loaded.site, options))) for c in options.all_contributors]
    unfinished = [made.unfinished for _contributor, made in contributions if made.unfinished is not None]
    for pending in unfinished:
        stop.callback(pending.cancel)
    unfinished_pdfs = frozenset(where for pending in unfinished for where in pending.article_pdfs)
    pdf_files = {where: pdf for _contributor, made in contributions for where, pdf in made.article_pdfs.items()}
    warnings.extend(problem for _contributor, made in contributions for problem in made.warnings)
    images = ImageProcessor(cache, config.images)
    folder_keys = dict(zip((folder.name for folder in scan.folders), scan.keys))
    media = plan_media((entry.article for entry in entries), images, scan.files_of(), folder_keys)
    plan = Plan()
    gather_media(plan, entries, media, cache)
    # The cards and image variants missing from the cache: many (a cold build) are made in the background while
    # the bodies are rendered and the pages written and indexed; their files are written once they are made.
    making = make_missing(cache, plan.cards, images, plan.variants, previous.files if previous is not None else {},
                          options.jobs, progress)
    stop.callback(making.cancel)
    bodies = render_bodies(entries, media, cache, options, progress, config, folder_keys)
    ranking, ranking_warning = ranking_of(config, entries)
    if ranking_warning is not None:
        warnings.append(ranking_warning)
    released = releases_since(entries, remembered, config, options)
    withdrawn = withdrawals_since(entries, remembered, loaded.site, config, options)
    memo = BuildMemo.load(cache)  # this build's memo tables, passed down (no module state)
    memo.reading.update(reading_times(entries, bodies))
    common = digest(*site_inputs.common)
    listed = site_inputs.listing_parts(entries, memo.reading)
    listing = digest(*site_inputs.common, *listed.values())
    # The previous output, when all its pages are still there: article pages whose inputs did not change are
    # carried over from it; when the listing did not change either, every list page is too.
    reusable = previous if (previous is not None
                            and (options.private_output or all(os.path.exists(os.path.join(out_dir, page))
                                                               for page in previous.pages))) else None
    unchanged = reusable if reusable is not None and reusable.listing == listing else None
    search = any(made.search for _contributor, made in contributions)
    site_tags = SiteTags.of(entries)
    page_inputs = gather_pages(plan, config, options, entries, bodies, media, ranking, pdf_files, cache, folder_keys,
                               listed, reusable, unchanged, memo, common, search, site_tags, unfinished_pdfs)
    if unchanged is None and search:  # else: carried over
        add_search_pages(plan, config, options)
    memo.store(cache, ((e.article.document(e.lang.code).title, phrase_key(e.lang)) for e in entries))
    gather_files(plan, config, options, entries, bodies, released, remembered, withdrawn, site_tags)
    for (slug, lang_code), pdf in sorted(pdf_files.items()):
        if (slug, lang_code) not in unfinished_pdfs:
            plan.copies[f"{lang_code}/{slug}/{slug}.pdf"] = pdf
    warnings.extend(gather_redirects(plan, config, entries))
    page_paths = {job.path for job in plan.pages}
    for contributor, made in contributions:
        for path, data in made.files.items():
            if path in plan.data or path in plan.deferred or path in plan.copies or path in page_paths:
                raise PublisherError(_("{hook} would replace the site's own {path}; "
                                       "rename the page that uses this path").format(hook=contributor.name, path=path))
            plan.data[path] = data

    # 4 and 5. Render what changed and write the new output.
    build_id = digest(inputs, str(_time.time_ns()), str(os.getpid()))
    new_state = build_state.BuildState(build_id=build_id, inputs=inputs, files={}, live=_live_keys(entries),
                                       releases=list(remembered.releases) if remembered else [],
                                       warnings=warnings, page_count=len(plan.pages),
                                       built_at=options.now.isoformat(),
                                       instants=sorted({a.publish_at.isoformat() for a in loaded.site.articles}),
                                       live_count=_count(entries, live=True),
                                       preview_count=_count(entries, live=False),
                                       live_articles=len({e.article.slug for e in entries
                                                          if e.visibility is Visibility.LIVE}),
                                       listing=listing, page_inputs=page_inputs,
                                       pages=[job.path for job in plan.pages])
    new_state.releases = ([release_record(r, options.now) for r in released]
                          + [withdrawal_record(w, options.now) for w in withdrawn] + new_state.releases)[:200]
    spare = previous.spare_files if previous is not None else None
    with OutputWriter(out_dir, protected, spare=spare, spare_build=previous.spare_build_id if previous else None,
                      private=options.private_output) as writer:
        write_pages = partial(_write_pages, writer, inputs=site_inputs, config=config, cache=cache, previous=previous,
                              new_state=new_state, options=options, progress=progress,
                              bodies={b.key: b.rendered for b in bodies.values() if b.rendered is not None})
        pages_written = write_pages(plan.pages)

        def copy(path: str, source: Path) -> None:
            write_or_keep(writer, path, file_key(source), previous, new_state, lambda: writer.copy_file(source, path))

        for path, data in plan.data.items():
            write_or_keep(writer, path, digest(data), previous, new_state,
                          lambda data=data, path=path: writer.write_bytes(path, data))
        def write_deferred(made_since: bool) -> None:
            """The feeds, sitemap, cards and image variants: those ready now, or (`made_since`) those that were
            still being made in the background."""
            for path, (key, make) in plan.deferred.items():
                if (path in making.waiting) == made_since:
                    write_or_keep(writer, path, key, previous, new_state,
                                  lambda make=make, path=path: writer.write_bytes(path, make()))
            for image, variant in plan.variants:
                if (variant.path in making.waiting) == made_since:
                    write_or_keep(writer, variant.path, variant.cache_key, previous, new_state,
                                  lambda i=image, v=variant: writer.copy_file(images.variant_file(i, v), v.path))

        write_deferred(made_since=False)
        for path, source in plan.copies.items():
            copy(path, source)
        run_steps = partial(after_write_steps, writer, config, options, previous, new_state, progress, cache.folder,
                            prepared)
        steps = run_steps()  # the search index, made while the PDFs of an edit are still being rendered
        steps = finish_unfinished(unfinished, plan.pages, writer, new_state, options, steps, write_pages, copy,
                                  run_steps)
        making.wait(progress)
        write_deferred(made_since=True)
        writer.commit(build_id, stamp_fields(output_kind(options), options.now.isoformat(), len(new_state.files),
                                             sources_digest(config, scan)))
    warnings.extend(Problem(out_dir, None, "output", message, "warning") for message in writer.warnings)
    if writer.kept_spare and previous is not None:
        new_state.spare_files, new_state.spare_build_id = previous.files, previous.build_id
    build_state.save(cache, out_dir, new_state)

    return BuildReport(
        out_dir=out_dir,
        pages_written=pages_written,
        pages_unchanged=len(plan.pages) - pages_written,
        files_written=writer.files_written,
        files_unchanged=writer.files_kept,
        live_pages=_count(entries, live=True),
        preview_pages=_count(entries, live=False),
        warnings=tuple(warnings),
        seconds=_time.perf_counter() - started,
        released=tuple(released),
        withdrawn=tuple(withdrawn),
        live_articles=new_state.live_articles,
        remade=steps.remade,
    )


def check_preview_folder(out_dir: Path, production: Path) -> None:
    """Refuse to write drafts and scheduled pages into the production output, inside it, or around it."""
    out_dir, production = out_dir.absolute().resolve(), production.absolute().resolve()
    if out_dir == production or out_dir.is_relative_to(production) or production.is_relative_to(out_dir):
        if out_dir == production:
            relation = _("it is the production output {production} (site.output_dir)")
        elif out_dir.is_relative_to(production):
            relation = _("it is inside the production output {production} (site.output_dir)")
        else:
            relation = _("it contains the production output {production} (site.output_dir)")
        raise PublisherError(
            _("a preview build (drafts and scheduled pages) must not be written into {out_dir}: {relation}, "
              "whose pages are deployed and must hold only live ones; give --out a folder of its own, such as "
              "--out preview/").format(out_dir=out_dir, relation=relation.format(production=production)))


def _count(entries: Sequence[Entry], *, live: bool) -> int:
    return sum(1 for e in entries if (e.visibility is Visibility.LIVE) == live)


def _contribution(made: Contribution | Mapping[str, bytes]) -> Contribution:
    """A contributor's answer as a `Contribution` (a plain mapping: generated files only)."""
    return made if isinstance(made, Contribution) else Contribution(files=dict(made))


# --- gathering -------------------------------------------------------------


def _visible_entries(loaded: LoadResult, config: SiteConfig, options: BuildOptions) -> tuple[Entry, ...]:
    """Every (article, language) page this build makes, newest release first."""
    from .plan import Entry

    entries = []
    for article in loaded.site.articles:
        for lang in config.languages:
            visibility = article.visibility(lang.code, options.now)
            if visibility is None:
                continue
            if (visibility is Visibility.LIVE
                    or (visibility is Visibility.DRAFT and options.include_drafts)
                    or (visibility is Visibility.SCHEDULED and options.include_future)):
                entries.append(Entry(article, lang, visibility))
    entries.sort(key=lambda e: (e.article.publish_at, e.article.date, e.article.slug), reverse=True)
    return tuple(entries)


def _live_keys(entries: Iterable[Entry]) -> list[str]:
    return sorted(f"{e.article.slug}/{e.lang.code}" for e in entries if e.visibility is Visibility.LIVE)


def _run(function, jobs: list, options: BuildOptions, threshold: int | None = None) -> Iterable:
    """`map(function, jobs)`, on all CPU cores when there are at least `threshold` jobs."""
    from ..parallel import PARALLEL_THRESHOLD, run_parallel

    return run_parallel(function, jobs, options.jobs, PARALLEL_THRESHOLD if threshold is None else threshold)


# --- writing -----------------------------------------------------------------


@dataclass
class _PageRendering:
    """What every page job of one build shares. Made per build and bound to the job function, so forked
    workers inherit it (no pickling, no second read of the bodies) and nothing outlives the build."""

    templates_dir: Path
    staging: Path
    cache: Cache
    """Bodies not handed over in `bodies` (none, normally) are read from here; its folder holds the
    compiled templates."""
    bodies: Mapping[str, RenderedBody]
    templates: Templates | None = None
    """Made on first use in each process."""


def _render_page_job(shared: _PageRendering, job: tuple[str, str, PageBase, str | None]) -> tuple[str, str | None]:
    """Render one page into the staging folder (in a worker or in-process); returns its path and any error."""
    path, template, page, body_key = job
    from ..markdown import RenderedBody
    from .templates import TemplateError, Templates

    if shared.templates is None:
        shared.templates = Templates(shared.templates_dir, shared.cache.folder / "jinja")
    try:
        if body_key is not None:
            body = shared.bodies.get(body_key)
            if body is None:
                body = shared.cache.load("bodies", body_key)
            if not isinstance(body, RenderedBody):
                return path, _("the rendered body of {path} is missing from the cache; build again").format(
                                 path=path)
            page = replace(page, body_html=body.html)
        html = shared.templates.render(template, page)
    except TemplateError as exc:
        return path, str(exc)
    target = shared.staging / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html.encode("utf-8"))
    return path, None


def _write_pages(writer: OutputWriter, jobs: list[PageJob], inputs: SiteInputs, config: SiteConfig,
                 cache: Cache, previous: build_state.BuildState | None, new_state: build_state.BuildState,
                 options: BuildOptions, progress: Progress | None, bodies: dict[str, RenderedBody]) -> int:
    """Render the pages whose record changed; carry the others over. Returns how many were rendered."""
    from .templates import Templates

    Templates(config.templates_dir)  # a missing templates folder is reported before any work
    todo = []
    for job in jobs:
        # Records show a language by its code (`LanguageConfig.strings` is left out of its repr),
        # so the whole configuration is part of every page's key.
        key = job.key if job.page is None else digest("page", inputs.templates, inputs.config, job.template,
                                                       repr(job.page), job.body_key or "")
        new_state.files[job.path] = key
        if writer.keep(job.path, key, previous.files.get(job.path) if previous else None):
            continue
        if job.page is None:
            raise PublisherError(_("{job_path} is missing from the previous output; delete {cache_folder} "
                                   "and build again").format(job_path=job.path, cache_folder=cache.folder))
        writer.fresh_path(job.path)  # make the folder, check the path, clear the spare's file
        todo.append((job.path, job.template, job.page, job.body_key))
    errors = []
    render = partial(_render_page_job, _PageRendering(config.templates_dir, writer.staging, cache, bodies))
    # A page takes 2-3 ms: workers (forked, each loading the templates again) pay off from about 64 pages,
    # more than an edit of one article re-renders.
    for done, (path, error) in enumerate(_run(render, todo, options, threshold=64), start=1):
        if error:
            errors.append(error)
        if progress:
            progress("pages", done, len(todo))
    if errors:
        from .templates import TemplateError
        raise TemplateError(errors[0])
    writer.files_written += len(todo)
    return len(todo)
