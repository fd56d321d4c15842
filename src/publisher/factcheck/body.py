"""The parts of an article body that state facts, line by line, with their source markers.

The body is parsed as CommonMark (with tables and footnotes), and only the
text a reader reads as prose is kept: code, raw HTML (so the source markers
themselves), link targets, images, footnote numbers and footnote texts
(references, not claims), URLs written out, explicit heading ids, section
numbers of headings (`## 1.`) and list numbering are left out, and so is the
article's series code (`中国G96`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from ..markdown.parser import syntax_parser

MARKER = re.compile(r"^\s*<!--\s*source:\s*(?P<anchors>.*?)\s*-->\s*$", re.DOTALL)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()（）「」、。]+")
_HEADING_NUMBER = re.compile(r"^\s*\d+(?:[.-]\d+)*[.)]?\s+")
_EXPLICIT_ID = re.compile(r"\s*\{#[^}]*\}\s*$")


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item paragraph or table cell row: prose with its lines."""

    lines: tuple[tuple[int, str], ...]
    """(line in the file, the prose on that line) in order."""
    anchors: tuple[str, ...]
    """Source markers written after the paragraph (`sources/report.pdf#p.12`), if any."""

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.lines)


def prose_blocks(body: str, body_line: int, *, code: str | None = None) -> list[Block]:
    """The body's prose blocks; `body_line` is the file line the body starts on.

    A table row is one block (cells joined by ` | `); a marker after a table applies to all its rows.
    """
    tokens = syntax_parser().parse(body)
    blocks: list[Block] = []
    groups: list[int] = []  # per block: the paragraph or table it belongs to (what a marker after it covers)
    group = 0
    in_footnote = 0
    heading = False
    row: list[tuple[int, str]] | None = None
    for token in tokens:
        kind = token.type
        if kind == "footnote_block_open":
            in_footnote += 1
        elif kind == "footnote_block_close":
            in_footnote -= 1
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind == "table_open":
            group += 1
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            if row and any(text.strip() for _, text in row):
                blocks.append(Block(((row[0][0], " | ".join(text for _, text in row)),), ()))
                groups.append(group)
            row = None
        elif kind == "html_block":
            match = MARKER.match(token.content)
            if match and blocks:
                anchors = tuple(a.strip() for a in match.group("anchors").split(",") if a.strip())
                for i in range(len(blocks) - 1, -1, -1):
                    if groups[i] != groups[-1]:
                        break
                    blocks[i] = Block(blocks[i].lines, blocks[i].anchors + anchors)
        elif kind == "inline" and not in_footnote and token.map is not None:
            lines = _inline_lines(token, body_line + token.map[0], heading=heading, code=code)
            if row is not None:
                row.append((lines[0][0], " ".join(text.strip() for _, text in lines)))
            elif any(text.strip() for _, text in lines):
                group += 1
                blocks.append(Block(tuple(lines), ()))
                groups.append(group)
    return blocks


def _inline_lines(inline: Token, first_line: int, *, heading: bool, code: str | None) -> list[tuple[int, str]]:
    """The readable text of one inline token, split at its source lines."""
    lines: list[tuple[int, str]] = []
    line, parts = first_line, []
    link_depth, link_href, link_text = 0, "", []
    for child in inline.children or []:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            lines.append((line, "".join(parts)))
            line, parts = line + 1, []
        elif kind == "text":
            if link_depth:
                link_text.append(child.content)
            parts.append(child.content)
        elif kind == "link_open":
            link_depth += 1
            link_href, link_text = str(child.attrs.get("href", "")), []
            parts.append("\x00")  # where a link's text starts, so an autolink's URL can be taken out
        elif kind == "link_close":
            link_depth = max(0, link_depth - 1)
            joined = "".join(parts)
            start = joined.rfind("\x00")
            visible = joined[start + 1:]
            if visible and (visible == link_href or visible == link_href.removeprefix("mailto:")
                            or _URL.fullmatch(visible)):
                visible = " "
            parts = [joined[:start], visible] if start >= 0 else [joined]
        elif kind in ("code_inline", "html_inline", "image", "footnote_ref"):
            parts.append(" ")
    lines.append((line, "".join(parts)))
    cleaned = []
    for number, text in lines:
        text = _URL.sub(" ", text.replace("\x00", ""))
        if code:
            text = text.replace(code, " ")
        cleaned.append((number, text))
    if heading and cleaned:
        number, text = cleaned[0]
        cleaned[0] = (number, _HEADING_NUMBER.sub("", _EXPLICIT_ID.sub("", text), count=1))
        cleaned = [(n, _EXPLICIT_ID.sub("", t)) for n, t in cleaned]
    return cleaned
