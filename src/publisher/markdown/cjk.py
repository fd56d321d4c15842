"""Soft line breaks between Japanese/Chinese characters render as nothing.

CommonMark turns a line break inside a paragraph into a newline, which the
browser shows as a space. Japanese and Chinese put no spaces between words,
so `日本語の\n文章` must read `日本語の文章`. A soft break is dropped when the
characters either side of it (looking through emphasis, links and inline
HTML) are both CJK; between Latin words, or between CJK and Latin
(`日本語\nEnglish`), it stays a space, as an editor's preview shows it.
Hard breaks are never touched.

Likewise a space typed after CJK punctuation before CJK text vanishes, also
across emphasis: the term box `> **産業クラスターとは、** 特定…` reads
`産業クラスターとは、特定…` on the page and in the PDF.

"CJK" here is Han, kana, bopomofo, CJK symbols and punctuation (、。「」【】
・ー), full-width forms, circled numbers (①–⑳, ⑴–⒇, ❶–❿) and the enclosed CJK
blocks (㈱, ㎡). Hangul is not included: Korean is written with spaces.
Punctuation that both scripts use (ASCII parentheses, as in the house style's
`合肥(安徽省)`; “” ‘’ … — ※, arrows, ■●◆) counts as CJK only next to an
unambiguous CJK character, so `(see)\nnext` or `”\n“` in English keep their
space.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore

from .inline import char_after, char_before

_CJK = re.compile(
    "["
    "\u2460-\u24ff"  # enclosed alphanumerics: ①–⑳ ⑴–⒇ ⒈ ⓐ
    "\u2776-\u2793"  # dingbat circled digits: ❶–❿ ➀–➓
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u2ff0-\u2fff"  # ideographic description characters
    "\u3000-\u303f"  # CJK symbols and punctuation: 、。「」【】〜
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana, ・ ー
    "\u3100-\u312f"  # bopomofo
    "\u3190-\u31ff"  # kanbun, bopomofo ext., CJK strokes, katakana ext.
    "\u3200-\u32ff"  # enclosed CJK letters and months: ㈱ ㉑
    "\u3300-\u33ff"  # CJK compatibility: ㎡
    "\u3400-\u4dbf"  # CJK ext. A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe10-\ufe1f"  # vertical forms
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # half-width and full-width forms: （）！？：ＡＢ
    "\U0001b000-\U0001b16f"  # kana supplement and extensions
    "\U00020000-\U0003ffff"  # CJK ext. B and later
    "]"
)

_SHARED_PUNCTUATION = re.compile(
    "["
    "()"  # ASCII parentheses
    "\u2014\u2015"  # dashes — ―
    "\u2018\u2019\u201c\u201d"  # curly quotes ‘ ’ “ ”
    "\u2025\u2026\u203b"  # ‥ … ※
    "\u2190-\u21ff"  # arrows
    "\u25a0-\u25ff\u2605\u2606"  # geometric shapes ■●◆, stars ★☆
    "]"
)


def is_cjk(ch: str | None) -> bool:
    """True for a Japanese/Chinese character or CJK punctuation (one character)."""
    return ch is not None and _CJK.match(ch) is not None


def _is_shared(ch: str | None) -> bool:
    return ch is not None and _SHARED_PUNCTUATION.match(ch) is not None


def joins_without_space(before: str | None, after: str | None) -> bool:
    """Whether a soft break between these two characters should vanish."""
    if is_cjk(before):
        return is_cjk(after) or _is_shared(after)
    return _is_shared(before) and is_cjk(after)


_CJK_PUNCTUATION = "、。，．！？：；」』）】〕〉》｝"
_SPACE_AFTER_PUNCTUATION = re.compile(f"(?<=[{_CJK_PUNCTUATION}])[ \t\u3000]+(?={_CJK.pattern})")
_SPACES = " \t\u3000"


def _drop_spaces_after_punctuation(children: list) -> None:
    """`、 特定` -> `、特定`, within a text and across emphasis (`**…とは、** 特定`)."""
    for i, child in enumerate(children):
        text = child.content
        if child.type != "text" or not any(space in text for space in _SPACES):
            continue
        text = _SPACE_AFTER_PUNCTUATION.sub("", text)
        rest = text.lstrip(_SPACES)
        if rest != text and i > 0 and children[i - 1].type.endswith("_close") and is_cjk(rest[:1] or None) \
                and (char_before(children, i) or "") in _CJK_PUNCTUATION:
            text = rest
        child.content = text


def drop_cjk_softbreaks(state: StateCore) -> None:
    """Core rule (after inline parsing): remove soft breaks between CJK characters, and spaces after CJK
    punctuation before CJK text."""
    for token in state.tokens:
        children = token.children
        if token.type != "inline" or not children:
            continue
        _drop_spaces_after_punctuation(children)
        token.children = [
            child
            for i, child in enumerate(children)
            if child.type != "softbreak"
            or not joins_without_space(char_before(children, i), char_after(children, i))
        ]
