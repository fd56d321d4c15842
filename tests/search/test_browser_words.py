"""The browser's parts of words added to Pagefind's Japanese and Chinese indexes (real Pagefind, real ICU).

Pagefind indexes a small site of its own here; a reader's query for a word of
a page is split as the browser splits it (ICU's word breaker, which Chromium
uses, checked in `test_search_browser.py`), and each part must start a word
of that page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cbor2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from icu4py.breakers import WordBreaker

from publisher.errors import PublisherError
from publisher.search.browser_words import (_decoded, _encoded, _key, _letters, add_browser_words, splitter_version,
                                           with_browser_words)
from publisher.search.index_format import LanguageIndex, fragment_path, pack, read_index, unpack
from publisher.search.pagefind import ENTRY_PATH, index_pages

PAGES = {
    "ja/a/index.html": ("ja", "<h1>恵州の工場</h1><p>恵州と東莞にサーボモーターの工場がある。景徳鎮も訪ねた。</p>"),
    "ja/b/index.html": ("ja", "<h2>州ごとの違い</h2><p>広州の州政府は新しい方針を示した。</p>"),
    "zh/a/index.html": ("zh-CN", "<p>粤港澳大湾区的零部件企业集中在阳江和恵州。</p>"),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Pagefind's files for `PAGES`, as Pagefind wrote them."""
    site = tmp_path_factory.mktemp("site")
    for path, (lang, body) in PAGES.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title>'
                                 f'</head><body><main data-pagefind-body>{body}</main></body></html>', "utf-8")
    return index_pages(site, list(PAGES))


def _indexes(files: dict[str, bytes]) -> dict[str, tuple[LanguageIndex, list[dict]]]:
    """Language -> its index and its pages' fragments, by page number."""
    entry = json.loads(files[ENTRY_PATH])
    out = {}
    for language, part in entry["languages"].items():
        index = read_index(language, part["hash"], files.__getitem__)
        out[language] = index, [json.loads(unpack(files[fragment_path(page[0])])) for page in index.pages]
    return out


def _starts_a_word_of(index: LanguageIndex, number: int, part: str) -> bool:
    """Whether a word of page `number` starts with the query part, as Pagefind matches it."""
    key = _key(_letters(part))
    return any(word.startswith(key) and number in {page[0] for page in pages}
               | {page[0] for _form, variant in variants for page in variant}
               for word, (pages, variants) in index.words.items())


def _missed(files: dict[str, bytes]) -> list[tuple[int, str]]:
    """(page number, word) for each word of a page, in each form it has there, that the browser splits into parts
    one of which starts no word of the page: a search for the word would not find it."""
    missed = []
    for language, (index, _fragments) in _indexes(files).items():
        for word, (pages, variants) in index.words.items():
            for form, form_pages in [(word, pages), *variants]:
                for page in form_pages:
                    if any(_letters(part) and not _starts_a_word_of(index, page[0], part)
                           for part in WordBreaker(form, language.split("-")[0])):
                        missed.append((page[0], form))
    return missed


def test_every_word_of_a_page_as_the_browser_splits_it_starts_a_word_of_that_page(made):
    missed = _missed(made)  # Pagefind alone: `恵州` is one word, the browser splits `恵` `州`
    assert {"恵州", "サーボモーター", "零部件", "阳江"} <= {word for _page, word in missed}
    assert _missed(with_browser_words(made)) == []


def test_a_word_is_entered_where_its_text_is_with_the_weight_of_pagefinds_word_there(made):
    before, after = _indexes(made)["ja"][0], _indexes(with_browser_words(made))["ja"][0]
    number = next(n for n, (fragment_hash, _count) in enumerate(before.pages)
                  if json.loads(unpack(made[fragment_path(fragment_hash)]))["url"] == "/ja/a/")
    whole = dict(_decoded(next(page for page in before.words["恵州"][0] if page[0] == number)[1]))
    part = dict(_decoded(next(page for page in after.words["州"][0] if page[0] == number)[1]))
    assert part == whole and len(part) == 2  # the heading's and the paragraph's, each with its weight
    assert len(set(part.values())) == 2  # the heading weighs more


