"""What a build depends on besides the articles, hashed once per build: whether a site, a listing or a page
is unchanged is decided from these digests and nothing else."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..cache import code_version, digest, tree_digest
from ..config import SiteConfig
from ..content import ContentScan
from ..limits import UnsafeFile, read_bounded
from . import state as build_state
from .options import BuildOptions

if TYPE_CHECKING:
    from .plan import Entry


@dataclass(frozen=True)
class SiteInputs:
    """Hashes of what every page depends on besides the articles, read once per build."""

    config: str
    """publisher.toml's bytes."""
    templates: str
    """Every file under the templates folder."""
    common: tuple[str, ...]
    """The above with the code version, the assets, the ranking file and the build options."""

    @classmethod
    def read(cls, config: SiteConfig, options: BuildOptions) -> "SiteInputs":
        config_digest, templates = digest(config.config_path.read_bytes()), tree_digest(config.templates_dir)
        ranking = "<no ranking>"
        if config.ranking is not None:
            try:
                ranking = digest(read_bounded(config.ranking.file))
            except (OSError, UnsafeFile):
                ranking = "<no ranking file>"
        common = (code_version(), config_digest, templates, tree_digest(config.assets_dir), ranking,
                  str(options.include_drafts), str(options.include_future), str(options.pdfs),
                  *(f"{c.name}:{_extra_inputs(c, config)}" for c in options.all_contributors),
                  str(options.now.astimezone(config.timezone).year))
        return cls(config_digest, templates, common)

    def site_digest(self, scan: ContentScan) -> str:
        """Everything the output depends on but the clock: equal digests (and no release instant
        crossed, see `crossed_release`) mean an equal site."""
        return digest(*self.common, scan.fingerprint)

    def listing_parts(self, entries: Sequence[Entry],
                      reading: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
        """(slug, lang) -> everything a page may show about that article page when it is not its own (a
        link with title, summary, date, reading time and mark; tags; hero), hashed: each goes into the keys of
        a dozen pages, and a short digest is hashed quicker than the Japanese text again. The listing digest is
        the hash of them all with `common`: when it is unchanged, an article page whose own article did not
        change, and every list page, are unchanged too."""
        parts = {}
        for e in entries:
            article, document = e.article, e.article.document(e.lang.code)
            assert document is not None
            parts[(article.slug, e.lang.code)] = digest(repr((
                article.slug, e.lang.code, e.visibility.value, article.code, article.date, article.publish_at,
                article.hero, article.related, article.source.tags, document.title, document.summary,
                document.hero_alt, document.tags, document.status, article.source.status,
                reading.get((article.slug, e.lang.code)))))
        return parts


def _extra_inputs(contributor: object, config: SiteConfig) -> str:
    """What a contributor reads besides the articles (its optional `inputs(config)`), e.g. the glossary."""
    inputs = getattr(contributor, "inputs", None)
    return inputs(config) if callable(inputs) else ""


def crossed_release(previous: build_state.BuildState, now: datetime) -> bool:
    """Whether a release instant lies between the previous build's `now` and this one."""
    if previous.built_at is None:
        return True
    before = datetime.fromisoformat(previous.built_at)
    low, high = min(before, now), max(before, now)
    return any(low < datetime.fromisoformat(instant) <= high for instant in previous.instants)
