"""CJK-friendly emphasis: `**保税区とは、**輸入…` and `これは**「重要」**です` make bold text.

CommonMark decides whether `**` can open or close from the characters around
it, and a run preceded by punctuation such as `、` or `」` and followed by a
letter cannot close, so the asterisks are printed as they are. Japanese and
Chinese put no spaces around words, so this hits writers constantly. This is
the rule of the markdown-it-cjk-friendly plugin (JavaScript, no Python port):
next to a CJK character, punctuation on the other side no longer blocks the
delimiter run. Editors with that extension preview the same result.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline

from .cjk import is_cjk


class _CJKFriendlyStateInline(StateInline):
    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:  # noqa: N802, N803 - markdown-it's names
        pos, maximum, marker = start, self.posMax, self.src[start]
        last = self.src[start - 1] if start > 0 else " "
        while pos < maximum and self.src[pos] == marker:
            pos += 1
        count = pos - start
        following = self.src[pos] if pos < maximum else " "

        last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
        next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
        last_space = isWhiteSpace(ord(last))
        next_space = isWhiteSpace(ord(following))
        last_cjk, next_cjk = is_cjk(last), is_cjk(following)

        left_flanking = not (next_space or (next_punct and not (last_space or last_punct or last_cjk)))
        right_flanking = not (last_space or (last_punct and not (next_space or next_punct or next_cjk)))
        can_open = left_flanking and (canSplitWord or not right_flanking or last_punct)
        can_close = right_flanking and (canSplitWord or not left_flanking or next_punct)
        return Scanned(can_open, can_close, count)


class _CJKFriendlyParserInline(ParserInline):
    def parse(self, src, md, env, tokens):  # type: ignore[no-untyped-def]
        state = _CJKFriendlyStateInline(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def cjk_friendly_emphasis(md: MarkdownIt) -> None:
    """Plugin: parse inline content with the CJK-friendly delimiter scan (same rules, same rulers)."""
    inline = _CJKFriendlyParserInline()
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    md.inline = inline
