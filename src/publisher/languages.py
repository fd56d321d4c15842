"""What the code knows about a language, in one registry, looked up by BCP 47 tag.

`publisher.toml` says which languages a site has: their codes, their
`html_lang` tags (`[languages.<code>]`) and every word the pages show
(`[strings.<code>]`, including the screen-reader labels). What only code can
know -- how to name the language to a model, its Open Graph locale, the Noto
CJK faces its PDFs need, its phrase breaker -- is
here, for Japanese, Simplified and Traditional Chinese, English and Korean.
A language not listed still builds, with neutral defaults (no phrase
breaking, no CJK fonts, English labels, its tag as its name).

    language(tag) -> Language | None     `ja`, `zh`, `zh-CN`, `zh-Hant`, `zh-TW`, `en-GB`, `ko` ...
    og_locale(tag) -> str                `zh-CN` -> `zh_CN`, `ja` -> `ja_JP`
    prompt_name(tag) -> str              `Simplified Chinese (zh-CN)`
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class Language:
    """One language the code knows."""

    tag: str
    """Its usual BCP 47 tag (`zh-CN`): what `[languages.<code>] html_lang` should say."""
    prompt_name: str
    """How prompts to a model name it (`Simplified Chinese (zh-CN)`)."""
    og_locale: str
    """Open Graph locale, `language_TERRITORY` (`zh_CN`)."""
    cjk_faces: str | None
    """Suffix of the Noto CJK faces the print stylesheet names for it (`JP`, `SC`, `TC`); None: none needed."""
    phrases: str | None
    """BudouX model that keeps its phrases whole (`ja`, `zh-hans`, `zh-hant`); None: no phrase breaking."""
    reader_timezone: str | None
    """Where its readers mostly are (IANA zone): times are shown there too, beside the site's own
    (`[languages.<code>] display_timezone` overrides it); None: the site's zone only."""
    labels: Mapping[str, str] = field(repr=False)
    """Default screen-reader labels of the Markdown renderer (`flow`, `table`, `footnotes`, `footnote_back`);
    a site's `[strings.<code>]` `<key>_label` replaces them."""


def _language(tag: str, prompt_name: str, og_locale: str, cjk_faces: str | None,
              phrases: str | None, reader_timezone: str | None, labels: dict[str, str]) -> Language:
    return Language(tag, prompt_name, og_locale, cjk_faces, phrases, reader_timezone,
                    MappingProxyType(labels))


_KNOWN: Mapping[str, Language] = MappingProxyType({
    "ja": _language("ja", "Japanese", "ja_JP", "JP", "ja", "Asia/Tokyo",
                    {"flow": "したがって", "table": "表{n}", "footnotes": "脚注", "footnote_back": "本文に戻る"}),
    "zh": _language("zh-CN", "Simplified Chinese (zh-CN)", "zh_CN", "SC", "zh-hans", "Asia/Shanghai",
                    {"flow": "因此", "table": "表格{n}", "footnotes": "注释", "footnote_back": "返回正文"}),
    "zh-Hant": _language("zh-Hant", "Traditional Chinese (zh-Hant)", "zh_TW", "TC", "zh-hant", "Asia/Taipei",
                         {"flow": "因此", "table": "表格{n}", "footnotes": "註釋", "footnote_back": "返回正文"}),
    "en": _language("en", "English", "en_US", None, None, None,
                    {"flow": "therefore", "table": "Table {n}", "footnotes": "Footnotes",
                     "footnote_back": "Back to text"}),
    # The print stylesheet names no Korean face: a Korean PDF uses what fontconfig picks.
    "ko": _language("ko", "Korean", "ko_KR", None, None, "Asia/Seoul",
                    {"flow": "따라서", "table": "표 {n}", "footnotes": "각주", "footnote_back": "본문으로 돌아가기"}),
})

#: Subtags after `zh` that mean Traditional characters.
_TRADITIONAL = frozenset({"hant", "tw", "hk", "mo"})

ENGLISH_LABELS = _KNOWN["en"].labels
"""The labels of a language the registry does not know."""


def _subtags(tag: str) -> list[str]:
    return tag.lower().replace("_", "-").split("-")


def language(tag: str) -> Language | None:
    """The language of a BCP 47 tag or site code (`zh-TW` and `zh-Hant-HK` are Traditional Chinese); None:
    one the code does not know."""
    subtags = _subtags(tag)
    if subtags[0] == "zh":
        return _KNOWN["zh-Hant"] if _TRADITIONAL & set(subtags[1:]) else _KNOWN["zh"]
    return _KNOWN.get(subtags[0])


def og_locale(tag: str) -> str:
    """`zh-CN` -> `zh_CN`, `ja` -> `ja_JP`: Open Graph wants language_TERRITORY."""
    subtags = _subtags(tag)
    if len(subtags) == 1:
        known = language(tag)
        return known.og_locale if known is not None else subtags[0]
    if len(subtags[-1]) != 2:  # a script (`zh-Hant`), not a territory
        known = language(tag)
        if known is not None:
            return known.og_locale
    return f"{subtags[0]}_{subtags[-1].upper()}"


LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({key: known.prompt_name for key, known in _KNOWN.items()})
"""Prompt names by site code (`ja`, `zh`), for prompts that have only a code."""


def prompt_name(tag: str) -> str:
    """How a prompt names the language (`Japanese`), or `the language <tag>` for one the code does not know."""
    known = language(tag)
    return known.prompt_name if known is not None else f"the language {tag}"
