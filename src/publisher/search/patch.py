"""An edit indexed without indexing its language again: Pagefind runs over the changed pages alone, and
their part of the index is merged into the language's current one.

Pagefind has no incremental mode, and a run over 1,000 Japanese pages takes
seconds (its word splitter). Each page's part of an index is its own: its
words and their places in it, its fragment, its word count; nothing depends
on the other pages but the page numbers, the sorted word list cut into
chunks, and the list of meta fields. So the merged index is the one Pagefind
writes for the same pages read in another order: pages keep their numbers
(a withdrawn page's number goes to the next one; a new page takes the next
free number), and the chunks, names and meta file are made by Pagefind's own
rules (`index_format`).

A language is indexed whole instead when a patch is not worth it or not
safe: more pages changed than stayed, the previous index is not the one
remembered, another Pagefind version, filters or sorts, a fragment name that
collides, or a part that `index_format` cannot write back byte for byte.
"""

from __future__ import annotations

import bisect
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from ..cache import digest
from .index_format import (
    BUNDLE,
    FormatError,
    LanguageIndex,
    fragment_path,
    index_files,
    meta_hash_of,
    pack,
    read_index,
    unpack,
    write_index,
)
from .pagefind import ENTRY_PATH, page_url


@dataclass(frozen=True)
class PatchedLanguage:
    """A language's index after a patch."""

    entry: dict
    """Its part of Pagefind's entry file (`{language: {hash, wasm, page_count}}`)."""
    written: dict[str, bytes]
    """Files made anew: path in the output -> bytes."""
    files: dict[str, str]
    """Every file of the language's bundle: path -> content key (the kept ones with their old keys)."""
    numbered: list[list]
    """By page number: `[URL, meta field names]`, for the next patch (the first reads the fragments)."""


class _NoPatch(Exception):
    """The language is indexed whole instead."""


Indexer = Callable[[Path, list[str]], dict[str, bytes]]
"""`pagefind.index_pages`, or one that gives the same files another way (a `PagefindService` already running)."""


def patch_language(site: Path, previous_site: Path, language: str, record: Mapping, version: str,
                   regions_before: Mapping[str, str], regions_now: Mapping[str, str],
                   index_pages: Indexer) -> PatchedLanguage | None:
    """The index of `language` for the pages `regions_now` (path -> region digest), made from the previous
    build's index (`record`, of the output in `previous_site`) and Pagefind's index of the changed pages
    of `site` (`index_pages`); None when the language is better indexed whole."""
    changed = sorted(path for path, region in regions_now.items() if regions_before.get(path) != region)
    removed = {page_url(path) for path in regions_before if path not in regions_now}
    if record.get("version") != version or not (changed or removed) or len(changed) > len(regions_now) - len(
            changed):
        return None
    try:
        return _patch(site, previous_site, language, record, changed, removed, index_pages)
    except (_NoPatch, FormatError):
        return None


def numbered_pages(pages: list[list], read: Callable[[str], bytes]) -> list[list]:
    """By page number: `[URL, meta field names]`, read from the fragments of an index's `pages`."""
    numbered = []
    for fragment_hash, _words in pages:
        try:
            fragment = json.loads(unpack(read(fragment_path(fragment_hash))))
            numbered.append([fragment["url"], sorted(fragment["meta"])])
        except (KeyError, OSError, TypeError, ValueError) as exc:
            raise FormatError(f"unexpected fragment: {exc!r}") from None
    return numbered


