"""House-style blocks made from plain CommonMark (see HOUSE_STYLE.md).

- Flow marker: a paragraph holding only `↓` ("and therefore") →
  `<p class="flow"><span class="flow-arrow" aria-hidden="true">↓</span><span class="flow-label visually-hidden">したがって</span></p>`.
  The arrow is decoration; the label says what it means to a screen reader
  (`.visually-hidden`, the site stylesheet's class, hides it on screen).
- Callouts: every block quote → `<div class="callout callout-term" role="note">`;
  `callout-summary` instead when its first text starts with `■`. A top-level
  paragraph starting with `■` is wrapped in a summary callout too.
- Points: a paragraph starting with a circled number (①–⑳, ㉑–㊿, ⑴–⒇)
  gets `class="point"` (hanging indent).
- Tables: wrapped in `<div class="table-scroll" role="region" tabindex="0"
  aria-label="表1">` so they scroll sideways on a phone, and keyboard users
  can scroll them too.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from .context import context
from .inline import first_char, plain_text
from .labels import label

FLOW_ARROW = "↓"
SUMMARY_MARK = "■"
_POINT_RANGES = (("\u2460", "\u2473"), ("\u3251", "\u325f"), ("\u32b1", "\u32bf"), ("\u2474", "\u2487"))


def is_point_mark(ch: str | None) -> bool:
    """①–⑳, ㉑–㊿ (circled) and ⑴–⒇ (parenthesised)."""
    return ch is not None and any(lo <= ch <= hi for lo, hi in _POINT_RANGES)


def _callout_attrs(kind: str) -> dict[str, str]:
    return {"class": f"callout callout-{kind}", "role": "note"}


def flow_markers(state: StateCore) -> None:
    """Core rule: a paragraph that is only `↓` → a flow marker with a spoken label."""
    html = Markup(
        '<span class="flow-arrow" aria-hidden="true">{}</span>'
        '<span class="flow-label visually-hidden">{}</span>'
    )
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "paragraph_open" or token.hidden:
            continue
        inline = tokens[i + 1]
        # The arrow is in the source unless written as an entity (`&darr;`): most
        # paragraphs are ruled out without collecting their text.
        if FLOW_ARROW not in inline.content and "&" not in inline.content:
            continue
        if plain_text(inline.children).strip() != FLOW_ARROW:
            continue
        token.attrSet("class", "flow")
        content = html.format(FLOW_ARROW, label(context(state.env), "flow"))
        inline.children = [Token("html_inline", "", 0, content=str(content))]


def callouts(state: StateCore) -> None:
    """Core rule: block quotes and top-level `■` paragraphs → callout boxes."""
    tokens = state.tokens
    result: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open":
            first = _first_inline_inside(tokens, i)
            kind = "summary" if first is not None and _starts_summary(first) else "term"
            token.tag = "div"
            token.attrs.update(_callout_attrs(kind))
        elif token.type == "blockquote_close":
            token.tag = "div"
        elif (
            token.type == "paragraph_open"
            and token.level == 0
            and not token.hidden
            and _starts_summary(tokens[i + 1])
        ):
            result += [
                Token("callout_open", "div", 1, attrs=_callout_attrs("summary"), block=True),
                *tokens[i : i + 3],
                Token("callout_close", "div", -1, block=True),
            ]
            i += 3
            continue
        result.append(token)
        i += 1
    state.tokens = result


def _first_inline_inside(tokens: list[Token], start: int) -> Token | None:
    """The first inline token inside the block opened at `tokens[start]`."""
    depth = 0
    for token in tokens[start:]:
        depth += token.nesting
        if token.type == "inline":
            return token
        if depth == 0:
            return None
    return None


def _starts_summary(inline: Token) -> bool:
    return first_char(inline.children) == SUMMARY_MARK


def points(state: StateCore) -> None:
    """Core rule: paragraphs opening with a circled number get `class="point"`."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and not token.hidden and is_point_mark(first_char(tokens[i + 1].children)):
            token.attrJoin("class", "point")


def scrolling_tables(state: StateCore) -> None:
    """Core rule: wrap each table in a labelled, focusable, scrolling region."""
    ctx = context(state.env)
    result: list[Token] = []
    number = 0
    for token in state.tokens:
        if token.type == "table_open":
            number += 1
            attrs = {
                "class": "table-scroll",
                "role": "region",
                "tabindex": "0",
                "aria-label": label(ctx, "table", n=number),
            }
            result.append(Token("table_scroll_open", "div", 1, attrs=attrs, block=True, level=token.level))
        result.append(token)
        if token.type == "table_close":
            result.append(Token("table_scroll_close", "div", -1, block=True, level=token.level))
    state.tokens = result
