"""A readable slug from an article's code and title (romaji), for `publish import` and `publish draft`."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SLUG_TITLE_WORDS = 5
"""Title words kept in a derived slug (the code makes it unique; the words make it readable)."""
_PARTICLES = frozenset({"no", "ga", "wa", "ha", "wo", "o", "ni", "de", "to", "mo", "he", "e", "ya", "ka", "yo"})


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def _is_kana(text: str) -> bool:
    return bool(text) and all("\u3041" <= ch <= "\u309f" for ch in text)


def _romaji_words(text: str) -> list[str]:
    """Japanese text -> lower-case romaji words (pykakasi); okurigana stay on their word (照ら+す -> terasu)."""
    words: list[str] = []
    previous = ""
    for token in _kakasi().convert(unicodedata.normalize("NFKC", text)):
        orig, roman = token["orig"], token["passport"].lower()
        pieces = [p for p in re.split(r"[^a-z0-9]+", roman) if p]
        okurigana = (_is_kana(orig) and previous[-1:] and _is_kana(previous[-1]) and not _is_kana(previous[0])
                     and pieces and pieces[0] not in _PARTICLES)
        if okurigana and words:
            words[-1] += pieces.pop(0)
        words += pieces
        previous = orig
    return words


def derive_slug(code: str, title: str) -> str:
    """`中国G93` + title -> `chugoku-g93-chihou-toshi-seisaku-hikari-terasu` (editable with --slug)."""
    code_words = _romaji_words(code)
    title_words = [w for w in _romaji_words(title) if w not in _PARTICLES]
    slug = "-".join([*code_words, *title_words[:SLUG_TITLE_WORDS]])
    return re.sub(r"-{2,}", "-", slug).strip("-") or "imported-article"
