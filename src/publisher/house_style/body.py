"""House-style slips in an article body that CommonMark accepts silently but that break the page.

Each rule reads the token stream of the site's one parser (`markdown.parser.get_parser`) plus the
source lines the tokens point at, so a warning names the exact line of the file and the fix. Correct
Markdown (every sample article, fixture and bench article) gives no warning; the tests say which
near-misses each rule leaves alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from markdown_it.token import Token

from ..errors import Problem
from ..i18n import _
from ..markdown.blocks import FLOW_ARROW, SUMMARY_MARK, is_point_mark
from ..markdown.context import ENV_KEY, RenderContext
from ..markdown.parser import get_parser

_FILLED = "\u2776-\u277f\u24eb-\u24f4\u2780-\u2793"
"""❶–❿ ⓫–⓴ ➀–➓: the numbers of named sub-blocks."""
_SUB_BLOCK = re.compile(rf"^(?:【[^【】\n]*[{_FILLED}]】|[(（]例[{_FILLED}][)）])")
"""`【特徴❶】…`, `(例❶) …`: the opening of a named sub-block."""
_NUMBERED = re.compile(r"^\s{0,3}(\d{1,2})\.\s+(\S.*)$")
_SENTENCE_END = ("。", "．", ".", "！", "？", "!", "?", "」")
_OPENERS = {"(": ")", "（": "）"}
_MAX_HEADING_CHARS = 60
"""A numbered line longer than this is a list item with a sentence, not a forgotten heading."""


def body_warnings(path: Path, body: str, body_line: int, lang: str, *, published: bool = False) -> list[Problem]:
    """Every house-style slip in `body` (the Markdown after the frontmatter, starting at `body_line`).

    `published`: also report sections with no content (a draft may still be filling them in).
    """
    tokens = get_parser().parse(body, {ENV_KEY: RenderContext(lang=lang)})
    lines = body.split("\n")
    found: list[Problem] = []

    def warn(index: int, field: str, message: str) -> None:
        found.append(Problem(path, body_line + index, field, message, "warning"))

    in_list = 0
    for i, token in enumerate(tokens):
        in_list += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
        if token.type == "paragraph_open" and token.map:
            _paragraph(tokens, i, warn, in_list=in_list > 0)
        elif token.type == "ordered_list_open" and token.level == 0:
            _numbered_section(tokens, i, lines, warn)
        elif token.type == "heading_open" and token.tag == "h3":
            _tagline(tokens, i, warn)
    if published:
        _empty_sections(tokens, warn)
    found.sort(key=lambda problem: problem.line or 0)
    return found


def _paragraph(tokens: Sequence[Token], i: int, warn, *, in_list: bool) -> None:
    """Run-on points, `↓` and `■` that are not paragraphs of their own, sub-block lines without `###`.

    In a list item only run-on points count: `↓` there is an arrow in the text (`売上↓`)."""
    start = tokens[i].map[0]
    text_lines = tokens[i + 1].content.split("\n")
    whole = tokens[i + 1].content.strip()
    for offset, raw in enumerate(text_lines):
        line = raw.strip()
        if not line:
            continue
        if offset and is_point_mark(line[0]):
            warn(start + offset, "point",
                 _("`{mark}` follows the line above without a blank line, so it is shown as part of the "
                   "previous paragraph; add a blank line before this line").format(mark=line[0]))
        elif offset and line.startswith(SUMMARY_MARK):
            warn(start + offset, "summary box",
                 _("`{mark}` follows the line above without a blank line, so it is shown inside the "
                   "previous paragraph instead of as a summary box; add a blank line before this line").format(
                     mark=SUMMARY_MARK))
        if in_list or FLOW_ARROW not in line or whole == FLOW_ARROW:
            continue
        if line == FLOW_ARROW:
            warn(start + offset, "flow marker",
                 _("`↓` is on its own line but touches the text around it, so it is shown as an arrow inside "
                   "the paragraph; put a blank line before and after it"))
        elif line.startswith(FLOW_ARROW) or line.endswith(FLOW_ARROW):
            if line.startswith(FLOW_ARROW):
                message = _("`↓` is glued to the start of a sentence, so no flow marker is shown; put `↓` on a "
                            "line of its own with a blank line before and after it")
            else:
                message = _("`↓` is glued to the end of a sentence, so no flow marker is shown; put `↓` on a "
                            "line of its own with a blank line before and after it")
            warn(start + offset, "flow marker", message)
    if tokens[i].level == 0 and _SUB_BLOCK.match(text_lines[0].strip()):
        first = text_lines[0].strip()
        if len(text_lines) > 1:
            message = _("`{first}` opens a sub-block but is not a heading, so it is plain text and missing from "
                        "the table of contents; write it as `### {first}` with its tagline `(…)` on the next "
                        "paragraph")
        else:
            message = _("`{first}` opens a sub-block but is not a heading, so it is plain text and missing from "
                        "the table of contents; write it as `### {first}`")
        warn(start, "sub-block", message.format(first=first))


def _numbered_section(tokens: Sequence[Token], i: int, lines: list[str], warn) -> None:
    """A one-item ordered list holding one short line: a numbered section written without `##`."""
    items, j = 0, i + 1
    while tokens[j].type != "ordered_list_close" or tokens[j].level != 0:
        if tokens[j].type == "list_item_open" and tokens[j].level == 1:
            items += 1
        j += 1
    item_map = tokens[i].map
    if items != 1 or not item_map or item_map[1] - item_map[0] > 2:
        return
    inline = tokens[i + 3] if tokens[i + 2].type == "paragraph_open" else None
    if inline is None or inline.type != "inline" or "\n" in inline.content.strip():
        return
    match = _NUMBERED.match(lines[item_map[0]])
    if match is None:
        return
    heading = match.group(2).strip()
    if len(heading) > _MAX_HEADING_CHARS or heading.endswith(_SENTENCE_END) or heading.startswith(("#", "[")):
        return
    warn(item_map[0], "section",
         _("`{number}. {heading}` is a numbered section written without `##`, so it is shown as a "
           "list item and is missing from the table of contents; write `## {number}. {heading}`").format(
             number=match.group(1), heading=heading))


def _tagline(tokens: Sequence[Token], i: int, warn) -> None:
    """The `(…)` paragraph right after a `### 【…❶】` heading must close its parenthesis."""
    heading = tokens[i + 1].content.strip()
    following = tokens[i + 3 : i + 5]
    if not _SUB_BLOCK.match(heading) or len(following) < 2 or following[0].type != "paragraph_open":
        return
    text = following[1].content.strip()
    if not text or text[0] not in _OPENERS:
        return
    opener, closer = text[0], _OPENERS[text[0]]
    opens = text.count("(") + text.count("（")
    closes = text.count(")") + text.count("）")
    if opens > closes:
        warn(following[0].map[0], "tagline",
             _("the tagline `{text}` opens `{opener}` but never closes it, so it is shown as a paragraph "
               "instead of under the heading; end it with `{closer}`").format(
                 text=text, opener=opener, closer=closer))


def _empty_sections(tokens: Sequence[Token], warn) -> None:
    """A heading followed directly by a heading of the same or a higher level, or by the end."""
    headings = [(k, t) for k, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0 and t.map]
    for n, (k, token) in enumerate(headings):
        level = int(token.tag[1])
        next_index = headings[n + 1][0] if n + 1 < len(headings) else _body_end(tokens)
        has_content = next_index > k + 3
        next_level = int(headings[n + 1][1].tag[1]) if n + 1 < len(headings) else 0
        if not has_content and (next_level == 0 or next_level <= level):
            title = tokens[k + 1].content.strip()
            warn(token.map[0], "section",
                 _("the section `{markup} {title}` is empty; write its text, or delete the heading "
                   "before publishing").format(markup=token.markup, title=title))


def _body_end(tokens: Sequence[Token]) -> int:
    """Index of the first token after the body proper (footnote definitions are not content)."""
    for k, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return k
    return len(tokens)
