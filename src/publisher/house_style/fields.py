"""House-style slips in the frontmatter: tags that are one tag by mistake or a near-copy of another,
and published pages without a summary or tags."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping

from ..content.frontmatter import read_document
from ..content.model import Document, Status
from ..errors import Problem
from ..i18n import _

_LIST_COMMAS = ("、", "，", "､", ",")
"""Japanese and Chinese commas (and a comma that YAML kept inside quotes) inside one tag."""
_LONG_VOWELS = str.maketrans("", "", "ーｰ－-〜~")
_MIN_EDIT_CHARS = 4
"""Tags shorter than this differ by one character legitimately (`上海` / `北海`); only long ones are
compared character by character."""


def document_field_warnings(document: Document, lines: Mapping[str, int]) -> list[Problem]:
    """Tags holding a list separator; a published page without a summary or tags.

    `lines`: the 1-based line of each frontmatter field in the file."""
    found: list[Problem] = []
    tags_line = lines.get("tags", 1)
    joined = [tag for tag in document.tags if any(comma in tag for comma in _LIST_COMMAS)]
    if joined:
        split = [part.strip() for tag in document.tags for part in _split(tag) if part.strip()]
        found.append(Problem(document.path, tags_line, "tags",
                             _("`{tag}` is one tag: inside `[…]` tags are separated by a half-width comma, "
                               "not `、` or `，`; write `tags: [{tags}]`").format(
                                 tag=joined[0], tags=", ".join(split)), "warning"))
    if document.status is Status.PUBLISHED:
        if not (document.summary or "").strip():
            found.append(Problem(document.path, lines.get("summary", lines.get("title", 1)), "summary",
                                 _("a published page needs a summary (index pages, feeds and the search result "
                                   "description show it); add `summary:` with one or two sentences"), "warning"))
        if not document.tags:
            found.append(Problem(document.path, lines.get("tags", lines.get("title", 1)), "tags",
                                 _("a published page has no tags, so it appears on no tag page and gets no "
                                   "related articles by tag; add `tags: [tag, tag]`"), "warning"))
    return found


def similar_tag_warnings(documents: Iterable[tuple[Document, Mapping[str, int]]]) -> list[Problem]:
    """A tag that differs from a more used tag of the same language by a long-vowel mark, or (long tags)
    by one character, gets "did you mean"."""
    documents = list(documents)
    uses: dict[str, Counter[str]] = {}
    for document, _lines in documents:
        uses.setdefault(document.lang, Counter()).update(set(document.tags))
    found: list[Problem] = []
    for document, lines in documents:
        counts = uses[document.lang]
        for tag in document.tags:
            better = _preferred_neighbour(tag, counts)
            if better is not None:
                found.append(Problem(document.path, lines.get("tags", 1), "tags",
                                     _("did you mean `{better}`? `{tag}` differs from that tag of "
                                       "{count} page(s) only by a character, so the two make separate "
                                       "tag pages; use one spelling").format(
                                         better=better, tag=tag, count=counts[better]), "warning"))
    return found


def _preferred_neighbour(tag: str, counts: Counter[str]) -> str | None:
    """The other spelling this tag should be, or None: more used wins, then the longer (with the vowel
    mark), then the first in code-point order."""
    for other in counts:
        if other == tag or not _near(tag, other):
            continue
        if (counts[other], len(other), other) > (counts[tag], len(tag), tag):
            return other
    return None


def _near(a: str, b: str) -> bool:
    na, nb = _normal(a), _normal(b)
    if na == nb:
        return True
    if min(len(na), len(nb)) < _MIN_EDIT_CHARS or abs(len(na) - len(nb)) > 1:
        return False
    return _one_edit(na, nb)


def _normal(tag: str) -> str:
    return unicodedata.normalize("NFKC", tag).casefold().translate(_LONG_VOWELS).replace(" ", "")


def _one_edit(a: str, b: str) -> bool:
    """Exactly one substitution, insertion or deletion apart."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _split(tag: str) -> list[str]:
    for comma in _LIST_COMMAS:
        tag = tag.replace(comma, "\n")
    return tag.split("\n")


def field_lines(path: Path) -> dict[str, int]:
    """The line of each frontmatter field of `path` (the loader's reader; an unreadable file gives none)."""
    raw, _problems = read_document(path)
    return dict(raw.field_lines) if raw is not None else {}
