"""The social cards and image variants a build must make, made on the cores the rest of the build leaves idle.

A cold build draws a card for every page (about 7 ms of CPU each, 22 ms over a hero) and makes the
responsive copies of every image (about 0.1 s of CPU each). No page needs them to be written or indexed;
only the output needs them, before it goes live. So when there are many, a background process makes them on
every core at a low priority (nice 10) while the pages are written and Pagefind indexes them: Pagefind
leaves about one core idle for seconds at a time (loading its dictionaries, writing its files), and they
fill it. The build waits for them (`MediaMaking.wait`) just before the site goes live, and writes their
files then. A few (an edit's) are made at once, in this process, before the pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

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
"""The background's priority below the build's: it takes the idle cores, not the pages' or Pagefind's."""

Progress = Callable[[str, int, int], None]


@dataclass
class MediaMaking:
    """Cards and variants being made; the build writes the files of `waiting` after `wait`."""

    waiting: frozenset[str]
    """Output paths whose files are still being made (empty when they were made at once)."""
    jobs: int
    """How many jobs (for the progress display)."""
    background: Background | None = None

    def wait(self, progress: Progress | None) -> None:
        """Return once every file is in the cache; raise what stopped it (an image that cannot be read)."""
        if self.background is None:
            return
        if progress:
            progress("images", 0, self.jobs)
        try:
            self.background.wait()
        except BackgroundDied:
            raise PublisherError(_("the process making the social cards and the smaller copies of the images stopped (out "
                                   "of memory, or killed); build again")) from None
        if progress:
            progress("images", self.jobs, self.jobs)

    def cancel(self) -> None:
        """Make no more (the build failed or was interrupted): what is in the cache stays, complete."""
        if self.background is not None:
            self.background.cancel()


def make_missing(cache: Cache, cards: Sequence[Card], images: ImageProcessor,
                 variants: Sequence[tuple[ResponsiveImage, Variant]], held: Mapping[str, str],
                 workers: int | None, progress: Progress | None) -> MediaMaking:
    """Start making the cards and variants missing from the cache (`held`: what the current output holds,
    path -> key, is only noted as used): in the background when there are many, else now."""
    card_jobs = missing_cards(cache, cards, held)
    variant_jobs = images.missing_variants(variants, held)
    # The longest jobs first (an image's variants: about 0.1 s each), so no core is left with one at the end.
    jobs = [(make_variants_job, job) for job in variant_jobs] + [(draw_job, job) for job in card_jobs]
    if len(jobs) < BACKGROUND_FROM or not hasattr(os, "fork") or (workers or os.cpu_count() or 1) <= 1:
        for done, _made in enumerate(run_parallel(_call, jobs, workers, threshold=4), start=1):
            if progress:
                progress("images", done, len(jobs))
        return MediaMaking(frozenset(), len(jobs))
    drawn = {card.key for _folder, group in card_jobs for card in group}
    waiting = {card.path for card in cards if card.key in drawn}
    waiting.update(variant.path for _images, _image, made in variant_jobs for variant in made)
    background = Background(_make_all, jobs, workers, name="publish-images", niceness=NICENESS)
    return MediaMaking(frozenset(waiting), len(jobs), background)


def _make_all(jobs: list[tuple[Callable[[object], int], object]], workers: int | None) -> int:
    """In the background process: every job, on every core (its workers inherit its priority)."""
    return sum(run_parallel(_call, jobs, workers, threshold=2))


def _call(job: tuple[Callable[[object], int], object]) -> int:
    function, argument = job
    return function(argument)
