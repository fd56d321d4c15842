"""Japanese and Chinese words indexed under the parts a reader's browser splits them into, as well as whole,
so that a search for a word of a page finds the page.

Pagefind splits a page's text with its dictionaries when it indexes it
(lindera for Japanese, jieba for Chinese), but a query with the browser's
`Intl.Segmenter` (ICU), and each part of the query must start a word of the
page. The two disagree on names and compounds: the index holds `恵州`,
`サーボモーター` and `零部件` whole, the browser splits the queries `恵` `州`,
`サーボ` `モーター` and `零` `部件`, no word of the page starts with `州`,
`モーター` or `部件`, and the page is not found (Pagefind/pagefind#1237). So
each Japanese or Chinese word of the index is split as the browser splits it
(ICU's word breaker, `icu4py`: ICU 78, which splits as Chromium 156 does), and
each part after the first is entered too, at the word's places with its
weights (`州` where `恵州` is), under a key made as Pagefind makes its own
(letters and digits, lower case, without diacritics; the form with them as a
variant). Only parts of words the pages hold are added, so a query for what
no page says still finds nothing.

Not covered: a word the browser finds across two of Pagefind's words (`設計`
in a text Pagefind split `設` `計...`); `bench/search_recall.py` counts them.
A page's entries depend on that page alone, so an index made of patched parts
is the one made whole (`patch.py`).
"""

from __future__ import annotations

import json
import re
import unicodedata

from ..errors import PublisherError
from ..i18n import _
from .index_format import (FormatError, LanguageIndex, entries_written_back, index_files, meta_hash_of, meta_path,
                           pack, read_index)
from .pagefind import ENTRY_PATH

LANGUAGES = {"ja": "ja", "zh": "zh"}
"""Pagefind's language (primary subtag) -> the ICU locale whose word breaker the browser uses for it."""

_CJK = re.compile(r"[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006]")
"""Kana, kanji (hanzi) and the iteration marks: the words the two ways of splitting differ on."""

_COMMON_WEIGHT = 25
"""The weight Pagefind writes without a marker (a weight of 1, times 24, plus one)."""


def splitter_version() -> str:
    """The ICU that splits the words: another may split them otherwise, and an index patched with its parts
    would not be the one made whole (`bundle.py` makes the indexes again whole when it changes)."""
    try:
        from icu4py import icu_version
    except ImportError:
        raise _missing() from None
    return f"ICU {icu_version}"


def _missing() -> PublisherError:
    return PublisherError(_("the site search needs ICU's word breaker (the Python package icu4py), which is not "
                            "installed; install it with `pip install icu4py` (or run ./scripts/setup.sh) and "
                            "build again; the previous site is still in place"))


