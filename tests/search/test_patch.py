"""Merging a part into an index gives the index of the new pages (Hypothesis against a reference build).

`_reference` builds a language's index from each page's own data the way
Pagefind's `build_indexes` does (pages numbered in the order given, meta
fields sorted over all pages, words' pages in page order). For any old set
of pages and any edit (pages changed, added, withdrawn), the old index with
the changed pages' part merged into it must mean what the reference index of
the new pages means, and survive being written and read back.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.search.index_format import LanguageIndex, index_files, pack, read_index, write_index
from publisher.search.pagefind import page_url
from publisher.search.patch import _merge

_FIELDS = ["image", "image_alt", "title"]


def _reference(pages: dict[str, dict], order: list[str]) -> tuple[LanguageIndex, list[list]]:
    fields = sorted({field for url in order for field in pages[url]["fields"]})
    words: dict[str, list] = {}
    for number, url in enumerate(order):
        page = pages[url]
        for word, (locations, meta) in page["words"].items():
            entry = words.setdefault(word, [[], []])
            entry[0].append([number, locations, _meta_locations(meta, fields)])
        for word, forms in page["variants"].items():
            entry = words.setdefault(word, [[], []])
            for form, (locations, meta) in forms.items():
                variant = next((v for v in entry[1] if v[0] == form), None)
                if variant is None:
                    entry[1].append(variant := [form, []])
                variant[1].append([number, locations, _meta_locations(meta, fields)])
    index = LanguageIndex("ja", "1.5.2", [[pages[url]["hash"], pages[url]["count"]] for url in order], words,
                          fields, [], [])
    return index, [[url, sorted(pages[url]["fields"])] for url in order]


def _meta_locations(meta: dict[str, list[int]], fields: list[str]) -> list[int]:
    out = []
    for field in sorted(meta, key=fields.index):
        out.append(-fields.index(field) - 1)
        out.extend(meta[field])
    return out


def _meaning(index: LanguageIndex, numbered: list[list]) -> dict:
    """The index by URL, meta locations by field name: what it means, whatever the page numbers."""
    url = [u for u, _fields in numbered]

    def pages(entries):
        out = {}
        for number, locations, meta in entries:
            named, field = {}, None
            for value in meta:
                if value < 0:
                    field = index.meta_fields[-value - 1]
                    named[field] = []
                else:
                    named[field].append(value)
            out[url[number]] = (locations, named)
        assert [n for n, _l, _m in entries] == sorted({n for n, _l, _m in entries})  # page order, once each
        return out

    return {"pages": {url[n]: tuple(page) for n, page in enumerate(index.pages)},
            "fields": index.meta_fields,
            "numbered": {u: fields for u, fields in numbered},
            "words": {word: (pages(entries), {form: pages(v) for form, v in variants})
                      for word, (entries, variants) in index.words.items()}}


_word = st.sampled_from(["物流", "通関", "港湾", "cafe", "naive", "の", "は"])
_locations = st.lists(st.integers(0, 400), min_size=1, max_size=4)
_meta = st.dictionaries(st.sampled_from(_FIELDS), st.lists(st.integers(0, 9), min_size=1, max_size=2), max_size=2)


@st.composite
def _page(draw, url: str, version: int) -> dict:
    fields = draw(st.sets(st.sampled_from(_FIELDS), max_size=3))
    meta = st.dictionaries(st.sampled_from(sorted(fields)), st.lists(st.integers(0, 9), min_size=1, max_size=2),
                           max_size=2) if fields else st.just({})
    words = draw(st.dictionaries(_word, st.tuples(_locations, meta), min_size=1, max_size=5))
    variants = draw(st.dictionaries(_word, st.dictionaries(st.sampled_from(["café", "naïve"]),
                                                           st.tuples(_locations, meta), min_size=1), max_size=2))
    fragment_hash = f"ja_{version}{url.strip('/').replace('/', '_')}"
    return {"words": words, "variants": variants, "fields": fields, "hash": fragment_hash,
            "count": draw(st.integers(1, 5000))}


@st.composite
def _edit(draw):
    urls = [f"/ja/p{n:03d}/" for n in range(draw(st.integers(1, 8)))]
    old = {url: draw(_page(url, 0)) for url in urls}
    order = draw(st.permutations(urls))
    removed = draw(st.sets(st.sampled_from(urls), max_size=len(urls) - 1))
    kept = [url for url in urls if url not in removed]
    changed = draw(st.sets(st.sampled_from(kept), max_size=len(kept)))
    added = [f"/ja/n{n:03d}/" for n in range(draw(st.integers(0, 2)))]
    new = {url: old[url] for url in kept}
    part = {url: draw(_page(url, 1)) for url in [*sorted(changed), *added]}
    new.update(part)
    return old, order, part, draw(st.permutations(list(part))), removed, new


@settings(max_examples=200, deadline=None)
@given(_edit())
def test_a_merged_index_means_what_the_new_pages_index_means(edit):
    old, order, part, part_order, removed, new = edit
    current, numbered = _reference(old, order)
    part_index, part_numbered = _reference(part, part_order) if part else (None, [])
    merged, merged_numbered, _touched = _merge(current, numbered, part_index, part_numbered, set(removed))
    expected, expected_numbered = _reference(new, sorted(new))
    assert _meaning(merged, merged_numbered) == _meaning(expected, expected_numbered)
    meta_hash, files = write_index(merged)
    again = read_index("ja", meta_hash, lambda path: pack(files[path]))
    assert (again.pages, again.words, again.meta_fields) == (merged.pages, merged.words, merged.meta_fields)


@settings(max_examples=200, deadline=None)
@given(_edit(), st.integers(1, 60))
def test_chunks_written_from_the_bytes_read_are_the_chunks_encoded_anew(edit, chunk_locations):
    """A patch writes the chunks whose words it did not touch from the bytes it read (`chunks_read`), and the
    other chunks from the bytes of their untouched words: the files are exactly those of the merged index
    encoded whole, for any edit and any chunk size (small ones make many chunks, so that some are kept, some
    cut at other words, some encoded)."""
    old, order, part, part_order, removed, _new = edit
    current, numbered = _reference(old, order)
    written = dict(index_files(current, chunk_locations=chunk_locations))
    meta = next(path for path in written if path.endswith(".pf_meta"))
    read_back = read_index("ja", meta.rsplit("pagefind.", 1)[1][:-len(".pf_meta")],
                           lambda path: pack(written[path]))
    assert len(read_back.chunks_read) == len(written) - 1
    part_index, part_numbered = _reference(part, part_order) if part else (None, [])
    merged, _numbered, touched = _merge(read_back, numbered, part_index, part_numbered, set(removed))
    unchanged = read_back.unchanged(touched) if touched is not None else None
    expected, _numbered, _touched = _merge(_reference(old, order)[0], numbered, part_index, part_numbered,
                                           set(removed))
    assert list(index_files(merged, unchanged, chunk_locations)) == list(index_files(expected,
                                                                                     chunk_locations=chunk_locations))


def test_page_urls_are_pagefinds():
    assert page_url("index.html") == "/"
    assert page_url("ja/alpha/index.html") == "/ja/alpha/"
    assert page_url("ja/old.html") == "/ja/old.html"
    assert page_url("ja/myindex.html") == "/ja/myindex.html"
