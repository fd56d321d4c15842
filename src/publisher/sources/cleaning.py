"""Cleaning text extracted from PDFs (and text files made that way).

Extraction gives lines, not paragraphs: every line the PDF drew, running
headers and page numbers on every page, sentences cut at the right margin
(sometimes with blank lines in between), rotated chart labels one character
per line, and tables flattened to tab- or space-separated cells. What can be
repaired without guessing is repaired here; everything else is left as it is,
so a figure in the source is never lost:

- running headers/footers and page numbers that repeat across pages go (the
  text is compared with its digits blanked out, so `3 / 12` and `4 / 12` match);
- figure labels standing alone (`【図表1】`, `Figure 2`) and figure credits
  repeated all over the document (`出所：…`) go;
- a run of one- or two-character lines (a rotated axis label) becomes one line;
- a line cut mid-sentence is joined to the next one: no space between Japanese
  or Chinese characters, one space between Latin words, a hyphenation undone;
- table rows (cells separated by tabs or runs of spaces) stay one row per line,
  cells separated by ` | `, with the stray spaces of cells wrapped inside the
  PDF removed;
- blank lines that are noise (between nearly every line) are dropped.

Each output line remembers the original lines (or pages) it came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..typography import is_latin


@dataclass(frozen=True)
class RawLine:
    """One extracted line and where it was."""

    text: str
    origin: int
    """Original line number (text files) or page number (PDFs)."""


@dataclass(frozen=True)
class CleanLine:
    """One line of cleaned text."""

    text: str
    first: int
    """Original line or page where it starts."""
    last: int
    """Original line or page where it ends."""


_TERMINAL = frozenset("。．.！？!?」』：:")
_ITEM_START = re.compile(
    r"^(?:[■◼□◆◇●○•・▪▶►※＊*★☆✓✔⇒→↓]|[①-⑳❶-❿⑴-⒇]|【|第[0-9０-９一二三四五六七八九十]+[章節部]"
    r"|\(?[0-9０-９]{1,2}[)）]|（[0-9０-９]{1,2}）|[0-9０-９]{1,2}(?:[-‐.．][0-9０-９]{1,2})*[.．、]\s"
    r"|#{1,6}\s|[-+]\s)")
_FIGURE_LABEL = re.compile(
    r"^[\s(（【\[]*(?:図表|図|表|グラフ|Figure|Fig\.?|Table|Chart|Exhibit)\s*[0-9０-９]+(?:[-‐.．][0-9０-９]+)*"
    r"[\s)）】\]:：]*$", re.IGNORECASE)
_CREDIT = re.compile(r"^(?:出所|出典|資料|Source|Sources|©|\(c\)|Copyright)\b|^(?:出所|出典|資料)\s*[:：]"
                     r"|All rights reserved|無断(?:転載|複製)|Confidential|社外秘", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4}|(?:p\.|page|ページ|頁)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:ページ|頁)|\d{1,4})$", re.IGNORECASE)
_UNAMBIGUOUS_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:p\.|page)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:ページ|頁))$",
    re.IGNORECASE)
_CELL_GAP = re.compile(r"\t+| {2,}|\u3000{2,}")
_DIGITS = re.compile(r"[0-9０-９]+")
_BROKEN_DECIMAL = re.compile(r"(?<=[^\s\d.,]\d)\. (?=\d)")


def clean_pages(pages: list[list[RawLine]], *, paginated: bool) -> list[CleanLine]:
    """Cleaned lines of a document given as pages of raw lines (one page for a text file)."""
    pages = [[RawLine(_normalize(line.text), line.origin) for line in page] for page in pages]
    if paginated and len(pages) >= 2:
        pages = _drop_running_lines(pages)
    lines = [line for page in pages for line in page]
    lines = _drop_labels_and_credits(lines)
    blanks_are_noise = _blank_lines_are_noise(lines)
    items = _join_rotated_labels(lines)
    rows = [_as_row(item) for item in items]
    return _join_cut_lines(rows, blanks_are_noise)


def _normalize(text: str) -> str:
    """Radical look-alikes to kanji, odd spaces to plain ones, no trailing space."""
    out = []
    for ch in text:
        if "\u2e80" <= ch <= "\u2fdf":
            ch = unicodedata.normalize("NFKC", ch)
        elif ch in "\u00a0\u2002\u2003\u2009\u200a\u202f":
            ch = " "
        elif ch in "\u200b\ufeff\u00ad":
            continue
        out.append(ch)
    return "".join(out).rstrip()


def _shape(text: str) -> str:
    """A line with its numbers blanked out: `3 / 12` and `4 / 12` have the same shape."""
    return _DIGITS.sub("#", " ".join(text.split()))


def _drop_running_lines(pages: list[list[RawLine]], zone: int = 3) -> list[list[RawLine]]:
    """Remove lines that sit at the same place in the top or bottom `zone` lines of many pages with the
    same shape (running headers, footers, page numbers)."""
    top: Counter[tuple[str, int]] = Counter()
    bottom: Counter[tuple[str, int]] = Counter()
    for page in pages:
        filled = [line for line in page if line.text.strip()]
        top.update({(_shape(line.text), rank) for rank, line in enumerate(filled[:zone])})
        bottom.update({(_shape(line.text), rank) for rank, line in enumerate(reversed(filled[-zone:]))})
    needed = max(2, (len(pages) * 2 + 4) // 5)  # on at least 40% of the pages
    out = []
    for page in pages:
        filled = [i for i, line in enumerate(page) if line.text.strip()]
        drop = set()
        for zone_lines, seen in ((filled[:zone], top), (filled[-zone:][::-1], bottom)):
            for rank, i in enumerate(zone_lines):
                text = page[i].text.strip()
                count = seen[(_shape(text), rank)]
                if _PAGE_NUMBER.match(text) and count >= 2:
                    drop.add(i)
                elif count >= needed and not _looks_like_body(text, count, len(pages)):
                    drop.add(i)
        out.append([line for i, line in enumerate(page) if i not in drop])
    return out


def _looks_like_body(text: str, count: int, pages: int) -> bool:
    """A sentence (ending in 。) or a long line, found at the edge of only some pages, is text that happens
    to repeat there (a repeated paragraph of boilerplate), not a running header or footer: keep it."""
    if text.endswith(("。", "．")):
        return True
    return len(text) > 40 and count < max(3, (pages * 4 + 4) // 5)


def _drop_labels_and_credits(lines: list[RawLine]) -> list[RawLine]:
    """Bare figure labels, figure credits repeated three times or more, and unmistakable page numbers."""
    credits = Counter(_shape(line.text) for line in lines if _CREDIT.search(line.text.strip()))
    kept = []
    for line in lines:
        text = line.text.strip()
        if text and (_FIGURE_LABEL.match(text) or _UNAMBIGUOUS_PAGE_NUMBER.match(text)
                     or (len(text) <= 80 and credits.get(_shape(text), 0) >= 3)):
            continue
        kept.append(line)
    return kept


def _blank_lines_are_noise(lines: list[RawLine]) -> bool:
    """True when blank lines sit between most lines, so they mark nothing (a common extraction artefact)."""
    filled = sum(1 for line in lines if line.text.strip())
    blank = len(lines) - filled
    return filled >= 6 and blank >= 0.6 * filled


@dataclass(frozen=True)
class _Item:
    text: str
    first: int
    last: int
    blank: bool = False


def _join_rotated_labels(lines: list[RawLine]) -> list[_Item]:
    """Runs of three or more lines of at most two characters (a rotated label) become one line."""
    items: list[_Item] = []
    run: list[RawLine] = []

    def flush() -> None:
        non_digits = sum(1 for line in run if not line.text.strip().isdigit())
        if len(run) >= 3 and non_digits >= 2:
            items.append(_Item("".join(line.text.strip() for line in run), run[0].origin, run[-1].origin))
        else:
            items.extend(_Item(line.text, line.origin, line.origin) for line in run)
        run.clear()

    for line in lines:
        text = line.text.strip()
        if not text:
            # a blank line inside a run is part of the noise between its characters
            if not run:
                items.append(_Item("", line.origin, line.origin, blank=True))
            continue
        if len(text) <= 2:
            if run and _kind(run[-1].text.strip()) != _kind(text) and "mixed" not in (_kind(run[-1].text.strip()),
                                                                                       _kind(text)):
                flush()  # `1 2 3` next to `ア イ ウ`: two lists of labels, not one rotated word
            run.append(line)
            continue
        flush()
        items.append(_Item(line.text, line.origin, line.origin))
    flush()
    return items


def _kind(text: str) -> str:
    """`digits`, `letters` or `mixed` (punctuation included): what a one- or two-character line holds."""
    if text.isdigit():
        return "digits"
    if all(ch.isalpha() for ch in text):
        return "letters"
    return "mixed"


@dataclass(frozen=True)
class _Row:
    text: str
    first: int
    last: int
    blank: bool
    table: bool


def _as_row(item: _Item) -> _Row:
    """Table rows get ` | ` between cells and lose the stray spaces of wrapped cells."""
    if item.blank:
        return _Row("", item.first, item.last, True, False)
    text = item.text.strip(" \u3000")
    if "\t" in text or _CELL_GAP.search(text):
        cells = [_tidy_cell(cell) for cell in _CELL_GAP.split(text)]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) >= 2:
            return _Row(" | ".join(cells), item.first, item.last, False, True)
        text = cells[0] if cells else ""
    return _Row(_BROKEN_DECIMAL.sub(".", " ".join(text.split(" "))).strip(), item.first, item.last, False, False)


def _tidy_cell(cell: str) -> str:
    """A cell wrapped inside the PDF keeps a space where it wrapped: drop it between non-Latin characters."""
    cell = " ".join(cell.split())
    out = []
    for i, ch in enumerate(cell):
        if ch == " " and 0 < i < len(cell) - 1 and not (is_latin(cell[i - 1]) and is_latin(cell[i + 1])):
            continue
        out.append(ch)
    return _BROKEN_DECIMAL.sub(".", "".join(out))


def width(text: str) -> int:
    """Display width: Japanese and Chinese characters count two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _join_cut_lines(rows: list[_Row], blanks_are_noise: bool, window: int = 8) -> list[CleanLine]:
    """Join each line cut at the right margin to the line that continues it."""
    filled = [row for row in rows if not row.blank or not blanks_are_noise]
    widths = [0 if row.blank or row.table else width(row.text) for row in filled]
    out: list[CleanLine] = []
    blank_before = False
    for index, row in enumerate(filled):
        if row.blank:
            blank_before = True
            continue
        if out and not blank_before and _continues(out[-1].text, row, widths, index, filled, window):
            previous = out[-1]
            out[-1] = CleanLine(_glue(previous.text, row.text), previous.first, row.last)
        else:
            if blank_before and out and not blanks_are_noise and out[-1].text:
                out.append(CleanLine("", row.first, row.first))
            out.append(CleanLine(row.text, row.first, row.last))
        blank_before = False
    return out


def _continues(previous: str, row: _Row, widths: list[int], index: int, rows: list[_Row], window: int) -> bool:
    """Is `row` the rest of a sentence that `previous` (the line before it) was cut from?"""
    if row.table or not previous or not row.text or rows[index - 1].table:
        return False
    if previous[-1] in _TERMINAL or _ITEM_START.match(row.text):
        return False
    if previous[-1].isdigit() and row.text[0].isdigit():
        return False  # two numbers side by side must never become one
    if previous.endswith("-") and previous[-2:-1].isalpha() and row.text[0].islower():
        return True  # hyphenated Latin word
    cut_width = widths[index - 1] if index - 1 < len(widths) else width(previous)
    neighbours = widths[max(0, index - 1 - window): index + window]
    full = max(neighbours, default=0)
    return cut_width >= 20 and cut_width >= 0.8 * full


def _glue(left: str, right: str) -> str:
    """`left` + `right`: a space only between Latin words; a hyphenation undone."""
    if left.endswith("-") and left[-2:-1].isalpha() and right[:1].islower():
        return left[:-1] + right
    if is_latin(left[-1]) and is_latin(right[0]) and not left[-1] in "(/" and right[0] not in ")/,.":
        return left + " " + right
    return left + right
