"""Source documents for drafting and the fact check: read, cleaned, cut into passages.

    read_source(path, name) -> SourceDocument
    split_passages(doc, max_chars) -> list[Passage]
    find_passage(docs, anchor) -> Passage | None    # "sources/report.pdf#p.12" back to its text

See /README.md "Sources and the fact check" for the file formats and markers.
"""

from .model import Passage, SourceDocument, SourceError
from .passages import find_passage, split_passages
from .reading import KINDS, read_source

__all__ = ["KINDS", "Passage", "SourceDocument", "SourceError", "find_passage", "read_source", "split_passages"]
