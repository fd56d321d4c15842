"""`glossary.csv`: terms with a fixed translation (or none: kept as they are).

Columns: the source language (`ja`), one column per target language (`zh`,
`en` ...), and `note`. An empty target cell means "keep the term as is".
Only the terms that occur in a batch are sent with it, and the reply is
checked for them.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, ProblemsError
from ..i18n import _
from .protect import PLACEHOLDER, protect


@dataclass(frozen=True)
class Term:
    """One glossary entry for one target language."""

    source: str
    """The term as it appears in the source."""
    target: str
    """What it must become (equal to `source` when the term is kept as is)."""
    note: str
    """Guidance for the translator (sent to the model)."""


@dataclass(frozen=True)
class Glossary:
    """The terms for one target language, longest first (so 粤港澳大湾区 wins over 大湾区)."""

    terms: tuple[Term, ...]

    def found_in(self, text: str) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.source in text)

    def terms_in(self, text: str) -> tuple[Term, ...]:
        """The terms in the translatable part of a block (not inside code, URLs or HTML)."""
        return self.found_in(PLACEHOLDER.sub(" ", protect(text).text))

    def digest(self, text: str) -> str:
        """Short hash of the entries that bind `text`: it changes when one of them is edited."""
        terms = "|".join(sorted(f"{t.source}={t.target}" for t in self.terms_in(text)))
        return hashlib.sha256(terms.encode()).hexdigest()[:8]


def load_glossary(path: Path, source_lang: str, target_lang: str) -> Glossary:
    """The glossary for `target_lang`; an empty one when the file does not exist."""
    if not path.is_file():
        return Glossary(())
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise ProblemsError((Problem(path, None, "encoding", _("the glossary is not UTF-8; save it as UTF-8 "
                                                               "CSV")),),
                            _("fix glossary.csv")) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return Glossary(())
    header = [cell.strip() for cell in rows[0]]
    problems: list[Problem] = []
    if source_lang not in header:
        raise ProblemsError((Problem(path, 1, "header", _("no `{source_lang}` column; the first line must "
                                                          "name the columns, e.g. "
                                                          "`{source_lang},{target_lang},note`").format(
            source_lang=source_lang, target_lang=target_lang)),), _("fix glossary.csv"))
    source_col = header.index(source_lang)
    if target_lang not in header:
        return Glossary(())  # no column for this language: no terms bind it
    target_col = header.index(target_lang)
    note_col = header.index("note") if "note" in header else None
    terms: dict[str, Term] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(path, number, "row", _("has {count} cells, the header has {columns}; "
                                                           "quote cells that contain commas").format(
                count=len(row), columns=len(header))))
            continue
        source = row[source_col].strip()
        if not source:
            problems.append(Problem(path, number, source_lang, _("the source term is empty; fill it or "
                                                                 "delete the row")))
            continue
        if source in terms:
            problems.append(Problem(path, number, source_lang, _("{source!r} is listed twice; keep one row").format(
                source=source)))
            continue
        target = row[target_col].strip()
        terms[source] = Term(source, target or source, row[note_col].strip() if note_col is not None else "")
    if problems:
        raise ProblemsError(tuple(problems), _("fix glossary.csv"))
    return Glossary(tuple(sorted(terms.values(), key=lambda t: (-len(t.source), t.source))))
