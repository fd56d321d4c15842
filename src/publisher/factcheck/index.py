"""The figures of a source document, indexed once: exact keys, sorted numbers, passages to point at."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from ..sources import Passage, SourceDocument, split_passages
from .figures import MULTIPLIERS, Figure, extract_figures, fold, number_text

PASSAGE_CHARS = 300
"""Size of the passages a finding points at: long enough to recognise, short enough to find."""

#: A unit in a column or row label, `出荷額（億円）` or `人口(万人)`: the numbers on that line are in that unit.
_UNIT_LABEL = re.compile(r"[(（]\s*(兆|億|亿|万|萬|千)[^()（）]{0,3}[)）]")

_GRAM_SKIP = re.compile(r"[\s\d0-9０-９、。,.，．:：;；|()（）「」『』【】\[\]・%％~〜～\-–—/]+")


def keys_of(figure: Figure) -> set[str]:
    """What a source figure can be matched by: its values, and a date's year, month and day-of-month too."""
    keys: set[str] = set()
    for value in figure.values:
        keys.add(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            keys.update({value[:4], value[:7], "--" + value[5:]})
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            keys.add(value[:4])
    return keys


def grams(text: str) -> frozenset[str]:
    """Character bigrams of the words of `text` (numbers and punctuation left out): Japanese and Chinese have
    no spaces to split words at, and shared bigrams measure shared wording well enough to rank passages."""
    words = _GRAM_SKIP.split(text)
    return frozenset(word[i:i + 2] for word in words for i in range(len(word) - 1))


@dataclass(frozen=True)
class SourceIndex:
    """One source document and its figures."""

    doc: SourceDocument
    """The cleaned document."""
    keys: frozenset[str]
    """Every figure key (see `keys_of`)."""
    numbers: tuple[Decimal, ...]
    """Every plain number, sorted (for rounded figures such as `約2,400億円`)."""
    passages: tuple[Passage, ...]
    """The document in passages of about `PASSAGE_CHARS` characters."""
    passage_keys: tuple[frozenset[str], ...]
    """Figure keys of each passage."""
    passage_grams: tuple[frozenset[str], ...]
    """Character bigrams of each passage."""

    @classmethod
    def build(cls, doc: SourceDocument) -> "SourceIndex":
        passages = tuple(split_passages(doc, PASSAGE_CHARS))
        passage_keys = []
        numbers: set[Decimal] = set()
        for passage in passages:
            found: set[str] = set()
            for line in passage.text.split("\n"):
                label = _UNIT_LABEL.search(fold(line))
                scale = MULTIPLIERS[label.group(1)] if label else None
                for figure in extract_figures(line):
                    found |= keys_of(figure)
                    if figure.unit == "date":
                        continue
                    values = [Decimal(v) for v in figure.values]
                    if scale is not None and not re.search(r"[万億亿兆千萬]", figure.text):
                        values += [v * scale for v in values]  # `出荷額（億円）: 2374` is 2374億円
                        found |= {number_text(v) for v in values}
                    numbers.update(values)
            passage_keys.append(frozenset(found))
        return cls(doc=doc, keys=frozenset().union(*passage_keys) if passage_keys else frozenset(),
                   numbers=tuple(sorted(numbers)), passages=passages, passage_keys=tuple(passage_keys),
                   passage_grams=tuple(grams(p.text) for p in passages))

    def has_number_near(self, value: Decimal, tolerance: Decimal) -> bool:
        """Is there a number within `tolerance` of `value` (a rounded figure's source)?"""
        position = bisect.bisect_left(self.numbers, value - tolerance)
        return position < len(self.numbers) and self.numbers[position] <= value + tolerance