def _patch(site: Path, previous_site: Path, language: str, record: Mapping, changed: list[str],
           removed: set[str], index_pages: Indexer) -> PatchedLanguage:
    entry = record.get("entry")
    old_files = record.get("files")
    if not isinstance(entry, dict) or list(entry) != [language] or not isinstance(entry[language], dict) \
            or not isinstance(entry[language].get("hash"), str) or not isinstance(old_files, dict):
        raise _NoPatch
    raw_before: dict[str, bytes] = {}

    def read_before(path: str) -> bytes:
        if path not in old_files:
            raise FormatError(f"{path} is not a file of the index")
        data = (previous_site / path).read_bytes()
        raw_before[path] = data
        return data

    with ThreadPoolExecutor(1) as pool:  # Pagefind splits the changed pages while the current index is read
        running = pool.submit(_part, site, language, changed, index_pages) if changed else None
        current = read_index(language, entry[language]["hash"], read_before)
        part, part_numbered, part_files = running.result() if running else (None, [], {})
    numbered = record.get("numbered")
    if not isinstance(numbered, list):  # the first patch after Pagefind indexed the language whole
        numbered = numbered_pages(current.pages, read_before)
    if len(numbered) != len(current.pages) or current.filters or current.sorts or (
            part is not None and part.version != current.version):
        raise _NoPatch
    merged, numbered, touched = _merge(current, numbered, part, part_numbered, removed)
    # Chunks and words none of which changed are written from the bytes read, not encoded again; a file that
    # comes out under an old name is compared with the old file's bytes as read (unpacked once, by read_index).
    unchanged = current.unchanged(touched) if touched is not None else None
    unpacked_before = {path: raw for _words, path, raw in current.chunks_read}
    written: dict[str, bytes] = {}
    files = {path: key for path, key in old_files.items()  # the language's common files (Pagefind's UI)
             if not path.startswith((f"{BUNDLE}index/", f"{BUNDLE}fragment/")) and meta_hash_of(path) is None}
    fragment_paths = {fragment_path(fragment_hash) for fragment_hash, _words in merged.pages}
    for path in fragment_paths:
        if path in old_files:
            files[path] = old_files[path]
        elif path in part_files:
            written[path] = part_files[path]
        else:
            raise _NoPatch  # a kept page whose fragment the remembered files do not list
    packing, meta_hash = {}, None
    with ThreadPoolExecutor() as pool:  # zlib lets go of the GIL: a chunk compresses while the next is encoded
        for path, raw in index_files(merged, unchanged):
            if (named := meta_hash_of(path)) is not None:  # the meta file, which comes last
                meta_hash = named
            if path in old_files and path in raw_before and (
                    unpacked_before[path] if path in unpacked_before else unpack(raw_before[path])) == raw:
                files[path] = old_files[path]
            else:
                packing[path] = pool.submit(pack, raw)
    written.update((path, job.result()) for path, job in packing.items())
    files.update({path: digest(data) for path, data in written.items()})
    part_entry = dict(entry[language], hash=meta_hash, page_count=len(merged.pages))
    return PatchedLanguage({language: part_entry}, written, dict(sorted(files.items())), numbered)


def _part(site: Path, language: str, changed: list[str], index_pages: Indexer) -> tuple[LanguageIndex, list, dict]:
    """Pagefind's index of the changed pages alone, checked to be one this module writes back unchanged."""
    made = index_pages(site, changed)
    languages = json.loads(made[ENTRY_PATH]).get("languages")
    if not isinstance(languages, dict) or list(languages) != [language] or not isinstance(
            languages[language], dict):
        raise _NoPatch
    part = read_index(language, str(languages[language].get("hash")), made.__getitem__)
    meta_hash, raw_files = write_index(part)
    if meta_hash != languages[language]["hash"] or any(
            path not in made or unpack(made[path]) != raw for path, raw in raw_files.items()):
        raise _NoPatch  # not the format index_format writes: Pagefind indexes the language whole
    part_numbered = numbered_pages(part.pages, made.__getitem__)
    if sorted(url for url, _fields in part_numbered) != sorted(page_url(path) for path in changed):
        raise _NoPatch
    return part, part_numbered, made


def _merge(current: LanguageIndex, numbered: list, part: LanguageIndex | None, part_numbered: list,
           removed: set[str]) -> tuple[LanguageIndex, list[list], set[str] | None]:
    """`current` less the removed pages, with `part`'s pages in place of its own (or added); and the words
    whose entries are not the ones `current` had (None: all may differ, the pages were renumbered)."""
    urls = [url for url, _fields in numbered]
    part_urls = [url for url, _fields in part_numbered]
    number_of = {url: number for number, url in enumerate(urls)}
    if len(number_of) != len(urls) or not removed <= number_of.keys():
        raise _NoPatch
    gone = {number_of[url] for url in removed | set(part_urls) if url in number_of}
    renumber: dict[int, int] = {}
    order: list[str] = []
    for number, url in enumerate(urls):
        if url not in removed or url in part_urls:
            renumber[number] = len(order)
            order.append(url)
    order.extend(url for url in part_urls if url not in number_of)
    position = {url: number for number, url in enumerate(order)}
    from_part = {number: position[url] for number, url in enumerate(part_urls)}
    fields_of = {url: fields for number, (url, fields) in enumerate(numbered) if number not in gone}
    fields_of.update({url: fields for url, fields in part_numbered})
    meta_fields = sorted({field for url in order for field in fields_of[url]})
    kept_hashes = {current.pages[number][0] for number in renumber if number not in gone}
    pages: list[list] = [current.pages[number_of[url]] for url in order if url in number_of] + [
        [] for url in order if url not in number_of]
    for number, page in enumerate(part.pages if part else []):
        if page[0] in kept_hashes:
            raise _NoPatch  # Pagefind would have named this fragment otherwise
        pages[from_part[number]] = page
    words, touched = _without(current, gone, renumber, _field_map(current.meta_fields, meta_fields))
    if part is not None:
        _add(words, part, from_part, _field_map(part.meta_fields, meta_fields))
        if touched is not None:
            touched.update(part.words)
    if touched is not None:  # an edited page gives most words of its text the very entries they had
        touched = {word for word in touched if words.get(word) != current.words.get(word)}
    merged = LanguageIndex(current.language, current.version, pages, words, meta_fields, [], [])
    return merged, [[url, fields_of[url]] for url in order], touched


