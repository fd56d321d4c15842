"""The new site, staged and not live yet: the contributors' steps that read it, and what they were still making.

`build.py` writes every page and file into the staging folder, then:

1. `after_write_steps`: each contributor's `after_write` (the search index)
   reads the staged site and adds its files;
2. `finish_unfinished`: waits for what contributors were still making while
   that went on (the PDFs of an edit, `Contribution.unfinished`), writes the
   pages of those PDFs again with the PDF's size (or without the PDF, when it
   could not be made), copies the PDFs in, and runs the steps of 1. again when
   what one of them reads of a page written again changed.

Then the build swaps the staged site in.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from ..cache import digest
from ..errors import PublisherError
from ..i18n import _
from . import state as build_state
from .options import AfterWrite, BuildOptions, Unfinished, WrittenSite
from .sizes import file_size_text
from .writer import OutputWriter

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..content import Site
    from .plan import PageJob

#: `progress(step, done, total)`, as `build.Progress`.
Progress = Callable[[str, int, int], None]


def write_or_keep(writer: OutputWriter, path: str, key: str, previous: build_state.BuildState | None,
                  new_state: build_state.BuildState, write: Callable[[], None]) -> bool:
    """Keep `path` from the current output when its key is unchanged, else write it; True if written."""
    new_state.files[path] = key
    if writer.keep(path, key, previous.files.get(path) if previous else None):
        return False
    write()
    return True


def file_key(path: Path) -> str:
    """The key of a file copied into the output (by its path, size and modification time)."""
    stat = path.stat()
    return digest(str(path), str(stat.st_size), str(stat.st_mtime_ns))


@dataclass(frozen=True)
class StepsDone:
    """What the `after_write` steps did."""

    remade: dict[str, tuple[str, ...]]
    """Contributor name -> what its step made anew (the search: the languages it indexed)."""
    paths: frozenset[str]
    """The files the steps added to the new site (written or carried over)."""


def prepare_steps(config: SiteConfig, options: BuildOptions, previous: build_state.BuildState | None,
                  stop: ExitStack) -> dict[str, object]:
    """What the `after_write` steps start as a build with something to do begins (`prepare`, see
    `options.Contributor`), by contributor name; each closed by `stop` when the build ends."""
    prepared: dict[str, object] = {}
    for contributor in _steps(options):
        prepare = getattr(contributor, "prepare", None)
        memo = previous.memos.get(contributor.name, {}) if previous is not None else {}
        if callable(prepare) and (started := prepare(config, memo)) is not None:
            stop.callback(started.close)
            prepared[contributor.name] = started
    return prepared


def tell_site_loaded(prepared: Mapping[str, object], site: Site) -> None:
    """Give what `prepare` started the loaded site (its `site_loaded`, if it has one): it may stop now."""
    for started in prepared.values():
        site_loaded = getattr(started, "site_loaded", None)
        if callable(site_loaded):
            site_loaded(site)


def after_write_steps(writer: OutputWriter, config: SiteConfig, options: BuildOptions,
                      previous: build_state.BuildState | None, new_state: build_state.BuildState,
                      progress: Progress | None, cache_folder: Path, prepared: Mapping[str, object]) -> StepsDone:
    """The contributors' `after_write` steps (the search index): they read the new site as written, before
    it goes live, and their files join it. `prepared`: what `prepare_steps` started."""
    steps = _steps(options)
    if steps:  # the staging tree holds the new site and nothing else, but for what the steps may keep
        writer.prune(reserve=tuple(folder for step in steps if (folder := getattr(step, "output_folder", None))))
    remade, paths = {}, set()
    for contributor in steps:
        if progress:
            progress(contributor.name, 0, 1)
        written = WrittenSite(writer.staging, dict(new_state.files), writer.target,
                              previous.files if previous is not None else {},
                              previous.memos.get(contributor.name, {}) if previous is not None else {},
                              prepared.get(contributor.name))
        made = contributor.after_write(config, written, options)
        made = made if isinstance(made, AfterWrite) else AfterWrite(files=dict(made))
        for path in (*made.files, *made.kept):
            if path in written.files:
                raise PublisherError(_("{hook} would replace the site's own {path}; "
                                       "rename the page that uses this path").format(hook=contributor.name, path=path))
        for path, data in made.files.items():
            write_or_keep(writer, path, digest(data), previous, new_state,
                          lambda p=path, d=data: writer.write_bytes(p, d))
        for path, key in made.kept.items():
            write_or_keep(writer, path, key, previous, new_state, partial(_gone, path, cache_folder))
        paths.update(made.files, made.kept)
        new_state.memos[contributor.name] = dict(made.memo)
        remade[contributor.name] = made.remade
        if progress:
            progress(contributor.name, 1, 1)
    if steps:
        writer.drop_reserved()
    return StepsDone(remade, frozenset(paths))


def _steps(options: BuildOptions) -> list:
    """The contributors that have an `after_write` step."""
    return [c for c in options.all_contributors if callable(getattr(c, "after_write", None))]


def _gone(path: str, cache_folder: Path) -> None:
    """A file to carry over that the current output no longer has (removed behind the build's back)."""
    raise PublisherError(_("{job_path} is missing from the previous output; delete {cache_folder} "
                           "and build again").format(job_path=path, cache_folder=cache_folder))


def finish_unfinished(unfinished: Sequence[Unfinished], pages: Sequence[PageJob], writer: OutputWriter,
                      new_state: build_state.BuildState, options: BuildOptions, steps: StepsDone,
                      write_pages: Callable[[list[PageJob]], int],
                      copy: Callable[[str, Path], None], run_steps: Callable[[], StepsDone]) -> StepsDone:
    """Wait for what contributors were still making; write the pages of those PDFs again, as they now stand,
    and copy the PDFs in; the warnings of what could not be made go to `new_state.warnings`. Returns what the
    `after_write` steps did: `steps`, or what they did when run again (see the module's docstring)."""
    by_path = {job.path: job for job in pages}
    again: list[PageJob] = []
    for pending in unfinished:
        final = pending.wait()
        new_state.warnings.extend(final.warnings)
        for slug, lang in sorted(pending.article_pdfs):
            pdf = final.article_pdfs.get((slug, lang))
            path = f"{lang}/{slug}/index.html"
            job = by_path.get(path)
            if job is not None and job.page is not None:
                page = (replace(job.page, pdf_size=file_size_text(pdf.stat().st_size)) if pdf is not None
                        else replace(job.page, pdf_href=None, pdf_size=None))
                again.append(replace(job, page=page))
            if pdf is not None:
                copy(f"{lang}/{slug}/{slug}.pdf", pdf)
            else:  # its page links to no PDF now: never carry it over as it is (the next build tries again)
                new_state.page_inputs.pop(path, None)
    if not again:
        return steps
    before = {job.path: (writer.staging / job.path).read_bytes() for job in again}
    write_pages(again)
    readers = _steps(options)
    for job in again:
        html = (writer.staging / job.path).read_bytes()
        if html != before[job.path] and any(
                not callable(getattr(c, "reads", None)) or c.reads(job.path, html) != c.reads(job.path, before[job.path])
                for c in readers):
            return _run_again(steps, writer, new_state, run_steps)
    return steps


def _run_again(steps: StepsDone, writer: OutputWriter, new_state: build_state.BuildState,
               run_steps: Callable[[], StepsDone]) -> StepsDone:
    """The `after_write` steps read a page that changed since: withdraw what they added, and run them again."""
    for path in steps.paths:
        writer.withdraw(path)
        new_state.files.pop(path, None)
    return run_steps()
