"""The records the sources package hands to drafting and the fact check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PublisherError


class SourceError(PublisherError):
    """A source document cannot be used; the message names the file and says what to do."""


@dataclass(frozen=True)
class SourceDocument:
    """One source file, read and cleaned."""

    path: Path
    """The file read."""
    name: str
    """How articles refer to it: its path relative to the article folder, e.g. `sources/report.pdf`."""
    kind: str
    """`txt`, `md`, `pdf` or `csv`."""
    text: str
    """Cleaned text: one paragraph, heading or table row per line (Markdown keeps its blank lines)."""
    lines: tuple[int, ...]
    """For each line of `text`, the line (text files) or page (PDF) of the original it starts on."""
    ends: tuple[int, ...] = ()
    """For each line of `text`, the original line or page it ends on (a joined line spans several);
    empty means the same as `lines`."""

    @property
    def unit(self) -> str:
        """What `lines` counts: `p.` (PDF pages) or `L` (lines of the file)."""
        return "p." if self.kind == "pdf" else "L"

    def end_of(self, index: int) -> int:
        """The original line/page where line `index` (0-based) of `text` ends."""
        return self.ends[index] if self.ends else self.lines[index]


@dataclass(frozen=True)
class Passage:
    """A run of lines of one source document: what a source marker points at."""

    source: str
    """`SourceDocument.name` of the document."""
    start: int
    """First line of the passage in the document's `text` (1-based)."""
    end: int
    """Last line (inclusive)."""
    text: str
    """The passage's text."""
    where: str
    """What a writer can find in the original: `L120-L135` (lines of a text file) or `p.12` (PDF page)."""

    @property
    def anchor(self) -> str:
        """`sources/report.pdf#p.12`: the form source markers use."""
        return f"{self.source}#{self.where}"
