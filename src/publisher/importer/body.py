"""The article body: hand-broken lines -> blocks (headings, paragraphs, flow markers, callouts, lists).

The export breaks lines every ~20 characters by hand, so a line on its own
means nothing: lines are joined until a new point starts. A new point starts
at a blank line, a numbered section heading (`1. …`, numbered in order), a
`【…】` line, a `↓` line, a circled number (`①`, `⑴`, `❶`), `(例…`, `■`,
`・`, `※`, `(参考)` and `( 参照: …)`, and at `X とは、…` after a finished sentence
(a term explanation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem
from ..i18n import _
from .html import IMAGE_MARK
from .model import Block, BlockKind, SourceLine
from ..typography import is_latin

_CIRCLED = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2474-\u2487\u2776-\u277f\u24eb-\u24f4\u2780-\u2793"
"""①–⑳ ㉑–㊿ ⑴–⒇ and the filled ❶–❿ ⓫–⓴ (and ➀–➓)."""

SECTION = re.compile(r"^(\d{1,2})[.．]\s*(?!\d)(\S.*)$")
SUB_BLOCK = re.compile(rf"^(【[^【】]*[{_CIRCLED}]】)\s*(.*)$")
_HEADING_THEN_TAGLINE = re.compile(r"^(.*?[)）])\s*[:：]?\s*([(（].*)$")
FLOW_LINE = re.compile(r"^[↓⇩⬇︎️]+$")
POINT = re.compile(rf"^[{_CIRCLED}]")
LABEL = re.compile(rf"^[{_CIRCLED}][^。]{{0,20}}[:：]$")
EXAMPLE = re.compile(r"^[(（]\s*例")
EXAMPLE_HEADING = re.compile(r"^[(（]例[\u2776-\u277f\u24eb-\u24f4\u2780-\u2793][)）]")
"""`(例❶) <title>`: a named example, a sub-block heading like `【特徴❶】` (`publish check` wants `###`)."""
RELATED = re.compile(r"^[(（]\s*参考\s*[)）]\s*(.*)$")
SOURCE_NOTE = re.compile(r"^[(（]\s*(参照\s*[:：].*?)\s*[)）]$")
BULLET = re.compile(r"^[・･]\s*(.*)$")
TERM = re.compile(r"^(?!(?:これ|それ|あれ|この|その|あの|こと)とは)([^、。!?！？\s][^、。!?！？]{0,23}?)\s?とは、\s*(.+)$",
                  re.DOTALL)
TERM_START = re.compile(r"^(?!(?:これ|それ|あれ|この|その|あの|こと)とは)[^、。!?！？\s][^、。!?！？]{0,14}?\s?とは、")
_SENTENCE_END = ("。", "！", "？", "!", "?")
_BRACKETS = {"(": ")", "（": "）", "「": "」", "『": "』", "【": "】", "〔": "〕", "“": "”", "[": "]", "［": "］"}
_CONTINUATION_CHARS = 20
"""A line this short after a section heading, right before its first point, is the heading's end."""


def _unclosed(text: str) -> bool:
    """Whether `text` opens a bracket it does not close."""
    return any(text.count(opener) > text.count(closer) for opener, closer in _BRACKETS.items())
_OPENERS = ("【", "■", "※")
_CLOSING = (")", "）")


@dataclass
class _Open:
    """The block being collected."""

    kind: BlockKind
    line: int
    parts: list[str] = field(default_factory=list)
    label: bool = False
    """The first part is a label such as `①成長の結果:`; what follows it is joined with a space."""


def join_lines(parts: list[str]) -> str:
    """Join hand-broken lines: nothing between Japanese/Chinese characters, one space between Latin words."""
    text = ""
    for part in parts:
        if text and part and is_latin(text[-1]) and is_latin(part[0]):
            text += " "
        text += part
    return text


