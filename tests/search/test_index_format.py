"""`index_format` reads Pagefind's own index and writes it back byte for byte (real Pagefind extended).

The pages are made to need what the format has: more than one chunk (more
than 20,000 word locations), words with diacritic variants (`café`), meta
locations (the title), Japanese and Chinese words.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.search.index_format import (
    FormatError,
    LanguageIndex,
    _ranges,
    meta_hash_of,
    pack,
    read_index,
    sha1_hex,
    unpack,
    write_index,
)
from publisher.search.pagefind import index_site

_JA = ["工業団地", "物流", "通関", "港湾", "賃金", "人材", "採用", "補助金", "税制", "輸出", "販売", "拠点"]
_ZH = ["工业园区", "物流", "通关", "港口", "工资", "人才", "招聘", "补贴", "税收", "出口", "销售", "基地"]
_LATIN = ["café", "cafe", "résumé", "resume", "naïve", "naive", "export", "supply", "chain", "market"]


def _site(folder: Path, pages: int = 24) -> Path:
    choose = random.Random(17)
    for number in range(pages):
        language, words = ("ja", _JA) if number % 2 == 0 else ("zh-cn", _ZH)
        body = " ".join(f"{choose.choice(words)}は{choose.choice(_LATIN)}の{choose.choice(words)}。"
                        for _ in range(450))
        page = folder / f"p{number:02d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!doctype html><html lang="{language}"><head><title>t</title></head><body>'
                        f'<main data-pagefind-body><h1>{choose.choice(words)} {choose.choice(_LATIN)} {number}'
                        f'</h1><p>{body}</p></main></body></html>', "utf-8")
    return folder


def test_pagefinds_index_is_written_back_byte_for_byte(tmp_path):
    files = index_site(_site(tmp_path / "site"))
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    assert set(entry["languages"]) == {"ja", "zh-cn"}
    for language, part in entry["languages"].items():
        index = read_index(language, part["hash"], files.__getitem__)
        meta_hash, made = write_index(index)
        assert meta_hash == part["hash"]
        assert {path: unpack(files[path]) for path in made} == made  # names and bytes, every file
        assert sum(1 for path in made if path.endswith(".pf_index")) > 1
        assert any(variants for _pages, variants in index.words.values())
        assert any(page[2] for pages, _variants in index.words.values() for page in pages)  # title words
        assert all(unpack(pack(raw)) == raw for raw in made.values())


def test_hashes_are_printed_as_pagefind_prints_them():
    """SHA-1 of b"" is da39a3ee5e6b4b0d...afd80709: Rust's `{:x?}` prints the bytes 0d, 07, 09 as one digit."""
    assert sha1_hex(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"
    assert sha1_hex(b"abc") == "a9993e36476816aba3e25717850c26c9cd0d89d"  # a9993e3647 06 816a...


def test_chunk_ranges_never_end_before_they_start():
    """A neighbour's prefix shorter than the chunk's own start leaves the chunk's last word as its end."""
    assert _ranges([["ある", "いう"], ["いる"], ["うえ", "かお"]]) == [("ある", "いう"), ("いる", "いる"), ("う", "かお")]
    assert _ranges([["apple", "banana"], ["cherry"]]) == [("apple", "b"), ("c", "cherry")]
    assert _ranges([["apple", "apricot"], ["banana"]]) == [("apple", "apricot"), ("b", "banana")]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["meta", "chunk"]), st.integers(0, 10_000), st.integers(1, 255))
def test_damaged_files_are_a_format_error(data, which, at, flip):
    good = write_index(_tiny_index())[1]
    files = {path: pack(raw) for path, raw in good.items()}
    meta = next(path for path in files if path.endswith(".pf_meta"))
    target = meta if which == "meta" else next(path for path in files if path.endswith(".pf_index"))
    flipped = bytearray(files[target])
    flipped[at % len(flipped)] ^= flip  # one damaged byte in a good file
    for damaged in (data, pack(data), pack(b"pagefind_dcd" + data), bytes(flipped)):
        files[target] = damaged
        try:
            index = read_index("ja", str(meta_hash_of(meta)), files.__getitem__)
        except FormatError:
            continue
        assert isinstance(index.words, dict)  # damaged bytes that happen to be an index are read as one


