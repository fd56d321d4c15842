"""What `publish draft` is asked and answers: options, the outline, the report, and the house-style marks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ...errors import Problem, PublisherError
from ...llm.usage import UsageSummary


PROMPT_VERSION = "draft-1"
"""Part of the resume key: answers of an older prompt are not reused."""

BACKUP_DIR = ".draft-backup"
"""Folder under the content folder keeping articles replaced with `--force` (publish ignores dot-folders)."""

DEFAULT_WORDS = 6000
"""Default article length in characters of the source language (the house style: 5,000 to 20,000)."""

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FILLED = "❶❷❸❹❺❻❼❽❾❿"
MAX_PASSAGE_CHARS = 600
"""Longest passage sent; smaller when the budget is small."""

class DraftError(PublisherError):
    """Drafting stopped; nothing was written."""


@dataclass(frozen=True)
class DraftOptions:
    """What `publish draft` was asked to do."""

    brief: str
    """What the article should say, for whom, and its angle."""
    sources: tuple[Path, ...]
    """Source documents (.txt, .md, .pdf, .csv), copied into the article's `sources/`."""
    now: datetime
    """When the draft is made: its `date`, and the name of a `--force` backup."""
    code: str | None = None
    """Series code (`中国G96`)."""
    slug: str | None = None
    """Folder name; default: romanised from the code and title, as `publish import` does."""
    words: int = DEFAULT_WORDS
    """Target length in characters of the source language."""
    title: str | None = None
    """The title; default: the outline's."""
    force: bool = False
    """Replace an existing article folder, keeping it in `articles/.draft-backup/`."""


@dataclass(frozen=True)
class SectionPlan:
    """One section as the outline planned it."""

    number: int
    """1-based position (the `## N.` number)."""
    heading: str
    """The heading, without its number."""
    plan: str
    """What the section says and which facts it needs."""
    keywords: tuple[str, ...]
    """Words to find its passages with."""
    series_label: str
    """`特徴` for `### 【特徴❶】…` sub-blocks; empty when the section has none."""
    series_items: tuple[str, ...]
    """Names of the sub-blocks."""


@dataclass(frozen=True)
class Outline:
    """The article as planned."""

    title: str
    """The title (`--title` wins over the model's)."""
    summary: str
    """One or two sentences for the frontmatter's `summary`."""
    tags: tuple[str, ...]
    """Tags for the frontmatter."""
    sections: tuple[SectionPlan, ...]
    """The numbered sections, in order."""


@dataclass(frozen=True)
class DraftReport:
    """What `publish draft` wrote and found."""

    path: Path
    """The new `ja.md`."""
    slug: str
    """The article's folder name."""
    sources: tuple[str, ...]
    """The sources as the article names them (`sources/report.txt`)."""
    sections: int
    """Sections written."""
    markers: int
    """Source markers in the body."""
    backup: Path | None
    """Where the replaced article went (`--force`), if one was replaced."""
    problems: tuple[Problem, ...]
    """What `publish check` says about the new article (warnings, the fact check's among them)."""
    factcheck: Any = None
    """The fact check's report (`publisher.factcheck.FactcheckReport`), None when it could not run."""
    notes: tuple[str, ...] = ()
    """Other things the writer should know."""
    usage: UsageSummary | None = None


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""
