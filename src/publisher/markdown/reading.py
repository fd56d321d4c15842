"""Reading time: how long the body takes to read, counted the way each script is read.

Japanese and Chinese have no spaces between words, so their text is counted
in characters (kanji, hanzi, kana); other text is counted in words. The count
is taken once, while the body is rendered (a core rule right after inline
parsing, comments already dropped): only text the reader sees counts, not
Markdown syntax, link targets, image names or alt texts. It is cached with the
rendered body, so an incremental build never counts again.

Rates (silent reading of non-fiction by adults):

- Japanese: 500 characters a minute (the usual figure for Japanese, 400-600);
- Chinese: 400 characters a minute: Chinese needs about a fifth fewer
  characters than Japanese for the same text (no kana), so a translation
  shows about the time of its original;
- words (English and other spaced text, Latin names and figures inside CJK
  text): 238 words a minute (Brysbaert 2019, English non-fiction).

The minutes shown are rounded to the nearest whole minute, at least 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.rules_core import StateCore

from .context import context

#: CJK characters a minute, by primary language subtag; other languages use `DEFAULT_CJK_RATE`.
CJK_RATES: dict[str, int] = {"ja": 500, "zh": 400}
#: For CJK characters in a language not listed (a Japanese quotation on an English page, say).
DEFAULT_CJK_RATE = 500
#: Words a minute, in every language.
WORD_RATE = 238

# Han ideographs (with extension A and the compatibility block), hiragana, katakana (full and half width,
# with the prolonged sound mark and the iteration marks), and CJK extension B and beyond.
_CJK = re.compile("[\u3005\u3006\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                  "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]")
#: Inline tokens that hold text, or that separate it (line breaks).
_TEXT_TYPES = frozenset({"text", "code_inline", "softbreak", "hardbreak"})
_WORD = re.compile(r"\w+(?:['’.,-]\w+)*")


@dataclass(frozen=True)
class ReadingCount:
    """What a body gives to read."""

    cjk_chars: int = 0
    """Kanji, hanzi and kana of the text (punctuation and spaces not counted)."""
    words: int = 0
    """Runs of other letters and digits (`iFlyTek`, `2025`, `4.5`), each one word."""

    def minutes(self, lang: str) -> int | None:
        """Whole minutes to read it in page language `lang` (`ja`, `zh-CN`, `en`), at least 1; None when
        there is no text at all."""
        if not self.cjk_chars and not self.words:
            return None
        rate = CJK_RATES.get(lang.lower().replace("_", "-").split("-")[0], DEFAULT_CJK_RATE)
        total = self.cjk_chars / rate + self.words / WORD_RATE
        return max(1, int(total + 0.5))


def count_text(text: str) -> ReadingCount:
    """The CJK characters and the words of plain `text`."""
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(_CJK.sub(" ", text))) if cjk else len(_WORD.findall(text))
    return ReadingCount(cjk, words)


def count_reading(state: StateCore) -> None:
    """Core rule (after comments are dropped, before the house rules add markup): count the visible text."""
    parts: list[str] = []
    for token in state.tokens:
        if token.type in ("fence", "code_block"):
            parts.append(token.content)
        elif token.type == "inline" and token.children:
            parts.append("".join(child.content if child.type in ("text", "code_inline") else "\n"
                                 for child in token.children if child.type in _TEXT_TYPES))
    context(state.env).reading = count_text("\n".join(parts))
