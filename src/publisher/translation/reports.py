"""What `publish translate` is asked and reports, per run and per translation file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PublisherError
from ..llm.capabilities import Learned
from ..llm.usage import UsageSummary


class TranslationError(PublisherError):
    """A translation run stopped; what was finished is kept."""


@dataclass(frozen=True)
class TranslateOptions:
    """What `publish translate` was asked to do."""

    slugs: tuple[str, ...] = ()
    """Only these articles (all when empty)."""
    languages: tuple[str, ...] = ()
    """Only these target languages (all when empty)."""
    update_reviewed: bool = False
    """Also re-translate blocks marked for review (a person's text whose source changed)."""


@dataclass
class DocumentReport:
    """What happened to one translation file."""

    slug: str
    lang: str
    path: Path
    written: bool = False
    """The translation file was (re)written."""
    translated: int = 0
    """Blocks and fields sent to the model and accepted."""
    reused: int = 0
    """Taken from the cache (an earlier, interrupted run) or copied through."""
    failed: list[str] = field(default_factory=list)
    """Blocks that kept failing the checks, with the problems."""
    notes: list[str] = field(default_factory=list)
    """Other things a writer should know (needs review, edited by hand, blocks a person added)."""


@dataclass(frozen=True)
class TranslateReport:
    """The result of a run."""

    documents: tuple[DocumentReport, ...]
    usage: UsageSummary
    learned: tuple[Learned, ...] = ()
    """What the endpoint's refusals taught this run (also in the usage log)."""

    @property
    def failed(self) -> bool:
        return any(doc.failed for doc in self.documents)


@dataclass(frozen=True)
class AdoptReport:
    """What `--adopt` did for one translation."""

    slug: str
    lang: str
    adopted: int
    """Blocks and fields recorded as a person's translation."""
    unmatched: tuple[str, ...]
    """Where the structures differ (source and translation line numbers)."""
    skipped: str | None = None
    """Why nothing was done (no translation, already tracked)."""
