"""The house style as `publish check` knows it: slips that CommonMark accepts and the page shows wrong
(a `②` run into `①`'s paragraph, `↓` glued to a sentence, a section without `##`, a sub-block line
without `###`, an unclosed tagline), tags that are one tag by mistake or a near-copy of another, and
published pages without a summary, tags or text in a section. All are warnings, at their line, with the
fix; `publish check --strict` fails on them.

    site_warnings(site) -> tuple[Problem, ...]
    body_warnings(path, body, body_line, lang, published=False) -> list[Problem]
"""

from __future__ import annotations

from ..cache import Cache, digest
from ..codeclosure import code_version_of
from ..content.model import Site, Status
from ..errors import Problem
from ..site.cached_map import cached_map
from .body import body_warnings
from .fields import document_field_warnings, field_lines, similar_tag_warnings
from .images import image_variant_notes

__all__ = ["body_warnings", "image_variant_notes", "site_warnings"]


def site_warnings(site: Site, cache: Cache | None = None) -> tuple[Problem, ...]:
    """Every house-style warning of every loaded article, file by file, in line order. With a `cache`, each
    body's warnings are kept there by what they depend on (its text, place, language and status, and this
    code), so a check parses only the bodies changed since."""
    found: list[Problem] = []
    documents = []
    code = code_version_of(__name__)
    jobs: dict[str, tuple] = {}
    keyed = []
    for article in site.articles:
        for document in article.documents:
            published = document.status is Status.PUBLISHED and article.source.status is Status.PUBLISHED
            key = digest(_KIND, code, str(document.path), document.body, str(document.body_line), document.lang,
                         str(published))
            jobs[key] = (document.path, document.body, document.body_line, document.lang, published)
            keyed.append((document, key))
    bodies = cached_map(cache, _KIND, jobs, _body_warnings_of, _is_problems)
    for document, key in keyed:
        lines = field_lines(document.path)
        documents.append((document, lines))
        found.extend(document_field_warnings(document, lines))
        found.extend(bodies[key])
    found.extend(similar_tag_warnings(documents))
    found.sort(key=lambda problem: (str(problem.path), problem.line or 0))
    return tuple(found)


_KIND = "house-style"
"""The build cache's kind for each body's house-style warnings."""


def _body_warnings_of(job: tuple) -> list[Problem]:
    path, body, body_line, lang, published = job
    return body_warnings(path, body, body_line, lang, published=published)


def _is_problems(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(problem, Problem) for problem in value)
