"""The house style as `publish check` knows it: slips that CommonMark accepts and the page shows wrong
(a `②` run into `①`'s paragraph, `↓` glued to a sentence, a section without `##`, a sub-block line
without `###`, an unclosed tagline), tags that are one tag by mistake or a near-copy of another, and
published pages without a summary, tags or text in a section. All are warnings, at their line, with the
fix; `publish check --strict` fails on them.

    site_warnings(site) -> tuple[Problem, ...]
    body_warnings(path, body, body_line, lang, published=False) -> list[Problem]
"""

from __future__ import annotations

from ..content.model import Site, Status
from ..errors import Problem
from .body import body_warnings
from .fields import document_field_warnings, field_lines, similar_tag_warnings
from .images import image_variant_notes

__all__ = ["body_warnings", "image_variant_notes", "site_warnings"]


def site_warnings(site: Site) -> tuple[Problem, ...]:
    """Every house-style warning of every loaded article, file by file, in line order."""
    found: list[Problem] = []
    documents = []
    for article in site.articles:
        for document in article.documents:
            lines = field_lines(document.path)
            documents.append((document, lines))
            published = document.status is Status.PUBLISHED and article.source.status is Status.PUBLISHED
            found.extend(document_field_warnings(document, lines))
            found.extend(body_warnings(document.path, document.body, document.body_line, document.lang,
                                       published=published))
    found.extend(similar_tag_warnings(documents))
    found.sort(key=lambda problem: (str(problem.path), problem.line or 0))
    return tuple(found)
