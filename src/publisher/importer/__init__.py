"""`publish import`: pages exported from the old site (plain text or saved HTML) -> article folders.

Stages: `reading` (bytes -> cleaned lines; `html` for saved pages), `parse`
(header, furniture, notices) with `body` (hand-broken lines -> blocks),
`compose` (blocks -> Markdown and frontmatter), `run` (slugs, related links,
atomic writing, the report).
"""

from .model import FileReport, ImportOptions, ImportReport, Outcome, ParsedPage
from .run import format_report, import_pages

__all__ = ["FileReport", "ImportOptions", "ImportReport", "Outcome", "ParsedPage", "format_report", "import_pages"]
