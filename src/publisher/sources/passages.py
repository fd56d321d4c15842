"""Passages: chunks of a source for a model request, and source markers resolved back to text."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Sequence

from .model import Passage, SourceDocument

_HEADING = re.compile(
    r"^(?:#{1,6}\s|[0-9０-９]{1,2}(?:[-‐.．][0-9０-９]{1,2})*[.．]\s|第[0-9０-９一二三四五六七八九十]+[章節部]"
    r"|【[^】]{1,30}】\s*$|[■◼]\s)")
_WHERE = re.compile(r"^(?:L(\d+)(?:-L?(\d+))?|p\.?\s?(\d+)(?:-(?:p\.?)?(\d+))?)$", re.IGNORECASE)


def _where(doc: SourceDocument, start: int, end: int) -> str:
    """`L12-L20` or `p.3-4` for lines `start`..`end` (1-based) of `doc.text`."""
    first, last = doc.lines[start - 1], doc.end_of(end - 1)
    if doc.kind == "pdf":
        return f"p.{first}" if first == last else f"p.{first}-{last}"
    return f"L{first}" if first == last else f"L{first}-L{last}"


def split_passages(doc: SourceDocument, max_chars: int) -> list[Passage]:
    """Chunks of `doc` of at most `max_chars` characters each, cut between paragraphs where possible.

    A chunk ends before a heading once it holds a third of the budget, at a
    blank line or a table row otherwise; a single line longer than the budget
    is cut after a sentence.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    lines = doc.text.split("\n")
    passages: list[Passage] = []
    chunk: list[int] = []  # 0-based line indexes
    size = 0

    def flush() -> None:
        nonlocal size
        while chunk and not lines[chunk[-1]].strip():
            chunk.pop()
        if chunk:
            start, end = chunk[0] + 1, chunk[-1] + 1
            passages.append(Passage(doc.name, start, end, "\n".join(lines[chunk[0]: chunk[-1] + 1]),
                                    _where(doc, start, end)))
        chunk.clear()
        size = 0

    for index, line in enumerate(lines):
        if not line.strip() and not chunk:
            continue
        if len(line) > max_chars:
            flush()
            for piece in _cut_long_line(line, max_chars):
                passages.append(Passage(doc.name, index + 1, index + 1, piece, _where(doc, index + 1, index + 1)))
            continue
        added = len(line) + (1 if chunk else 0)
        if chunk and (size + added > max_chars or (_HEADING.match(line) and size >= max_chars // 3)):
            # prefer to cut at the last blank line when the chunk is over budget and one is near the end
            cut = _last_blank(chunk, lines)
            if size + added > max_chars and cut is not None and cut > len(chunk) // 2:
                rest = chunk[cut + 1:]
                del chunk[cut:]
                flush()
                chunk.extend(rest)
                size = sum(len(lines[i]) + 1 for i in chunk) - (1 if chunk else 0)
                added = len(line) + (1 if chunk else 0)
                if size + added > max_chars:
                    flush()
                    added = len(line)
            else:
                flush()
                added = len(line)
        chunk.append(index)
        size += added
    flush()
    return passages


def _last_blank(chunk: list[int], lines: list[str]) -> int | None:
    for position in range(len(chunk) - 1, 0, -1):
        if not lines[chunk[position]].strip():
            return position
    return None


def _cut_long_line(line: str, max_chars: int) -> list[str]:
    """Pieces of `line` of at most `max_chars`, cut after a sentence end where there is one."""
    pieces = []
    while len(line) > max_chars:
        window = line[:max_chars]
        cut = max(window.rfind(mark) for mark in ("。", "．", ". ", "！", "？", "; ", "；", " | "))
        cut = cut + 1 if cut >= max_chars // 3 else max_chars
        pieces.append(line[:cut].strip())
        line = line[cut:].lstrip()
    if line.strip():
        pieces.append(line.strip())
    return pieces


def _same_name(a: str, b: str) -> bool:
    return PurePosixPath(a.replace("\\", "/").removeprefix("./")) == PurePosixPath(b.replace("\\", "/").removeprefix("./"))


def find_passage(docs: Sequence[SourceDocument], anchor: str) -> Passage | None:
    """The passage a source marker points at (`sources/report.pdf#p.12`, `notes.md#L3-L9`), or None.

    The text is every cleaned line that came from the given lines or pages of
    the original, whatever chunk size made the anchor. An anchor with no
    `#where` means the whole document.
    """
    name, _, where = anchor.strip().partition("#")
    doc = next((d for d in docs if _same_name(d.name, name)), None)
    if doc is None:
        doc = next((d for d in docs if PurePosixPath(d.name).name == PurePosixPath(name).name), None)
    if doc is None:
        return None
    lines = doc.text.split("\n")
    if not where.strip():
        return Passage(doc.name, 1, len(lines), doc.text, _where(doc, 1, len(lines)))
    match = _WHERE.match(where.strip())
    if match is None:
        return None
    if match.group(1):
        if doc.kind == "pdf":
            return None
        low = int(match.group(1))
        high = int(match.group(2) or low)
    else:
        if doc.kind != "pdf":
            return None
        low = int(match.group(3))
        high = int(match.group(4) or low)
    if high < low:
        low, high = high, low
    chosen = [i for i in range(len(lines)) if doc.lines[i] <= high and doc.end_of(i) >= low and lines[i].strip()]
    if not chosen:
        return None
    start, end = chosen[0] + 1, chosen[-1] + 1
    return Passage(doc.name, start, end, "\n".join(lines[start - 1:end]), _where(doc, start, end))
