"""What a build is asked to do (`BuildOptions`) and the hook features join it by (`Contributor`).

Apart from the build's intermediate data (`plan.py`) because every command
that builds imports these first, and a build with nothing to do must not pay
for importing the Markdown parser, the templates and the image libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Protocol

from ..errors import Problem

if TYPE_CHECKING:
    from ..cache import Memory
    from ..config import SiteConfig
    from ..content import Site


@dataclass(frozen=True)
class BuildOptions:
    now: datetime
    """The instant the site is built "as of" (timezone-aware)."""
    include_drafts: bool = False
    """Also build drafts and pages in review (with a banner and noindex)."""
    include_future: bool = False
    """Also build published pages whose release time has not come (with a banner and noindex)."""
    out_dir: Path | None = None
    """Output folder; default `site.output_dir`."""
    jobs: int | None = None
    """Worker processes for rendering; None: one per CPU core; 1: render in this process."""
    contributors: "tuple[Contributor, ...]" = ()
    """Features that add to the output (`publisher.pdf.contributor.PdfContributor`: the PDFs)."""
    extra_files: "Contributor | None" = None
    """One more contributor: the preview's `/_preview/` pages."""
    pdfs: bool = True
    """Make the PDFs (`[pdf] enabled` permitting, with the PDF contributor); the preview server turns them
    off for quick rebuilds and makes each PDF on request instead."""
    memory: "Memory | None" = field(default=None, compare=False, repr=False)
    """What a long-running process keeps between its builds of the site (`cache.Memory`: the preview
    server's); None: every build reads the cache anew."""
    changed_folders: frozenset[str] | None = None
    """The names of the only article folders that can have changed since the content was last scanned, as
    a file watcher reported them (the preview server); the others are taken as unchanged without a look.
    None (the default): every folder is checked."""
    prune_cache: bool = True
    """At the build's end, drop from the cache what the last builds did not use (`Cache.prune`). The preview
    server leaves that to its quiet moments: the prune that drops an earlier version's entries removes
    thousands of files and compacts the index (seconds at 1,000 articles), which must not stand between a
    save and the reloaded tab."""
    private_output: bool = False
    """The output folder is the calling process's own (the preview server's temporary folder): nothing else
    writes to it or removes from it between its builds, so the build trusts its own record of what the
    folder holds instead of looking (the previous pages are not checked for, the spare's leftovers are
    removed by name: `OutputWriter(private=True)`). About 45 ms of each rebuild at 1,000 articles."""

    @property
    def is_preview(self) -> bool:
        return self.include_drafts or self.include_future

    @property
    def all_contributors(self) -> "tuple[Contributor, ...]":
        return self.contributors + ((self.extra_files,) if self.extra_files is not None else ())


@dataclass(frozen=True)
class Contribution:
    """What a contributor adds to a build's output."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    """Generated files by path in the output; none may replace a file of the site's own."""
    article_pdfs: Mapping[tuple[str, str], Path] = field(default_factory=dict)
    """(slug, lang) -> the PDF of that article page: copied to `<lang>/<slug>/<slug>.pdf`, linked from the page."""
    warnings: tuple[Problem, ...] = ()
    """What the contributor could not make and left out (the build goes on; `publish` prints them)."""
    search: bool = False
    """The contributor indexes the written site for search (`after_write`): the site then has a search page
    per language (`<lang>/search/`) and a search box on its index pages."""
    unfinished: "Unfinished | None" = None
    """Files of `article_pdfs` still being made (the PDFs of an edit, rendered while the pages are written
    and indexed); the build waits for them just before the new site goes live."""


class Unfinished(Protocol):
    """What a contributor is still making while the build goes on (`Contribution.unfinished`)."""

    article_pdfs: frozenset[tuple[str, str]]
    """The (slug, lang) entries of `Contribution.article_pdfs` not made yet: their pages are written first
    without the PDF's size, and again with it once `wait()` returns."""

    def wait(self) -> Contribution:
        """Block until they are made; the contribution as it then stands: `article_pdfs` less the ones that
        could not be made, and a warning for each of those."""
        ...

    def cancel(self) -> None:
        """The build stopped: make no more (called in any case once the build is over; after `wait()` a
        no-op)."""
        ...


class Contributor(Protocol):
    """A feature that adds to a build's output (`BuildOptions.contributors`): site packages never import it.

    Called once the site is loaded, before the pages are gathered, with every
    article (visible or not); returns a `Contribution`, or a mapping of
    generated files `{path in the output: bytes}`. What it makes may depend
    only on the site's files and the build options, since an unchanged site is
    not rebuilt; `name` (with the code version) goes into the build's input
    digest. A contributor that also reads files outside the article folders may
    have a method `inputs(config) -> str` (a digest of them), which joins the
    digest too.

    A contributor may also have a method `after_write(config, written: WrittenSite, options) -> AfterWrite`,
    called once the new site is written into the staging folder `written.folder` (every file of the new
    site, nothing else) and before it takes the place of the old one: it reads that tree, writes nothing
    into it (but for a folder of its own it removes before returning), and returns more files for the
    output (the search index, made from the written pages), new or carried over from the current output.
    An unchanged site is not rebuilt, so it is not called then either. PDFs still being made
    (`Contribution.unfinished`) are not in the tree yet, and their pages do not show their size yet: such
    a step says what it reads of a page with a method `reads(path, html: bytes) -> object`, and is run
    again on the finished pages when what it reads of one of them changed (without that method: always).
    A step whose files all lie in one folder of the output may name it (`output_folder = "pagefind/"`):
    the files the staging tree already holds there (from the spare) are left for it to keep at no cost,
    and those it neither keeps nor writes are removed after it.

    Such a step may also have a method `prepare(config, memo) -> object | None`, called as soon as a build
    knows it has something to do, with the step's memo of the output's previous build (empty for a first
    build): what it starts there works beside the build (Pagefind loading its dictionaries while the site
    loads). The object's `site_loaded(site)`, if it has one, is called once the site is loaded (it may stop
    what it started); the object comes back to `after_write` as `WrittenSite.prepared`, and its `close()`
    is called when the build ends, whatever ends it.
    """

    name: str

    def __call__(self, config: "SiteConfig", site: "Site",
                 options: BuildOptions) -> "Contribution | Mapping[str, bytes]": ...


@dataclass(frozen=True)
class WrittenSite:
    """What an `after_write` step is given: the new site, staged, and what the current output holds."""

    folder: Path
    """The new site, written in full (its staging folder): read it, never write into it."""
    files: Mapping[str, str]
    """Every file of the new site: path -> content key (equal keys, equal bytes)."""
    previous_folder: Path
    """The current output (the previous build), still live while the step runs."""
    previous_files: Mapping[str, str]
    """What the current output holds, by the same keys; empty when its build is not known (a cold build)."""
    memo: Mapping[str, object]
    """`AfterWrite.memo` of this contributor's previous build of the same output; empty for a cold build."""
    prepared: object = None
    """What the contributor's `prepare` returned at the start of this build (None: no such method)."""


@dataclass(frozen=True)
class AfterWrite:
    """What an `after_write` step adds to the output."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    """Files made by the step, by path in the output."""
    kept: Mapping[str, str] = field(default_factory=dict)
    """Files of the current output carried over as they are: path -> its key in `WrittenSite.previous_files`."""
    memo: Mapping[str, object] = field(default_factory=dict)
    """Remembered for the step's next build of the same output (JSON data): `WrittenSite.memo` then."""
    remade: tuple[str, ...] = ()
    """What the step made anew, for the build's report (the search: the languages indexed again)."""
