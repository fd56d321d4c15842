"""Helpers to read the text of an inline token's children across markup.

House-style rules look at "the first character of a paragraph" or "the
characters either side of a line break" as a reader sees them, so emphasis,
links and raw inline HTML tags are looked through, not treated as text.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from markdown_it.token import Token

TEXT_TYPES = frozenset({"text", "code_inline"})
"""Children whose `content` is text the reader sees."""


def is_transparent(token: Token) -> bool:
    """Markup that carries no text of its own: look through it."""
    return token.nesting != 0 or token.type in ("html_inline", "footnote_ref")


def _ignorable(ch: str) -> bool:
    """Combining marks, variation selectors, zero-width characters."""
    category = unicodedata.category(ch)
    return category[0] == "M" or category == "Cf"


def char_before(children: Sequence[Token], index: int) -> str | None:
    """The last visible character before `children[index]`, or None at a boundary."""
    for token in reversed(children[:index]):
        if token.type in TEXT_TYPES:
            text = token.content.rstrip()
            while text and _ignorable(text[-1]):
                text = text[:-1]
            if text:
                return text[-1]
            if token.content:  # whitespace only: nothing visible to join
                return None
        elif not is_transparent(token):
            return None
    return None


def char_after(children: Sequence[Token], index: int) -> str | None:
    """The first visible character after `children[index]` (index -1: from the start)."""
    for token in children[index + 1 :]:
        if token.type in TEXT_TYPES:
            text = token.content.lstrip()
            while text and _ignorable(text[0]):
                text = text[1:]
            if text:
                return text[0]
            if token.content:
                return None
        elif not is_transparent(token):
            return None
    return None


def first_char(children: Sequence[Token] | None) -> str | None:
    """The first visible character of an inline run."""
    return char_after(children or (), -1)


def plain_text(children: Sequence[Token] | None) -> str:
    """The text a reader sees (image alt text included), without markup."""
    parts: list[str] = []
    for token in children or ():
        if token.type in TEXT_TYPES:
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(plain_text(token.children))
    return "".join(parts)