def with_browser_words(made: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files (`made`: path in the output -> bytes) with the indexes of `LANGUAGES` rewritten to hold
    the browser's parts of their words too; the entry file names their new meta files. An index this module
    cannot read, or whose changed entries it would not write back byte for byte (another Pagefind format), is
    left as Pagefind wrote it."""
    if ENTRY_PATH not in made:
        return made
    entry = json.loads(made[ENTRY_PATH])
    languages = entry.get("languages")
    if not isinstance(languages, dict):
        return made
    out = dict(made)
    for language, part in languages.items():
        locale = LANGUAGES.get(language.split("-")[0].lower())
        if locale is None or not isinstance(part, dict):
            continue
        try:
            index = read_index(language, str(part.get("hash")), made.__getitem__)
        except (FormatError, KeyError):
            continue
        augmented = add_browser_words(index, locale)
        touched = {word for word, entry in augmented.words.items() if entry is not index.words.get(word)}
        if not touched or not entries_written_back(index, touched):
            continue  # nothing to add, or entries this module would not write back as Pagefind wrote them
        files = dict(index_files(augmented, index.unchanged(touched)))  # the other words' entries as read
        meta_hash = meta_hash_of(next(reversed(files)))
        for _words, path, _raw in index.chunks_read:
            out.pop(path, None)
        out.pop(meta_path(str(part["hash"])), None)
        out.update((path, pack(raw)) for path, raw in files.items())
        part["hash"] = meta_hash
    out[ENTRY_PATH] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return out


def add_browser_words(index: LanguageIndex, locale: str) -> LanguageIndex:
    """`index` with each of its Japanese or Chinese words that the browser splits in parts also entered under
    its later parts (`恵州` -> `州`), where the word is."""
    try:
        from icu4py.breakers import WordBreaker  # only a build that indexes Japanese or Chinese pages loads ICU
    except ImportError:
        raise _missing() from None

    added: dict[str, dict[str, dict[int, list[list]]]] = {}  # key -> form -> page -> the whole words' entries
    for word, (pages, variants) in index.words.items():
        for form, form_pages in [(word, pages), *variants]:
            if not form_pages or not _CJK.search(form):
                continue
            at = 0
            for part in WordBreaker(form, locale):
                if at and _letters(part):
                    part_form, key = _form_and_key(part)
                    for page in form_pages:
                        if page[1]:  # not a title's words alone (meta locations): the title is in the text too
                            added.setdefault(key, {}).setdefault(part_form, {}).setdefault(page[0], []).append(
                                page)
                at += len(part)
    if not added:
        return index
    words = dict(index.words)
    for key, forms in added.items():
        pages, variants = words.get(key, [[], []])
        for form, spots in forms.items():
            if form == key:
                pages = _merged(pages, spots)
            else:
                variant = next((variant for variant in variants if variant[0] == form), None)
                variants = [v for v in variants if v is not variant] + [[form, _merged(variant[1] if variant
                                                                                        else [], spots)]]
        words[key] = [pages, sorted(variants, key=lambda variant: variant[0])]
    return LanguageIndex(index.language, index.version, index.pages, words, index.meta_fields, index.filters,
                         index.sorts)


def _form_and_key(word: str) -> tuple[str, str]:
    form = _letters(word)
    return form, _key(form)


def _letters(word: str) -> str:
    """What Pagefind keeps of a word: its letters and digits, in lower case."""
    return "".join(char.lower() for char in word if char.isalnum())


def _key(form: str) -> str:
    """Pagefind's key for a word: without diacritics (canonical decomposition, combining marks dropped), as a
    query is made without them too (`ド` is entered as `ト`)."""
    if form.isascii():
        return form
    return "".join(char for char in unicodedata.normalize("NFD", form)
                   if not unicodedata.category(char).startswith("M"))


def _merged(pages: list, spots: dict[int, list[list]]) -> list:
    """A word's pages (in page order) with the places in the text of the whole words' entries `spots` (page ->
    entries) added: a page only one of them is on takes its places as they are packed."""
    by_number = {page[0]: page for page in pages}
    for number, entries in spots.items():
        own = by_number.get(number)
        if own is None and len(entries) == 1:
            by_number[number] = [number, entries[0][1], []]
        else:
            places = [spot for entry in ([own] if own else []) + entries for spot in _decoded(entry[1])]
            by_number[number] = [number, _encoded(places), own[2] if own else []]
    return [by_number[number] for number in sorted(by_number)]


def _decoded(locations: list[int]) -> list[tuple[int, int]]:
    """Pagefind's packed places of a word on a page as (place, weight): places by differences, a negative
    number changing the weight (`-weight - 1`) and followed by the place itself."""
    out = []
    weight, last, absolute = _COMMON_WEIGHT, 0, False
    for value in locations:
        if value < 0:
            weight, absolute = -value - 1, True
            continue
        last = value if absolute else last + value
        absolute = False
        out.append((last, weight))
    return out


def _encoded(spots: list[tuple[int, int]]) -> list[int]:
    """(place, weight) packed as Pagefind packs them (its `positions_to_packed_page`): the common weight first,
    then by weight, each group by place; a place given twice keeps its larger weight."""
    best: dict[int, int] = {}
    for place, weight in spots:
        best[place] = max(weight, best.get(place, 0))
    out: list[int] = []
    current, last = _COMMON_WEIGHT, 0
    for place, weight in sorted(best.items(), key=lambda item: (0 if item[1] == _COMMON_WEIGHT else item[1],
                                                                 item[0])):
        if weight != current:
            out += [-weight - 1, place]
            current = weight
        else:
            out.append(place - last)
        last = place
    return out