def _without(current: LanguageIndex, gone: set[int], renumber: dict[int, int],
             fields: dict[int, int] | None) -> tuple[dict[str, list], set[str] | None]:
    """The words of `current` without the pages numbered `gone`, the others renumbered; and the words whose
    entries changed (None: every word's may have, when pages are renumbered or meta fields moved)."""
    touched: set[str] | None = None
    if fields is None and all(old == new for old, new in renumber.items()):
        gone_in_order = sorted(gone)  # an edit in place: the pages keep their numbers, the edited ones leave
        touched = set()

        def strip(pages: list) -> list:
            return _dropped(pages, gone_in_order)  # the very list when none of its pages is gone
    else:
        def strip(pages: list) -> list:
            return _moved(pages, gone, renumber, fields)
    words: dict[str, list] = {}
    for word, (word_pages, variants) in current.words.items():
        kept_pages = strip(word_pages)
        kept_variants = [[form, kept] for form, variant_pages in variants if (kept := strip(variant_pages))]
        if touched is not None and (kept_pages is not word_pages or len(kept_variants) != len(variants) or any(
                kept is not variant[1] for (_form, kept), variant in zip(kept_variants, variants))):
            touched.add(word)
        if kept_pages or kept_variants:
            words[word] = [kept_pages, kept_variants]
    return words, touched


def _add(words: dict[str, list], part: LanguageIndex, from_part: dict[int, int],
         fields: dict[int, int] | None) -> None:
    """The words of `part` added to `words`, its pages numbered as in the merged index."""
    for word, (word_pages, variants) in part.words.items():
        entry = words.setdefault(word, [[], []])
        entry[0] = sorted(entry[0] + _moved(word_pages, set(), from_part, fields), key=_number)
        for form, variant_pages in variants:
            moved = _moved(variant_pages, set(), from_part, fields)
            same = next((variant for variant in entry[1] if variant[0] == form), None)
            if same is None:
                entry[1].append([form, sorted(moved, key=_number)])
            else:
                same[1] = sorted(same[1] + moved, key=_number)


def _number(page: list) -> int:
    return page[0]


def _field_map(fields: list[str], merged: list[str]) -> dict[int, int] | None:
    """Old meta field number -> new one (for the fields left: one that goes is named by no page left);
    None when they are the same."""
    if fields == merged:
        return None
    return {number: merged.index(field) for number, field in enumerate(fields) if field in merged}


def _moved(pages: list, gone: set[int], renumber: Mapping[int, int], fields: Mapping[int, int] | None) -> list:
    """A word's pages without the `gone` ones, renumbered, their meta locations naming the new fields."""
    out = []
    for number, locations, meta_locations in pages:
        if number in gone:
            continue
        if fields is not None and meta_locations:
            meta_locations = [-fields[-value - 1] - 1 if value < 0 else value for value in meta_locations]
        out.append([renumber[number], locations, meta_locations])
    return out


def _dropped(pages: list, gone: list[int]) -> list:
    """A word's pages (in page order) without the `gone` ones (sorted), found by bisection."""
    out = pages
    for number in gone:
        at = bisect.bisect_left(out, number, key=_number)
        if at < len(out) and out[at][0] == number:
            out = out[:at] + out[at + 1:]
    return out
