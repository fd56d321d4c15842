"""The social cards and image variants a build must make, made on the cores the rest of the build leaves idle.

A cold build draws a card for every page (about 7 ms of CPU each, 22 ms over a hero) and makes the
responsive copies of every image (about 0.1 s of CPU each). No page needs them to be written or indexed;
only the output needs them, before it goes live. So when there are many, a background process makes them at
a low priority (nice 10) while the bodies are rendered and the pages written and indexed: the serial steps
and Pagefind (loading its dictionaries, writing its files) leave about one core idle for seconds at a time,
and it fills that core. One process, not one per core: a card worker holds about 80 MB of font faces, and
Pagefind's run is the build's peak of memory. When the build reaches the end (`MediaMaking.wait`), its own
process takes the jobs still waiting, beside the background, and writes their files last, just before the
swap. A few (an edit's) are made at once, in the build's process, before the bodies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..errors import PublisherError
from ..i18n import _
from ..parallel import Background, BackgroundDied, run_parallel
from .cards import draw_job, missing_cards
from .images import make_variants_job

if TYPE_CHECKING:
    from ..cache import Cache
    from .cards import Card
    from .images import ImageProcessor, ResponsiveImage, Variant

BACKGROUND_FROM = 16
"""Jobs (a card group or an image's variants) from which they are made in the background: fewer take less
time than the process costs to start and to wait for."""

NICENESS = 10
"""The background's priority below the build's: it takes the idle core, not the pages' or Pagefind's."""

Progress = Callable[[str, int, int], None]
Job = tuple[Callable[[Any], int], Any]


@dataclass
class MediaMaking:
    """Cards and variants being made; the build writes the files of `waiting` after `wait`."""

    waiting: frozenset[str]
    """Output paths whose files are still being made (empty when they were made at once)."""
    jobs: list[Job]
    """Every job, in the order they are taken."""
    taken: Any = None
    """The number of the next job to take, shared with the background (`multiprocessing.Value`)."""
    background: Background | None = None
    made_here: int = 0
    """Jobs of the background's list that `wait` made in the build's process."""

    def wait(self, progress: Progress | None) -> None:
        """Return once every file is in the cache, having made the jobs not yet taken here too; raise what
        stopped it (an image that cannot be read)."""
        if self.background is None:
            return
        while (index := _take(self.taken)) < len(self.jobs):
            if progress:
                progress("images", index, len(self.jobs))
            _call(self.jobs[index])
            self.made_here += 1
        try:
            self.background.wait()
        except BackgroundDied:
            raise PublisherError(_("the process making the social cards and the smaller copies of the images "
                                   "stopped (out of memory, or killed); build again")) from None
        if progress:
            progress("images", len(self.jobs), len(self.jobs))

    def cancel(self) -> None:
        """Make no more (the build failed or was interrupted): what is in the cache stays, complete."""
        if self.background is not None:
            self.background.cancel()


def make_missing(cache: Cache, cards: Sequence[Card], images: ImageProcessor,
                 variants: Sequence[tuple[ResponsiveImage, Variant]], held: Mapping[str, str],
                 workers: int | None, progress: Progress | None) -> MediaMaking:
    """Start making the cards and variants missing from the cache (`held`: what the current output holds,
    path -> key, is only noted as used): in the background when there are many, else now, on `workers`."""
    card_jobs = missing_cards(cache, cards, held)
    variant_jobs = images.missing_variants(variants, held)
    # The longest jobs first (an image's variants: about 0.1 s each), so that the end is short jobs.
    jobs: list[Job] = [(make_variants_job, job) for job in variant_jobs] + [(draw_job, job) for job in card_jobs]
    if len(jobs) < BACKGROUND_FROM or not hasattr(os, "fork") or (workers or os.cpu_count() or 1) <= 1:
        for done, _made in enumerate(run_parallel(_call, jobs, workers, threshold=4), start=1):
            if progress:
                progress("images", done, len(jobs))
        return MediaMaking(frozenset(), jobs)
    drawn = {card.key for _folder, group in card_jobs for card in group}
    waiting = {card.path for card in cards if card.key in drawn}
    waiting.update(variant.path for _images, _image, made in variant_jobs for variant in made)
    taken = get_context("fork").Value("q", 0)
    background = Background(_make_taken, jobs, taken, name="publish-images", niceness=NICENESS)
    return MediaMaking(frozenset(waiting), jobs, taken, background)


def _make_taken(jobs: list[Job], taken: Any) -> int:
    """In the background process: take the next job until none is left; returns how many it made."""
    made = 0
    while (index := _take(taken)) < len(jobs):
        made += _call(jobs[index])
    return made


def _take(taken: Any) -> int:
    """The number of the next job, counted as taken (by whichever process asks first)."""
    with taken.get_lock():
        index = taken.value
        taken.value = index + 1
    return index


def _call(job: Job) -> int:
    function, argument = job
    return function(argument)
