"""Sources read for drafting, cut into passages, ranked by relevance to a section's plan and chosen to fit."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ...sources import Passage, SourceDocument, read_source
from ...llm.budget import RETRY_MARGIN, BudgetError, estimate_tokens
from .model import MAX_PASSAGE_CHARS, SectionPlan
from .prompts import SECTION_PROMPT
from ...i18n import _


@dataclass
class _Source:
    """A source read for drafting, with its passages and where its file goes."""

    path: Path
    name: str
    document: SourceDocument
    passages: list[Passage] = field(default_factory=list)


@dataclass(frozen=True)
class _Indexed:
    """A passage with its id in requests and the terms the ranking compares."""

    id: str
    passage: Passage
    order: int
    terms: frozenset[str]

# ---------------------------------------------------------------- sources, passages, budget


def _read_sources(paths: Sequence[Path]) -> list[_Source]:
    """Each file read and cleaned, named `sources/<file name>` (`-2`, `-3` ... when two share a name)."""
    sources: list[_Source] = []
    taken: set[str] = set()
    for path in paths:
        path = Path(path)
        stem, suffix = path.stem, path.suffix.lower()
        name, number = f"{stem}{suffix}", 2
        while name in taken:
            name, number = f"{stem}-{number}{suffix}", number + 1
        taken.add(name)
        sources.append(_Source(path, f"sources/{name}", read_source(path, f"sources/{name}")))
    return sources


def _section_bounds(words: int) -> tuple[int, int]:
    """Fewest and most sections for an article of `words` characters (a section of at most ~5,000)."""
    most = max(3, min(10, words // 800))
    return max(3, min(most, -(-words // 5000))), most


def _section_answer_tokens(chars: int) -> int:
    """Room for a section's answer: its text with JSON framing and passage ids."""
    return int(chars * 1.5) + 400


def _passage_chars(budget: int, section_answer: int, brief: str) -> int:
    """Passages small enough that several fit in a section's request."""
    room = budget - section_answer - RETRY_MARGIN - estimate_tokens(SECTION_PROMPT) - estimate_tokens(brief) - 600
    chars = min(MAX_PASSAGE_CHARS, room // 3)
    if chars < 150:
        raise BudgetError(_("llm.context_tokens = {budget} leaves no room for source passages next to the brief "
                            "and a section's answer; raise llm.context_tokens in publisher.toml, or lower "
                            "--words").format(
                                budget=budget))
    return chars


_TERM_RUNS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaffー々]+|[a-z0-9][a-z0-9.%]*")
_KANA_ONLY = re.compile(r"^[\u3040-\u309f]+$")


def terms_of(text: str) -> frozenset[str]:
    """What the ranking compares: character bigrams of Japanese/Chinese runs (not hiragana-only ones, which
    are particles and endings) and Latin words or numbers (NFKC, lower case)."""
    terms: set[str] = set()
    for run in _TERM_RUNS.findall(unicodedata.normalize("NFKC", text).lower()):
        if run[0].isascii():
            if len(run) >= 2:
                terms.add(run)
            continue
        if len(run) == 1:
            if not _KANA_ONLY.match(run):
                terms.add(run)
            continue
        terms.update(pair for pair in (run[i:i + 2] for i in range(len(run) - 1)) if not _KANA_ONLY.match(pair))
    return frozenset(terms)


def _index(passages: list[Passage]) -> list[_Indexed]:
    return [_Indexed(f"P{n}", p, n, terms_of(p.text)) for n, p in enumerate(passages, start=1)]


def rank_passages(query: str, indexed: Sequence[_Indexed]) -> list[tuple[float, _Indexed]]:
    """Passages by relevance to `query`: the rarity (idf) of the terms they share with it, with a mild
    length normalisation; ties keep document order."""
    wanted = terms_of(query)
    count = len(indexed)
    frequency: Counter[str] = Counter()
    for item in indexed:
        frequency.update(item.terms & wanted)
    idf = {term: math.log((count + 1) / (frequency[term] + 0.5)) for term in wanted}
    average = sum(len(i.passage.text) for i in indexed) / max(1, count)
    scored = []
    for item in indexed:
        shared = item.terms & wanted
        score = sum(idf[t] for t in shared) / (0.5 + 0.5 * len(item.passage.text) / max(1.0, average))
        scored.append((score, item))
    scored.sort(key=lambda pair: (-pair[0], pair[1].order))
    return scored


def _passage_entry(item: _Indexed) -> dict[str, str]:
    return {"id": item.id, "source": item.passage.source, "where": item.passage.where, "text": item.passage.text}


def _entry_tokens(entry: dict[str, str]) -> int:
    return estimate_tokens(json.dumps(entry, ensure_ascii=False)) + 1


def _select(plan: SectionPlan, indexed: list[_Indexed], room: int) -> list[_Indexed]:
    """The best-ranked passages for `plan` that fit in `room` tokens, in document order."""
    query = " ".join([plan.heading, plan.plan, *plan.keywords, plan.series_label, *plan.series_items])
    chosen: list[_Indexed] = []
    used = 0
    for score, item in rank_passages(query, indexed):
        if score <= 0 and len(chosen) >= 3:
            break
        cost = _entry_tokens(_passage_entry(item))
        if used + cost > room:
            continue
        chosen.append(item)
        used += cost
    return sorted(chosen, key=lambda i: i.order)
