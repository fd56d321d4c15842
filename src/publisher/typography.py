"""Phrase-aware line breaking for Japanese and Chinese titles (BudouX).

Browsers break Japanese and Chinese text between any two characters, so a
heading on a phone can wrap in the middle of a word (`成功を収め / る`).
BudouX finds the phrase boundaries; we mark them with `<wbr>` inside a
`<span class="phrases">`, and the stylesheet gives `.phrases`
`word-break: keep-all; overflow-wrap: anywhere`, so lines break only between
phrases (and anywhere as a last resort for a phrase longer than the line).

No inline `style` attribute is emitted: the page's CSS owns the presentation.

BudouX sometimes cuts a word (`第十五次五／カ年計画`, `“一／次性`, `1鎮に1／つの`):
a boundary never falls inside a number and its counter (`五カ年`, `一次`,
`1つ`, `30社`), nor inside a word of `keep` (the glossary's terms and the
language's `keep_together` list in `publisher.toml`).

    phrase_html(text, lang, keep=()) -> Markup          plain text in
    phrase_inline_html(html, lang, keep=()) -> Markup   trusted inline HTML in
    is_latin(ch) -> bool                                a character between which a space is a word space
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

import budoux
from budoux.html_processor import HTMLChunkResolver, get_text
from markupsafe import Markup, escape

from .languages import language

__all__ = ["is_latin", "phrase_html", "phrase_inline_html", "phrase_parser", "phrases"]

_SEPARATOR = "<wbr>"
_WRAPPER = Markup('<span class="phrases">{}</span>')


# Line-breaking rules (kinsoku) BudouX does not always respect: never a break
# right after an opening bracket or right before closing punctuation.
_NO_BREAK_AFTER = frozenset("(（[［{｛「『【〔〈《〖〘“‘")
_NO_BREAK_BEFORE = frozenset(")）]］}｝」』】〕〉》〗〙”’、。，．,.・：；:;？！?!…‥ー々")


_NUMBER = "0-9０-９〇一二三四五六七八九十百千万億两兩几幾数數"
_COUNTER = re.compile(
    rf"[{_NUMBER}]+(?:[.,．，][0-9０-９]+)?"
    r"(?:[カヶケかヵ箇个個][年月所国國条條]?|[つ人名社件回次度割分時秒日月年週周歳岁期号號階层層条條項项章節节点點倍台枚本冊册杯頭匹位種种家座棟栋戸户軒项]|%|％)"
)
"""A number and its counter: `五カ年`, `1つ`, `一次`, `30社`, `15%`."""


@lru_cache(maxsize=None)
def phrase_parser(lang: str) -> budoux.Parser | None:
    """The BudouX parser for `lang` (`ja`, `zh`, `zh-CN`, `zh-TW` ...), or None.

    Loading a model reads and parses JSON, so each parser is built once per
    process and reused; `Parser.parse` keeps no state between calls.
    """
    known = language(lang)
    return _budoux(known.phrases) if known is not None and known.phrases is not None else None


@lru_cache(maxsize=None)
def _budoux(model: str) -> budoux.Parser:
    """One parser per BudouX model (`Language.phrases`), whatever tag asked for it."""
    loaders = {"ja": budoux.load_default_japanese_parser, "zh-hans": budoux.load_default_simplified_chinese_parser,
               "zh-hant": budoux.load_default_traditional_chinese_parser}
    return loaders[model]()


def phrases(text: str, lang: str, keep: Iterable[str] = ()) -> list[str] | None:
    """The phrases of `text` (None for a language without a parser).

    BudouX's split, with boundaries after an opening bracket or before closing
    punctuation merged away: `【<wbr>成长` or `省<wbr>)` would let a line
    start with `)` or end with `【`; and boundaries inside a number and its
    counter or inside a word of `keep` merged away too.
    """
    parser = phrase_parser(lang)
    if parser is None:
        return None
    protected = _protected_positions(text, keep)
    merged: list[str] = []
    position = 0
    for phrase in parser.parse(text):
        if merged and (merged[-1][-1] in _NO_BREAK_AFTER or phrase[0] in _NO_BREAK_BEFORE
                       or position in protected):
            merged[-1] += phrase
        else:
            merged.append(phrase)
        position += len(phrase)
    return merged


def _protected_positions(text: str, keep: Iterable[str]) -> set[int]:
    """Offsets in `text` where no boundary may fall: inside a number+counter or a word to keep together."""
    spans = [match.span() for match in _COUNTER.finditer(text)]
    for word in keep:
        if len(word) > 1 and word in text:
            start = text.find(word)
            while start >= 0:
                spans.append((start, start + len(word)))
                start = text.find(word, start + 1)
    return {position for start, end in spans for position in range(start + 1, end)}


def phrase_html(text: str, lang: str, keep: Iterable[str] = ()) -> Markup:
    """Escape `text`; for Japanese/Chinese mark phrase boundaries with `<wbr>`.

    Returns `<span class="phrases">phrase<wbr>phrase…</span>` for `ja`/`zh`,
    the escaped text unchanged for other languages or empty text.
    """
    found = phrases(text, lang, keep) if text.strip() else None
    if not found:
        return escape(text)
    parts: list[str] = []
    for phrase in found:
        # No <wbr> next to a space: the space is already a break opportunity.
        if parts and not phrase[:1].isspace() and not parts[-1][-1:].isspace():
            parts.append(_SEPARATOR)
        parts.append(escape(phrase))
    return _WRAPPER.format(Markup("".join(parts)))


def phrase_inline_html(html: str, lang: str, keep: Iterable[str] = ()) -> Markup:
    """Like `phrase_html`, for a small piece of trusted inline HTML.

    Meant for heading content (`<em>`, `<code>`, `<a>`, spans): phrases are
    found in the text content and `<wbr>` is inserted between them without
    breaking tags or attributes; nothing is added inside `<code>` and the other
    elements BudouX skips. The input is trusted HTML (already rendered by us),
    so it is not escaped again.
    """
    if "<" not in html and "&" not in html:  # plain text (most headings): no HTML to keep intact
        return phrase_html(html, lang, keep)
    text = get_text(html)
    found = phrases(text, lang, keep) if text.strip() else None
    if not found:
        return Markup(html)
    resolver = HTMLChunkResolver(found, _SEPARATOR)
    resolver.feed(html)
    resolver.close()
    return _WRAPPER.format(Markup(resolver.output))


def is_latin(ch: str) -> bool:
    """Letters, digits and ASCII punctuation: between these a space is a real word space."""
    if ch.isascii():
        return ch.isprintable() and not ch.isspace()
    return unicodedata.name(ch, "").startswith("LATIN")