def test_only_the_browsers_parts_of_the_pages_words_are_added(made):
    added = set()
    parts = set()
    for language, (index, _fragments) in _indexes(with_browser_words(made)).items():
        before = _indexes(made)[language][0]
        added |= set(index.words) - set(before.words)
        parts |= {_key(_letters(part)) for word, (_pages, variants) in before.words.items()
                  for form in [word, *(form for form, _pages in variants)]
                  for part in WordBreaker(form, language.split("-")[0])}
    assert {"モーター", "部件"} <= added <= parts  # (`州` is a word of /ja/b/ already); not `ローン`, say


def test_the_written_bundle_names_only_its_new_files(made):
    files = with_browser_words(made)
    entry = json.loads(files[ENTRY_PATH])
    listed = set()
    for language, part in entry["languages"].items():
        index = read_index(language, part["hash"], files.__getitem__)
        listed |= {path for _words, path, _raw in index.chunks_read} | {f"pagefind/pagefind.{part['hash']}.pf_meta"}
    index_files = {path for path in files if path.endswith((".pf_index", ".pf_meta"))}
    assert index_files == listed  # Pagefind's own chunks and meta files are gone
    assert {path for path in files if path.endswith(".pf_fragment")} == {
        path for path in made if path.endswith(".pf_fragment")}  # the pages' fragments are Pagefind's


def test_an_index_it_cannot_read_is_left_as_pagefind_wrote_it(made):
    broken = dict(made)
    meta = next(path for path in broken if path.endswith(".pf_meta") and "/pagefind.ja_" in path)
    broken[meta] = b"not an index"
    files = with_browser_words(broken)
    assert {path: data for path, data in files.items() if "ja_" in path} == {
        path: data for path, data in broken.items() if "ja_" in path}


def test_an_index_whose_changed_entries_would_not_be_written_back_as_read_is_left_as_pagefind_wrote_it(made):
    """A Pagefind that encodes an entry otherwise than `index_format` does (here a word's text with a longer
    length head than needed, which reads the same): its index is not rewritten, as `patch.py` would not patch
    it either."""
    index = _indexes(made)["ja"][0]
    augmented = add_browser_words(index, "ja")
    word = next(word for word, entry in augmented.words.items()
                if entry is not index.words.get(word) and word in index.word_bytes)  # an entry the parts change
    path, raw = next((path, raw) for words, path, raw in index.chunks_read if word in words)
    text = word.encode()
    canonical = index.word_bytes[word]
    odd = canonical.replace(b"\x83" + cbor2.dumps(word), b"\x83\x78" + bytes([len(text)]) + text, 1)
    assert odd != canonical and cbor2.loads(odd)[0] == word
    tampered = {**made, path: pack(raw.replace(canonical, odd, 1))}
    files = with_browser_words(tampered)
    assert {path: data for path, data in files.items() if "ja_" in path} == {
        path: data for path, data in tampered.items() if "ja_" in path}
    assert {path for path in files if "zh-cn_" in path} != {path for path in made if "zh-cn_" in path}


def test_pagefinds_packed_places_read_and_pack_back_to_the_same_numbers(made):
    for index, _fragments in _indexes(made).values():
        for pages, variants in index.words.values():
            for page in [*pages, *(page for _form, variant in variants for page in variant)]:
                assert _encoded(_decoded(page[1])) == page[1]


@given(st.lists(st.tuples(st.integers(0, 3000), st.sampled_from([0, 25, 49, 121, 169, 240])), max_size=30))
def test_packed_places_read_back_as_each_place_with_its_largest_weight(spots):
    best: dict[int, int] = {}
    for place, weight in spots:
        best[place] = max(weight, best.get(place, 0))
    assert dict(_decoded(_encoded(spots))) == best


def test_only_japanese_and_chinese_indexes_are_rewritten(tmp_path: Path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en/index.html").write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
                                            '<main data-pagefind-body><p>Factories in Huizhou.</p></main></body>'
                                            '</html>', "utf-8")
    made = index_pages(tmp_path, ["en/index.html"])
    assert with_browser_words(made) == made


def test_without_icu_the_build_says_what_to_install(made, monkeypatch):
    """A broken install (icu4py missing) stops the search step with a message, as a missing Pagefind does."""
    monkeypatch.setitem(sys.modules, "icu4py", None)
    monkeypatch.setitem(sys.modules, "icu4py.breakers", None)
    for step in (splitter_version, lambda: with_browser_words(made)):
        with pytest.raises(PublisherError, match=r"icu4py.*`pip install icu4py`.*the previous site is still"):
            step()