def _tiny_index() -> LanguageIndex:
    return LanguageIndex("ja", "1.5.2", [["ja_abcdef1", 3]], {"物流": [[[0, [-25, 1, 2], []]], []]},
                         ["title"], [], [])


_location = st.integers(-300, 70_000)
_pages = st.lists(st.tuples(st.integers(1, 300), st.lists(_location, max_size=12), st.lists(_location, max_size=3)),
                  min_size=1, max_size=60)


def _absolute_pages(drawn: list) -> list[list]:
    number, pages = -1, []
    for step, locations, meta_locations in drawn:
        number += step
        pages.append([number, locations, meta_locations])
    return pages


@settings(max_examples=300, deadline=None)
@given(_pages, st.data())
def test_a_word_whose_one_page_changed_is_spliced_into_its_bytes_as_encoding_it_whole_would(drawn, data):
    import cbor2

    from publisher.search.index_format import _encoded, _packed_word, _spliced

    word = data.draw(st.sampled_from(["物流", "の", "café", "x" * 30]))
    pages_before = _absolute_pages(drawn)
    variants = data.draw(st.sampled_from([[], [["cafe", [list(pages_before[0])]]]]))
    raw_before = cbor2.dumps(_packed_word(word, pages_before, variants))
    at = data.draw(st.integers(0, len(pages_before) - 1))
    pages = list(pages_before)
    pages[at] = [pages_before[at][0], data.draw(st.lists(_location, max_size=40)),
                 data.draw(st.lists(_location, max_size=3))]
    whole = cbor2.dumps(_packed_word(word, pages, variants))
    assert _spliced(word, [pages, variants], [pages_before, variants], raw_before) == whole
    assert _encoded(word, [pages, variants], ([pages_before, variants], raw_before)) == whole


def test_a_changed_page_whose_old_bytes_occur_twice_is_located_by_its_neighbours():
    """Found once, a page's old bytes are where it is; found twice (here page 2 reads as page 1 did: one
    page on, at place 5), the splice counts the bytes of the shorter side instead."""
    import cbor2

    from publisher.search.index_format import _packed_word, _spliced

    pages_before = [[0, [5], []], [1, [5], []], [2, [5], []], [3, [9, 12], []]]
    raw_before = cbor2.dumps(_packed_word("物流", pages_before, []))
    for at, locations in ((2, [5, 7]), (3, [1])):
        pages = list(pages_before)
        pages[at] = [pages_before[at][0], locations, []]
        assert _spliced("物流", [pages, []], [pages_before, []], raw_before) == cbor2.dumps(
            _packed_word("物流", pages, []))


@settings(max_examples=100, deadline=None)
@given(_pages, st.data())
def test_other_changes_to_a_word_are_encoded_whole(drawn, data):
    import cbor2

    from publisher.search.index_format import _encoded, _packed_word, _spliced

    pages_before = _absolute_pages(drawn)
    raw_before = cbor2.dumps(_packed_word("物流", pages_before, []))
    pages, variants = list(pages_before), []
    change = data.draw(st.sampled_from(["two pages", "number", "page added", "variant"]))
    if change == "two pages" and len(pages) >= 2:
        pages[0], pages[-1] = [pages[0][0], [1], []], [pages[-1][0], [2], []]
    elif change == "number":
        pages[-1] = [pages[-1][0] + 1, pages[-1][1], pages[-1][2]]
    elif change == "page added":
        pages.append([pages[-1][0] + 1, [5], []])
    else:
        variants = [["物", [list(pages[0])]]]
    whole = cbor2.dumps(_packed_word("物流", pages, variants))
    if pages != pages_before or variants:
        assert _spliced("物流", [pages, variants], [pages_before, []], raw_before) is None
    assert _encoded("物流", [pages, variants], ([pages_before, []], raw_before)) == whole
