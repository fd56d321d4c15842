"""Checks of a model's reply against its source block, before anything is kept.

Each check returns readable problems; they are sent back to the model on the
retry, so they say what to fix.
"""

from __future__ import annotations

import re

from ..llm.feedback import Feedback
from .glossary import Term
from .protect import PLACEHOLDER
from ..markdown.segments import block_shapes

_MARKERS = re.compile(r"[\u2460-\u2473\u2474-\u2487\u2776-\u277f\u2780-\u2793↓■【】]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．％", "0123456789,.%")
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万|億|亿)?")
_UNTRUSTED = re.compile(r"<\s*[A-Za-z!/?]|\]\s*\(|\]\[|javascript:|(?:https?|ftp)://|\bwww\.", re.IGNORECASE)
_SCALE = {"万": 10_000, "億": 100_000_000, "亿": 100_000_000}


def numbers(text: str) -> set[float]:
    """Numbers in `text` as values: full-width digits, thousands separators and 万/億 normalised."""
    text = PLACEHOLDER.sub(" ", text).translate(_FULLWIDTH)
    values = set()
    for whole, fraction, scale in _NUMBER.findall(text):
        value = float(whole.replace(",", "") + (fraction or ""))
        values.add(round(value * _SCALE.get(scale, 1), 6))
    return values


def markers(text: str) -> list[str]:
    """Circled numbers, 【】 brackets, ↓ flow markers and ■ summaries, in order."""
    return _MARKERS.findall(text)


def check_reply(source: str, reply: str, *, kind: str | None, terms: tuple[Term, ...],
                originals: tuple[str, ...] = ()) -> list[str]:
    """Problems with `reply` (placeholders still in) as a translation of `source` (protected).

    `kind` is the block kind the reply must parse as (None for frontmatter fields); `originals`
    are what the placeholders stand for (the structure is judged with them put back).
    """
    problems: list[str] = []
    if not reply.strip():
        return [Feedback("the translation is empty")]
    if len(_UNTRUSTED.findall(PLACEHOLDER.sub(" ", reply))) > len(_UNTRUSTED.findall(PLACEHOLDER.sub(" ", source))):
        problems.append(Feedback("it contains HTML, a link or a URL that the source does not have; do not add "
                                 "markup or links, keep ⟦n⟧ placeholders instead"))
    if markers(source) != markers(reply):
        problems.append(Feedback("the markers (circled numbers, 【】, ↓, ■) must stay the same and in the same "
                                 "order: expected {expected}, got {got}",
                                 expected="".join(markers(source)) or "none", got="".join(markers(reply)) or "none"))
    missing = numbers(source) - numbers(reply)
    if missing:
        shown = ", ".join(f"{value:g}" for value in sorted(missing))
        problems.append(Feedback("these numbers of the source are missing or changed: {numbers}; keep every "
                                 "number and date", numbers=shown))
    for term in terms:
        if term.target not in reply:
            problems.append(Feedback("glossary: translate {source} as {target}", source=repr(term.source),
                                     target=repr(term.target)))
    if kind is None:
        if "\n" in reply.strip():
            problems.append(Feedback("a frontmatter field must stay on one line"))
    else:
        def put_back(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return originals[index] if index < len(originals) else "X"

        got = block_shapes(PLACEHOLDER.sub(put_back, reply))
        expected = block_shapes(PLACEHOLDER.sub(put_back, source))
        if len(got) != 1 or got[0].split("×")[0] != kind:
            problems.append(Feedback("the Markdown structure changed: the source is one {kind} block, the "
                                     "translation parses as {got}; keep the same block type, heading level and "
                                     "list markers", kind=kind, got=", ".join(got) or "nothing"))
        elif got != expected:
            problems.append(Feedback("the Markdown structure changed: expected {expected} (items, rows or quoted "
                                     "blocks), got {got}; keep every list item, table row and quoted paragraph",
                                     expected=expected[0], got=got[0]))
    return problems