class BodyParser:
    """Turns the body lines into blocks, reporting what it cannot place."""

    def __init__(self, path, lines: list[SourceLine]) -> None:
        self.path = path
        self.lines = lines
        self.blocks: list[Block] = []
        self.unplaced: list[Problem] = []
        self._open: _Open | None = None
        self._section = 0

    # -- output -------------------------------------------------------------

    def _emit(self, kind: BlockKind, text: str, line: int, **extra) -> None:
        self.blocks.append(Block(kind, text, line, **extra))

    def _close(self) -> None:
        current, self._open = self._open, None
        if current is None:
            return
        if current.label and len(current.parts) > 1:
            text = current.parts[0] + " " + join_lines(current.parts[1:])
        else:
            text = join_lines(current.parts)
        if current.kind is BlockKind.LIST:
            previous = self.blocks[-1] if self.blocks else None
            if previous is not None and previous.kind is BlockKind.LIST:
                self.blocks[-1] = Block(BlockKind.LIST, "", previous.line, items=(*previous.items, text),
                                        footnotes=previous.footnotes)
            else:
                self._emit(BlockKind.LIST, "", current.line, items=(text,))
            return
        if current.kind is BlockKind.PARAGRAPH and TERM.match(text):
            current.kind = BlockKind.TERM
        self._emit(current.kind, text, current.line)

    def _start(self, kind: BlockKind, line: SourceLine, text: str | None = None, *, label: bool = False) -> None:
        self._close()
        self._open = _Open(kind, line.number, [line.text if text is None else text], label=label)

    def _warn(self, line: int, message: str) -> None:
        self.unplaced.append(Problem(self.path, line, "import", message, "warning"))

    # -- parsing ------------------------------------------------------------

    def parse(self) -> tuple[list[Block], list[Problem]]:
        i = 0
        while i < len(self.lines):
            i = self._line(i)
        self._close()
        return self.blocks, self.unplaced

    def _line(self, i: int) -> int:
        line = self.lines[i]
        text = line.text
        if not text:
            self._close()
            return i + 1
        if text.startswith(IMAGE_MARK):
            self._close()
            self._warn(line.number, _("an image ({text}) was not imported; copy the file into the article "
                                      "folder and add `![description](file)` where it belongs").format(
                                        text=text[1:]))
            return i + 1
        if FLOW_LINE.match(text):
            self._close()
            self._emit(BlockKind.FLOW, "↓", line.number)
            return i + 1
        section = SECTION.match(text)
        if section and int(section.group(1)) == self._section + 1:
            self._close()
            self._section += 1
            heading, following = self._heading_lines(i + 1, [section.group(2).strip()])
            self._emit(BlockKind.SECTION, f"{int(section.group(1))}. {join_lines(heading)}", line.number)
            return following
        if section:  # numbered, but not the next section: a numbered point of its own
            self._start(BlockKind.PARAGRAPH, line)
            return i + 1
        sub_block = SUB_BLOCK.match(text)
        if sub_block:
            return self._sub_block(i, sub_block.group(1), sub_block.group(2))
        related = RELATED.match(text)
        if related:
            self._close()
            self._emit(BlockKind.REFERENCE, related.group(1).strip(), line.number)
            return i + 1
        source = SOURCE_NOTE.match(text)
        if source:
            self._footnote(line, source.group(1))
            return i + 1
        bullet = BULLET.match(text)
        if bullet:
            self._start(BlockKind.LIST, line, bullet.group(1))
            return i + 1
        if text.startswith("■"):
            self._start(BlockKind.SUMMARY, line)
            return i + 1
        if EXAMPLE.match(text):
            if len(text) <= 30 and not text.endswith(("、", ",")):
                # An example's title line: its text starts on the next line.
                self._close()
                kind = BlockKind.SUB_BLOCK if EXAMPLE_HEADING.match(text) else BlockKind.PARAGRAPH
                self._emit(kind, text, line.number)
                return i + 1
            self._start(BlockKind.PARAGRAPH, line)
            return i + 1
        if POINT.match(text):
            self._start(BlockKind.PARAGRAPH, line, label=bool(LABEL.match(text)))
            return i + 1
        if self._open is not None and TERM_START.match(text) and join_lines(self._open.parts).endswith(_SENTENCE_END):
            self._start(BlockKind.PARAGRAPH, line)  # `X とは、…` after a finished sentence: an explanation box
            return i + 1
        if text.startswith(_OPENERS) or self._open is None:
            self._start(BlockKind.PARAGRAPH, line)
            return i + 1
        self._open.parts.append(text)
        return i + 1

    def _heading_lines(self, j: int, parts: list[str]) -> tuple[list[str], int]:
        """A section heading broken by hand goes on over the next lines: while a bracket it opened is
        unclosed (a few lines at most), and one short line that is not a point of its own, right before
        the section's first point (`①`, `【…❶】`). Returns the parts and the index of the next line."""
        while _unclosed(join_lines(parts)) and j < len(self.lines) and len(parts) < 4:
            text = self.lines[j].text
            if not text or self._starts_point(text):
                break
            parts.append(text)
            j += 1
        if j + 1 < len(self.lines) and not _unclosed(join_lines(parts)):
            text, after = self.lines[j].text, self.lines[j + 1].text
            if (text and len(text) <= _CONTINUATION_CHARS and not text.endswith(_SENTENCE_END)
                    and not self._starts_point(text) and (POINT.match(after) or SUB_BLOCK.match(after))):
                parts.append(text)
                j += 1
        return parts, j

    @staticmethod
    def _starts_point(text: str) -> bool:
        """Whether `text` starts a block of its own (see the module docstring)."""
        return bool(text.startswith(IMAGE_MARK) or FLOW_LINE.match(text) or SECTION.match(text)
                    or SUB_BLOCK.match(text) or RELATED.match(text) or SOURCE_NOTE.match(text)
                    or BULLET.match(text) or text.startswith(("■", *_OPENERS)) or EXAMPLE.match(text)
                    or POINT.match(text) or TERM_START.match(text))

    def _sub_block(self, i: int, marker: str, rest: str) -> int:
        """`【成長物語❶】合肥(安徽省)` and its tagline: on the next line(s), or glued on (`…:(農業の巨人から、`)."""
        self._close()
        line = self.lines[i]
        rest = rest.strip()
        tagline_parts: list[str] = []
        glued = _HEADING_THEN_TAGLINE.match(rest)
        if glued:
            rest, tagline_parts = glued.group(1), [glued.group(2)]
        rest = rest.rstrip(":：").strip()
        self._emit(BlockKind.SUB_BLOCK, f"{marker}{rest}", line.number)
        j = i + 1
        if not tagline_parts and j < len(self.lines) and self.lines[j].text.startswith(("(", "（")):
            tagline_parts = [self.lines[j].text]
            j += 1
        if not tagline_parts:
            return j
        tagline_line = line.number if glued else self.lines[j - 1].number
        # A tagline cut for the phone goes on until its closing parenthesis (a few lines at most).
        while not tagline_parts[-1].endswith(_CLOSING) and j < len(self.lines) and len(tagline_parts) < 4:
            following = self.lines[j].text
            if not following or POINT.match(following) or SUB_BLOCK.match(following) or FLOW_LINE.match(following):
                break
            tagline_parts.append(following)
            j += 1
        tagline = join_lines(tagline_parts)
        if not tagline.endswith(_CLOSING):
            self._warn(tagline_line, _("the tagline of {marker} does not close its parenthesis; it was kept "
                                       "as a plain paragraph, check it").format(marker=marker))
            self._emit(BlockKind.PARAGRAPH, tagline, tagline_line)
        else:
            self._emit(BlockKind.TAGLINE, tagline, tagline_line)
        return j

    def _footnote(self, line: SourceLine, source: str) -> None:
        self._close()
        for index in range(len(self.blocks) - 1, -1, -1):
            block = self.blocks[index]
            if block.kind in (BlockKind.PARAGRAPH, BlockKind.SUMMARY, BlockKind.TERM, BlockKind.LIST):
                self.blocks[index] = Block(block.kind, block.text, block.line, block.items,
                                           (*block.footnotes, source))
                return
            if block.kind is not BlockKind.FLOW:
                break
        self._warn(line.number, _("the source note ({source}) follows no paragraph; it was kept as a plain "
                                  "paragraph").format(source=source))
        self._emit(BlockKind.PARAGRAPH, line.text, line.number)


def parse_body(path, lines: list[SourceLine]) -> tuple[list[Block], list[Problem]]:
    """The body's blocks, and warnings for what could not be placed."""
    return BodyParser(path, lines).parse()
