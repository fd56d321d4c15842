"""Split a Markdown body into top-level blocks, sliced verbatim from the source.

The unit of translation (`publisher.translation`) and of revision
(`publisher.authoring.revise`); a block's `source_hash` keys their caches.

markdown-it-py's token line maps give each top-level block's lines, with the
same block rules as rendering (CommonMark, tables, strikethrough, footnotes).
Lines no token claims are link reference definitions and footnote
definitions (the footnote plugin moves those to the end without line maps):
each footnote definition becomes its own translatable segment, reference
definitions pass through untranslated.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from ..markdown.parser import syntax_parser

#: Block kinds copied to the translation as they are.
PASSTHROUGH_KINDS = frozenset({"fence", "code_block", "html_block", "reference", "hr"})

_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")


@dataclass(frozen=True)
class Segment:
    """One top-level block of a body."""

    kind: str
    """Block type: `paragraph`, `heading2`, `bullet_list`, `ordered_list`, `blockquote`, `table`,
    `footnote`, or a pass-through kind (`fence`, `code_block`, `html_block`, `reference`, `hr`)."""
    text: str
    """The block's lines, verbatim, without the trailing newline."""
    start_line: int
    """0-based first line in the body."""

    @property
    def translatable(self) -> bool:
        """False for pass-through kinds and for blocks with no words (`↓`, a lone number)."""
        return self.kind not in PASSTHROUGH_KINDS and any(ch.isalpha() for ch in self.text)

    @property
    def source_hash(self) -> str:
        return text_hash(normalise(self.text))


def _kind(token) -> str:
    kind = token.type.removesuffix("_open")
    if kind == "heading":
        return f"heading{int(token.tag[1:])}"
    return kind


def split_blocks(body: str) -> list[Segment]:
    """The body's top-level blocks, in order."""
    lines = body.split("\n")
    claimed: list[tuple[int, int, str]] = []
    for token in syntax_parser(cjk_emphasis=False).parse(body):
        if token.level == 0 and token.nesting != -1 and token.map is not None:
            start, end = token.map
            claimed.append((start, end, _kind(token)))
    segments: list[Segment] = []
    position = 0

    def gap(start: int, end: int) -> None:
        """Unclaimed lines: footnote definitions (with their indented continuations) and references."""
        current: list[str] = []
        current_start = start
        current_kind = ""

        def flush() -> None:
            while current and not current[-1].strip():
                current.pop()
            if current:
                segments.append(Segment(current_kind, "\n".join(current), current_start))

        for number in range(start, end):
            line = lines[number]
            if not line.strip():
                if current and current_kind == "reference":
                    flush()
                    current.clear()
                elif current:
                    current.append(line)
                continue
            continuation = current and current_kind == "footnote" and (line.startswith("    ") or line.startswith("\t"))
            if continuation or (current and current_kind == "reference" and not _FOOTNOTE_DEF.match(line)):
                current.append(line)
                continue
            flush()
            current.clear()
            current_start = number
            current_kind = "footnote" if _FOOTNOTE_DEF.match(line) else "reference"
            current.append(line)
        flush()

    for start, end, kind in claimed:
        if start > position:
            gap(position, start)
        text = "\n".join(lines[start:end]).rstrip("\n")
        # A block's map can include trailing blank lines (lists); keep only the block.
        segments.append(Segment(kind, text.rstrip(), start))
        position = max(position, end)
    gap(position, len(lines))
    return segments


def join_blocks(texts: list[str]) -> str:
    """A body from block texts: one blank line between blocks, a final newline."""
    return "\n\n".join(text.strip("\n") for text in texts) + "\n" if texts else ""


def normalise(text: str) -> str:
    """What counts as the same source: NFC, no trailing spaces, no surrounding blank lines."""
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def block_kinds(text: str) -> list[str]:
    """Kinds of the top-level blocks of `text` (to check a translation kept the structure)."""
    return [segment.kind for segment in split_blocks(text)]


def block_shapes(text: str) -> list[str]:
    """Top-level blocks with their list items or table rows counted: `bullet_list×3`, `table×4`, `paragraph`."""
    shapes: list[str] = []
    for segment in split_blocks(text):
        if segment.kind in ("bullet_list", "ordered_list", "table", "blockquote"):
            tokens = syntax_parser(cjk_emphasis=False).parse(segment.text)
            inner = {"bullet_list": ("list_item_open", 1), "ordered_list": ("list_item_open", 1),
                     "table": ("tr_open", None), "blockquote": (None, 1)}[segment.kind]
            count = sum(1 for t in tokens if t.nesting == 1 and (inner[0] is None or t.type == inner[0])
                        and (inner[1] is None or t.level == inner[1]))
            shapes.append(f"{segment.kind}×{count}")
        else:
            shapes.append(segment.kind)
    return shapes
